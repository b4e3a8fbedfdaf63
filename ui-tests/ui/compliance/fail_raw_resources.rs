//! Compliance holds for raw resources of the model too, where a literal says it: a bucket
//! or queue without encryption, a cluster not encrypted, a key that does not rotate, a log
//! group kept forever or under a year.

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
}

fn main() {}
