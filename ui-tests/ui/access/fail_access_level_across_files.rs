//! Access levels across files: the raw queue of `parts/mod.rs` offers `read` and
//! `write`, and `list` of it is an error at the verb.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::Store;

stack! {
    pub stack Jobs { region: "eu-west-2" }
    construct store: Store {}
    role worker { assumed_by: lambda, grants: [read(store.jobs), list(store.jobs)] }
}

fn main() {}
