//! `role`: an IAM role with its trust (`assumed_by`) and least-privilege grants.
//!
//! Each grant names a resource of the stack and becomes one statement scoped to that
//! resource's ARN; there is no way to write `*` through a grant.

use serde_json::json;

use super::{Aurora, Scope, policy_document};
use crate::aws::iam::{ManagedPolicy, Role};
use crate::aws::kms::Key;
use crate::aws::logs::LogGroup;
use crate::aws::s3::Bucket;
use crate::intrinsic::sub_with;
use crate::{Handle, Json, Value};

/// Who may assume a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Principal {
    /// ECS tasks (`ecs-tasks.amazonaws.com`): task and task-execution roles.
    #[default]
    EcsTasks,
    /// VPC flow-log delivery (`vpc-flow-logs.amazonaws.com`).
    VpcFlowLogs,
    /// Lambda functions (`lambda.amazonaws.com`).
    Lambda,
    /// EC2 instances (`ec2.amazonaws.com`).
    Ec2,
}

impl Principal {
    /// The service principal.
    pub fn service(self) -> &'static str {
        match self {
            Self::EcsTasks => "ecs-tasks.amazonaws.com",
            Self::VpcFlowLogs => "vpc-flow-logs.amazonaws.com",
            Self::Lambda => "lambda.amazonaws.com",
            Self::Ec2 => "ec2.amazonaws.com",
        }
    }
}

/// A resource of an IAM statement: an ARN literal or any typed ARN.
#[derive(Debug, Clone, PartialEq)]
pub struct IamResource(Json);

impl From<&str> for IamResource {
    fn from(arn: &str) -> Self {
        Self(Json::from(arn))
    }
}

impl From<String> for IamResource {
    fn from(arn: String) -> Self {
        Self(Json::from(arn))
    }
}

impl<T> From<Value<crate::Arn<T>>> for IamResource {
    fn from(arn: Value<crate::Arn<T>>) -> Self {
        Self(arn.to_json())
    }
}

/// A permission on one resource of the stack.
#[derive(Debug, Clone)]
pub struct Grant {
    sid: &'static str,
    actions: Vec<Json>,
    resources: Vec<Json>,
}

impl Grant {
    /// Create streams in and write events to a log group.
    pub fn write_logs(group: &Handle<LogGroup>) -> Self {
        Self {
            sid: "WriteLogs",
            actions: json_list(&["logs:CreateLogStream", "logs:PutLogEvents"]),
            resources: vec![sub_with("${Arn}:*", [("Arn", group.arn().erase())]).to_json()],
        }
    }

    /// Read objects of a bucket.
    pub fn read(bucket: &Handle<Bucket>) -> Self {
        Self {
            sid: "ReadObjects",
            actions: json_list(&["s3:GetObject"]),
            resources: vec![sub_with("${Arn}/*", [("Arn", bucket.arn().erase())]).to_json()],
        }
    }

    /// Write objects to a bucket.
    pub fn write(bucket: &Handle<Bucket>) -> Self {
        Self {
            sid: "WriteObjects",
            actions: json_list(&["s3:PutObject"]),
            resources: vec![sub_with("${Arn}/*", [("Arn", bucket.arn().erase())]).to_json()],
        }
    }

    /// Encrypt and decrypt with a KMS key.
    pub fn use_key(key: &Handle<Key>) -> Self {
        Self {
            sid: "UseKey",
            actions: json_list(&["kms:Decrypt", "kms:GenerateDataKey"]),
            resources: vec![key.arn().to_json()],
        }
    }

    /// Connect to an Aurora cluster as `user` with IAM database authentication.
    pub fn connect(database: &Aurora, user: &str) -> Self {
        Self {
            sid: "ConnectToDatabase",
            actions: json_list(&["rds-db:connect"]),
            resources: vec![json!({ "Fn::Sub": [
                format!("arn:${{AWS::Partition}}:rds-db:${{AWS::Region}}:${{AWS::AccountId}}:dbuser:${{ResourceId}}/{user}"),
                { "ResourceId": database.cluster.db_cluster_resource_id().to_json() }
            ]})],
        }
    }

