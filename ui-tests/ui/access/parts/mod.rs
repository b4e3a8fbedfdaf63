//! A component holding a raw queue and a role, for the cases of this directory that grant on it
//! from another file.

use infra_macros::component;

component! {
    /// A queue of jobs.
    pub component Store {}

    #[deletion_policy(Retain)]
    pub resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }

    /// A role of a service the language has no type of, for another file to hand out.
    pub role agent_role { assumed_by: "bedrock.amazonaws.com" }
}
