//! ARN wiring: task and execution roles are trusted by ECS tasks, the execution role may
//! write the service's logs and the task role may connect to its database, keys that
//! encrypt logs let CloudWatch Logs use them, and access logs go to a bucket a load
//! balancer can write to.

use super::Diagnostics;
use crate::ast::Item;
use crate::kind::{Kind, Wire};
use crate::model::{self, Model};

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    for item in &model.items {
        for def in item.kind.row().fields {
            match def.wire {
                Wire::None => {}
                Wire::AssumedBy(stem) => check_trust(model, item, def.key, stem, diag),
                Wire::GrantedBy { verb, role } => {
                    check_granted(model, item, def.key, verb, role, diag);
                }
            }
        }
    }
    for resource in super::of_kind(model, Kind::Resource) {
        check_given_roles(model, resource, diag);
    }
    for service in super::of_kind(model, Kind::FargateService) {
        check_task_role_connects(model, service, diag);
        check_execution_role_reads_secrets(model, service, diag);
        check_shared_cluster_settings(model, service, diag);
    }
    for item in &model.items {
        if matches!(item.kind, Kind::LogGroup | Kind::Aurora | Kind::EksCluster) {
            check_log_key(model, item, diag);
        }
    }
    for lb in super::of_kind(model, Kind::LoadBalancer) {
        check_access_log_bucket(model, lb, diag);
    }
    for topic in super::of_kind(model, Kind::Topic) {
        check_queue_subscribers(model, topic, diag);
    }
    for function in super::of_kind(model, Kind::Function) {
        check_queue_outlasts(model, function, diag);
        check_fifo_batch(model, function, diag);
        check_derived_role(function, diag);
        if function.expr("logs").is_none() {
            check_log_key(model, function, diag);
        }
    }
}

/// `grants` describe the role a function derives; with a role of its own, they belong
/// on that role.
fn check_derived_role(function: &Item, diag: &mut Diagnostics) {
    let (Some(role), Some(grants)) = (function.expr("role"), function.expr("grants")) else {
        return;
    };
    diag.error_help(
        grants,
        format!(
            "`{}` runs as its own role, so its grants belong on that role",
            function.name
        ),
        "move them to the role's `grants`, or leave out `role` to derive one from the function's fields and these grants",
    );
    diag.error_at(role, "its role is named here");
}

/// A queue that feeds a function hides a received message at least as long as the
/// function may run (Lambda refuses the mapping otherwise).
fn check_queue_outlasts(model: &Model<'_>, function: &Item, diag: &mut Diagnostics) {
    let (Some(queue), Some(expr)) = (model.target(function, "queue"), function.expr("queue"))
    else {
        return;
    };
    let visibility = queue.int("visibility_timeout_seconds");
    let timeout = function.int("timeout_seconds");
    let (Some(&v), Some(&t)) = (visibility.value(), timeout.value()) else {
        return;
    };
    let (Ok(v), Ok(t)) = (i64::try_from(v), i64::try_from(t)) else {
        return;
    };
    if let Some(problem) = infra_facts::limits::lambda::queue_feed_problem(v, t) {
        diag.error_help(
            expr,
            format!("`{}` cannot feed `{}`: {problem}", queue.name, function.name),
            format!(
                "give `{}` `visibility_timeout_seconds: {}` or more (six times the timeout leaves room for retries)",
                queue.name,
                t * 6
            ),
        );
    }
}

/// Each queue a topic subscribes is one it can deliver to: a standard queue.
fn check_queue_subscribers(model: &Model<'_>, topic: &Item, diag: &mut Diagnostics) {
    let subscribers = topic.expr("subscribers").and_then(model::list);
    for subscriber in subscribers.unwrap_or_default() {
        let Some((verb, args)) = model::call(subscriber) else {
            continue;
        };
        let Some(arg) = args.first().filter(|_| verb == "queue") else {
            continue;
        };
        let Some(queue) = model::ident(arg).and_then(|q| model.get_kind(q, &[Kind::Queue])) else {
            continue;
        };
        let fifo = queue.flag("fifo").value().copied().unwrap_or(false);
        if let Some(problem) = infra_facts::limits::sns::queue_subscriber_problem(fifo) {
            diag.error_help(
                arg,
                format!(
                    "`{}` cannot deliver to `{}`: {problem}",
                    topic.name, queue.name
                ),
                format!(
                    "subscribe a standard queue (`{}` without `fifo: true`)",
                    queue.name
                ),
            );
        }
    }
}

/// A FIFO queue feeds a function batches of ten messages at most.
fn check_fifo_batch(model: &Model<'_>, function: &Item, diag: &mut Diagnostics) {
    let Some(queue) = model.target(function, "queue") else {
        return;
    };
    let batch = function.int("batch_size");
    let (Some(true), Some((&size, expr))) = (queue.flag("fifo").value().copied(), batch.literal())
    else {
        return;
    };
    let Some(problem) = i64::try_from(size)
        .ok()
        .and_then(infra_facts::limits::lambda::fifo_batch_problem)
    else {
        return;
    };
    diag.error_help(
        expr,
        format!(
            "`{}` cannot feed `{}`: {problem}",
            queue.name, function.name
        ),
        "give `batch_size` 10 or less, or feed the function from a standard queue",
    );
}

