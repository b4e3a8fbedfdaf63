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

/// The group-to-group ingress rules into `group`: `(port, source)`.
fn group_rules(group: &Item) -> Vec<(u16, &syn::Ident)> {
    match group.field("ingress").map(|f| &f.value) {
        Some(crate::ast::Value::Ingress(rules)) => rules
            .iter()
            .filter_map(|r| r.port.base10_parse::<u16>().ok().map(|p| (p, &r.source)))
            .collect(),
        _ => Vec::new(),
    }
}
