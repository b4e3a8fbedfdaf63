//! Tiers across files: a tier of a VPC declared in another file is still its tier.
//! A load balancer facing the internet in the private tier, and a service in the
//! database tier, are rustc errors at the tier named.

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

    load_balancer private_lb {
        internet_facing: true,
        subnets: net.network.private,
        security_group: groups.alb_sg,
        allow_plain_http: true,
    }

    fargate_service app {
        subnets: net.network.database,
        security_group: groups.app_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
    }
}

fn main() {}
