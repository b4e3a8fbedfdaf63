//! Trust across files for a service the language has no type of: the `bedrock` role of
//! `parts/mod.rs` given where Step Functions assumes a role is rustc's error at the role.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::Store;

stack! {
    pub stack Flow { region: "eu-west-2" }
    construct store: Store {}
    resource workflow: stepfunctions::StateMachine {
        role_arn: store.agent_role.arn(),
        definition_string: Some("{}".into()),
    }
}

fn main() {}
