//! `key`, `bucket` and `log_group`: encryption at rest everywhere.
//!
//! Keys rotate and may let CloudWatch Logs use them. Buckets block public access, refuse
//! requests without TLS, are versioned and encrypted (by a key of the stack, or with
//! S3-managed keys where a service cannot use KMS, such as load-balancer access logs).
//! Log groups have a retention and, optionally, a key.

use serde_json::json;

use super::{Grant, IamResource, Scope, policy_document, some};
use crate::aws::kms::Key;
use crate::aws::kms::alias;
use crate::aws::kms::key;
use crate::aws::logs::LogGroup;
use crate::aws::logs::log_group;
use crate::aws::s3::bucket_policy;
use crate::aws::s3::{Bucket, bucket};
use crate::intrinsic::{join, sub, sub_with};
use crate::{Arn, Handle, Json, Policy, ResourceOptions, Value};

/// What a `key` construct declares.
#[derive(Debug)]
pub struct KeySpec<'a> {
    /// What the key protects.
    pub description: &'a str,
    /// Yearly automatic rotation (on by default).
    pub rotation: bool,
    /// Lets CloudWatch Logs in this account and region encrypt log groups with the key.
    pub allow_logs: bool,
}

impl Default for KeySpec<'_> {
    fn default() -> Self {
        Self {
            description: "",
            rotation: infra_facts::defaults::key::ROTATION,
            allow_logs: infra_facts::defaults::key::ALLOW_LOGS,
        }
    }
}

/// Adds a customer-managed key, retained when the stack is deleted, and its alias.
#[track_caller]
pub fn key(scope: &mut Scope<'_>, id: &str, spec: KeySpec<'_>) -> Handle<Key> {
    scope.enter();
    let mut statements = vec![json!({
        "Sid": "AccountAdministersTheKey",
        "Effect": "Allow",
        "Principal": { "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root").to_json() },
        "Action": "kms:*",
        "Resource": "*"
    })];
    if spec.allow_logs {
        statements.push(json!({
            "Sid": "CloudWatchLogsUsesTheKey",
            "Effect": "Allow",
            "Principal": { "Service": sub("logs.${AWS::Region}.amazonaws.com").to_json() },
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": { "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn":
                    sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*").to_json()
            }}
        }));
    }
    let key = scope.add_with(
        id,
        key::Key {
            description: (!spec.description.is_empty()).then(|| spec.description.into()),
            enable_key_rotation: some(spec.rotation),
            pending_window_in_days: some(30),
            key_policy: Some(policy_document(statements)),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        ResourceOptions::new().retain_policy(Policy::Retain),
    );
    let alias = format!("alias/{}", scope.physical_name(&super::kebab(id)));
    scope.add(
        &format!("{id}Alias"),
        alias::Alias {
            alias_name: alias.into(),
            target_key_id: key.id().into(),
        },
    );
    key
}

/// How a bucket encrypts objects at rest.
#[derive(Debug, Clone, Copy, Default)]
pub enum BucketEncryption<'a> {
    /// S3-managed keys (SSE-S3): what load-balancer access logs require.
    #[default]
    S3Managed,
    /// A customer-managed KMS key of the stack (SSE-KMS).
    Kms(&'a Handle<Key>),
}

/// What a `bucket` construct declares.
#[derive(Debug)]
pub struct BucketSpec<'a> {
    /// How objects are encrypted at rest.
    pub encryption: BucketEncryption<'a>,
    /// Keep every version of every object.
    pub versioning: bool,
    /// Move objects to Glacier after this many days.
    pub glacier_after_days: Option<u16>,
    /// Let Elastic Load Balancing deliver access logs (under `AWSLogs/<account>/`).
    pub load_balancer_logs: bool,
}

impl Default for BucketSpec<'_> {
    fn default() -> Self {
        use infra_facts::defaults::bucket as D;
        Self {
            encryption: BucketEncryption::default(),
            versioning: D::VERSIONING,
            glacier_after_days: None,
            load_balancer_logs: D::LOAD_BALANCER_LOGS,
        }
    }
}

