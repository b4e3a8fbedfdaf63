//! `role`: an IAM role with its trust (`assumed_by`) and least-privilege grants.
//!
//! Each grant is a verb a resource offers ([`super::Grantable`]) and becomes one statement
//! scoped to that resource's ARNs; there is no way to write `*` through a verb.

use serde_json::json;

use super::{Grant, Scope, policy_document};
use crate::aws::iam::managed_policy;
use crate::aws::iam::role;
use crate::aws::iam::{ManagedPolicy, Role};
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
    /// Another service of `infra_facts::iam::SERVICE_PRINCIPALS`
    /// (`states.amazonaws.com`).
    Service(&'static str),
}

impl Principal {
    /// The service principal.
    pub fn service(self) -> &'static str {
        match self {
            Self::EcsTasks => "ecs-tasks.amazonaws.com",
            Self::VpcFlowLogs => "vpc-flow-logs.amazonaws.com",
            Self::Lambda => "lambda.amazonaws.com",
            Self::Ec2 => "ec2.amazonaws.com",
            Self::Service(service) => service,
        }
    }
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
    /// AWS managed policies it attaches, by name (`infra_facts::iam::MANAGED_POLICIES`:
    /// `AmazonEKSClusterPolicy`, `service-role/AWS_ConfigRole`).
    pub managed_policies: &'a [&'a str],
}

/// Services documented to send `aws:SourceAccount` when they assume a role, so that a
/// trust policy can refuse a service acting for another account (the confused deputy).
const SENDS_SOURCE_ACCOUNT: &[&str] = &[
    "ecs-tasks.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "lambda.amazonaws.com",
    "states.amazonaws.com",
    "config.amazonaws.com",
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
    let statements = super::grant::statements(&spec.grants, scope.stack);
    let tag = super::kebab(id);
    let managed = managed_policies(scope, id, spec.managed_policies);
    let role = service_role(
        scope,
        id,
        ServiceRole {
            description: spec.description,
            service: spec.assumed_by.service(),
            statements,
            tag: &tag,
        },
    );
    attach(scope, &role, managed);
    role
}

/// The ARNs of AWS managed policies by name; a name AWS has no policy of (by
/// `infra_facts::iam::MANAGED_POLICIES`) is refused with the nearest.
fn managed_policies(scope: &mut Scope<'_>, id: &str, names: &[&str]) -> Vec<Json> {
    let known = infra_facts::iam::MANAGED_POLICIES;
    let mut arns = Vec::new();
    for name in names {
        if known.contains(name) {
            let arn = format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}");
            arns.push(crate::intrinsic::sub(arn).to_json());
            continue;
        }
        let near = known
            .iter()
            .min_by_key(|k| strsim::levenshtein(k, name))
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        scope.reject(
            id,
            format!("attaches `{name}`, which is not an AWS managed policy it knows{near}"),
        );
    }
    arns
}

/// A role a construct derives: `service` assumes it, and it has exactly the AWS managed
/// policies named (by `infra_facts::iam::MANAGED_POLICIES`).
pub(crate) fn managed_role(
    scope: &mut Scope<'_>,
    id: &str,
    description: &str,
    service: &str,
    policies: &[&str],
) -> Handle<Role> {
    let arns = managed_policies(scope, id, policies);
    let tag = super::kebab(id);
    let role = service_role(
        scope,
        id,
        ServiceRole {
            description,
            service,
            statements: Vec::new(),
            tag: &tag,
        },
    );
    attach(scope, &role, arns);
    role
}

/// Adds managed policies' ARNs to a role's `ManagedPolicyArns`.
fn attach(scope: &mut Scope<'_>, role: &Handle<Role>, arns: Vec<Json>) {
    if arns.is_empty() {
        return;
    }
    if let Some(properties) = scope
        .stack
        .resource_mut(role.logical_id())
        .and_then(|entry| entry.properties.as_mut().ok())
    {
        let list = &mut properties["ManagedPolicyArns"];
        if !list.is_array() {
            *list = Json::Array(Vec::new());
        }
        if let Some(list) = list.as_array_mut() {
            list.extend(arns);
        }
    }
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
            managed_policy::ManagedPolicy {
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
        role::Role {
            description: (!role.description.is_empty()).then(|| role.description.into()),
            assume_role_policy_document: trust_document(role.service),
            managed_policy_arns: policy,
            tags: Some(scope.name_tag(role.tag)),
            ..Default::default()
        },
    )
}

/// Records that construct `id` gives its `what` ("execution role") `role` a job that
/// needs `needed` (writing its log group), and the role's policies do not allow it:
/// synthesis reports it with the construct's line, whatever declared the role and its
/// policies (a `role` with grants, a raw role with inline policies, plain Rust). A role
/// of another stack, or a policy that is not written out, is not judged.
pub(crate) fn require_grant(
    scope: &mut Scope<'_>,
    id: &str,
    what: &str,
    role: Option<&Handle<Role>>,
    needed: &Grant,
    fix: &str,
) {
    let Some(role) = role else { return };
    let Some(statements) = super::grant::allowed_by(scope.stack, role.logical_id()) else {
        return;
    };
    if !needed.is_allowed_by(&statements) {
        let actions: Vec<&str> = needed.actions().collect();
        scope.reject(
            id,
            format!(
                "needs its {what} `{}` to be allowed {} there; {fix}",
                role.logical_id(),
                actions.join(", ")
            ),
        );
    }
}

/// Whether a value refers to a resource of this stack (`Ref` or `Fn::GetAtt`), rather
/// than a parameter or another stack's export.
pub(crate) fn of_this_stack(scope: &Scope<'_>, value: &Json) -> bool {
    let id = value["Ref"]
        .as_str()
        .or_else(|| value["Fn::GetAtt"][0].as_str());
    id.is_some_and(|id| scope.stack.resource(id).is_some())
}
