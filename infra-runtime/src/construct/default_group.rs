//! Closing a VPC's default security group, which CloudFormation cannot change: a
//! `Custom::VpcRestrictDefaultSG` resource whose handler, a small Lambda function with
//! inline code (`restrict_default_group.py`), revokes the two rules EC2 creates in it.
//! The type name is the one AWS CDK uses for the same job, which policy checkers know.

use serde::Serialize;
use serde_json::json;

use super::{Checker, Scope, iam, suppress};
use crate::aws::ec2::{SecurityGroup, Vpc};
use crate::aws::lambda::{Function, function};
use crate::aws::logs::LogGroup;
use crate::aws::logs::log_group;
use crate::intrinsic::sub_with;
use crate::resource::{Properties, join_path};
use crate::{Arn, Handle, Id, Resource, ResourceOptions, Value};

/// The handler's source, deployed inline (`Code.ZipFile`, at most 4 KiB).
const HANDLER: &str = include_str!("restrict_default_group.py");

/// The custom resource, with the properties its handler reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestrictDefaultGroup {
    /// The handler function's ARN.
    pub service_token: Value<Arn<Function>>,
    /// The group to close: the VPC's `DefaultSecurityGroup`.
    pub default_security_group_id: Value<Id<SecurityGroup>>,
}

impl Resource for RestrictDefaultGroup {
    const TYPE_NAME: &'static str = "Custom::VpcRestrictDefaultSG";
    const CREATE_ONLY_PROPERTIES: &'static [&'static str] = &[];
    const ATTRIBUTES: &'static [&'static str] = &[];
    const TAGGABLE: bool = false;
}

impl Properties for RestrictDefaultGroup {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        self.service_token
            .missing_required(&join_path(path, "ServiceToken"), missing);
        self.default_security_group_id
            .missing_required(&join_path(path, "DefaultSecurityGroupId"), missing);
    }
}

/// Adds the handler, its role and the custom resource that closes `vpc`'s default group.
/// When the network logs its traffic to `flow_logs`, the handler gets a log group of its
/// own with that group's retention and key (its lines never mix with the flow logs).
pub(crate) fn restrict_default_group(
    scope: &mut Scope<'_>,
    id: &str,
    vpc: &Handle<Vpc>,
    flow_logs: Option<&Handle<LogGroup>>,
) {
    let own_logs = flow_logs.map(|flow_logs| handler_logs(scope, id, flow_logs));
    let logs = own_logs.as_ref();
    let group = vpc.default_security_group();
    let mut statements = vec![json!({
        "Sid": "CloseTheDefaultGroup",
        "Effect": "Allow",
        "Action": ["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
        "Resource": sub_with(
            "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${GroupId}",
            [("GroupId", group.clone().erase())],
        ).to_json()
    })];
    if let Some(logs) = logs {
        statements.push(json!({
            "Sid": "WriteLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": sub_with("${Arn}:*", [("Arn", logs.arn().erase())]).to_json()
        }));
    }
    let role = iam::service_role(
        scope,
        &format!("{id}RestrictDefaultGroupRole"),
        iam::ServiceRole {
            description: "Lets the handler close the VPC's default security group",
            service: "lambda.amazonaws.com",
            statements,
            tag: &format!("{}-restrict-default-group", super::kebab(id)),
        },
    );
    let handler: Handle<Function> = scope.add_with(
        &format!("{id}RestrictDefaultGroupHandler"),
        function::Function {
            description: Some("Closes the VPC's default security group".into()),
            code: function::Code {
                zip_file: Some(HANDLER.into()),
                ..Default::default()
            },
            handler: Some("index.handler".into()),
            runtime: Some(function::Runtime::Python313.into()),
            role: role.arn(),
            timeout: Some(60.into()),
            logging_config: logs.map(|logs| function::LoggingConfig {
                log_group: Some(logs.name()),
                ..Default::default()
            }),
            tags: Some(scope.name_tag(&format!("{}-restrict-default-group", super::kebab(id)))),
            ..Default::default()
        },
        handler_suppressions(),
    );
    scope.add(
        &format!("{id}RestrictDefaultGroup"),
        RestrictDefaultGroup {
            service_token: handler.arn(),
            default_security_group_id: group,
        },
    );
}

/// The handler's log group, kept and encrypted as the flow-log group is: its
/// `RetentionInDays`, `KmsKeyId` and deletion policies, as the stack holds them.
fn handler_logs(scope: &mut Scope<'_>, id: &str, flow_logs: &Handle<LogGroup>) -> Handle<LogGroup> {
    let entry = scope.stack.resource(flow_logs.logical_id());
    let properties = entry
        .and_then(|r| r.properties.as_ref().ok())
        .cloned()
        .unwrap_or_default();
    let mut options = ResourceOptions::new();
    if let Some(entry) = entry {
        options.deletion_policy = entry.options.deletion_policy;
        options.update_replace_policy = entry.options.update_replace_policy;
    }
    scope.add_with(
        &format!("{id}RestrictDefaultGroupLogs"),
        log_group::LogGroup {
            retention_in_days: copied(&properties, "RetentionInDays"),
            kms_key_id: copied(&properties, "KmsKeyId"),
            tags: Some(scope.name_tag(&format!("{}-restrict-default-group", super::kebab(id)))),
            ..Default::default()
        },
        options,
    )
}

/// A property of a resource as the stack holds it, as a value to set elsewhere.
fn copied<T>(properties: &serde_json::Value, key: &str) -> Option<crate::Value<T>> {
    let value = &properties[key];
    (!value.is_null()).then(|| crate::Value::unchecked(value.clone()))
}

/// checkov's function checks that do not fit a handler CloudFormation calls once per
/// change of the stack.
fn handler_suppressions() -> ResourceOptions {
    let reasons = [
        (
            "CKV_AWS_116",
            "CloudFormation calls the handler and fails the stack when no answer comes; a dead-letter queue would hold nothing to act on",
        ),
        (
            "CKV_AWS_117",
            "The handler only calls the EC2 API; inside the VPC it would need a NAT gateway or an EC2 endpoint to reach it",
        ),
        (
            "CKV_AWS_115",
            "CloudFormation calls the handler once per change of the stack; reserving concurrency would take it from every other function of the account",
        ),
    ];
    reasons
        .into_iter()
        .fold(ResourceOptions::new(), |options, (id, reason)| {
            suppress(options, Checker::Checkov, id, reason)
        })
}
