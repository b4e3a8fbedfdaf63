//! Values keep their types through intrinsics, parameters and conditions, and synthesize
//! to the JSON CloudFormation expects.

use infra_runtime::aws::ec2::security_group;
use infra_runtime::aws::ec2::security_group_ingress;
use infra_runtime::aws::ec2::subnet;
use infra_runtime::aws::ec2::vpc;
use infra_runtime::aws::ec2::{Subnet, Vpc};
use infra_runtime::aws::s3::bucket;
use infra_runtime::intrinsic::{get_azs_in, if_, import_value, join, select, split, sub, sub_with};
use infra_runtime::value::pseudo;
use infra_runtime::{Condition, Id, Output, Parameter, ResourceOptions, Stack, SynthError, Value};
use serde_json::json;

#[test]
fn intrinsics_synthesize_to_their_json() {
    let mut stack = Stack::new();
    let vpc = stack.add(
        "Vpc",
        vpc::Vpc {
            cidr_block: Some("10.0.0.0/16".into()),
            ..Default::default()
        },
    );
    let zones = get_azs_in(pseudo::region());
    stack.add(
        "Subnet",
        subnet::Subnet {
            vpc_id: vpc.id(),
            availability_zone: Some(select(2, zones)),
            cidr_block: Some(select(0, split(",", "10.0.1.0/24,10.0.2.0/24".into()))),
            ..Default::default()
        },
    );
    stack.add(
        "Group",
        security_group::SecurityGroup {
            group_description: join(
                "-",
                [
                    sub("${AWS::StackName}"),
                    pseudo::partition(),
                    sub_with("${V}", [("V", vpc.id().erase())]),
                ],
            ),
            ..Default::default()
        },
    );
    let doc = stack.synth().expect("synthesizes").document().clone();
    let subnet = &doc["Resources"]["Subnet"]["Properties"];
    assert_eq!(
        subnet["AvailabilityZone"],
        json!({ "Fn::Select": [2, { "Fn::GetAZs": { "Ref": "AWS::Region" } }] })
    );
    assert_eq!(
        subnet["CidrBlock"],
        json!({ "Fn::Select": [0, { "Fn::Split": [",", "10.0.1.0/24,10.0.2.0/24"] }] })
    );
    assert_eq!(
        doc["Resources"]["Group"]["Properties"]["GroupDescription"],
        json!({ "Fn::Join": ["-", [
            { "Fn::Sub": "${AWS::StackName}" },
            { "Ref": "AWS::Partition" },
            { "Fn::Sub": ["${V}", { "V": { "Ref": "Vpc" } }] }
        ]] })
    );
}

#[test]
fn parameters_take_the_cloudformation_type_of_their_rust_type() {
    let mut stack = Stack::new();
    let vpc = stack.parameter::<Id<Vpc>>("ExistingVpc", Parameter::new("A VPC made elsewhere"));
    let subnets =
        stack.parameter::<Vec<Id<Subnet>>>("ExistingSubnets", Parameter::new("Its subnets"));
    let count = stack.parameter::<i64>(
        "Count",
        Parameter::new("How many")
            .default(2.into())
            .range(1.0, 10.0),
    );
    let names = stack.parameter::<Vec<String>>("Names", Parameter::new("Some names"));
    stack.add(
        "Subnet",
        subnet::Subnet {
            vpc_id: vpc,
            availability_zone: Some(select(0, names)),
            ..Default::default()
        },
    );
    stack.output("Subnets", Output::new(subnets));
    stack.output("Count", Output::new(count));
    let doc = stack.synth().expect("synthesizes").document().clone();
    let params = &doc["Parameters"];
    assert_eq!(params["ExistingVpc"]["Type"], "AWS::EC2::VPC::Id");
    assert_eq!(
        params["ExistingSubnets"]["Type"],
        "List<AWS::EC2::Subnet::Id>"
    );
    assert_eq!(
        params["Count"],
        json!({ "Type": "Number", "Description": "How many", "Default": 2, "MinValue": 1.0, "MaxValue": 10.0 })
    );
    assert_eq!(params["Names"]["Type"], "CommaDelimitedList");
    assert_eq!(
        doc["Resources"]["Subnet"]["Properties"]["VpcId"],
        json!({ "Ref": "ExistingVpc" })
    );
}

