//! An import is typed like the output it reads: a key ARN is not a VPC id, and an output
//! the other stack does not export is not there.

mod shared {
    infra_macros::stack! {
        pub stack SharedStack { region: "eu-west-2" }
        key data_key { description: "Shared data", rotation: true }
        output key_arn: Arn<kms::Key> { value: data_key.arn(), description: "The key" }
    }
}

infra_macros::stack! {
    pub stack ServiceStack { region: "eu-west-2" }
    import shared: crate::shared::SharedStack;
    resource workers: ec2::SecurityGroup {
        group_description: "Workers".into(),
        vpc_id: Some(shared.key_arn.clone()),
    }
    resource others: ec2::SecurityGroup {
        group_description: "Others".into(),
        vpc_id: Some(shared.vpc_id.clone()),
    }
}

fn main() {}
