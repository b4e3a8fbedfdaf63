//! Compliance, the seed's list: encryption at rest everywhere, 365-day log retention,
//! required tags, one pinned region, no `*` in IAM, TLS unless plain HTTP is explicitly
//! allowed, rotating keys. (A database in public subnets is reported with the tiers.)

use super::Diagnostics;
use crate::ast::{Item, Value};
use crate::kind::Kind;
use crate::model::{self, Model};

/// Tags every stack gets from its configuration.
const CONFIGURED_TAGS: &[&str] = &["Environment", "Repository", "Author", "PRNumber", "Team"];

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    if let Some(header) = model.header {
        check_region(header, diag);
        check_required_tags(header, diag);
    }
    for item in &model.items {
        match item.kind {
            Kind::Bucket => check_bucket_encrypted(item, diag),
            Kind::LogGroup => check_retention_floor(item, "retention_days", diag),
            Kind::Aurora => check_retention_floor(item, "log_retention_days", diag),
            Kind::Role => check_no_wildcards(item, diag),
            Kind::LoadBalancer => check_tls(item, diag),
            Kind::Key => check_key_rotation(item, diag),
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

/// `allow` grants name actions and resources without wildcards.
fn check_no_wildcards(role: &Item, diag: &mut Diagnostics) {
    let grants = role
        .expr("grants")
        .and_then(model::list)
        .unwrap_or_default();
    for (verb, args) in grants.into_iter().filter_map(model::call) {
        if verb != "allow" {
            continue;
        }
        for (arg, what) in args.iter().zip(["action", "resource"]) {
            for element in model::list(arg).unwrap_or_default() {
                match model::string(element) {
                    Some(text) if what == "action" && text.contains('*') => diag.error_help(
                        element,
                        format!("compliance: wildcard IAM action `{text}` in role `{}`", role.name),
                        "name each action exactly; least privilege allows no wildcards",
                    ),
                    Some(text) if what == "resource" && wildcard_resource(&text) => diag.error_help(
                        element,
                        format!("compliance: IAM resource `{text}` in role `{}` names no particular resource", role.name),
                        "name the resource's ARN; a path under a named resource (`arn:aws:s3:::bucket/*`) is allowed",
                    ),
                    Some(_) => {}
                    // A resource may be a typed ARN (`queue.arn()`): rustc checks its type.
                    None if what == "resource" => {}
                    None => diag.error_at(
                        element,
                        format!("expected an IAM {what} as a string literal"),
                    ),
                }
            }
        }
    }
}

/// `*`, or an ARN whose service, region or account, or whole resource part, is a wildcard.
fn wildcard_resource(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [_, _, service, region, account, resource] => {
            [service, region, account].iter().any(|p| p.contains('*'))
                || resource
                    .split(['/', ':'])
                    .next()
                    .is_some_and(|head| head.contains('*'))
        }
        _ => arn.contains('*'),
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
