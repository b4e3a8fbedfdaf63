//! Compliance across files: only an internet-facing load balancer may use a group
//! that admits the internet. `parts/groups.rs` opens `alb_sg` to the internet; a
//! database and a service given that group stop the build there (a const evaluation).

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::data::Data;
use parts::edge::Edge;
use parts::groups::Groups;
use parts::network::Networking;
use parts::roles::Roles;
use parts::storage::Storage;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct storage: Storage {}
    construct net: Networking {}
    construct groups: Groups { network: &net.network }
    construct data: Data { network: &net.network, groups: &groups, key: &storage.data_key }
    construct roles: Roles { storage: &storage, data: &data }
    construct edge: Edge { network: &net.network, groups: &groups, access_logs: &storage.access_logs }

    aurora exposed {
        subnets: net.network.database,
        security_group: groups.alb_sg,
        key: storage.data_key,
    }

    fargate_service app {
        subnets: net.network.private,
        security_group: groups.alb_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
    }
}

fn main() {}
