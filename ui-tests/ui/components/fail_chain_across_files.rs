//! Security-group chains across files: the groups live in `parts/groups.rs`, the
//! database in `parts/data.rs`, the load balancer in `parts/edge.rs`. A service in a
//! group that neither the load balancer's group reaches nor the database's admits is
//! an error at the load balancer and at the database it names, in the words of
//! `Admits`.

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

    fargate_service worker {
        subnets: net.network.private,
        security_group: groups.worker_sg,
        load_balancer: edge.web,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        port: 8080,
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
        database: data.database,
    }
}

fn main() {}
