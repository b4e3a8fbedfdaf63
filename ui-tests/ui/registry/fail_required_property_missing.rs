//! A raw resource of the model leaves out properties CloudFormation requires.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2", name: "Jobs" }
    resource job: lambda::Function {
        handler: Some("index.handler".into()),
        runtime: Some(function::Runtime::Python313.into()),
    }
    resource queue: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
}

fn main() {}
