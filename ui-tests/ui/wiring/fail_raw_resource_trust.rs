//! Trust from the resource: a role handed to a service at a raw resource's property
//! must be one that service assumes, whatever the resource type.

use infra_macros::stack;

stack! {
    pub stack Workflows { region: "eu-west-2" }

    role function_role { assumed_by: lambda }
    role task_role { assumed_by: ecs_tasks }
    role workflow_role { assumed_by: "states.amazonaws.com" }

    resource workflow: stepfunctions::StateMachine {
        role_arn: function_role.arn(),
        definition_string: Some("{}".into()),
    }
    resource handler: lambda::Function {
        role: task_role.arn(),
        code: infra_runtime::aws::lambda::function::Code {
            zip_file: Some("def handler(event, context):\n    return event\n".into()),
            ..Default::default()
        },
        handler: Some("index.handler".into()),
        runtime: Some(infra_runtime::aws::lambda::function::Runtime::Python313.into()),
    }
    resource trusted: stepfunctions::StateMachine {
        role_arn: workflow_role.arn(),
        definition_string: Some("{}".into()),
    }
}

fn main() {}
