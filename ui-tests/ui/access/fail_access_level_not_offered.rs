//! `list` of a queue: AWS's reference defines no `List` action on `sqs:queue`, so the
//! verb is an error at it; and a raw resource whose ARN a handle cannot read (an elastic
//! IP: no attribute holds it, and its identity is two properties) offers no access levels.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    resource address: ec2::Eip {}
    role worker { assumed_by: lambda, grants: [list(jobs), read(address)] }
}

fn main() {}
