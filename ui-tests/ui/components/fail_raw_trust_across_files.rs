//! Trust from the resource across files: a raw state machine given a role of
//! `parts/roles.rs` that only Lambda assumes; rustc says so at the role named.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    resource workflow: stepfunctions::StateMachine {
        role_arn: platform.roles.function_role.arn(),
        definition_string: Some("{}".into()),
    }
}

fn main() {}
