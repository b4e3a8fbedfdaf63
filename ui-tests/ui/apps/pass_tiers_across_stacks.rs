//! A network stack exports its tiers; a database stack imports them: its security group
//! lives in the imported VPC and its cluster in the imported database tier. Two outputs
//! of one stack may name one VPC: a group declared in the VPC of one and a cluster in the
//! tier of the other compile (the VPC behind an import is known only when deployed).

mod network {
    infra_macros::stack! {
        pub stack NetworkStack { region: "eu-west-2" }
        vpc network {
            cidr: "10.0.0.0/16",
            public: ["10.0.1.0/24", "10.0.2.0/24"],
            private: ["10.0.11.0/24", "10.0.12.0/24"],
            database: ["10.0.21.0/24", "10.0.22.0/24"],
            nat_gateways: 1,
        }
        output app_subnets: Subnets<Private> { value: network.private, description: "Services" }
        output db_subnets: Subnets<Database> { value: network.database, description: "Databases" }
    }
}

infra_macros::stack! {
    pub stack DataStack { region: "eu-west-2" }
    import net: crate::network::NetworkStack;
    key data_key { description: "Data", rotation: true, allow_logs: true }
    security_group db_sg in net.db_subnets { description: "The database" }
    aurora db { subnets: net.db_subnets, security_group: db_sg, key: data_key }
    security_group reports_sg in net.app_subnets { description: "Reports" }
    aurora reports { subnets: net.db_subnets, security_group: reports_sg, key: data_key }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let network = network::NetworkStack::new(&config).stack.synth().expect("synthesizes");
    let outputs = &network.document()["Outputs"];
    assert_eq!(outputs["DbSubnets"]["Export"]["Name"], "NetworkStackqa-DbSubnets");
    assert_eq!(outputs["DbSubnetsVpc"]["Export"]["Name"], "NetworkStackqa-DbSubnetsVpc");
    assert_eq!(
        outputs["DbSubnets"]["Value"],
        serde_json::json!({ "Fn::Join": [",", [{ "Ref": "NetworkDatabaseSubnet1" }, { "Ref": "NetworkDatabaseSubnet2" }]] })
    );
    let data = DataStack::new(&config).stack.synth().expect("synthesizes");
    let resources = &data.document()["Resources"];
    assert_eq!(
        resources["DbSubnetGroup"]["Properties"]["SubnetIds"],
        serde_json::json!({ "Fn::Split": [",", { "Fn::ImportValue": "NetworkStackqa-DbSubnets" }] })
    );
    assert_eq!(
        resources["DbSg"]["Properties"]["VpcId"],
        serde_json::json!({ "Fn::ImportValue": "NetworkStackqa-DbSubnetsVpc" })
    );
}
