//! Raw resources against the pinned registry: a type of the model that the stack's
//! region does not offer is an error at its path, naming the regions that do (a
//! component lists its types' regions for the stack that builds it, `place.rs`), every
//! property it requires is
//! written (in a stack and a component alike); and
//! `#[deletion_policy]`, which only raw resources take, and `#[unprefixed]`, which only a
//! `construct` takes.

use super::Diagnostics;
use crate::kind::Kind;
use crate::model::Model;

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    check_deletion_policies(model, diag);
    check_depends_on(model, diag);
    check_unprefixed(model, diag);
    // A component has no region of its own: the stack that builds it judges its types
    // (`place.rs`), and synthesis does for a stack of plain Rust.
    let region = model
        .header
        .and_then(|h| h.text("region").literal().map(|(r, _)| r.to_owned()))
        .filter(|r| infra_facts::is_region(r)); // else reported with the header
    for item in super::of_kind(model, Kind::Resource) {
        let Some(ty) = &item.ty else { continue };
        // The table knows types by `service::Type`; a longer path is rustc's to resolve.
        let Some(path) = crate::model::model_path(ty)
            .filter(|segments| segments.len() == 2)
            .map(|segments| segments.join("::"))
        else {
            continue;
        };
        let Some(found) = infra_facts::model_type(&path) else {
            unknown_type(ty, &path, diag);
            continue;
        };
        check_required(item, &found, diag);
        if let Some(region) = region.as_deref()
            && !found.offered_in(region)
        {
            let offered: Vec<&str> = found.regions().collect();
            diag.error_help(
                ty,
                format!(
                    "`{}` is not offered in {region}, the stack's region",
                    found.type_name
                ),
                format!("the pinned registry offers it in {}", offered.join(", ")),
            );
        }
    }
}

/// `dynamodb::GlobalTabel`: the service is the model's, the type is not one of it.
fn unknown_type(ty: &syn::Type, path: &str, diag: &mut Diagnostics) {
    let Some((service, name)) = path.split_once("::") else {
        return;
    };
    let help = match crate::suggest::did_you_mean(name, infra_facts::service_types(service)) {
        Some(near) => format!("did you mean `{service}::{near}`?"),
        None => {
            let all: Vec<&str> = infra_facts::service_types(service).collect();
            format!("its types are {}", all.join(", "))
        }
    };
    diag.error_help(ty, format!("the model has no resource type `{path}`"), help);
}

/// A raw resource of the model writes every property CloudFormation requires: the
/// macro sees its fields, so a missing one is a compile error here rather than at
/// synthesis (which still reports those below the top level).
fn check_required(item: &crate::ast::Item, found: &infra_facts::ModelType, diag: &mut Diagnostics) {
    let missing: Vec<String> = found
        .required
        .iter()
        .filter(|field| item.field(field).is_none())
        .map(|field| format!("`{field}`"))
        .collect();
    if missing.is_empty() {
        return;
    }
    let noun = if missing.len() == 1 {
        "property"
    } else {
        "properties"
    };
    diag.error_help(
        &item.name,
        format!(
            "`{}` lacks the required {noun} {} of `{}`",
            item.name,
            missing.join(", "),
            found.type_name
        ),
        "write each of them in the braces",
    );
}

/// `#[depends_on(a, b)]` lists raw resources by name, on a raw resource: a construct
/// orders what it creates itself.
fn check_depends_on(model: &Model<'_>, diag: &mut Diagnostics) {
    for item in model.items.iter() {
        for attr in item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident(crate::codegen::DEPENDS_ON))
        {
            if item.kind != Kind::Resource {
                diag.error_help(
                    attr,
                    format!("`#[depends_on]` is for raw resources, and `{}` is {}", item.name, item.kind),
                    "a construct orders the resources it creates; a raw resource may depend on it through a reference",
                );
            } else if attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated,
                )
                .is_err()
            {
                diag.error_help(
                    attr,
                    "`#[depends_on]` lists raw resources by name",
                    "write `#[depends_on(bucket_policy)]` or `#[depends_on(a, b)]`",
                );
            }
        }
    }
}

/// `#[deletion_policy(…)]` is for raw resources: a construct sets its own resources'
/// policies from its fields.
fn check_deletion_policies(model: &Model<'_>, diag: &mut Diagnostics) {
    for item in model.items.iter().filter(|i| i.kind != Kind::Resource) {
        for attr in item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("deletion_policy"))
        {
            diag.error_help(
                attr,
                format!("`#[deletion_policy]` is for raw resources, and `{}` is a construct", item.name),
                "a construct sets the policies of what it creates (see its `deletion_protection` or `final_snapshot` fields)",
            );
        }
    }
}

/// `#[unprefixed]` is for `construct` declarations: the others' logical ids are their own
/// names already.
fn check_unprefixed(model: &Model<'_>, diag: &mut Diagnostics) {
    for item in model.items.iter().filter(|i| i.kind != Kind::Construct) {
        for attr in item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident(crate::codegen::UNPREFIXED))
        {
            diag.error_help(
                attr,
                format!(
                    "`#[unprefixed]` is for `construct` declarations, and `{}` is {}",
                    item.name, item.kind
                ),
                "its resources' logical ids already start with its own name; remove the attribute",
            );
        }
    }
}