    /// Read a secret's value: a secret of the stack, or an Aurora cluster's managed
    /// master-user secret.
    pub fn read_secret(secret: &impl super::SecretSource) -> Self {
        Self {
            sid: "ReadSecret",
            actions: json_list(&["secretsmanager:GetSecretValue"]),
            resources: vec![secret.secret_arn().to_json()],
        }
    }

    /// Exactly these actions on exactly these resources: ARNs written out, or typed ARNs
    /// of the stack's own resources (`queue.arn()`), so least privilege never needs a
    /// hard-coded account id (`stack!` refuses wildcards in literals).
    pub fn allow(actions: &[&str], resources: &[IamResource]) -> Self {
        Self {
            sid: "Allow",
            actions: actions.iter().map(|a| Json::from(*a)).collect(),
            resources: resources.iter().map(|r| r.0.clone()).collect(),
        }
    }

    fn statement(&self, index: usize) -> Json {
        json!({
            "Sid": format!("{}{}", self.sid, index + 1),
            "Effect": "Allow",
            "Action": self.actions,
            "Resource": self.resources,
        })
    }
}

fn json_list(items: &[&str]) -> Vec<Json> {
    items.iter().map(|i| Json::from(*i)).collect()
}

/// What a `role` construct declares.
#[derive(Debug, Default)]
pub struct RoleSpec<'a> {
    /// What the role is for.
    pub description: &'a str,
    /// The service that may assume it.
    pub assumed_by: Principal,
    /// What it may do, each on one resource.
    pub grants: Vec<Grant>,
}

/// Services documented to send `aws:SourceAccount` when they assume a role, so that a
/// trust policy can refuse a service acting for another account (the confused deputy).
const SENDS_SOURCE_ACCOUNT: &[&str] = &[
    "ecs-tasks.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "lambda.amazonaws.com",
];

/// The trust policy for one service principal; where the service sends it, only on
/// behalf of this stack's account.
pub(crate) fn trust_document(service: &str) -> Value<Json> {
    let mut statement = json!({
        "Effect": "Allow",
        "Principal": { "Service": service },
        "Action": "sts:AssumeRole"
    });
    if SENDS_SOURCE_ACCOUNT.contains(&service) {
        statement["Condition"] = json!({
            "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } }
        });
    }
    policy_document(vec![statement])
}

/// Adds a role.
#[track_caller]
pub fn role(scope: &mut Scope<'_>, id: &str, spec: RoleSpec<'_>) -> Handle<Role> {
    scope.enter();
    let statements: Vec<Json> = spec
        .grants
        .iter()
        .enumerate()
        .map(|(i, grant)| grant.statement(i))
        .collect();
    let tag = super::kebab(id);
    service_role(
        scope,
        id,
        ServiceRole {
            description: spec.description,
            service: spec.assumed_by.service(),
            statements,
            tag: &tag,
        },
    )
}

/// A role for one service principal and what it may do.
pub(crate) struct ServiceRole<'a> {
    /// What the role is for; CloudFormation's default when empty.
    pub description: &'a str,
    /// The service principal that may assume it.
    pub service: &'a str,
    /// The permission statements; none gives a role with no permissions.
    pub statements: Vec<Json>,
    /// The role's `Name` tag.
    pub tag: &'a str,
}

/// Adds a role whose permissions are a customer-managed policy (`{id}Policy`) attached
/// to it, rather than an inline policy: reviewers can audit, version and reuse it, and
/// the role is only complete, with its permissions, once the policy exists.
pub(crate) fn service_role(scope: &mut Scope<'_>, id: &str, role: ServiceRole<'_>) -> Handle<Role> {
    let policy = (!role.statements.is_empty()).then(|| {
        let policy: Handle<ManagedPolicy> = scope.add(
            &format!("{id}Policy"),
            ManagedPolicy {
                description: (!role.description.is_empty())
                    .then(|| format!("Permissions of {id}: {}", role.description).into()),
                policy_document: policy_document(role.statements),
                ..Default::default()
            },
        );
        Value::from(vec![policy.arn().cast::<String>()])
    });
    scope.add(
        id,
        Role {
            description: (!role.description.is_empty()).then(|| role.description.into()),
            assume_role_policy_document: trust_document(role.service),
            managed_policy_arns: policy,
            tags: Some(scope.name_tag(role.tag)),
            ..Default::default()
        },
    )
}
