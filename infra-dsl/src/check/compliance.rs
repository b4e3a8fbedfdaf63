//! Compliance, the seed's list: encryption at rest everywhere, 365-day log retention,
//! required tags, one pinned region, no `*` in IAM, TLS unless plain HTTP is explicitly
//! allowed, rotating keys. (A database in public subnets is reported with the tiers.)

use super::Diagnostics;
use crate::ast::{Item, Value};
use crate::kind::Kind;
use infra_facts::iam::StatementResource;
use quote::ToTokens;

use crate::model::{self, Model};

/// Tags every stack gets from its configuration.
const CONFIGURED_TAGS: &[&str] = &["Environment", "Repository", "Author", "PRNumber", "Team"];

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    if let Some(header) = model.header {
        check_region(header, diag);
        check_required_tags(header, diag);
    }
    for item in &model.items {
        if super::takes_grants(item) {
            check_allow_grants(model, item, diag);
        }
        match item.kind {
            Kind::Bucket => check_bucket_encrypted(item, diag),
            Kind::LogGroup => check_retention_floor(item, "retention_days", diag),
            Kind::Aurora => check_retention_floor(item, "log_retention_days", diag),
            Kind::LoadBalancer => check_tls(item, diag),
            Kind::Key => check_key_rotation(item, diag),
            Kind::Resource => {
                check_raw_resource(item, diag);
                check_raw_literals(model, item, diag);
            }
            _ => {}
        }
    }
}

/// The header pins one region of the pinned registry.
fn check_region(header: &Item, diag: &mut Diagnostics) {
    let region = header.text("region");
    let Some((name, expr)) = region.literal() else {
        if let Some(expr) = region.expr() {
            diag.error_help(
                expr,
                "compliance: the region is pinned with a string literal",
                "write e.g. `region: \"eu-west-2\"`",
            );
        }
        return;
    };
    if !infra_facts::is_region(name) {
        let help = match crate::suggest::did_you_mean(name, infra_facts::REGIONS.iter().copied()) {
            Some(s) => format!("a region with a similar name exists: `\"{s}\"`"),
            None => "write a region CloudFormation offers, such as `\"eu-west-2\"`".to_owned(),
        };
        diag.error_help(expr, format!("`{name}` is not an AWS region"), help);
    }
}

/// Every required tag is set by the header's `tags` or by the configuration.
fn check_required_tags(header: &Item, diag: &mut Diagnostics) {
    let Some(required) = header.expr("required_tags") else {
        return;
    };
    let set: Vec<String> = match header.field("tags").map(|f| &f.value) {
        Some(Value::Tags(tags)) => tags.iter().map(|(k, _)| k.to_string()).collect(),
        _ => Vec::new(),
    };
    for tag in model::list(required).unwrap_or_default() {
        let Some(name) = model::ident(tag) else {
            continue;
        };
        let name_text = name.to_string();
        if !set.contains(&name_text) && !CONFIGURED_TAGS.contains(&name_text.as_str()) {
            diag.error_help(
                name,
                format!("compliance: required tag `{name}` is not set on the stack"),
                format!("add `{name}: \"…\"` to `tags`"),
            );
        }
    }
}

/// Buckets say how they are encrypted at rest.
fn check_bucket_encrypted(bucket: &Item, diag: &mut Diagnostics) {
    if !bucket.has("encryption") {
        diag.error_help(
            &bucket.name,
            format!(
                "compliance: bucket `{}` does not say how it is encrypted at rest",
                bucket.name
            ),
            "add `encryption: s3_managed` or `encryption: kms(<key>)`",
        );
    }
}

/// Logs are kept at least a year.
fn check_retention_floor(item: &Item, key: &str, diag: &mut Diagnostics) {
    let floor = infra_facts::limits::MIN_COMPLIANT_RETENTION_DAYS;
    if let Some((&days, expr)) = item.int(key).literal()
        && days < i128::from(floor)
        && infra_facts::limits::RETENTION_DAYS
            .iter()
            .any(|d| i128::from(*d) == days)
    {
        diag.error_help(
            expr,
            format!(
                "compliance: logs are kept at least {floor} days, `{}` keeps them {days}",
                item.name
            ),
            format!("set `{key}: {floor}` or longer"),
        );
    }
}

