//! A component whose role names an action AWS does not define, for
//! `fail_iam_action_across_files.rs`.

use infra_macros::component;

component! {
    /// A worker's role.
    pub component Worker {}

    pub role worker_role {
        assumed_by: ecs_tasks,
        grants: [allow(["sqs:ReceiveMesage"], ["arn:aws:sqs:eu-west-2:123456789012:jobs"])],
    }
}
