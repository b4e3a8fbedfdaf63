//! `list` of a queue: AWS's reference defines no `List` action on `sqs:queue`, so the
//! verb is an error at it; and a raw resource whose ARN a handle cannot read (an elastic
//! IP: no attribute holds it, and its identity is two properties) offers no access levels.
//! The levels beneath a construct's verbs are its primary resource's: `list` of a `queue`
//! is the same error at the verb.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    resource address: ec2::Eip {}
    queue work {}
    role worker { assumed_by: lambda, grants: [list(jobs), read(address), send(work), list(work)] }
}

fn main() {}
