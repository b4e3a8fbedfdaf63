//! Two instances of one component have the same types, but not the same places: a
//! service given the subnets of one and the group of the other is an error at the group,
//! a service behind the other's load balancer is an error at the load balancer, and a
//! rule between groups declared in the two instances' VPCs is an error at the rule.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::groups::Groups;
use parts::network::Networking;
use parts::roles::Roles;
use parts::data::Data;
use parts::edge::Edge;
use parts::storage::Storage;

stack! {
    pub stack Crossed { region: "eu-west-2" }

    #[unprefixed]
    construct storage: Storage {}
    construct blue: Networking {}
    construct green: Networking {}
    construct blue_groups: Groups { network: &blue.network }
    construct green_groups: Groups { network: &green.network }
    construct data: Data { network: &blue.network, groups: &blue_groups, key: &storage.data_key }
    construct roles: Roles { storage: &storage, data: &data }
    construct green_edge: Edge {
        network: &green.network,
        groups: &green_groups,
        access_logs: &storage.access_logs,
    }

    security_group cache_sg in blue.network { ingress: [6379 from batch_sg] }
    security_group batch_sg in green.network {}

    fargate_service worker {
        subnets: blue.network.private,
        security_group: green_groups.worker_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
    }

    fargate_service web {
        subnets: blue.network.private,
        security_group: blue_groups.app_sg,
        load_balancer: green_edge.web,
        port: 8080,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
    }
}

fn main() {}
