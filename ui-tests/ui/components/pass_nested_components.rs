//! A component that instantiates components (`parts/platform.rs`), instantiated twice by
//! the stack: each instance's resources carry both prefixes, and a service reaches the
//! handles two components deep, with the chain still checked by their types.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Nested { region: "eu-west-2" }

    construct blue: Platform {}
    construct green: Platform {}

    role execution_role { assumed_by: ecs_tasks, grants: [write_logs(blue.storage.app_logs)] }
    role task_role { assumed_by: ecs_tasks, grants: [connect(blue.data.database, "app")] }

    fargate_service app {
        subnets: blue.net.network.private,
        security_group: blue.groups.app_sg,
        load_balancer: blue.edge.web,
        port: 8080,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: execution_role,
        task_role: task_role,
        logs: blue.storage.app_logs,
        database: blue.data.database,
        database_user: "app",
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Nested::new(&config);
    let template = built.stack.synth().expect("the nested stack synthesizes");
    let resources = &template.document()["Resources"];
    for id in ["BlueNetNetworkVpc", "GreenNetNetworkVpc", "BlueDataDatabaseCluster", "GreenGroupsDbSg", "GreenEdgeWeb"] {
        assert!(resources.get(id).is_some(), "{id} is missing");
    }
    assert_eq!(
        resources["GreenGroupsDbSg"]["Properties"]["VpcId"]["Ref"],
        "GreenNetNetworkVpc",
        "each instance's groups are in its own VPC"
    );
}
