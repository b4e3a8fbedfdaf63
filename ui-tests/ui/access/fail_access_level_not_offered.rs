//! `list` of a queue: AWS's reference defines no `List` action on `sqs:queue`, so the
//! verb is an error at it; and a raw resource whose ARN no attribute gives offers no
//! access levels at all.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    resource gateway: ec2::InternetGateway {}
    role worker { assumed_by: lambda, grants: [list(jobs), read(gateway)] }
}

fn main() {}