/// Elastic Load Balancing's account in regions that predate the log-delivery service
/// principal (AWS documentation, "Enable access logs for your Application Load Balancer").
fn elb_account(region: &str) -> Option<&'static str> {
    Some(match region {
        "us-east-1" => "127311923021",
        "us-east-2" => "033677994240",
        "us-west-1" => "027434742980",
        "us-west-2" => "797873946194",
        "eu-west-1" => "156460612806",
        "eu-west-2" => "652711504416",
        "eu-central-1" => "054676820928",
        _ => return None,
    })
}

/// Adds a private, TLS-only bucket, retained when the stack is deleted.
#[track_caller]
pub fn bucket(scope: &mut Scope<'_>, id: &str, spec: BucketSpec<'_>) -> Handle<Bucket> {
    scope.enter();
    let by_default = encryption_by_default(&spec);
    let rules = lifecycle_rules(&spec);
    let mut options = ResourceOptions::new().retain_policy(Policy::Retain);
    if spec.load_balancer_logs {
        options = super::suppress(
            options,
            super::Checker::Checkov,
            "CKV_AWS_18",
            "This bucket holds access logs; logging access to it would need one more log bucket, and only Elastic Load Balancing writes to it",
        );
    }
    let handle = scope.add_with(
        id,
        bucket::Bucket {
            bucket_encryption: Some(bucket::BucketEncryption {
                server_side_encryption_configuration: vec![bucket::ServerSideEncryptionRule {
                    bucket_key_enabled: some(matches!(spec.encryption, BucketEncryption::Kms(_))),
                    server_side_encryption_by_default: Some(by_default),
                    ..Default::default()
                }],
            }),
            public_access_block_configuration: Some(bucket::PublicAccessBlockConfiguration {
                block_public_acls: some(true),
                block_public_policy: some(true),
                ignore_public_acls: some(true),
                restrict_public_buckets: some(true),
            }),
            ownership_controls: Some(bucket::OwnershipControls {
                rules: vec![bucket::OwnershipControlsRule {
                    object_ownership: Some(bucket::ObjectOwnership::BucketOwnerEnforced.into()),
                }],
            }),
            versioning_configuration: spec.versioning.then(|| bucket::VersioningConfiguration {
                status: bucket::VersioningConfigurationStatus::Enabled.into(),
            }),
            lifecycle_configuration: Some(bucket::LifecycleConfiguration {
                rules,
                ..Default::default()
            }),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    );

    bucket_policy(scope, id, &handle, &spec);
    handle
}

/// Server-side encryption: SSE-S3, or SSE-KMS with the spec's key.
fn encryption_by_default(spec: &BucketSpec<'_>) -> bucket::ServerSideEncryptionByDefault {
    match spec.encryption {
        BucketEncryption::S3Managed => bucket::ServerSideEncryptionByDefault {
            sse_algorithm: bucket::SseAlgorithm::Aes256.into(),
            kms_master_key_id: None,
        },
        BucketEncryption::Kms(key) => bucket::ServerSideEncryptionByDefault {
            sse_algorithm: bucket::SseAlgorithm::AwsKms.into(),
            kms_master_key_id: Some(key.arn().into()),
        },
    }
}

/// Incomplete uploads aborted after a week; objects to Glacier after the spec's days.
fn lifecycle_rules(spec: &BucketSpec<'_>) -> Vec<bucket::Rule> {
    let mut rules = vec![bucket::Rule {
        id: some("AbortIncompleteUploads"),
        status: bucket::RuleStatus::Enabled.into(),
        abort_incomplete_multipart_upload: Some(bucket::AbortIncompleteMultipartUpload {
            days_after_initiation: 7.into(),
        }),
        ..Default::default()
    }];
    if let Some(days) = spec.glacier_after_days {
        rules.push(bucket::Rule {
            id: some("ToGlacier"),
            status: bucket::RuleStatus::Enabled.into(),
            transitions: Some(vec![bucket::Transition {
                storage_class: bucket::StorageClass::Glacier.into(),
                transition_in_days: some(i64::from(days)),
                ..Default::default()
            }]),
            noncurrent_version_transitions: Some(vec![bucket::NoncurrentVersionTransition {
                storage_class: bucket::StorageClass::Glacier.into(),
                transition_in_days: i64::from(days).into(),
                ..Default::default()
            }]),
            ..Default::default()
        });
    }
    rules
}

/// The bucket's policy: nothing over plain HTTP, and the load balancer's access logs in.
fn bucket_policy(scope: &mut Scope<'_>, id: &str, handle: &Handle<Bucket>, spec: &BucketSpec<'_>) {
    let arn = handle.arn().erase();
    let mut statements: Vec<Json> = vec![json!({
        "Sid": "DenyWithoutTls",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        // The bucket and its objects as `Fn::GetAtt` and `Fn::Join`: the form policy
        // checkers (AWS Control Tower's CT.S3.PR.8 among them) recognize.
        "Resource": [arn.to_json(), join("", [arn.clone().cast(), "/*".into()]).to_json()],
        "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    })];
    if spec.load_balancer_logs {
        let principal = match elb_account(&scope.config.region) {
            Some(account) => json!({ "AWS": format!("arn:aws:iam::{account}:root") }),
            None => json!({ "Service": "logdelivery.elasticloadbalancing.amazonaws.com" }),
        };
        statements.push(json!({
            "Sid": "LoadBalancerDeliversAccessLogs",
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:PutObject",
            "Resource": sub_with("${Arn}/AWSLogs/${AWS::AccountId}/*", [("Arn", arn.clone())]).to_json()
        }));
    }
    scope.add_with(
        &format!("{id}Policy"),
        bucket_policy::BucketPolicy {
            bucket: handle.name(),
            policy_document: policy_document(statements),
        },
        super::suppress(
            ResourceOptions::new(),
            super::Checker::CfnLint,
            "I1022",
            "The objects' ARN is an Fn::Join so that policy checkers recognize the TLS-only statement",
        ),
    );
}

/// A statement a bucket's policy allows beyond its own: always a service principal, only
/// on the bucket's objects, and only on behalf of one resource of this account, so an
/// extra statement never opens the bucket to anyone else.
#[derive(Debug, Clone)]
pub struct BucketStatement {
    sid: &'static str,
    service: &'static str,
    actions: &'static [&'static str],
    source_arn: Value<String>,
}

impl BucketStatement {
    /// CloudFront origin access control: `distribution` reads the objects (and nothing
    /// else may through CloudFront).
    pub fn cloudfront_read(distribution: &Handle<crate::aws::cloudfront::Distribution>) -> Self {
        Self {
            sid: "CloudFrontReadsObjects",
            service: "cloudfront.amazonaws.com",
            actions: &["s3:GetObject"],
            source_arn: sub_with(
                "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Id}",
                [("Id", distribution.id().erase())],
            )
            .cast(),
        }
    }

    fn to_json(&self, bucket_arn: &Value<crate::value::Untyped>, index: usize) -> Json {
        json!({
            "Sid": format!("{}{}", self.sid, index + 1),
            "Effect": "Allow",
            "Principal": { "Service": self.service },
            "Action": self.actions,
            "Resource": sub_with("${Arn}/*", [("Arn", bucket_arn.clone())]).to_json(),
            "Condition": {
                "StringEquals": {
                    "AWS:SourceArn": self.source_arn.to_json(),
                    "AWS:SourceAccount": crate::value::pseudo::account_id().to_json(),
                }
            }
        })
    }
}

/// Adds `statements` to the policy of the bucket a `bucket` construct declared as `id`.
/// The macro calls it after every declaration exists, so that a statement may name a
/// resource that itself reads the bucket (a distribution and its origin).
pub fn bucket_statements(
    scope: &mut Scope<'_>,
    id: &str,
    bucket: &Handle<Bucket>,
    statements: &[BucketStatement],
) {
    let arn = bucket.arn().erase();
    let extra: Vec<Json> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| s.to_json(&arn, i))
        .collect();
    if !scope.append_statements(&format!("{id}Policy"), "PolicyDocument", extra) {
        scope.reject(
            id,
            "is not a bucket declared with `bucket`, so it has no policy to add statements to"
                .to_owned(),
        );
    }
}

/// What a `log_group` construct declares.
#[derive(Debug, Default)]
pub struct LogGroupSpec<'a> {
    /// The group's name; CloudFormation generates one when unset.
    pub name: Option<&'a str>,
    /// How long events are kept.
    pub retention_days: u16,
    /// The key that encrypts the group (its policy must let CloudWatch Logs use it).
    pub key: Option<&'a Handle<Key>>,
}

/// Adds a log group, retained when the stack is deleted.
#[track_caller]
pub fn log_group(scope: &mut Scope<'_>, id: &str, spec: LogGroupSpec<'_>) -> Handle<LogGroup> {
    scope.enter();
    if let Some(key) = spec.key
        && let Some(problem) = logs_may_not_use(scope.stack, key)
    {
        scope.reject(id, problem);
    }
    scope.add_with(
        id,
        log_group::LogGroup {
            log_group_name: spec.name.map(|name| name.into()),
            retention_in_days: some(i64::from(spec.retention_days)),
            kms_key_id: spec.key.map(|key| key.arn().into()),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        ResourceOptions::new().retain_policy(Policy::Retain),
    )
}

/// The logical id of the stack's policy of `bucket`: a `bucket` declaration's own
/// (`<id>Policy`), or a raw `s3::BucketPolicy` whose `Bucket` is the bucket's `Ref`.
pub(crate) fn policy_of(stack: &crate::Stack, bucket: &Handle<Bucket>) -> Option<String> {
    let id = bucket.logical_id();
    let own = format!("{id}Policy");
    let is_policy = |entry: &crate::stack::ResourceEntry| {
        entry.type_name == "AWS::S3::BucketPolicy"
            && entry
                .properties
                .as_ref()
                .is_ok_and(|p| p["Bucket"]["Ref"] == id)
    };
    let entry = stack
        .resource(&own)
        .filter(|e| is_policy(e))
        .or_else(|| stack.resources.iter().find(|e| is_policy(e)))?;
    Some(entry.logical_id.clone())
}

/// Why CloudWatch Logs could not encrypt a log group with `key`, if the key is a
/// resource of the stack whose written-out policy lets no `logs` service principal use
/// it (a raw `kms::Key`; a `key` declaration says `allow_logs: true` instead, checked by
/// its type).
fn logs_may_not_use(stack: &crate::Stack, key: &Handle<Key>) -> Option<String> {
    let properties = stack.resource(key.logical_id())?.properties.as_ref().ok()?;
    let statements = properties["KeyPolicy"]["Statement"].as_array()?;
    let for_logs = |service: &Json| {
        let text = service.as_str().or_else(|| service["Fn::Sub"].as_str());
        text.is_some_and(|s| s.starts_with("logs."))
    };
    let allowed = statements.iter().any(|statement| {
        statement["Effect"] == "Allow"
            && crate::compliance::values(&statement["Principal"]["Service"])
                .into_iter()
                .any(for_logs)
    });
    (!allowed).then(|| {
        format!(
            "is encrypted with key `{}`, whose policy does not let CloudWatch Logs use it; \
             allow the service principal `logs.<region>.amazonaws.com` in it (a `key` \
             declaration does with `allow_logs: true`)",
            key.logical_id()
        )
    })
}

/// `write_logs(group)`: create streams in a log group and write events to them.
pub fn write_logs(group: &Handle<LogGroup>) -> Grant {
    let streams = sub_with("${Arn}:*", [("Arn", group.arn().erase())]);
    Grant::new(
        "WriteLogs",
        &["logs:CreateLogStream", "logs:PutLogEvents"],
        [streams.into()],
    )
}

/// `read(bucket)`: read the bucket's objects.
pub fn read(bucket: &Handle<Bucket>) -> Grant {
    read_objects(&bucket.arn())
}

/// `write(bucket)`: write objects to the bucket.
pub fn write(bucket: &Handle<Bucket>) -> Grant {
    write_objects(&bucket.arn())
}

fn read_objects(bucket: &Value<Arn<Bucket>>) -> Grant {
    Grant::new("ReadObjects", &["s3:GetObject"], [objects(bucket)])
}

fn write_objects(bucket: &Value<Arn<Bucket>>) -> Grant {
    Grant::new("WriteObjects", &["s3:PutObject"], [objects(bucket)])
}

fn list_objects(bucket: &Value<Arn<Bucket>>) -> Grant {
    Grant::new("ListObjects", &["s3:ListBucket"], [bucket.clone().into()])
}

fn objects(bucket: &Value<Arn<Bucket>>) -> IamResource {
    sub_with("${Arn}/*", [("Arn", bucket.clone().erase())]).into()
}

/// `use_key(key)`: encrypt and decrypt with the key.
pub fn use_key(key: &Handle<Key>) -> Grant {
    use_key_arn(&key.arn())
}

fn use_key_arn(key: &Value<Arn<Key>>) -> Grant {
    Grant::new(
        "UseKey",
        &["kms:Decrypt", "kms:GenerateDataKey"],
        [key.clone().into()],
    )
}

/// The verbs of a log group: `write_logs`.
#[derive(Debug, Clone, Copy)]
pub struct LogGroupVerbs<'a>(&'a Handle<LogGroup>);

/// The access levels of the LogGroup beneath these verbs (`tag`, …).
impl super::AccessLevels for LogGroupVerbs<'_> {
    type Primary = LogGroup;

    fn primary(&self) -> &Handle<LogGroup> {
        self.0
    }
}

