//! Compliance across files: only an internet-facing load balancer may use a group
//! that admits the internet. `parts/groups.rs` opens `alb_sg` to the internet; a
//! database and a service given that group stop the build there (a const evaluation).

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    aurora exposed {
        subnets: platform.net.network.database,
        security_group: platform.groups.alb_sg,
        key: platform.storage.data_key,
    }

    fargate_service app {
        subnets: platform.net.network.private,
        security_group: platform.groups.alb_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: platform.roles.execution_role,
        task_role: platform.roles.task_role,
        logs: platform.storage.app_logs,
    }
}

fn main() {}
