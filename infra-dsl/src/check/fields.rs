//! Names inside declarations: required fields, fields the header, parameters and outputs
//! do not take, principals, grant verbs, encryption forms.

use quote::ToTokens;

use super::Diagnostics;
use crate::kind::{ALLOW, Kind, principal_keywords};
use crate::model::{self, Model};
use crate::suggest::{did_you_mean, did_you_mean_or_longer};

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    for item in model
        .header
        .iter()
        .copied()
        .chain(model.items.iter().copied())
    {
        check_required_fields(item, diag);
        check_known_fields(item, diag);
        check_code(item, diag);
        check_calls(item, diag);
    }
    for role in super::of_kind(model, Kind::Role) {
        check_principal(role, diag);
    }
    for item in model.items.iter().filter(|i| super::takes_grants(i)) {
        check_grant_verbs(item, diag);
    }
    for bucket in super::of_kind(model, Kind::Bucket) {
        check_encryption_form(bucket, diag);
        check_statements_form(bucket, diag);
    }
    for output in super::of_kind(model, Kind::Output) {
        check_typed_export(output, diag);
    }
}

/// A field of the `Call` shape is a call (`string("order_id")`), which the generator
/// turns into the runtime's constructor; anything else would be passed through as is.
fn check_calls(item: &crate::ast::Item, diag: &mut Diagnostics) {
    for def in item.kind.row().fields {
        let Some(expr) = item.expr(def.key) else {
            continue;
        };
        let (what, example, ok) = match def.shape {
            crate::kind::FieldKind::Call { example, .. } => {
                ("a call", example, model::call(expr).is_some())
            }
            crate::kind::FieldKind::Calls { example, .. } => (
                "a list of calls",
                example,
                model::list(expr).is_some_and(|l| l.iter().all(|c| model::call(c).is_some())),
            ),
            _ => continue,
        };
        if !ok {
            diag.error_help(
                expr,
                format!(
                    "expected {what} such as `{example}`, found `{}`",
                    expr.to_token_stream()
                ),
                format!("write e.g. `{}: {example}`", def.key),
            );
        }
    }
}

/// A function's code is a directory that exists (relative to the crate's manifest), or
/// `inline("…")` within Lambda's limit for inline source.
fn check_code(item: &crate::ast::Item, diag: &mut Diagnostics) {
    let codes = item.kind.row().fields.iter();
    for def in codes.filter(|f| f.shape == crate::kind::FieldKind::Code) {
        let Some(expr) = item.expr(def.key) else {
            continue;
        };
        if let Some(path) = model::string(expr) {
            check_code_directory(item, &path, expr, diag);
        } else if let Some((function, args)) = model::call(expr)
            && function == "inline"
        {
            check_inline_code(item, &args, expr, diag);
        }
    }
}

/// The directory is there when the crate is compiled, as it must be when it is built.
fn check_code_directory(
    item: &crate::ast::Item,
    path: &str,
    expr: &syn::Expr,
    diag: &mut Diagnostics,
) {
    let Some(root) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let full = std::path::Path::new(&root).join(path);
    if !full.is_dir() {
        diag.error_help(
            expr,
            format!("the code directory `{path}` of `{}` does not exist", item.name),
            "a path is relative to the directory of the crate's Cargo.toml; create it, or write `inline(\"…\")`",
        );
    }
}

/// `inline` takes the source, at most Lambda's inline limit.
fn check_inline_code(
    item: &crate::ast::Item,
    args: &[&syn::Expr],
    expr: &syn::Expr,
    diag: &mut Diagnostics,
) {
    let max = infra_facts::limits::lambda::MAX_INLINE_BYTES;
    match args {
        [source] => {
            if let Some(text) = model::string(source)
                && text.len() > max
            {
                diag.error_help(
                    source,
                    format!(
                        "the inline code of `{}` is {} bytes, but Lambda takes at most {max}",
                        item.name,
                        text.len()
                    ),
                    "put the code in a directory and write its path",
                );
            }
        }
        _ => diag.error_help(
            expr,
            format!("`inline` takes the source, found {} arguments", args.len()),
            "write `inline(\"def handler(event, context): …\")`",
        ),
    }
}

/// A bucket's `statements` is a list of statement calls (`[cloudfront_read(cdn)]`), which
/// the generator turns into the runtime's statements; anything else would be dropped.
fn check_statements_form(bucket: &crate::ast::Item, diag: &mut Diagnostics) {
    let Some(expr) = bucket.expr("statements") else {
        return;
    };
    let calls =
        crate::model::list(expr).map(|items| items.iter().all(|i| crate::model::call(i).is_some()));
    if calls != Some(true) {
        diag.error_help(
            expr,
            "expected a list of policy statements",
            "write e.g. `statements: [cloudfront_read(cdn)]`: CloudFront distribution `cdn` reads the objects",
        );
    }
}

/// A typed output is exported under the name importing stacks compute
/// (`<stack name>-<OutputId>`), so it takes no `export` name of its own.
fn check_typed_export(output: &crate::ast::Item, diag: &mut Diagnostics) {
    if output.ty.is_some()
        && let Some(field) = output.field("export")
    {
        diag.error_help(
            &field.key,
            format!(
                "the typed output `{}` is exported under the name importing stacks look for",
                output.name
            ),
            "remove `export`: the export is `<stack name>-<OutputId>`, or drop the type to name the export yourself",
        );
    }
}

