//! A role of a service the language has no type of (`bedrock`) given where Step
//! Functions assumes a role: an error at the role, as for any other service.

use infra_macros::stack;

stack! {
    pub stack Flow { region: "eu-west-2" }
    role agent_role { assumed_by: "bedrock.amazonaws.com" }
    resource workflow: stepfunctions::StateMachine {
        role_arn: agent_role.arn(),
        definition_string: Some("{}".into()),
    }
}

fn main() {}
