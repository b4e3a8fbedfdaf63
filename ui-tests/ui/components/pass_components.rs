//! A stack assembled from components in other files: the whole chain wired across them,
//! and one component instantiated twice, each instance's logical ids after its name.

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

    #[unprefixed]
    construct storage: Storage {}
    construct blue: Networking {}
    construct green: Networking {}
    construct groups: Groups { network: &blue.network }
    construct data: Data { network: &blue.network, groups: &groups, key: &storage.data_key }
    construct roles: Roles { storage: &storage, data: &data }
    construct edge: Edge { network: &blue.network, groups: &groups, access_logs: &storage.access_logs }

    fargate_service app {
        subnets: blue.network.private,
        security_group: groups.app_sg,
        load_balancer: edge.web,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        port: 8080,
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.app_logs,
        database: data.database,
        secrets: { API_KEY: storage.api_key },
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Assembled::new(&config);
    let template = built.stack.synth().expect("the assembled stack synthesizes");
    let resources = &template.document()["Resources"];
    for id in ["BlueNetworkVpc", "GreenNetworkVpc", "DataKey", "GroupsDbSgFromAppSg3306", "DataDatabaseCluster", "AppService"] {
        assert!(resources.get(id).is_some(), "{id} is missing");
    }
    assert_eq!(
        resources["GroupsDbSg"]["Properties"]["VpcId"]["Ref"],
        "BlueNetworkVpc",
        "the groups are in the VPC they were given"
    );
}
