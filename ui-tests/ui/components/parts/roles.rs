use infra_macros::component;
use infra_runtime::Handle;
use infra_runtime::aws::logs::LogGroup;

component! {
    /// Roles for ECS tasks, and one for Lambda.
    pub component Roles {}

    input logs: &Handle<LogGroup>;

    pub role execution_role { assumed_by: ecs_tasks, grants: [write_logs(logs)] }
    pub role task_role { assumed_by: ecs_tasks }
    pub role function_role { assumed_by: lambda, grants: [write_logs(logs)] }
}