#[test]
fn conditions_guard_resources_values_and_outputs() {
    let mut stack = Stack::new();
    let env = stack.parameter::<String>(
        "Env",
        Parameter::new("Environment").allowed_values(["dev".into(), "prod".into()]),
    );
    let prod = stack.condition("IsProd", Condition::equals(env.clone(), "prod".into()));
    let dev = stack.condition("IsDev", !Condition::of(&prod));
    let bucket = stack.add_with(
        "Archive",
        encrypted_bucket(),
        ResourceOptions::new().condition(&prod),
    );
    stack.add(
        "Group",
        security_group::SecurityGroup {
            group_description: if_(&dev, "development".into(), pseudo::no_value()),
            ..Default::default()
        },
    );
    stack.output(
        "Archive",
        Output::new(bucket.name())
            .condition(&prod)
            .export(sub("${AWS::StackName}-Archive")),
    );
    stack.output(
        "Shared",
        Output::new(import_value::<String>("network-VpcId".into())),
    );
    let doc = stack.synth().expect("synthesizes").document().clone();
    assert_eq!(
        doc["Conditions"]["IsProd"],
        json!({ "Fn::Equals": [{ "Ref": "Env" }, "prod"] })
    );
    assert_eq!(
        doc["Conditions"]["IsDev"],
        json!({ "Fn::Not": [{ "Condition": "IsProd" }] })
    );
    assert_eq!(doc["Resources"]["Archive"]["Condition"], "IsProd");
    assert_eq!(
        doc["Resources"]["Group"]["Properties"]["GroupDescription"],
        json!({ "Fn::If": ["IsDev", "development", { "Ref": "AWS::NoValue" }] })
    );
    assert_eq!(doc["Outputs"]["Archive"]["Condition"], "IsProd");
    assert_eq!(
        doc["Outputs"]["Archive"]["Export"],
        json!({ "Name": { "Fn::Sub": "${AWS::StackName}-Archive" } })
    );
    assert_eq!(
        doc["Outputs"]["Shared"]["Value"],
        json!({ "Fn::ImportValue": "network-VpcId" })
    );
}

#[test]
fn a_condition_that_is_not_declared_is_an_error() {
    let mut other = Stack::new();
    let elsewhere = other.condition(
        "Elsewhere",
        Condition::equals::<String>("a".into(), "b".into()),
    );
    let mut stack = Stack::new();
    stack.add_with(
        "Archive",
        encrypted_bucket(),
        ResourceOptions::new().condition(&elsewhere),
    );
    let errs = stack.synth().expect_err("undeclared condition").0;
    assert!(
        matches!(&errs[..], [SynthError::Dangling { target, expected: "condition", .. }] if target == "Elsewhere"),
        "{errs:?}"
    );
}

#[test]
fn default_tags_yield_to_a_resource_s_own_tags() {
    let mut stack = Stack::new();
    stack
        .default_tag("Team", "platform")
        .default_tag("Environment", "dev");
    stack.add(
        "Vpc",
        vpc::Vpc {
            tags: Some(vec![infra_runtime::Tag::new("Team", "payments")]),
            ..Default::default()
        },
    );
    stack.add(
        "Ingress",
        security_group_ingress::SecurityGroupIngress {
            ip_protocol: "tcp".into(),
            ..Default::default()
        },
    );
    let doc = stack.synth().expect("synthesizes").document().clone();
    assert_eq!(
        doc["Resources"]["Vpc"]["Properties"]["Tags"],
        json!([{ "Key": "Environment", "Value": "dev" }, { "Key": "Team", "Value": "payments" }])
    );
    // A type without tags gets none.
    assert!(
        doc["Resources"]["Ingress"]["Properties"]
            .get("Tags")
            .is_none()
    );
}

#[test]
fn external_references_are_literals() {
    let v = Value::<Id<Vpc>>::external("vpc-0abc");
    assert_eq!(v.to_json(), json!("vpc-0abc"));
    let list = Value::<Vec<Id<Subnet>>>::external_list(["subnet-1", "subnet-2"]);
    assert_eq!(list.to_json(), json!(["subnet-1", "subnet-2"]));
}

#[test]
fn a_condition_declared_twice_names_both_lines() {
    let mut stack = Stack::new();
    stack.condition(
        "IsProd",
        Condition::equals::<String>("a".into(), "a".into()),
    );
    stack.condition(
        "IsProd",
        Condition::equals::<String>("b".into(), "b".into()),
    );
    let errs = stack.synth().expect_err("duplicate condition").0;
    match &errs[..] {
        [
            SynthError::Duplicate {
                what: "condition",
                first,
                second,
                ..
            },
        ] => {
            assert!(
                first.starts_with("tests/tests/values.rs:")
                    && second.starts_with("tests/tests/values.rs:")
            );
            assert_ne!(first, second);
        }
        other => panic!("unexpected: {other:?}"),
    }
}

/// A bucket synthesis accepts: encrypted at rest, as compliance requires.
fn encrypted_bucket() -> bucket::Bucket {
    bucket::Bucket {
        bucket_encryption: Some(bucket::BucketEncryption {
            server_side_encryption_configuration: vec![bucket::ServerSideEncryptionRule {
                server_side_encryption_by_default: Some(bucket::ServerSideEncryptionByDefault {
                    sse_algorithm: bucket::SseAlgorithm::Aes256.into(),
                    ..Default::default()
                }),
                ..Default::default()
            }],
        }),
        ..Default::default()
    }
}