/// How `assumed_by` names the principal of type stem `stem`: its keyword, or its
/// service principal as a string.
fn principal_written(stem: &str) -> Option<(String, &'static str)> {
    let (keyword, _, service) = infra_facts::iam::SERVICE_PRINCIPALS
        .iter()
        .find(|(_, s, _)| *s == stem)?;
    let written = keyword.map_or_else(|| format!("\"{service}\""), str::to_owned);
    Some((written, service))
}

/// The role in field `key` of `item` is one the service of type stem `stem` may assume.
fn check_trust(model: &Model<'_>, item: &Item, key: &str, stem: &str, diag: &mut Diagnostics) {
    let (Some(role), Some(expr)) = (model.target(item, key), item.expr(key)) else {
        return;
    };
    let what = format!("the {}", key.replace('_', " "));
    let needs = format!("the {} of {}", key.replace('_', " "), item.kind);
    judge_trust(item, expr, role, stem, (&what, &needs), diag);
}

/// The roles of the stack a raw resource hands to a service at a property
/// (`infra_facts::iam::ROLE_PROPERTIES`) are ones that service may assume.
fn check_given_roles(model: &Model<'_>, item: &Item, diag: &mut Diagnostics) {
    for given in model::given_roles(item) {
        let Some(role) = model::ident(given.role).and_then(|n| model.get_kind(n, &[Kind::Role]))
        else {
            continue;
        };
        let what = format!("given at `{}`", given.field);
        let needs = format!("a role at `{}`", given.field);
        judge_trust(item, given.role, role, given.stem, (&what, &needs), diag);
    }
}

/// `role`, which `item` hands to the service of type stem `stem` at `expr`, is assumed
/// by that service; `said` is how the role is named in the error and in its help.
fn judge_trust(
    item: &Item,
    expr: &syn::Expr,
    role: &Item,
    stem: &str,
    said: (&str, &str),
    diag: &mut Diagnostics,
) {
    let Some(written) = role.expr("assumed_by") else {
        return;
    };
    let Some((role_stem, service_principal)) = crate::kind::principal(written) else {
        return;
    };
    let principal = model::ident(written).map_or(service_principal, ToString::to_string);
    let Some((needed, service)) = principal_written(stem) else {
        return;
    };
    if role_stem == stem {
        return;
    }
    let (what, needs) = said;
    diag.error_help(
        expr,
        format!(
            "`{}` is {what} of `{}`, but `{service}` cannot assume it",
            role.name, item.name
        ),
        format!(
            "`{}` is assumed by `{principal}`; {needs} needs `assumed_by: {needed}`",
            role.name
        ),
    );
    diag.error_at(
        written,
        format!("`{}` is assumed by `{principal}` here", role.name),
    );
}

/// The role in field `role_key` of `item` is granted `verb` on what field `key` names.
fn check_granted(
    model: &Model<'_>,
    item: &Item,
    key: &str,
    verb: &str,
    role_key: &str,
    diag: &mut Diagnostics,
) {
    let (Some(role), Some(target)) = (model.target(item, role_key), model.target(item, key)) else {
        return;
    };
    let Some(grants) = super::role_grants(model, role) else {
        return;
    };
    let granted = grants
        .iter()
        .any(|g| g.verb == verb && target.name == g.target);
    if !granted && let Some(expr) = item.expr(key) {
        diag.error_help(
            expr,
            format!(
                "`{}` needs `{verb}` on its {} `{}`, but its {} `{}` is not granted it",
                item.name,
                key.replace('_', " "),
                target.name,
                role_key.replace('_', " "),
                role.name
            ),
            format!(
                "add `{verb}({})` to the grants of `{}`",
                target.name, role.name
            ),
        );
    }
}

/// The execution role may read every secret of the stack the task's `secrets` name
/// (ECS reads them with it when a task starts). A secret from a parameter or another
/// stack is not the stack's to check.
fn check_execution_role_reads_secrets(model: &Model<'_>, service: &Item, diag: &mut Diagnostics) {
    let Some(crate::ast::Value::Map(pairs)) = service.field("secrets").map(|f| &f.value) else {
        return;
    };
    let Some(role) = model.target(service, "execution_role") else {
        return;
    };
    let Some(grants) = super::role_grants(model, role) else {
        return;
    };
    for (variable, value) in pairs {
        let Some(secret) =
            model::ident(value).and_then(|name| model.get_kind(name, crate::kind::SECRET_SOURCES))
        else {
            continue;
        };
        let granted = grants
            .iter()
            .any(|g| g.verb == "read_secret" && secret.name == g.target);
        if !granted {
            diag.error_help(
                value,
                format!(
                    "`{}` reads `{variable}` from secret `{}` when a task starts, but its execution role `{}` may not read it",
                    service.name, secret.name, role.name
                ),
                format!("add `read_secret({})` to the grants of `{}`", secret.name, role.name),
            );
        }
    }
}

