//! `trail`: a CloudTrail trail of every region's management events, its log files
//! validated and encrypted with a key of the stack, delivered to a bucket of the stack.
//! The bucket's policy and the key's policy gain exactly the statements CloudTrail needs,
//! each scoped to this trail of this account, and the trail waits for the bucket policy.
//!
//! ```text
//! key archive_key { description: "Audit archive" }
//! bucket archive { encryption: kms(archive_key), versioning: true }
//! trail audit { bucket: archive, key: archive_key }
//! ```

use serde_json::json;

use super::{Scope, some};
use crate::aws::cloudtrail;
use crate::aws::kms::Key;
use crate::aws::s3::Bucket;
use crate::intrinsic::sub_with;
use crate::{Handle, Json, Value};

/// What a `trail` declaration writes.
#[derive(Debug)]
pub struct TrailSpec<'a> {
    /// The bucket of this stack the log files are delivered to.
    pub bucket: Option<&'a Handle<Bucket>>,
    /// The key of this stack the log files are encrypted with.
    pub key: Option<&'a Handle<Key>>,
    /// Record every region's events, not only the stack's region.
    pub multi_region: bool,
}

impl Default for TrailSpec<'_> {
    fn default() -> Self {
        Self {
            bucket: None,
            key: None,
            multi_region: true,
        }
    }
}

/// Adds the trail, and CloudTrail's statements to the bucket's and the key's policies.
#[track_caller]
pub fn trail(scope: &mut Scope<'_>, id: &str, spec: TrailSpec<'_>) -> Handle<cloudtrail::Trail> {
    scope.enter();
    let name = scope.physical_name(&super::kebab(id));
    // The trail's ARN from its name: the policies the trail waits for cannot name it.
    let trail_arn = sub_with(
        "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/${Name}",
        [("Name", Value::<String>::from(name.clone()).erase())],
    )
    .to_json();
    let mut options = crate::ResourceOptions::new();
    if let Some(bucket) = spec.bucket {
        match admit_to_bucket(scope, bucket, &trail_arn) {
            Some(policy) => {
                options = options.depends_on_id(&policy);
                note_validated(scope, bucket);
            }
            None => scope.reject(id, format!(
                "delivers to `{}`, which has no bucket policy in this stack to open to CloudTrail; give it a `bucket` declared in this stack, or an `s3::BucketPolicy` whose `bucket` is this one",
                bucket.logical_id()
            )),
        }
    }
    if let Some(key) = spec.key
        && !admit_to_key(scope, key, &trail_arn)
    {
        scope.reject(id, format!(
            "encrypts with `{}`, which has no key policy in this stack to open to CloudTrail; give it a `key` declared in this stack",
            key.logical_id()
        ));
    }
    scope.add_with(
        id,
        cloudtrail::trail::Trail {
            trail_name: some(name),
            s3_bucket_name: spec.bucket.map(|b| b.name()).unwrap_or_default(),
            kms_key_id: spec.key.map(|k| k.arn().into()),
            is_logging: true.into(),
            is_multi_region_trail: some(spec.multi_region),
            include_global_service_events: some(true),
            enable_log_file_validation: some(true),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    )
}

/// Adds to the bucket's policy CloudTrail reading its ACL and writing this account's log
/// files, for this trail alone; the policy's logical id, or `None` when the bucket has no
/// policy in this stack.
fn admit_to_bucket(scope: &mut Scope<'_>, bucket: &Handle<Bucket>, trail: &Json) -> Option<String> {
    let arn = bucket.arn().to_json();
    let objects = sub_with(
        "${Bucket}/AWSLogs/${AWS::AccountId}/*",
        [("Bucket", bucket.arn().erase())],
    )
    .to_json();
    let policy = super::storage::policy_of(scope.stack, bucket)?;
    let statements = [
        json!({
            "Sid": "CloudTrailReadsTheAcl",
            "Effect": "Allow",
            "Principal": { "Service": "cloudtrail.amazonaws.com" },
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": { "StringEquals": { "aws:SourceArn": trail } }
        }),
        json!({
            "Sid": "CloudTrailWritesLogFiles",
            "Effect": "Allow",
            "Principal": { "Service": "cloudtrail.amazonaws.com" },
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": { "StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "aws:SourceArn": trail
            } }
        }),
    ];
    if !scope.append_statements(&policy, "PolicyDocument", statements) {
        return None;
    }
    Some(policy)
}

/// Tells checkers that look for server access logging on every bucket why the archive
/// has none: what would change its log files shows in CloudTrail's digest files.
fn note_validated(scope: &mut Scope<'_>, bucket: &Handle<Bucket>) {
    scope.suppress_on(
        bucket.logical_id(),
        super::Checker::Checkov,
        "CKV_AWS_18",
        "Holds a trail's log files, validated by CloudTrail's digest files (which show any file changed or deleted); server access logs would need a log bucket of their own",
    );
}

/// Adds to the key's policy CloudTrail encrypting this trail's log files and describing
/// the key; `false` when the key is not one of this stack.
fn admit_to_key(scope: &mut Scope<'_>, key: &Handle<Key>, trail: &Json) -> bool {
    let log_files =
        crate::intrinsic::sub("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*")
            .to_json();
    let statements = [
        json!({
            "Sid": "CloudTrailEncryptsLogFiles",
            "Effect": "Allow",
            "Principal": { "Service": "cloudtrail.amazonaws.com" },
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": { "aws:SourceArn": trail },
                "StringLike": { "kms:EncryptionContext:aws:cloudtrail:arn": log_files }
            }
        }),
        json!({
            "Sid": "CloudTrailDescribesTheKey",
            "Effect": "Allow",
            "Principal": { "Service": "cloudtrail.amazonaws.com" },
            "Action": "kms:DescribeKey",
            "Resource": "*"
        }),
    ];
    scope.append_statements(key.logical_id(), "KeyPolicy", statements)
}

impl super::Construct for Handle<cloudtrail::Trail> {
    type Spec<'a> = TrailSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: TrailSpec<'_>) -> Self {
        trail(scope, id, spec)
    }
}