impl LogGroupVerbs<'_> {
    /// Create streams and write events.
    pub fn write_logs(&self) -> Grant {
        write_logs(self.0)
    }
}

/// The verbs of a bucket: `read` and `write` its objects.
#[derive(Debug, Clone, Copy)]
pub struct BucketVerbs<'a>(&'a Handle<Bucket>);

/// The access levels of the Bucket beneath these verbs (`tag`, …).
impl super::AccessLevels for BucketVerbs<'_> {
    type Primary = Bucket;

    fn primary(&self) -> &Handle<Bucket> {
        self.0
    }
}

impl BucketVerbs<'_> {
    /// Read objects.
    pub fn read(&self) -> Grant {
        read(self.0)
    }

    /// Write objects.
    pub fn write(&self) -> Grant {
        write(self.0)
    }

    /// List the objects' keys.
    pub fn list(&self) -> Grant {
        list_objects(&self.0.arn())
    }
}

/// The verbs of a bucket known by its ARN (another stack's, imported): `read`, `write`
/// and `list`, as a bucket of the stack offers them.
#[derive(Debug, Clone, Copy)]
pub struct BucketArnVerbs<'a>(&'a Value<Arn<Bucket>>);

impl BucketArnVerbs<'_> {
    /// Read objects.
    pub fn read(&self) -> Grant {
        read_objects(self.0)
    }

    /// Write objects.
    pub fn write(&self) -> Grant {
        write_objects(self.0)
    }

    /// List the objects' keys.
    pub fn list(&self) -> Grant {
        list_objects(self.0)
    }
}

/// The verbs of a key known by its ARN (another stack's, imported): `use_key`.
#[derive(Debug, Clone, Copy)]
pub struct KeyArnVerbs<'a>(&'a Value<Arn<Key>>);

impl KeyArnVerbs<'_> {
    /// Encrypt and decrypt with it.
    pub fn use_key(&self) -> Grant {
        use_key_arn(self.0)
    }
}

/// The verbs of a key: `use_key`.
#[derive(Debug, Clone, Copy)]
pub struct KeyVerbs<'a>(&'a Handle<Key>);

/// The access levels of the Key beneath these verbs (`tag`, …).
impl super::AccessLevels for KeyVerbs<'_> {
    type Primary = Key;

    fn primary(&self) -> &Handle<Key> {
        self.0
    }
}

impl KeyVerbs<'_> {
    /// Encrypt and decrypt with it.
    pub fn use_key(&self) -> Grant {
        use_key(self.0)
    }
}

super::grantable! {
    Handle<LogGroup> => LogGroupVerbs,
    Handle<Bucket> => BucketVerbs,
    Handle<Key> => KeyVerbs,
    Value<Arn<Bucket>> => BucketArnVerbs,
    Value<Arn<Key>> => KeyArnVerbs,
}
