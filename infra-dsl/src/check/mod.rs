//! The rules `stack!` enforces over the whole stack, one `check_*` function each, grouped
//! by family. Every rule reports at the narrowest span and keeps going, so one build shows
//! every mistake.

mod addresses;
mod chains;
mod compliance;
mod fields;
pub(crate) mod limits;
mod registry;
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
    registry::check(model, diag);
}

/// The declarations of one kind.
fn of_kind<'m, 'a>(model: &'m Model<'a>, kind: Kind) -> impl Iterator<Item = &'a Item> + 'm {
    model.items.iter().copied().filter(move |i| i.kind == kind)
}

/// Whether the declaration's construct takes `grants` (a role, or a construct that derives
/// its role from them).
fn takes_grants(item: &Item) -> bool {
    item.kind
        .row()
        .fields
        .iter()
        .any(|def| matches!(def.shape, crate::kind::FieldKind::Grants))
}

/// The ingress rules into `group`: `(port, source)`; `None` when a rule is itself in
/// error (a port out of range, a source that is not a group of the stack: already
/// reported), so that chain checks do not pile a second error on it.
fn group_rules<'g>(model: &Model<'_>, group: &'g Item) -> Option<Vec<(u16, &'g syn::Ident)>> {
    match group.field("ingress").map(|f| &f.value) {
        Some(crate::ast::Value::Ingress(rules)) => rules
            .iter()
            .map(|r| {
                let known = r.complete && r.source == crate::kind::INTERNET
                    || model.get_kind(&r.source, &[Kind::SecurityGroup]).is_some();
                r.port
                    .base10_parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0 && known)
                    .map(|p| (p, &r.source))
            })
            .collect(),
        Some(_) => None,
        None => Some(Vec::new()),
    }
}

/// One grant of a role, resolved: its verb, the resource it is on, and its further
/// arguments (`connect`'s user).
struct RoleGrant<'a> {
    verb: String,
    target: String,
    extra: Vec<&'a Expr>,
}

/// A role's grants; `None` when one of them is in error (no resource, or one that is
/// not declared), so that wiring checks do not add a second error.
fn role_grants<'a>(model: &Model<'_>, role: &'a Item) -> Option<Vec<RoleGrant<'a>>> {
    let Some(expr) = role.expr("grants") else {
        return Some(Vec::new());
    };
    model::list(expr)?
        .into_iter()
        .map(|grant| {
            let (verb, args) = model::call(grant)?;
            let verb = verb.to_string();
            if verb == "allow" {
                return Some(RoleGrant {
                    verb,
                    target: String::new(),
                    extra: Vec::new(),
                });
            }
            let target = args.first().and_then(|a| model::ident(a))?;
            model.get(target)?;
            Some(RoleGrant {
                verb,
                target: target.to_string(),
                extra: args[1..].to_vec(),
            })
        })
        .collect()
}
