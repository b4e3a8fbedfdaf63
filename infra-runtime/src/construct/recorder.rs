//! `recorder`: AWS Config recording the configuration of every supported resource type
//! (global ones too) and delivering a snapshot a day to a bucket of the stack, encrypted
//! with a key of the stack. Its role is Config's managed `AWS_ConfigRole` and exactly the
//! delivery: reading the bucket's ACL, writing this account's files, the key's actions.
//!
//! ```text
//! recorder config { bucket: archive, key: archive_key }
//! ```
//!
//! An account has one recorder per region: a second stack declaring one in the same
//! account and region fails at deploy.

use super::{Grant, IamResource, Scope, some};
use crate::aws::config::{self, configuration_recorder as cr, delivery_channel as dc};
use crate::aws::iam::Role;
use crate::aws::iam::managed_policy;
use crate::aws::iam::role;
use crate::aws::kms::Key;
use crate::aws::s3::Bucket;
use crate::intrinsic::{sub, sub_with};
use crate::{Handle, Value};

/// What a `recorder` declaration writes.
#[derive(Debug, Default)]
pub struct RecorderSpec<'a> {
    /// The bucket snapshots and histories are delivered to.
    pub bucket: Option<&'a Handle<Bucket>>,
    /// The key they are encrypted with.
    pub key: Option<&'a Handle<Key>>,
}

/// The configuration recorder and its delivery channel.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// The recorder.
    pub recorder: Handle<config::ConfigurationRecorder>,
    /// Where it delivers.
    pub channel: Handle<config::DeliveryChannel>,
}

/// Adds the role, the recorder and its delivery channel.
#[track_caller]
pub fn recorder(scope: &mut Scope<'_>, id: &str, spec: RecorderSpec<'_>) -> Recorder {
    scope.enter();
    let tag = super::kebab(id);
    let role = delivery_role(scope, id, &spec, &tag);
    let recorder = scope.add(
        id,
        config::configuration_recorder::ConfigurationRecorder {
            name: some(scope.physical_name(&tag)),
            role_arn: role.arn(),
            recording_group: Some(cr::RecordingGroup {
                all_supported: some(true),
                include_global_resource_types: some(true),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    let channel = scope.add_with(
        &format!("{id}Channel"),
        config::delivery_channel::DeliveryChannel {
            name: some(scope.physical_name(&tag)),
            s3_bucket_name: spec.bucket.map(|b| b.name()).unwrap_or_default(),
            s3_kms_key_arn: spec.key.map(|k| k.arn().erase().cast::<String>()),
            config_snapshot_delivery_properties: Some(dc::ConfigSnapshotDeliveryProperties {
                delivery_frequency: Some(Value::from(dc::DeliveryFrequency::TwentyFourHours)),
            }),
            ..Default::default()
        },
        crate::ResourceOptions::new().depends_on(&recorder),
    );
    Recorder { recorder, channel }
}

/// What delivery needs of the role: the bucket's ACL, this account's `Config/` files,
/// the key's actions.
fn delivery_grants(spec: &RecorderSpec<'_>) -> Vec<Grant> {
    let mut grants = Vec::new();
    if let Some(bucket) = spec.bucket {
        let files = sub_with(
            "${Bucket}/AWSLogs/${AWS::AccountId}/Config/*",
            [("Bucket", bucket.arn().erase())],
        );
        grants.push(Grant::new(
            "ReadBucketAcl",
            &["s3:GetBucketAcl"],
            [bucket.arn().into()],
        ));
        grants.push(Grant::new(
            "DeliverFiles",
            &["s3:PutObject"],
            [IamResource::from(files)],
        ));
    }
    if let Some(key) = spec.key {
        grants.push(Grant::new(
            "EncryptFiles",
            &["kms:GenerateDataKey", "kms:Decrypt"],
            [key.arn().into()],
        ));
    }
    grants
}

/// The recorder's role: trusted by Config for this account only, with `AWS_ConfigRole`
/// and a policy of exactly the delivery.
fn delivery_role(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &RecorderSpec<'_>,
    tag: &str,
) -> Handle<Role> {
    let statements = super::grant::statements(&delivery_grants(spec), scope.stack);
    let policy: Handle<crate::aws::iam::ManagedPolicy> = scope.add(
        &format!("{id}RolePolicy"),
        managed_policy::ManagedPolicy {
            description: some("Delivers AWS Config's files to the archive"),
            policy_document: super::policy_document(statements),
            ..Default::default()
        },
    );
    scope.add(
        &format!("{id}Role"),
        role::Role {
            description: some("Records resource configurations for AWS Config"),
            assume_role_policy_document: super::iam::trust_document("config.amazonaws.com"),
            managed_policy_arns: Some(Value::from(vec![
                sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole")
                    .cast::<String>(),
                policy.arn().cast::<String>(),
            ])),
            tags: Some(scope.name_tag(tag)),
            ..Default::default()
        },
    )
}

impl super::Construct for Recorder {
    type Spec<'a> = RecorderSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: RecorderSpec<'_>) -> Self {
        recorder(scope, id, spec)
    }
}
