//! Security-group chains across files: the groups live in `parts/groups.rs`, the
//! database in `parts/data.rs`, the load balancer in `parts/edge.rs`. A service in a
//! group that neither the load balancer's group reaches nor the database's admits is
//! an error at the load balancer and at the database it names, in the words of
//! `Admits`.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    fargate_service worker {
        subnets: platform.net.network.private,
        security_group: platform.groups.worker_sg,
        load_balancer: platform.edge.web,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        port: 8080,
        execution_role: platform.roles.execution_role,
        task_role: platform.roles.task_role,
        logs: platform.storage.app_logs,
        database: platform.data.database,
    }
}

fn main() {}