/// A service on a shared cluster leaves the cluster's settings to the cluster.
fn check_shared_cluster_settings(model: &Model<'_>, service: &Item, diag: &mut Diagnostics) {
    let (Some(cluster), Some(field)) = (
        model.target(service, "cluster"),
        service.field("container_insights"),
    ) else {
        return;
    };
    diag.error_help(
        &field.key,
        format!(
            "`{}` runs on the shared cluster `{}`, which has its own `container_insights`",
            service.name, cluster.name
        ),
        format!("set `container_insights` on `cluster {}`, or leave out `cluster` to give the service its own", cluster.name),
    );
}

/// The task role may connect to the database the service uses, as the user the service
/// connects with.
fn check_task_role_connects(model: &Model<'_>, service: &Item, diag: &mut Diagnostics) {
    let (Some(role), Some(db)) = (
        model.target(service, "task_role"),
        model.target(service, "database"),
    ) else {
        return;
    };
    let Some(grants) = super::role_grants(model, role) else {
        return;
    };
    let Some(expr) = service.expr("database") else {
        return;
    };
    let connects: Vec<_> = grants
        .iter()
        .filter(|g| g.verb == "connect" && db.name == g.target)
        .collect();
    if connects.is_empty() {
        diag.error_help(
            expr,
            format!("`{}` uses database `{}` with IAM authentication, but its task role `{}` may not connect", service.name, db.name, role.name),
            format!("add `connect({}, \"<user>\")` to the grants of `{}`", db.name, role.name),
        );
        return;
    }
    let user = service.text("database_user");
    let Some(service_user) = user.value() else {
        return;
    };
    let granted: Vec<(String, &syn::Expr)> = connects
        .iter()
        .filter_map(|g| {
            g.extra
                .first()
                .and_then(|e| model::string(e).map(|u| (u, *e)))
        })
        .collect();
    if granted.len() < connects.len() || granted.iter().any(|(u, _)| u == service_user) {
        return;
    }
    let (granted_user, granted_at) = &granted[0];
    let shown = if user.is_default() {
        format!("`{service_user}` (the default of `database_user`)")
    } else {
        format!("`{service_user}`")
    };
    diag.error_help(
        granted_at,
        format!(
            "task role `{}` may connect to `{}` as `{granted_user}`, but `{}` connects as {shown}",
            role.name, db.name, service.name
        ),
        format!("grant `connect({}, \"{service_user}\")`, or set `database_user: \"{granted_user}\"` on `{}`", db.name, service.name),
    );
    if let Some(at) = user.expr() {
        diag.error_at(
            at,
            format!("`{}` connects as `{service_user}` here", service.name),
        );
    }
}

/// A key that encrypts log groups lets CloudWatch Logs use it.
fn check_log_key(model: &Model<'_>, item: &Item, diag: &mut Diagnostics) {
    let Some(key) = model.target(item, "key") else {
        return;
    };
    if key.flag("allow_logs").value() == Some(&false)
        && let Some(expr) = item.expr("key")
    {
        let what = match item.kind {
            Kind::Aurora => "exported database logs",
            Kind::Function => "derived log group",
            Kind::EksCluster => "control-plane logs",
            _ => "log group",
        };
        diag.error_help(
            expr,
            format!("key `{}` encrypts the {what} of `{}`, but its policy does not let CloudWatch Logs use it", key.name, item.name),
            if item.kind == Kind::Function {
                format!("add `allow_logs: true` to key `{}`, or give `{}` a log group in `logs`", key.name, item.name)
            } else {
                format!("add `allow_logs: true` to key `{}`", key.name)
            },
        );
        diag.error_at(&key.name, format!("`{}` is declared here", key.name));
    }
}

/// Access logs go to a bucket with S3-managed encryption that lets the load balancer write.
fn check_access_log_bucket(model: &Model<'_>, lb: &Item, diag: &mut Diagnostics) {
    let Some(bucket) = model.target(lb, "access_logs") else {
        return;
    };
    let Some(expr) = lb.expr("access_logs") else {
        return;
    };
    if let Some(encryption) = bucket.expr("encryption")
        && model::call(encryption).is_some_and(|(f, _)| f == "kms")
    {
        diag.error_help(
            expr,
            format!("load balancer `{}` cannot write access logs to `{}`, which is encrypted with a KMS key", lb.name, bucket.name),
            "give access logs their own bucket with `encryption: s3_managed`",
        );
        diag.error_at(encryption, format!("`{}` is encrypted here", bucket.name));
    } else if bucket.flag("load_balancer_logs").value() == Some(&false) {
        diag.error_help(
            expr,
            format!(
                "bucket `{}` does not let Elastic Load Balancing deliver access logs",
                bucket.name
            ),
            format!("add `load_balancer_logs: true` to bucket `{}`", bucket.name),
        );
    }
}