/// A construct names everything it cannot do without; the error is at its name.
fn check_required_fields(item: &crate::ast::Item, diag: &mut Diagnostics) {
    for (key, what) in item.kind.required_fields() {
        if !item.has(key) {
            diag.error_help(
                &item.name,
                format!(
                    "missing field `{key}` in {} `{}`",
                    item.kind.noun(),
                    item.name
                ),
                format!("add `{key}`: {what}"),
            );
        }
    }
}

/// The header, parameters and outputs take only the fields the language defines for
/// them; anything else would be dropped, so it is an error at the key.
fn check_known_fields(item: &crate::ast::Item, diag: &mut Diagnostics) {
    if !item.kind.fields_are_closed() {
        return;
    }
    let known: Vec<&str> = item.kind.row().fields.iter().map(|f| f.key).collect();
    for field in &item.fields {
        let key = field.key.to_string();
        if known.contains(&key.as_str()) {
            continue;
        }
        let help = match did_you_mean_or_longer(&key, known.iter().copied()) {
            Some(s) => format!("a field with a similar name exists: `{s}`"),
            None => format!("{} takes {}", item.kind.noun(), model::quote_list(&known)),
        };
        diag.error_help(
            &field.key,
            format!("{} has no field `{key}`", item.kind.noun()),
            help,
        );
    }
}

/// `assumed_by` names a service principal the DSL knows: a keyword, or a principal of
/// `infra_facts::iam::SERVICE_PRINCIPALS` as a string.
fn check_principal(role: &crate::ast::Item, diag: &mut Diagnostics) {
    let Some(expr) = role.expr("assumed_by") else {
        return;
    };
    if crate::kind::principal(expr).is_some() {
        return;
    }
    let keywords: Vec<&str> = principal_keywords().map(|(n, _)| n).collect();
    let services = infra_facts::iam::SERVICE_PRINCIPALS
        .iter()
        .map(|(_, _, s)| *s);
    match (model::ident(expr), model::string(expr)) {
        (Some(name), _) => {
            let help = match did_you_mean(&name.to_string(), keywords.iter().copied()) {
                Some(s) => format!("a principal with a similar name exists: `{s}`"),
                None => format!(
                    "principals are {}, or another service's principal as a string (`\"states.amazonaws.com\"`)",
                    model::quote_list(&keywords)
                ),
            };
            diag.error_help(name, format!("unknown principal `{name}`"), help);
        }
        (None, Some(text)) => {
            let help = match did_you_mean(&text, services.clone()) {
                Some(s) => format!("did you mean `\"{s}\"`?"),
                None => format!(
                    "the services a role may be assumed by are {}",
                    model::quote_list(&services.collect::<Vec<_>>())
                ),
            };
            diag.error_help(expr, format!("unknown service principal `{text}`"), help);
        }
        (None, None) => diag.error_help(
            expr,
            "expected a service principal",
            "write e.g. `assumed_by: ecs_tasks` or `assumed_by: \"states.amazonaws.com\"`",
        ),
    }
}

/// Each grant is a verb applied to a resource (`write_logs(app_logs)`), or `allow` with
/// its two lists. Which verbs a resource offers, and what each takes after it, is the
/// resource's `Grantable` impl: rustc says it at the verb.
fn check_grant_verbs(role: &crate::ast::Item, diag: &mut Diagnostics) {
    let Some(expr) = role.expr("grants") else {
        return;
    };
    let Some(grants) = model::list(expr) else {
        diag.error_help(
            expr,
            "expected a list of grants",
            "write e.g. `grants: [write_logs(app_logs)]`",
        );
        return;
    };
    for grant in grants {
        let Some((verb, args)) = model::call(grant) else {
            let help = match model::ident(grant) {
                Some(word) => format!("a grant names its resource: `{word}(<resource>)`"),
                None => "a grant is a verb of a resource, `<verb>(<resource>)`, or `allow([actions], [arns])`".to_owned(),
            };
            diag.error_help(grant, "expected a grant such as `read(bucket)`", help);
            continue;
        };
        if verb == ALLOW && args.len() != 2 {
            diag.error_at(
                grant,
                format!("`{ALLOW}` takes 2 arguments, found {}", args.len()),
            );
        } else if verb != ALLOW && args.is_empty() {
            diag.error_help(
                grant,
                format!("`{verb}` names no resource"),
                format!("write `{verb}(<resource>)`"),
            );
        }
    }
}

/// `encryption` is `s3_managed` or `kms(<key>)`.
fn check_encryption_form(bucket: &crate::ast::Item, diag: &mut Diagnostics) {
    let Some(expr) = bucket.expr("encryption") else {
        return;
    };
    let ok = match (model::ident(expr), model::call(expr)) {
        (Some(i), _) => i == "s3_managed",
        (_, Some((f, args))) => f == "kms" && args.len() == 1 && model::ident(args[0]).is_some(),
        _ => false,
    };
    if !ok {
        diag.error_help(
            expr,
            format!(
                "expected `s3_managed` or `kms(<key>)`, found `{}`",
                expr.to_token_stream()
            ),
            "a bucket is encrypted with S3-managed keys or with a key of the stack",
        );
    }
}
