//! Compliance holds for raw resources of the model too, where a literal says it: a bucket
//! or queue without encryption, a cluster not encrypted, a key that does not rotate, a log
//! group kept forever or under a year, wildcard IAM actions and resources, and a group open
//! to the internet that no internet-facing load balancer uses (the balancer's own is fine).

use infra_macros::stack;

stack! {
    pub stack Raw { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource archive: s3::Bucket {}
    #[deletion_policy(Retain)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(false.into()) }
    resource signing: kms::Key { enable_key_rotation: Some(false.into()) }
    resource audit: logs::LogGroup { retention_in_days: Some(30.into()) }
    resource debug: logs::LogGroup {}
    #[deletion_policy(Snapshot)]
    resource db: rds::DbCluster { engine: Some("aurora-postgresql".into()), storage_encrypted: None }
    #[deletion_policy(Retain)]
    resource encrypted: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    resource admin: iam::ManagedPolicy {
        policy_document: serde_json::json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": "*" }
        ] }).into(),
    }
    resource ssh: ec2::SecurityGroup {
        group_description: "SSH".into(),
        security_group_ingress: Some(vec![ec2::security_group::Ingress {
            ip_protocol: "tcp".into(),
            from_port: Some(22.into()),
            to_port: Some(22.into()),
            cidr_ip: Some("0.0.0.0/0".into()),
            ..Default::default()
        }]),
    }
    resource web: ec2::SecurityGroup {
        group_description: "HTTPS".into(),
        security_group_ingress: Some(vec![ec2::security_group::Ingress {
            ip_protocol: "tcp".into(),
            from_port: Some(443.into()),
            to_port: Some(443.into()),
            cidr_ip: Some("0.0.0.0/0".into()),
            ..Default::default()
        }]),
    }
    resource balancer: elasticloadbalancingv2::LoadBalancer {
        security_groups: Some(vec![web.group_id()].into()),
    }
}

fn main() {}
