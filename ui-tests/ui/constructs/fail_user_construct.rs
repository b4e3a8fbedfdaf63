//! A construct of another crate is checked like a struct literal, at the user's tokens:
//! a misspelt field (with rustc's suggestion), a value of the wrong type, a field left
//! out without `..`, and a type that is no construct.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }

    key data_key { description: "Queue messages" }

    construct jobs: extra_constructs::WorkQueue { key: Some(&data_key), max_recieves: 3, .. }
    construct reports: extra_constructs::WorkQueue { key: None, retention_days: "four", .. }
    construct audit: extra_constructs::WorkQueue { key: None, max_receives: 2 }
    construct mail: String {}
}

fn main() {}
