use infra_macros::component;

use super::data::Data;
use super::storage::Storage;

component! {
    /// Roles for ECS tasks, and one for Lambda.
    pub component Roles {}

    input storage: &Storage;
    input data: &Data;

    pub role execution_role {
        assumed_by: ecs_tasks,
        grants: [write_logs(storage.app_logs), read_secret(storage.api_key)],
    }
    pub role task_role { assumed_by: ecs_tasks, grants: [connect(data.database, "app")] }
    pub role function_role { assumed_by: lambda, grants: [write_logs(storage.app_logs)] }
}
