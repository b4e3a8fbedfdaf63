//! Trust across files: `parts/roles.rs` declares a role Lambda assumes; ECS cannot
//! start tasks with it, and rustc says so at the role named.

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
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: roles.function_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
    }
}

fn main() {}
