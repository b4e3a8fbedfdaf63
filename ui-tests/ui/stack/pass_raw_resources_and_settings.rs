//! A raw resource of a generated type beside a construct, settings, and an output.

use infra_macros::stack;

stack! {
    pub stack Tiny { region: "eu-west-2", name: "Tiny" }
    pub settings TinySettings {
        /// NAT gateways for the private tier.
        nat_gateways: u8 = 0,
    }
    vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        nat_gateways: settings.nat_gateways,
    }
    resource extra_subnet: ec2::Subnet {
        vpc_id: network.vpc_id(),
        cidr_block: Some("10.0.50.0/24".into()),
    }
    output subnet_id { value: extra_subnet.id(), description: "The extra subnet" }
}

fn main() {
    let config = infra_runtime::StackConfig::new("dev", Tiny::REGION);
    let tiny = Tiny::new(&config, &TinySettings::default());
    let _: &infra_runtime::Handle<infra_runtime::aws::ec2::Subnet> = &tiny.extra_subnet;
    let template = tiny.stack.synth().expect("synthesizes");
    assert!(template.body().contains(r#""ExtraSubnet":{"#));
    assert!(template.body().contains(r#""SubnetId":{"#));
    assert_eq!(Tiny::OUTPUTS, &[("subnet_id", "SubnetId")]);
}
