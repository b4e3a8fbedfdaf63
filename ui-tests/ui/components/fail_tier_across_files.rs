//! Tiers across files: a tier of a VPC declared in another file is still its tier.
//! A load balancer facing the internet in the private tier, and a service in the
//! database tier, are rustc errors at the tier named.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    load_balancer private_lb {
        internet_facing: true,
        subnets: platform.net.network.private,
        security_group: platform.groups.alb_sg,
        allow_plain_http: true,
    }

    fargate_service app {
        subnets: platform.net.network.database,
        security_group: platform.groups.app_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: platform.roles.execution_role,
        task_role: platform.roles.task_role,
        logs: platform.storage.app_logs,
    }
}

fn main() {}
