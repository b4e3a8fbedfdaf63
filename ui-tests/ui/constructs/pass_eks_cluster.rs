//! A built-in `eks_cluster` in a DSL `vpc`: its name is the cluster's `Ref`, its nodes
//! follow the cluster by that name and run the image of their instance types.

use infra_macros::stack;

stack! {
    pub stack Platform { region: "eu-west-2" }

    key cluster_key { description: "Cluster", allow_logs: true }
    vpc network {
        cidr: "10.20.0.0/16",
        public: ["10.20.1.0/24", "10.20.2.0/24"],
        private: ["10.20.11.0/24", "10.20.12.0/24"],
        nat_gateways: 1,
    }
    eks_cluster platform {
        subnets: network.private,
        key: cluster_key,
        version: "1.33",
        instance_types: ["m7i.large", "c7i.large"],
        min: 1,
        max: 3,
    }
    role deployer { assumed_by: ec2, grants: [describe(platform)] }
    output cluster_name { value: platform.name() }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Platform::new(&config).stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    let nodes = &resources["PlatformNodes"]["Properties"];
    assert_eq!(nodes["ClusterName"]["Ref"], "Platform");
    assert_eq!(nodes["AmiType"], "AL2023_x86_64_STANDARD");
    assert_eq!(nodes["ScalingConfig"]["DesiredSize"], 1);
    assert_eq!(template.document()["Outputs"]["ClusterName"]["Value"]["Ref"], "Platform");
}
