//! A database of another file: the task role a service gives must be granted `connect`
//! to it. Here the service gives a role of `parts/roles.rs` that may write logs and read
//! a secret, but may not connect: an error at the user the service connects as.

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
        execution_role: platform.roles.execution_role,
        task_role: platform.roles.execution_role,
        logs: platform.storage.app_logs,
        database: platform.data.database,
        database_user: "app",
    }
}

fn main() {}
