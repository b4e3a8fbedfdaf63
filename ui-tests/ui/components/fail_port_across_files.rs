//! Target and container ports across files: the load balancer in `parts/edge.rs`
//! forwards to 8080; a service listening on 9090 behind it is an error at the load
//! balancer named, and so is the group that admits 8080, not 9090.

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
        load_balancer: platform.edge.web,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        port: 9090,
        execution_role: platform.roles.execution_role,
        task_role: platform.roles.task_role,
        logs: platform.storage.app_logs,
    }
}

fn main() {}
