//! A stack imports another's typed outputs: the VPC id goes where a VPC id belongs, the
//! app orders the stacks by the import, and the property is an `Fn::ImportValue` of the
//! name the exporting stack gives it in the same environment.

use infra_runtime::AppStack;

mod network {
    infra_macros::stack! {
        pub stack NetworkStack { region: "eu-west-2" }
        resource vpc: ec2::Vpc { cidr_block: Some("10.0.0.0/16".into()) }
        output vpc_id: Id<ec2::Vpc> { value: vpc.vpc_id(), description: "The VPC" }
    }
}

infra_macros::stack! {
    pub stack ServiceStack { region: "eu-west-2" }
    import net: crate::network::NetworkStack;
    resource workers: ec2::SecurityGroup {
        group_description: "Workers".into(),
        vpc_id: Some(net.vpc_id.clone()),
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    assert_eq!(ServiceStack::imports(), ["network"]);
    let service = ServiceStack::new(&config).stack.synth().expect("synthesizes");
    let workers = &service.document()["Resources"]["Workers"]["Properties"]["VpcId"];
    assert_eq!(workers, &serde_json::json!({ "Fn::ImportValue": "NetworkStackqa-VpcId" }));
    let network = network::NetworkStack::new(&config).stack.synth().expect("synthesizes");
    let output = &network.document()["Outputs"]["VpcId"];
    assert_eq!(output["Export"]["Name"], "NetworkStackqa-VpcId");
}
