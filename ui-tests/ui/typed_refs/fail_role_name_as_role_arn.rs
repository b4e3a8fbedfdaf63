// A role's name where ECS needs the role's ARN.
use infra_runtime::aws::ecs::task_definition;
use infra_runtime::aws::iam::role;
use infra_runtime::Stack;

fn main() {
    let mut stack = Stack::new();
    let role = stack.add("TaskRole", role::Role::default());
    stack.add("Task", task_definition::TaskDefinition {
        task_role_arn: Some(role.name()),
        ..Default::default()
    });
}
