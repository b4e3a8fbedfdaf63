//! IAM: the roles ECS starts the tasks with and the application runs as.

use infra_macros::component;

use super::database::Data;
use super::storage::Storage;

component! {
    /// Least privilege: each role trusts ECS tasks and may do one thing.
    pub component Roles {}

    /// The keys and logs; the tasks write to `app_logs`.
    input storage: &Storage;
    /// The database the application connects to.
    input data: &Data;

    /// Starts tasks: writes their logs (the image is public, so no registry grant).
    pub role execution_role {
        description: "ECS task execution role of the loan application",
        assumed_by: ecs_tasks,
        grants: [write_logs(storage.app_logs)],
    }
    /// What the application itself may do: connect to the database as `loan_app`.
    pub role task_role {
        description: "ECS task role of the loan application",
        assumed_by: ecs_tasks,
        grants: [connect(data.database, "loan_app")],
    }
}
