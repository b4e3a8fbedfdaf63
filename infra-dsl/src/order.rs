//! Declaration order for the generated code: each declaration after the ones it names,
//! otherwise in source order. A dependency cycle is reported as the cycle itself.

use std::collections::BTreeSet;

use crate::ast::Item;
use crate::diag::Diagnostics;
use crate::model::Model;

/// The declarations in an order where every reference points backwards.
pub fn order<'a>(model: &Model<'a>, diag: &mut Diagnostics) -> Vec<&'a Item> {
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    let mut remaining: Vec<&'a Item> = model.items.clone();
    while !remaining.is_empty() {
        let ready = remaining.iter().position(|item| {
            model
                .deps
                .get(&item.name.to_string())
                .is_none_or(|deps| deps.iter().all(|d| done.contains(d)))
        });
        match ready {
            Some(index) => {
                let item = remaining.remove(index);
                done.insert(item.name.to_string());
                out.push(item);
            }
            None => {
                report_cycle(model, &remaining, diag);
                out.append(&mut remaining);
            }
        }
    }
    out
}

fn report_cycle(model: &Model<'_>, remaining: &[&Item], diag: &mut Diagnostics) {
    let pending: BTreeSet<String> = remaining.iter().map(|i| i.name.to_string()).collect();
    let Some(start) = remaining.first() else {
        return;
    };
    // Walk pending dependencies until a name repeats.
    let mut path = vec![start.name.to_string()];
    loop {
        let Some(current) = path.last() else { return };
        let next = model
            .deps
            .get(current)
            .and_then(|deps| deps.iter().find(|d| pending.contains(*d)))
            .cloned();
        let Some(next) = next else { return };
        if let Some(at) = path.iter().position(|p| *p == next) {
            let cycle: Vec<&str> = path[at..]
                .iter()
                .map(String::as_str)
                .chain([next.as_str()])
                .collect();
            let first = &path[at];
            if let Some(item) = remaining.iter().find(|i| i.name == first) {
                diag.error(
                    item.name.span(),
                    format!("these declarations depend on each other: {}\nhelp: break the cycle; each declaration can only use ones that do not use it", cycle.join(" -> ")),
                );
            }
            return;
        }
        path.push(next);
    }
}
