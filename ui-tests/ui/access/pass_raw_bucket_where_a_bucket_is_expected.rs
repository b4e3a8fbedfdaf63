//! A raw `s3::Bucket` where a bucket is expected: a trail delivers into it, and its raw
//! `s3::BucketPolicy` (of any name) gains CloudTrail's statements, which the trail waits
//! for; the key of the stack encrypts the log files.

use infra_macros::stack;
use infra_runtime::aws::s3;
use serde_json::json;

stack! {
    pub stack Archive { region: "eu-west-2" }
    key archive_key { description: "Archive" }
    #[deletion_policy(Retain)]
    resource vault: s3::Bucket {
        bucket_encryption: Some(s3::bucket::BucketEncryption {
            server_side_encryption_configuration: vec![s3::bucket::ServerSideEncryptionRule {
                server_side_encryption_by_default: Some(s3::bucket::ServerSideEncryptionByDefault {
                    sse_algorithm: s3::bucket::SseAlgorithm::AwsKms.into(),
                    kms_master_key_id: Some(archive_key.arn().into()),
                }),
                ..Default::default()
            }],
        }),
    }
    #[deletion_policy(Retain)]
    resource vault_access: s3::BucketPolicy {
        bucket: vault.name().into(),
        policy_document: json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "TlsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [vault.arn().to_json()],
                "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            }]
        })
        .into(),
    }
    trail activity { bucket: vault, key: archive_key, multi_region: false }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Archive::new(&config).stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    assert_eq!(resources["Activity"]["DependsOn"][0], "VaultAccess");
    assert_eq!(resources["Activity"]["Properties"]["S3BucketName"]["Ref"], "Vault");
    let statements = resources["VaultAccess"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements");
    assert!(statements.iter().any(|s| s["Sid"] == "CloudTrailWritesLogFiles"));
}
