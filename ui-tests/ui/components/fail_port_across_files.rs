//! Target and container ports across files: the load balancer in `parts/edge.rs`
//! forwards to 8080; a service listening on 9090 behind it is an error at the load
//! balancer named, and so is the group that admits 8080, not 9090.

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

    fargate_service app {
        subnets: net.network.private,
        security_group: groups.app_sg,
        load_balancer: edge.web,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        port: 9090,
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
    }
}

fn main() {}
