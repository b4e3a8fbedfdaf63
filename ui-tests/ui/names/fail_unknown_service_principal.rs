//! `assumed_by` as a string names a service principal the language knows; a misspelt
//! one is an error at the string, with the nearest.

use infra_macros::stack;

stack! {
    pub stack Flow { region: "eu-west-2" }
    role machine_role { assumed_by: "state.amazonaws.com" }
}

fn main() {}
