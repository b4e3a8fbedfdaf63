//! `#[deletion_policy]` takes a policy CloudFormation has, and only on a raw resource.

use infra_macros::stack;

stack! {
    pub stack Queues { region: "eu-west-2", name: "Queues" }
    #[deletion_policy(Keep)]
    resource work: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    log_group logs { retention_days: 365 }
}

fn main() {}
