//! The rules `stack!` enforces over the whole stack, one `check_*` function each, grouped
//! by family. Every rule reports at the narrowest span and keeps going, so one build shows
//! every mistake.

mod addresses;
mod chains;
mod compliance;
mod fields;
mod limits;
mod tiers;
mod wiring;

use syn::Expr;

use crate::ast::Item;
use crate::diag::Diagnostics;
use crate::kind::Kind;
use crate::model::{self, Model};

/// Runs every rule.
pub fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    fields::check(model, diag);
    addresses::check(model, diag);
    tiers::check(model, diag);
    chains::check(model, diag);
    wiring::check(model, diag);
    limits::check(model, diag);
    compliance::check(model, diag);
}

/// The declarations of one kind.
fn of_kind<'m, 'a>(model: &'m Model<'a>, kind: Kind) -> impl Iterator<Item = &'a Item> + 'm {
    model.items.iter().copied().filter(move |i| i.kind == kind)
}

/// An integer field's literal value with its expression, if written as a literal.
fn int_field<'a>(item: &'a Item, key: &str) -> Option<(i128, &'a Expr)> {
    item.expr(key).and_then(model::int)
}

/// A boolean field's literal value, or `default` when the field is absent.
fn bool_field(item: &Item, key: &str, default: bool) -> Option<bool> {
    match item.expr(key) {
        None if !item.has(key) => Some(default),
        None => None,
        Some(expr) => model::boolean(expr),
    }
}

/// The ingress rules into `group`: `(port, source)`; `None` when a rule is itself in
/// error (already reported), so that chain checks do not pile a second error on it.
fn group_rules(group: &Item) -> Option<Vec<(u16, &syn::Ident)>> {
    match group.field("ingress").map(|f| &f.value) {
        Some(crate::ast::Value::Ingress(rules)) => rules
            .iter()
            .map(|r| {
                r.port
                    .base10_parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .map(|p| (p, &r.source))
            })
            .collect(),
        Some(_) => None,
        None => Some(Vec::new()),
    }
}

/// A role's grants as `(verb, resource name)`; `None` when one of them is in error
/// (unknown verb, wrong kind), so that wiring checks do not add a second error.
fn role_grants(model: &Model<'_>, role: &Item) -> Option<Vec<(String, String)>> {
    let Some(expr) = role.expr("grants") else {
        return Some(Vec::new());
    };
    model::list(expr)?
        .into_iter()
        .map(|grant| {
            let (verb, args) = model::call(grant)?;
            if verb == "allow" {
                return Some((verb.to_string(), String::new()));
            }
            let (_, kind, _) = crate::kind::GRANTS.iter().find(|(v, _, _)| verb == v)?;
            let target = args.first().and_then(|a| model::ident(a))?;
            model.get_kind(target, &[*kind])?;
            Some((verb.to_string(), target.to_string()))
        })
        .collect()
}
