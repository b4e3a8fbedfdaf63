//! Service limits: Fargate CPU and memory pairs, Aurora Serverless v2 capacity, log
//! retention from CloudWatch's allowed set, task counts and scaling targets, backup days,
//! NAT gateways, health-check paths. Each reads the fields' typed values: a literal, the
//! runtime's default, or a value known only at run time, which the runtime checks.

use infra_facts::limits;

use super::Diagnostics;
use crate::ast::{Item, Typed};
use crate::kind::{FieldKind, Kind};
use crate::model::Model;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    for item in &model.items {
        check_ranges(item, diag);
        check_choices(item, diag);
        check_grammar(item, diag);
        check_counts(item, diag);
    }
    for service in super::of_kind(model, Kind::FargateService) {
        check_fargate_size(service, diag);
        check_scaling_targets(service, diag);
        check_image_pinned(service, diag);
    }
    for db in super::of_kind(model, Kind::Aurora) {
        check_aurora_engine(db, diag);
        check_aurora_capacity(db, diag);
        check_backup_days(db, diag);
        check_retention(db, "log_retention_days", diag);
    }
    for group in super::of_kind(model, Kind::LogGroup) {
        check_retention(group, "retention_days", diag);
    }
    for vpc in super::of_kind(model, Kind::Vpc) {
        check_nat_gateways(vpc, diag);
    }
    for lb in super::of_kind(model, Kind::LoadBalancer) {
        check_health_check_path(lb, diag);
    }
    for api in super::of_kind(model, Kind::HttpApi) {
        check_routes(api, diag);
    }
    for function in super::of_kind(model, Kind::Function) {
        check_environment_size(function, diag);
    }
    for table in super::of_kind(model, Kind::Table) {
        check_table_keys(table, diag);
        check_table_capacity(table, diag);
    }
    for topic in super::of_kind(model, Kind::Topic) {
        check_subscribed_once(topic, diag);
    }
}

/// Every integer literal of a field with a range (`Row` says which) is within it.
fn check_ranges(item: &Item, diag: &mut Diagnostics) {
    let ranged = item.kind.row().fields.iter();
    for (def, range) in ranged.filter_map(|f| Some((f, f.range?))) {
        let value = item.int(def.key);
        let Some((&v, expr)) = value.literal() else {
            continue;
        };
        let problem = i64::try_from(v).ok().map_or_else(
            || {
                Some(format!(
                    "{} takes {} to {}",
                    range.service, range.min, range.max
                ))
            },
            |v| range.problem(v),
        );
        if let Some(problem) = problem {
            diag.error_help(
                expr,
                format!("`{}` of `{}` is {v}, but {problem}", def.key, item.name),
                format!(
                    "write {} to {} (left out, it is {})",
                    range.min, range.max, range.default
                ),
            );
        }
    }
}

/// Every string literal of a field with a grammar (`Row` says which) follows it.
fn check_grammar(item: &Item, diag: &mut Diagnostics) {
    let fields = item.kind.row().fields.iter();
    for (def, grammar) in fields.filter_map(|f| Some((f, f.grammar?))) {
        let is = match def.shape {
            FieldKind::Environment => "names",
            _ => "is",
        };
        for (value, at) in text_literals(item, def) {
            let Some(problem) = grammar(&value) else {
                continue;
            };
            diag.error_help(
                &at,
                format!(
                    "`{}` of `{}` {is} `{value}`, which {problem}",
                    def.key, item.name
                ),
                def.required.map_or_else(
                    || format!("see what `{}` takes in the language reference", def.key),
                    |what| format!("`{}` is {what}", def.key),
                ),
            );
        }
    }
}

/// Every string literal of a field with a set of values (`Row` says which) is one of them.
fn check_choices(item: &Item, diag: &mut Diagnostics) {
    let fields = item.kind.row().fields.iter();
    for (def, values) in fields.filter_map(|f| Some((f, f.one_of?))) {
        for (value, at) in text_literals(item, def) {
            choice_problem(item, def.key, values, &value, &at, diag);
        }
    }
}

