//! Two instances of one component have the same types, so a service given the subnets of
//! one and the group of the other compiles; synthesis tells the instances apart and
//! refuses it, naming both VPCs and the service's line.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::groups::Groups;
use parts::network::Networking;
use parts::roles::Roles;
use parts::data::Data;
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

    fargate_service worker {
        subnets: blue.network.private,
        security_group: green_groups.worker_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Crossed::new(&config);
    let error = built.stack.synth().expect_err("the service's group is in the other VPC").to_string();
    assert!(
        error.contains("`Worker` is a Fargate service in subnets of `BlueNetworkVpc` with the security group `GreenGroupsWorkerSg` of `GreenNetworkVpc`"),
        "{error}"
    );
    assert!(error.contains("pass_instances_apart_at_synthesis.rs:27"), "{error}");
}
