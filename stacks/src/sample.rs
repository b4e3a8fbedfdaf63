//! The sample stack, written against the raw typed model: a VPC with two subnets in
//! different availability zones, a security group in that VPC, a role that may read one
//! KMS-encrypted bucket, and the key that encrypts it.

use infra_runtime::aws::ec2::{self, security_group, subnet, vpc};
use infra_runtime::aws::iam::{self, role};
use infra_runtime::aws::kms::{self, key};
use infra_runtime::aws::s3::{self, bucket};
use infra_runtime::intrinsic::{get_azs, select, sub, sub_with};
use infra_runtime::value::pseudo;
use infra_runtime::{
    AppStack, Handle, Output, Parameter, Policy, ResourceOptions, Stack, StackConfig, Tag, Value,
};
use serde_json::json;

/// The sample stack in an app: written in plain Rust, so it implements [`AppStack`] by
/// hand where `stack!` would generate it.
#[derive(Debug)]
pub struct SampleStack;

impl AppStack for SampleStack {
    const KEY: &'static str = "sample";
    const NAME: &'static str = "Sample";
    const REGION: &'static str = "eu-west-2";
    const ABOUT: &'static str =
        "A VPC, two subnets, a security group, a role and a KMS-encrypted bucket";
    type Settings = ();

    fn build(_config: &StackConfig, _settings: &()) -> Stack {
        sample_stack()
    }
}

/// Builds the sample stack.
pub fn sample_stack() -> Stack {
    let mut stack = Stack::new();
    stack.description(
        "Sample stack: a VPC, two subnets, a security group, a role and an encrypted bucket",
    );

    let environment = stack.parameter::<String>(
        "EnvironmentSuffix",
        Parameter::new("Suffix that tells environments apart in names and tags")
            .default("dev".into())
            .allowed_pattern("^[a-z0-9]+$")
            .constraint_description("lowercase letters and digits only"),
    );
    stack.default_tag("Environment", environment.clone());
    stack.default_tag("CostCenter", "fintech-infrastructure");

    let vpc = network(&mut stack);
    let key = data_key(&mut stack);
    let bucket = data_bucket(&mut stack, &key);
    let role = reader_role(&mut stack, &bucket, &key);

    stack.output(
        "VpcId",
        Output::new(vpc.id())
            .description("The VPC's id")
            .export(sub("${AWS::StackName}-VpcId")),
    );
    stack.output(
        "BucketName",
        Output::new(bucket.name()).description("The encrypted bucket"),
    );
    stack.output(
        "ReaderRoleArn",
        Output::new(role.arn()).description("The role that reads the bucket"),
    );
    stack.output(
        "Region",
        Output::new(pseudo::region()).description("Where the stack lives"),
    );
    stack
}

/// The VPC, a subnet in each of two zones, and a group admitting HTTPS from inside it.
fn network(stack: &mut Stack) -> Handle<ec2::Vpc> {
    let vpc = stack.add(
        "Vpc",
        vpc::Vpc {
            cidr_block: Some("10.0.0.0/16".into()),
            enable_dns_hostnames: Some(true.into()),
            enable_dns_support: Some(true.into()),
            tags: Some(vec![Tag::new(
                "Name",
                sub("sample-vpc-${EnvironmentSuffix}"),
            )]),
            ..Default::default()
        },
    );
    for (i, (id, cidr)) in [("SubnetA", "10.0.1.0/24"), ("SubnetB", "10.0.2.0/24")]
        .into_iter()
        .enumerate()
    {
        stack.add(
            id,
            subnet::Subnet {
                vpc_id: vpc.id(),
                cidr_block: Some(cidr.into()),
                availability_zone: Some(select(i as u32, get_azs())),
                ..Default::default()
            },
        );
    }
    stack.add(
        "AppSecurityGroup",
        security_group::SecurityGroup {
            group_description: "HTTPS from inside the VPC".into(),
            vpc_id: Some(vpc.id()),
            security_group_ingress: Some(vec![security_group::Ingress {
                ip_protocol: "tcp".into(),
                from_port: Some(443.into()),
                to_port: Some(443.into()),
                cidr_ip: Some(vpc.cidr_block()),
                description: Some("HTTPS from the VPC".into()),
                ..Default::default()
            }]),
            security_group_egress: Some(vec![security_group::Egress {
                ip_protocol: "tcp".into(),
                from_port: Some(443.into()),
                to_port: Some(443.into()),
                cidr_ip: Some("0.0.0.0/0".into()),
                description: Some("HTTPS to AWS APIs".into()),
                ..Default::default()
            }]),
            ..Default::default()
        },
    );
    vpc
}

/// The key that encrypts the bucket, administered by the account.
fn data_key(stack: &mut Stack) -> Handle<kms::Key> {
    stack.add_with(
        "DataKey",
        key::Key {
            description: Some("Encrypts the sample bucket".into()),
            enable_key_rotation: Some(true.into()),
            key_policy: Some(Value::from(json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "AccountAdministersTheKey",
                    "Effect": "Allow",
                    "Principal": { "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root").to_json() },
                    "Action": "kms:*",
                    "Resource": "*"
                }]
            }))),
            ..Default::default()
        },
        ResourceOptions::new().retain_policy(Policy::Retain),
    )
}

/// The versioned, private bucket, encrypted with `key`.
fn data_bucket(stack: &mut Stack, key: &Handle<kms::Key>) -> Handle<s3::Bucket> {
    stack.add_with(
        "DataBucket",
        bucket::Bucket {
            bucket_encryption: Some(bucket::BucketEncryption {
                server_side_encryption_configuration: vec![bucket::ServerSideEncryptionRule {
                    bucket_key_enabled: Some(true.into()),
                    server_side_encryption_by_default: Some(
                        bucket::ServerSideEncryptionByDefault {
                            sse_algorithm: bucket::SseAlgorithm::AwsKms.into(),
                            kms_master_key_id: Some(key.arn().into()),
                        },
                    ),
                    ..Default::default()
                }],
            }),
            public_access_block_configuration: Some(bucket::PublicAccessBlockConfiguration {
                block_public_acls: Some(true.into()),
                block_public_policy: Some(true.into()),
                ignore_public_acls: Some(true.into()),
                restrict_public_buckets: Some(true.into()),
            }),
            versioning_configuration: Some(bucket::VersioningConfiguration {
                status: bucket::VersioningConfigurationStatus::Enabled.into(),
            }),
            ..Default::default()
        },
        ResourceOptions::new().retain_policy(Policy::Retain),
    )
}

/// The role ECS tasks assume to read the bucket's objects.
fn reader_role(
    stack: &mut Stack,
    bucket: &Handle<s3::Bucket>,
    key: &Handle<kms::Key>,
) -> Handle<iam::Role> {
    stack.add(
        "ReaderRole",
        role::Role {
            description: Some("Reads the sample bucket".into()),
            assume_role_policy_document: Value::from(json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": { "Service": "ecs-tasks.amazonaws.com" },
                    "Action": "sts:AssumeRole"
                }]
            })),
            policies: Some(vec![role::Policy {
                policy_name: "ReadDataBucket".into(),
                policy_document: Value::from(json!({
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["s3:GetObject"],
                            "Resource": sub_with("${Arn}/*", [("Arn", bucket.arn().erase())]).to_json()
                        },
                        {
                            "Effect": "Allow",
                            "Action": ["kms:Decrypt"],
                            "Resource": key.arn().to_json()
                        }
                    ]
                })),
            }]),
            ..Default::default()
        },
    )
}