/// The string literals of a field: a text field's, or each of a list of them.
/// The texts of a field, each with its tokens: a literal, each literal of a list, or the
/// names of an environment.
fn text_literals(item: &Item, def: &crate::kind::FieldDef) -> Vec<(String, TokenStream)> {
    match def.shape {
        FieldKind::Strings => item
            .expr(def.key)
            .and_then(crate::model::list)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| Some((crate::model::string(e)?, e.to_token_stream())))
            .collect(),
        FieldKind::Environment => match item.field(def.key).map(|f| &f.value) {
            Some(crate::ast::Value::Map(pairs)) => pairs
                .iter()
                .map(|(name, _)| (name.unraw().to_string(), name.to_token_stream()))
                .collect(),
            // A struct of typed variables: each field is its variable in capitals.
            Some(crate::ast::Value::Expr(syn::Expr::Struct(literal))) => literal
                .fields
                .iter()
                .filter_map(|field| match &field.member {
                    syn::Member::Named(name) => Some((
                        crate::environment::variable_name(name),
                        name.to_token_stream(),
                    )),
                    syn::Member::Unnamed(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        },
        _ => item
            .text(def.key)
            .literal()
            .map(|(v, e)| (v.clone(), e.to_token_stream()))
            .into_iter()
            .collect(),
    }
}

/// Reports a literal that is not one of `values`, with the nearest.
fn choice_problem(
    item: &Item,
    key: &str,
    values: &[&str],
    value: &str,
    expr: &(impl ToTokens + ?Sized),
    diag: &mut Diagnostics,
) {
    if values.contains(&value) {
        return;
    }
    let help = match crate::suggest::did_you_mean(value, values.iter().copied()) {
        Some(near) => format!("did you mean `\"{near}\"`?"),
        None => format!("write one of {}", values.join(", ")),
    };
    diag.error_help(
        expr,
        format!(
            "`{key}` of `{}` is `{value}`, which AWS does not take there",
            item.name
        ),
        help,
    );
}

/// Each route's literal path is one API Gateway takes, and no method and path is routed
/// twice.
fn check_routes(api: &Item, diag: &mut Diagnostics) {
    let routes = api
        .expr("routes")
        .and_then(crate::model::list)
        .unwrap_or_default();
    let mut seen: Vec<String> = Vec::new();
    for route in routes {
        let Some((method, args)) = crate::model::call(route) else {
            continue;
        };
        let Some(path_expr) = args.first() else {
            continue;
        };
        let Some(path) = crate::model::string(path_expr) else {
            continue;
        };
        if let Some(problem) = infra_facts::limits::apigateway::route_path_problem(&path) {
            diag.error_help(
                path_expr,
                format!("the route path `{path}` of `{}` {problem}", api.name),
                "a path is `/`, or `/` and segments of letters, digits and `-._~`, or parameters `{id}` (`{proxy+}` last)",
            );
        }
        let key = format!("{} {path}", method.to_string().to_ascii_uppercase());
        if seen.contains(&key) {
            diag.error_at(route, format!("`{}` routes `{key}` twice", api.name));
        }
        seen.push(key);
    }
}

/// A function's environment, as far as its literals say, is within Lambda's size.
fn check_environment_size(function: &Item, diag: &mut Diagnostics) {
    let Some(field) = function.field("environment") else {
        return;
    };
    let crate::ast::Value::Map(pairs) = &field.value else {
        return;
    };
    let bytes = pairs
        .iter()
        .map(|(name, value)| {
            let literal = crate::model::string(value).map_or(0, |s| s.len());
            name.unraw().to_string().len() + literal
        })
        .sum();
    if let Some(problem) = limits::lambda::environment_size_problem(bytes) {
        diag.error_help(
            &field.key,
            format!("`{}` {problem}", function.name),
            "keep large settings in a parameter, a secret or the function's code",
        );
    }
}

/// A table's key attributes have names DynamoDB takes, and differ.
fn check_table_keys(table: &Item, diag: &mut Diagnostics) {
    let name_of = |key: &str| {
        let (_, args) = table.expr(key).and_then(crate::model::call)?;
        let arg = *args.first()?;
        Some((crate::model::string(arg)?, arg))
    };
    let keys: Vec<(String, &syn::Expr)> = ["partition_key", "sort_key"]
        .into_iter()
        .filter_map(name_of)
        .collect();
    for (name, at) in &keys {
        if let Some(problem) = limits::dynamodb::attribute_name_problem(name) {
            diag.error_at(
                at,
                format!("the key attribute `{name}` of `{}` {problem}", table.name),
            );
        }
    }
    if let [(partition, _), (sort, at)] = keys.as_slice()
        && partition == sort
    {
        diag.error_help(
            at,
            format!(
                "the sort key and the partition key of `{}` are both `{sort}`",
                table.name
            ),
            "give them different attributes",
        );
    }
}

/// Provisioned capacity is written on both sides, or neither.
fn check_table_capacity(table: &Item, diag: &mut Diagnostics) {
    let (read, write) = (table.expr("read_capacity"), table.expr("write_capacity"));
    let Some(problem) = limits::dynamodb::capacity_problem(read.is_some(), write.is_some()) else {
        return;
    };
    let one_side = read.map(|at| (at, "write_capacity"));
    let Some((written, missing)) = one_side.or_else(|| write.map(|at| (at, "read_capacity")))
    else {
        return;
    };
    diag.error_help(
        written,
        format!("`{}`: {problem}", table.name),
        format!("write `{missing}` too, or leave this out"),
    );
}

/// A topic subscribes each endpoint once: a second subscription of the same function or
/// queue would deliver nothing more, and its deletion would end the first.
fn check_subscribed_once(topic: &Item, diag: &mut Diagnostics) {
    let subscribers = topic.expr("subscribers").and_then(crate::model::list);
    let mut seen: Vec<String> = Vec::new();
    for subscriber in subscribers.unwrap_or_default() {
        let text = subscriber.to_token_stream().to_string();
        if seen.contains(&text) {
            diag.error_help(
                subscriber,
                format!("`{}` subscribes `{text}` twice", topic.name),
                "leave one of them out",
            );
        }
        seen.push(text);
    }
}

/// The engine is one the construct builds.
fn check_aurora_engine(db: &Item, diag: &mut Diagnostics) {
    let engine = db.text("engine");
    let Some((name, expr)) = engine.literal() else {
        return;
    };
    if infra_facts::aurora_engine(name).is_some() {
        return;
    }
    let known = infra_facts::AURORA_ENGINES.iter().map(|e| e.name);
    let help = match crate::suggest::did_you_mean(name, known) {
        Some(near) => format!("did you mean `\"{near}\"`?"),
        None => format!("write one of {}", infra_facts::aurora_engine_names()),
    };
    diag.error_help(
        expr,
        format!(
            "the engine `{name}` of `{}` is not one `aurora` builds",
            db.name
        ),
        help,
    );
}

/// The port an Aurora cluster listens on: its own, or its engine's; `None` when either is
/// known only at run time (or the engine is not one there is).
pub(crate) fn aurora_port(db: &Item) -> Option<i128> {
    if db.has("port") {
        return db.int("port").value().copied();
    }
    let engine = db.text("engine");
    let name = engine.value()?;
    infra_facts::aurora_engine(name).map(|e| i128::from(e.port))
}

/// The image is pinned to a tag other than `latest`, or to a digest.
fn check_image_pinned(service: &Item, diag: &mut Diagnostics) {
    if let Some((image, expr)) = service.text("image").literal()
        && let Some(problem) = limits::image_problem(image)
    {
        diag.error_help(
            expr,
            format!("the image `{image}` of `{}` {problem}", service.name),
            limits::IMAGE_HELP,
        );
    }
}

/// Where an error about a field goes: its value when written, else the declaration's name.
fn at<'a, T>(item: &'a Item, value: &Typed<'a, T>) -> &'a dyn quote::ToTokens {
    match value.expr() {
        Some(expr) => expr,
        None => &item.name,
    }
}

/// What a message calls a value: `4096`, or `256 (the default)`.
fn shown<T: std::fmt::Display>(value: &Typed<'_, T>, v: &T) -> String {
    if value.is_default() {
        format!("{v} (the default)")
    } else {
        v.to_string()
    }
}

/// CPU is a Fargate size and memory is allowed for it.
fn check_fargate_size(service: &Item, diag: &mut Diagnostics) {
    let (cpu, memory) = (service.int("cpu"), service.int("memory"));
    let Some(&cpu_units) = cpu.value() else {
        return;
    };
    let Some(allowed) = u32::try_from(cpu_units)
        .ok()
        .and_then(limits::fargate_memory)
    else {
        diag.error_help(
            at(service, &cpu),
            format!("Fargate has no task size with {cpu_units} CPU units"),
            "CPU units are 256, 512, 1024, 2048, 4096, 8192 or 16384",
        );
        return;
    };
    let Some(&mib) = memory.value() else {
        return;
    };
    if allowed.iter().any(|m| i128::from(*m) == mib) {
        return;
    }
    let (first, last) = (allowed[0], allowed[allowed.len() - 1]);
    let list: Vec<String> = allowed.iter().map(ToString::to_string).collect();
    diag.error_help(
        at(service, &memory),
        format!(
            "Fargate does not run {} CPU units with {} MiB",
            shown(&cpu, &cpu_units),
            shown(&memory, &mib)
        ),
        format!(
            "with `cpu: {cpu_units}`, memory is one of {first}..={last} MiB ({})",
            list.join(", ")
        ),
    );
}

/// `min <= desired <= max` of a construct that counts its instances (tasks, nodes), for
/// the values known at compile time.
fn check_counts(service: &Item, diag: &mut Diagnostics) {
    let has = |key: &str| service.kind.row().fields.iter().any(|d| d.key == key);
    if !(has("min") && has("max")) {
        return;
    }
    let (min, max, desired) = (
        service.int("min"),
        service.int("max"),
        service.int("desired"),
    );
    if let (Some(&lo), Some(&hi)) = (min.value(), max.value())
        && lo > hi
        && (min.literal().is_some() || max.literal().is_some())
    {
        let written = if min.literal().is_some() { &min } else { &max };
        diag.error_help(
            at(service, written),
            format!(
                "`min` is {} but `max` is {}",
                shown(&min, &lo),
                shown(&max, &hi)
            ),
            "auto-scaling needs `min <= max`",
        );
        return;
    }
    let Some((&count, expr)) = desired.literal() else {
        return;
    };
    let below = min
        .value()
        .filter(|lo| count < **lo)
        .map(|lo| ("min", &min, *lo));
    let above = max
        .value()
        .filter(|hi| count > **hi)
        .map(|hi| ("max", &max, *hi));
    if let Some((bound, value, limit)) = below.or(above) {
        diag.error_help(
            expr,
            format!(
                "`desired` is {count}, but `{bound}` is {}",
                shown(value, &limit)
            ),
            "auto-scaling starts within its range; set `desired` between `min` and `max`",
        );
    }
}

/// Scaling targets are percentages.
fn check_scaling_targets(service: &Item, diag: &mut Diagnostics) {
    for key in ["cpu_target", "memory_target"] {
        if let Some((value, expr)) = service.int(key).literal()
            && !limits::PERCENT.contains(&(*value as i64))
        {
            diag.error_at(
                expr,
                format!("`{key}` is a utilization percentage (1 to 100), found {value}"),
            );
        }
    }
}

/// Aurora Serverless v2 capacity: 0 to 256 ACU in steps of 0.5, `min <= max`, and a
/// top of at least 1 ACU.
fn check_aurora_capacity(db: &Item, diag: &mut Diagnostics) {
    let (min, max) = (db.float("min_capacity"), db.float("max_capacity"));
    for (key, value) in [("min_capacity", &min), ("max_capacity", &max)] {
        if let Some((acu, expr)) = value.literal()
            && !limits::is_aurora_capacity(*acu)
        {
            diag.error_help(
                expr,
                format!("`{key}` is {acu} ACU, which Aurora Serverless v2 does not offer"),
                "capacity is 0 to 256 ACU in steps of 0.5",
            );
            return;
        }
    }
    if let (Some(&lo), Some(&hi)) = (min.value(), max.value())
        && lo > hi
        && (min.literal().is_some() || max.literal().is_some())
    {
        let written = if min.literal().is_some() { &min } else { &max };
        diag.error_help(
            at(db, written),
            format!(
                "`min_capacity` ({} ACU) is above `max_capacity` ({} ACU)",
                shown(&min, &lo),
                shown(&max, &hi)
            ),
            "Aurora scales between `min_capacity` and `max_capacity`",
        );
    }
    if let Some((&top, expr)) = max.literal()
        && top < limits::AURORA_MIN_MAX_CAPACITY
    {
        diag.error_at(expr, format!("`max_capacity` is {top} ACU, but Aurora Serverless v2 needs at least 1 ACU at its top"));
    }
}

/// Automated backups are kept 1 to 35 days.
fn check_backup_days(db: &Item, diag: &mut Diagnostics) {
    if let Some((&days, expr)) = db.int("backup_days").literal()
        && !limits::BACKUP_DAYS.contains(&(days as i64))
    {
        diag.error_at(
            expr,
            format!("`backup_days` is {days}, but automated backups are kept 1 to 35 days"),
        );
    }
}

/// Retention is one of the periods CloudWatch Logs accepts.
fn check_retention(item: &Item, key: &str, diag: &mut Diagnostics) {
    let Some((&days, expr)) = item.int(key).literal() else {
        return;
    };
    let allowed = limits::RETENTION_DAYS;
    if allowed.iter().any(|d| i128::from(*d) == days) {
        return;
    }
    let above = allowed
        .iter()
        .find(|d| i128::from(**d) > days)
        .or(allowed.last())
        .copied()
        .unwrap_or(limits::MIN_COMPLIANT_RETENTION_DAYS);
    let below = allowed
        .iter()
        .rev()
        .find(|d| i128::from(**d) < days)
        .copied();
    let nearest = match below {
        Some(b) => format!("`{b}` or `{above}`"),
        None => format!("`{above}`"),
    };
    diag.error_help(
        expr,
        format!("CloudWatch Logs cannot keep events for {days} days"),
        format!("the nearest allowed periods are {nearest}"),
    );
}

/// NAT gateways are none, one shared, or one per zone (the public subnets).
fn check_nat_gateways(vpc: &Item, diag: &mut Diagnostics) {
    let Some((&count, expr)) = vpc.int("nat_gateways").literal() else {
        return;
    };
    // Public subnets written as anything but a list are counted only at run time.
    let zones = match vpc.field("public") {
        None => 0,
        Some(_) => match vpc.expr("public").and_then(crate::model::list) {
            Some(list) => list.len(),
            None => return,
        },
    };
    let allowed = u32::try_from(count).is_ok_and(|c| limits::nat_gateways_allowed(c, zones));
    if !allowed {
        let choices = if zones > 1 {
            format!("0, 1 or {zones} (one per zone)")
        } else {
            "0 or 1".to_owned()
        };
        diag.error_help(
            expr,
            format!(
                "`{}` has {zones} public subnet{}, so it cannot have {count} NAT gateways",
                vpc.name,
                if zones == 1 { "" } else { "s" }
            ),
            format!("NAT gateways are {choices}"),
        );
    }
}

/// The health check requests a path Elastic Load Balancing accepts.
fn check_health_check_path(lb: &Item, diag: &mut Diagnostics) {
    if let Some((path, expr)) = lb.text("health_check").literal()
        && let Some(problem) = limits::health_check_path_problem(path)
    {
        diag.error_help(
            expr,
            format!("`{path}` is not a health-check path"),
            format!("{problem}, e.g. `\"/health\"`"),
        );
    }
}
