//! `#[depends_on(…)]` names raw resources: a construct, itself and a cycle through it are
//! errors at the names; on a construct the attribute is refused.

use infra_macros::stack;

stack! {
    pub stack Ordered { region: "eu-west-2" }
    key data_key { description: "Data" }
    #[deletion_policy(Retain)]
    #[depends_on(data_key, jobs)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    #[depends_on(dead_letters)]
    resource first: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    #[depends_on(first)]
    resource dead_letters: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[depends_on(jobs)]
    key other_key { description: "Other" }
}

fn main() {}
