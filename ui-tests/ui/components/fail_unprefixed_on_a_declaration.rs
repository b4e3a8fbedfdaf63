//! `#[unprefixed]` keeps a construct's resources' logical ids as declared; on any other
//! declaration it would say nothing, so it is an error at the attribute.

use infra_macros::stack;

stack! {
    pub stack Queues { region: "eu-west-2" }

    #[unprefixed]
    key data_key { description: "Queue messages" }

    #[unprefixed]
    construct jobs: extra_constructs::WorkQueue { key: Some(&data_key), .. }
}

fn main() {}
