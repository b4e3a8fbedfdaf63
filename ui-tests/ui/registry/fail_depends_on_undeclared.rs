//! A name in `#[depends_on(…)]` that nothing declares is rustc's error at the name, with
//! its suggestion of the declared one.

use infra_macros::stack;

stack! {
    pub stack Ordered { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource archive: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    #[depends_on(archiv)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
}

fn main() {}
