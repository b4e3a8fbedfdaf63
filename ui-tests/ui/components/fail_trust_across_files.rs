//! Trust across files: `parts/roles.rs` declares a role Lambda assumes; ECS cannot
//! start tasks with it, and rustc says so at the role named.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    fargate_service app {
        subnets: platform.net.network.private,
        security_group: platform.groups.app_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: platform.roles.function_role,
        task_role: platform.roles.task_role,
        logs: platform.storage.app_logs,
    }
}

fn main() {}
