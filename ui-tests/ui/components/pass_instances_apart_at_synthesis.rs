//! A construct written by hand that lists no places (`Construct::PLACES`): the compiler
//! cannot tell which VPC its group is in, so a service given the subnets of one instance
//! and, through it, the group of another compiles; synthesis tells the VPCs apart and
//! refuses it, naming both and the service's line. (`fail_instances_crossed.rs` is the
//! same mistake through components, a compile error.)

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::groups::Groups;
use parts::network::Networking;
use parts::roles::Roles;
use parts::data::Data;
use parts::storage::Storage;

use infra_runtime::construct::Scope;
use infra_runtime::facts::{Field, field_hash};

type WorkerSg = <Groups as Field<{ field_hash("worker_sg") }>>::Type;

/// `Groups`, of which only the worker's group is kept, behind a construct of plain Rust.
#[derive(Debug)]
struct HandMadeGroups {
    worker_sg: WorkerSg,
}

impl infra_runtime::Construct for HandMadeGroups {
    type Spec<'a> = <Groups as infra_runtime::Construct>::Spec<'a>;

    fn build(scope: &mut Scope<'_>, id: &str, spec: Self::Spec<'_>) -> Self {
        let groups = Groups::build(scope, id, spec);
        Self { worker_sg: groups.worker_sg }
    }
}

impl Field<{ field_hash("worker_sg") }> for HandMadeGroups {
    type Type = WorkerSg;
}

stack! {
    pub stack Crossed { region: "eu-west-2" }

    #[unprefixed]
    construct storage: Storage {}
    construct blue: Networking {}
    construct green: Networking {}
    construct blue_groups: Groups { network: &blue.network }
    construct green_groups: HandMadeGroups { network: &green.network }
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
    assert!(error.contains("pass_instances_apart_at_synthesis.rs:53"), "{error}");
}
