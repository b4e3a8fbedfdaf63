// A role's name where ECS needs the role's ARN.
use infra_runtime::aws::ecs::TaskDefinition;
use infra_runtime::aws::iam::Role;
use infra_runtime::Stack;

fn main() {
    let mut stack = Stack::new();
    let role = stack.add("TaskRole", Role::default());
    stack.add("Task", TaskDefinition {
        task_role_arn: Some(role.name()),
        ..Default::default()
    });
}