/// `allow` grants are judged as the statements they become (`infra_facts::iam::
/// judge_statement`): exact actions AWS defines, resources that name a resource of a type
/// the actions apply to (a literal ARN, or `x.arn()` of a raw resource `x` of the model),
/// `*` only for actions AWS defines on no resource.
fn check_allow_grants(model: &Model<'_>, role: &Item, diag: &mut Diagnostics) {
    let grants = role
        .expr("grants")
        .and_then(model::list)
        .unwrap_or_default();
    for (verb, args) in grants.into_iter().filter_map(model::call) {
        if verb != "allow" {
            continue;
        }
        let [actions, resources] = [args.first(), args.get(1)]
            .map(|arg| arg.and_then(|a| model::list(a)).unwrap_or_default());
        let action_texts: Vec<Option<String>> = actions.iter().map(|e| model::string(e)).collect();
        for (element, text) in actions.iter().zip(&action_texts) {
            if text.is_none() {
                diag.error_at(*element, "expected an IAM action as a string literal");
            }
        }
        let resource_texts: Vec<Option<String>> =
            resources.iter().map(|e| model::string(e)).collect();
        let resource_types: Vec<Option<&str>> =
            resources.iter().map(|e| arn_type(model, e)).collect();
        // The judged actions are the literal ones; the others were reported above.
        let literal_actions: Vec<(&dyn ToTokens, &str)> = actions
            .iter()
            .zip(&action_texts)
            .filter_map(|(e, t)| Some((*e as &dyn ToTokens, t.as_deref()?)))
            .collect();
        let resources: Vec<(&dyn ToTokens, StatementResource<'_>)> = resources
            .iter()
            .zip(resource_texts.iter().zip(&resource_types))
            .map(|(e, (text, ty))| {
                let judged = match (text, ty) {
                    (Some(text), _) => StatementResource::Literal(text),
                    (None, Some(ty)) => StatementResource::OfType(ty),
                    (None, None) => StatementResource::Unknown,
                };
                (*e as &dyn ToTokens, judged)
            })
            .collect();
        let subject = format!("role `{}`", role.name);
        let judge = infra_facts::iam::judge_statement;
        report_statement(&subject, judge, &literal_actions, &resources, diag);
    }
}

/// The CloudFormation type whose ARN `x.arn()` is, when `x` is a raw resource of the
/// model declared here.
fn arn_type(model: &Model<'_>, expr: &syn::Expr) -> Option<&'static str> {
    let syn::Expr::MethodCall(call) = expr else {
        return None;
    };
    if call.method != "arn" || !call.args.is_empty() {
        return None;
    }
    let item = model.get_kind(model::ident(&call.receiver)?, &[Kind::Resource])?;
    let path = model::model_path(item.ty.as_ref()?)?;
    Some(infra_facts::model_type(&path.join("::"))?.type_name)
}

/// A judge of one statement: `infra_facts::iam::judge_statement` for identity policies,
/// `judge_resource_statement` for resource policies.
type Judge = fn(&[&str], &[StatementResource<'_>]) -> Vec<infra_facts::iam::Finding>;

/// Judges one statement (`infra_facts::iam::judge_statement`) and reports each finding
/// at the action's or resource's tokens, for `subject` (`role \`worker\``).
fn report_statement(
    subject: &str,
    judge: Judge,
    actions: &[(&dyn ToTokens, &str)],
    resources: &[(&dyn ToTokens, StatementResource<'_>)],
    diag: &mut Diagnostics,
) {
    let action_texts: Vec<&str> = actions.iter().map(|(_, t)| *t).collect();
    let resource_texts: Vec<StatementResource<'_>> = resources.iter().map(|(_, r)| *r).collect();
    for finding in judge(&action_texts, &resource_texts) {
        let at = match finding.at {
            infra_facts::iam::Culprit::Action(i) => actions[i].0,
            infra_facts::iam::Culprit::Resource(i) => resources[i].0,
        };
        diag.error_help(
            at,
            format!("compliance: {subject}: {}", finding.problem),
            finding.help,
        );
    }
}

/// A load balancer serves TLS unless the stack explicitly allows plain HTTP.
fn check_tls(lb: &Item, diag: &mut Diagnostics) {
    if !lb.has("certificate") && lb.flag("allow_plain_http").value() == Some(&false) {
        diag.error_help(
            &lb.name,
            format!(
                "compliance: load balancer `{}` has no certificate, so it would serve plain HTTP",
                lb.name
            ),
            "add `certificate: <parameter>` for an HTTPS listener, or say `allow_plain_http: true`",
        );
    }
}

/// Keys rotate.
fn check_key_rotation(key: &Item, diag: &mut Diagnostics) {
    if let Some((false, expr)) = key.flag("rotation").literal() {
        diag.error_help(
            expr,
            format!("compliance: key `{}` must rotate", key.name),
            "remove `rotation: false`; keys rotate yearly",
        );
    }
}

/// What a raw resource of the model must say for compliance, where a literal says it:
/// encryption at rest, log retention, key rotation. What only the built stack knows is
/// judged by synthesis (`infra_runtime::compliance`), with the declaring line.
fn check_raw_resource(item: &Item, diag: &mut Diagnostics) {
    let Some(path) = item.ty.as_ref().and_then(model::model_path) else {
        return;
    };
    let encrypted = "is not encrypted at rest";
    match (path[0].as_str(), path[1].as_str()) {
        ("s3", "Bucket") => require_any(item, &["bucket_encryption"], encrypted, diag),
        ("sqs", "Queue") => {
            require_any(
                item,
                &["kms_master_key_id", "sqs_managed_sse_enabled"],
                encrypted,
                diag,
            );
            refuse_false(item, "sqs_managed_sse_enabled", encrypted, diag);
        }
        ("ec2", "Volume") => require_true(item, "encrypted", encrypted, diag),
        ("rds", "DbCluster") => require_true(item, "storage_encrypted", encrypted, diag),
        ("kms", "Key") if item.field("key_spec").is_none() => {
            require_true(item, "enable_key_rotation", "does not rotate", diag);
        }
        ("logs", "LogGroup") => {
            require_any(
                item,
                &["retention_in_days"],
                "keeps its events forever",
                diag,
            );
            check_raw_retention(item, diag);
        }
        _ => {}
    }
}

/// The literal inside `Some(x.into())`, `Some(x)`, `x.into()` or `x`.
fn literal_in(expr: &syn::Expr) -> Option<&syn::Lit> {
    match expr {
        syn::Expr::Lit(lit) => Some(&lit.lit),
        syn::Expr::Paren(p) => literal_in(&p.expr),
        syn::Expr::MethodCall(call) if call.method == "into" && call.args.is_empty() => {
            literal_in(&call.receiver)
        }
        syn::Expr::Call(call)
            if call.args.len() == 1 && model::ident(&call.func).is_some_and(|f| f == "Some") =>
        {
            call.args.first().and_then(literal_in)
        }
        _ => None,
    }
}

/// Whether a field is written as `None`.
fn is_none(expr: &syn::Expr) -> bool {
    model::ident(expr).is_some_and(|i| i == "None")
}

/// One of `keys` is set (not left out, not `None`); else an error at the resource's name.
fn require_any(item: &Item, keys: &[&str], problem: &str, diag: &mut Diagnostics) {
    let set = keys
        .iter()
        .any(|k| item.expr(k).is_some_and(|e| !is_none(e)));
    if !set {
        let fields = keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        diag.error_help(
            &item.name,
            format!("compliance: `{}` {problem}", item.name),
            format!("set {fields}"),
        );
    }
}

/// A flag that must be set and not the literal `false`.
fn require_true(item: &Item, key: &str, problem: &str, diag: &mut Diagnostics) {
    require_any(item, &[key], problem, diag);
    refuse_false(item, key, problem, diag);
}

/// A literal `false` is an error at the literal.
fn refuse_false(item: &Item, key: &str, problem: &str, diag: &mut Diagnostics) {
    if let Some(expr) = item.expr(key)
        && let Some(syn::Lit::Bool(b)) = literal_in(expr)
        && !b.value
    {
        diag.error_help(
            b,
            format!("compliance: `{}` {problem}", item.name),
            format!("set `{key}` to true"),
        );
    }
}

/// A literal retention under the floor is an error at the literal.
fn check_raw_retention(item: &Item, diag: &mut Diagnostics) {
    let floor = infra_facts::limits::MIN_COMPLIANT_RETENTION_DAYS;
    if let Some(expr) = item.expr("retention_in_days")
        && let Some(syn::Lit::Int(days)) = literal_in(expr)
        && days
            .base10_parse::<u32>()
            .is_ok_and(|d| d < u32::from(floor))
    {
        diag.error_help(
            days,
            format!(
                "compliance: logs are kept at least {floor} days, `{}` keeps them {days}",
                item.name
            ),
            format!("set `retention_in_days` to {floor} or more"),
        );
    }
}

/// A string literal of a field's tokens, with the JSON key it is the value of (`"Action":
/// "s3:*"`, `"Action": ["s3:*"]`) and the object that key is in, so that the values of
/// one statement can be judged together.
struct Keyed {
    key: Option<String>,
    object: usize,
    lit: syn::LitStr,
}

/// The string literals of `tokens`, in order; `owner` is the key (and its object) that a
/// value in this group belongs to, and `objects` numbers the groups met.
fn keyed_literals(
    tokens: proc_macro2::TokenStream,
    owner: (Option<String>, usize),
    objects: &mut usize,
    out: &mut Vec<Keyed>,
) {
    *objects += 1;
    let here = *objects;
    let mut last_key: Option<String> = None;
    let mut after_colon = false;
    for token in tokens {
        let owner_now = || {
            if after_colon {
                (last_key.clone(), here)
            } else {
                owner.clone()
            }
        };
        match token {
            proc_macro2::TokenTree::Group(group) => {
                keyed_literals(group.stream(), owner_now(), objects, out);
                after_colon = false;
            }
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ':' => after_colon = true,
            proc_macro2::TokenTree::Literal(lit) => {
                if let Ok(text) = syn::parse2::<syn::LitStr>(lit.into_token_stream()) {
                    let (key, object) = owner_now();
                    out.push(Keyed {
                        key,
                        object,
                        lit: text.clone(),
                    });
                    last_key = Some(text.value());
                }
                after_colon = false;
            }
            _ => after_colon = false,
        }
    }
}

/// The literal `Allow`-side statements of a raw policy's tokens, judged as synthesis
/// judges the statements they become (`infra_facts::iam::judge_statement`).
fn check_raw_statements(item: &Item, literals: &[Keyed], judge: Judge, diag: &mut Diagnostics) {
    let mut objects: Vec<usize> = literals.iter().map(|k| k.object).collect();
    objects.sort_unstable();
    objects.dedup();
    for object in objects {
        let of = |key: &str| -> Vec<&syn::LitStr> {
            literals
                .iter()
                .filter(|k| k.object == object && k.key.as_deref() == Some(key))
                .map(|k| &k.lit)
                .collect()
        };
        let (actions, resources) = (of("Action"), of("Resource"));
        if actions.is_empty() {
            continue;
        }
        let (action_texts, resource_texts): (Vec<String>, Vec<String>) = (
            actions.iter().map(|l| l.value()).collect(),
            resources.iter().map(|l| l.value()).collect(),
        );
        let actions: Vec<(&dyn ToTokens, &str)> = actions
            .iter()
            .zip(&action_texts)
            .map(|(l, t)| (*l as &dyn ToTokens, t.as_str()))
            .collect();
        let resources: Vec<(&dyn ToTokens, StatementResource<'_>)> = resources
            .iter()
            .zip(&resource_texts)
            .map(|(l, t)| (*l as &dyn ToTokens, StatementResource::Literal(t)))
            .collect();
        let subject = format!("`{}`", item.name);
        report_statement(&subject, judge, &actions, &resources, diag);
    }
}

/// Literal wildcards in a raw IAM resource's policies, and literal internet sources in a
/// raw security group that no internet-facing load balancer of the stack uses.
fn check_raw_literals(model: &Model<'_>, item: &Item, diag: &mut Diagnostics) {
    let Some(path) = item.ty.as_ref().and_then(model::model_path) else {
        return;
    };
    let literals_of = |keys: &[&str]| {
        let mut literals = Vec::new();
        for field in item
            .fields
            .iter()
            .filter(|f| keys.iter().any(|k| f.key == k))
        {
            if let Value::Expr(expr) = &field.value {
                keyed_literals(expr.to_token_stream(), (None, 0), &mut 0, &mut literals);
            }
        }
        literals
    };
    match (path[0].as_str(), path[1].as_str()) {
        _ if is_identity_policy(&path) => {
            let literals = literals_of(&["policy_document", "policies"]);
            check_raw_statements(item, &literals, infra_facts::iam::judge_statement, diag);
        }
        _ if is_resource_policy(&path) => {
            let literals = literals_of(&["policy_document", "key_policy"]);
            let judge = infra_facts::iam::judge_resource_statement;
            check_raw_statements(item, &literals, judge, diag);
        }
        ("ec2", "SecurityGroup" | "SecurityGroupIngress") => {
            let ingress = literals_of(&["security_group_ingress", "cidr_ip", "cidr_ipv6"]);
            let open: Vec<&syn::LitStr> = ingress
                .iter()
                .map(|k| &k.lit)
                .filter(|l| matches!(l.value().as_str(), "0.0.0.0/0" | "::/0"))
                .collect();
            // Only a group open to the internet is looked for among the load balancers.
            if open.is_empty() || used_by_public_balancer(model, item) {
                return;
            }
            for lit in open {
                diag.error_help(
                    lit,
                    format!("compliance: `{}` admits the internet, but only a public load balancer's group may", item.name),
                    "admit a group of the stack, or an address range of your own",
                );
            }
        }
        _ => {}
    }
}

/// Whether a raw resource of the model (`kms::Key`, `s3::BucketPolicy`) holds a
/// resource policy.
fn is_resource_policy(path: &[String]) -> bool {
    infra_facts::model_type(&path.join("::")).is_some_and(|t| {
        infra_facts::iam::RESOURCE_POLICY_TYPES
            .iter()
            .any(|(type_name, _)| *type_name == t.type_name)
    })
}

/// Whether a raw resource of the model (`iam::RolePolicy`) holds identity policies.
fn is_identity_policy(path: &[String]) -> bool {
    infra_facts::model_type(&path.join("::")).is_some_and(|t| {
        infra_facts::iam::POLICY_TYPES.contains(&t.type_name)
            || infra_facts::iam::INLINE_POLICY_TYPES.contains(&t.type_name)
    })
}

/// Whether a raw internet-facing load balancer of the stack names this group (or, for an
/// ingress rule, the group it belongs to).
fn used_by_public_balancer(model: &Model<'_>, item: &Item) -> bool {
    let group = if item
        .ty
        .as_ref()
        .and_then(model::model_path)
        .is_some_and(|p| p[1] == "SecurityGroupIngress")
    {
        item.expr("group_id")
            .and_then(|e| model::idents(e).into_iter().next())
    } else {
        Some(item.name.clone())
    };
    let Some(group) = group else {
        return false;
    };
    let is_balancer = |lb: &&&Item| {
        lb.kind == Kind::Resource
            && lb
                .ty
                .as_ref()
                .and_then(model::model_path)
                .is_some_and(|p| p[0] == "elasticloadbalancingv2" && p[1] == "LoadBalancer")
    };
    model.items.iter().filter(is_balancer).any(|lb| {
        let tokens: Vec<proc_macro2::TokenStream> = lb
            .fields
            .iter()
            .filter_map(|f| match &f.value {
                Value::Expr(e) => Some(e.to_token_stream()),
                _ => None,
            })
            .collect();
        let text = tokens.iter().map(ToString::to_string).collect::<String>();
        !text.contains("Internal")
            && !text.contains("\"internal\"")
            && lb.fields.iter().any(|f| match &f.value {
                Value::Expr(e) => model::idents(e).contains(&group),
                _ => false,
            })
    })
}
