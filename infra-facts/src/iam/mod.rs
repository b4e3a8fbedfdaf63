//! Least privilege in identity policies: one predicate per rule, which `stack!` applies to
//! the literals it reads and synthesis to every statement of the built template, so the
//! two never disagree. Actions are judged against AWS's authorization reference
//! ([`reference`](mod@reference)).

pub mod reference;

/// The service principals a role's `assumed_by` takes: the keyword it may be written as
/// (the four a task, flow logs, a function and an instance use), the stem of its type
/// (`principal::StatesPrincipal`), and the principal, which `assumed_by` may also be
/// written as, as a string (`"states.amazonaws.com"`).
pub const SERVICE_PRINCIPALS: &[(Option<&str>, &str, &str)] = &[
    (Some("ecs_tasks"), "EcsTasks", "ecs-tasks.amazonaws.com"),
    (
        Some("vpc_flow_logs"),
        "VpcFlowLogs",
        "vpc-flow-logs.amazonaws.com",
    ),
    (Some("lambda"), "Lambda", "lambda.amazonaws.com"),
    (Some("ec2"), "Ec2", "ec2.amazonaws.com"),
    (None, "ApiGateway", "apigateway.amazonaws.com"),
    (None, "AppSync", "appsync.amazonaws.com"),
    (None, "Backup", "backup.amazonaws.com"),
    (None, "Batch", "batch.amazonaws.com"),
    (None, "CloudFormation", "cloudformation.amazonaws.com"),
    (None, "CloudTrail", "cloudtrail.amazonaws.com"),
    (None, "CodeBuild", "codebuild.amazonaws.com"),
    (None, "CodeDeploy", "codedeploy.amazonaws.com"),
    (None, "CodePipeline", "codepipeline.amazonaws.com"),
    (None, "Config", "config.amazonaws.com"),
    (None, "DataSync", "datasync.amazonaws.com"),
    (None, "Dms", "dms.amazonaws.com"),
    (None, "EdgeLambda", "edgelambda.amazonaws.com"),
    (None, "Eks", "eks.amazonaws.com"),
    (None, "ElasticMapReduce", "elasticmapreduce.amazonaws.com"),
    (None, "Events", "events.amazonaws.com"),
    (None, "Firehose", "firehose.amazonaws.com"),
    (None, "Glue", "glue.amazonaws.com"),
    (None, "Iot", "iot.amazonaws.com"),
    (None, "KinesisAnalytics", "kinesisanalytics.amazonaws.com"),
    (None, "Pipes", "pipes.amazonaws.com"),
    (None, "RdsMonitoring", "monitoring.rds.amazonaws.com"),
    (None, "SageMaker", "sagemaker.amazonaws.com"),
    (None, "Scheduler", "scheduler.amazonaws.com"),
    (None, "Ssm", "ssm.amazonaws.com"),
    (None, "States", "states.amazonaws.com"),
];

/// The properties through which a service assumes the role they name: the resource
/// type, the property (a `.`-separated path into it, `[]` for each element of a list),
/// and the type stem of the service in [`SERVICE_PRINCIPALS`]. A role given there must
/// trust that service: `stack!` judges a role of the stack written at the property,
/// synthesis every template (a construct's resources included).
pub const ROLE_PROPERTIES: &[(&str, &str, &str)] = &[
    (
        "AWS::ApiGateway::Account",
        "CloudWatchRoleArn",
        "ApiGateway",
    ),
    ("AWS::AppSync::DataSource", "ServiceRoleArn", "AppSync"),
    ("AWS::Batch::ComputeEnvironment", "ServiceRole", "Batch"),
    (
        "AWS::CloudTrail::Trail",
        "CloudWatchLogsRoleArn",
        "CloudTrail",
    ),
    ("AWS::CodeBuild::Project", "ServiceRole", "CodeBuild"),
    ("AWS::CodePipeline::Pipeline", "RoleArn", "CodePipeline"),
    ("AWS::Config::ConfigurationRecorder", "RoleARN", "Config"),
    (
        "AWS::EC2::FlowLog",
        "DeliverLogsPermissionArn",
        "VpcFlowLogs",
    ),
    ("AWS::ECS::TaskDefinition", "ExecutionRoleArn", "EcsTasks"),
    ("AWS::ECS::TaskDefinition", "TaskRoleArn", "EcsTasks"),
    ("AWS::EKS::Cluster", "RoleArn", "Eks"),
    ("AWS::EKS::Nodegroup", "NodeRole", "Ec2"),
    ("AWS::Events::Rule", "Targets[].RoleArn", "Events"),
    ("AWS::Glue::Crawler", "Role", "Glue"),
    ("AWS::Glue::Job", "Role", "Glue"),
    ("AWS::Lambda::Function", "Role", "Lambda"),
    ("AWS::Pipes::Pipe", "RoleArn", "Pipes"),
    ("AWS::RDS::DBCluster", "MonitoringRoleArn", "RdsMonitoring"),
    ("AWS::RDS::DBInstance", "MonitoringRoleArn", "RdsMonitoring"),
    ("AWS::SageMaker::NotebookInstance", "RoleArn", "SageMaker"),
    ("AWS::Scheduler::Schedule", "Target.RoleArn", "Scheduler"),
    ("AWS::StepFunctions::StateMachine", "RoleArn", "States"),
];

/// The service principal of a type stem of [`SERVICE_PRINCIPALS`] (`"Lambda"`).
pub fn service_of_stem(stem: &str) -> Option<&'static str> {
    SERVICE_PRINCIPALS
        .iter()
        .find(|(_, s, _)| *s == stem)
        .map(|(_, _, service)| *service)
}

/// The type stem of a service principal [`SERVICE_PRINCIPALS`] does not list
/// (`"bedrock.amazonaws.com"`): a role assumed by it is assumable by no service whose
/// property [`ROLE_PROPERTIES`] lists.
pub const OTHER_SERVICE: &str = "OtherService";

/// Whether `principal` is a service principal of a service AWS's authorization
/// reference has: `<service>.amazonaws.com`, the service a prefix of the reference
/// (`bedrock`), or any of its dotted labels one (`monitoring.rds`).
pub fn is_service_principal(principal: &str) -> bool {
    let Some(head) = principal.strip_suffix(".amazonaws.com") else {
        return false;
    };
    let label = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    head.split('.').all(label)
        && (reference::has_service(head) || head.split('.').any(reference::has_service))
}

/// The entry of [`SERVICE_PRINCIPALS`] that `assumed_by` names: a keyword
/// (`ecs_tasks`) or, as a string, a principal (`"states.amazonaws.com"`).
pub fn service_principal(written: &str, as_string: bool) -> Option<(&'static str, &'static str)> {
    SERVICE_PRINCIPALS
        .iter()
        .find(|(keyword, _, service)| {
            if as_string {
                *service == written
            } else {
                *keyword == Some(written)
            }
        })
        .map(|(_, stem, service)| (*stem, *service))
}

/// AWS managed policies a `role` attaches by name, as their ARN names them after
/// `policy/` (with the path: `service-role/AWS_ConfigRole`): those the service roles of
/// the built-ins and the reference stacks need. Source: AWS Managed Policy Reference
/// Guide, read 2026-12.
pub const MANAGED_POLICIES: &[&str] = &[
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEKSClusterPolicy",
    "AmazonEKSVPCResourceController",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonSSMManagedInstanceCore",
    "AWSXrayWriteOnlyAccess",
    "CloudWatchAgentServerPolicy",
    "service-role/AWS_ConfigRole",
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSGlueServiceRole",
    "service-role/AWSLambdaBasicExecutionRole",
    "service-role/AWSLambdaVPCAccessExecutionRole",
    "service-role/AmazonEC2ContainerServiceforEC2Role",
    "service-role/AmazonECSTaskExecutionRolePolicy",
    "service-role/AmazonRDSEnhancedMonitoringRole",
];

/// The CloudFormation types whose `PolicyDocument` is an identity policy.
pub const POLICY_TYPES: &[&str] = &[
    "AWS::IAM::GroupPolicy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Policy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
];

/// The CloudFormation types that hold a resource policy, and the property that holds
/// it: the policy names its principals, and `*` is its resource by design (a key
/// policy's), so it is held to the reference ([`judge_resource_statement`]) rather than
/// to least privilege.
pub const RESOURCE_POLICY_TYPES: &[(&str, &str)] = &[
    ("AWS::KMS::Key", "KeyPolicy"),
    ("AWS::S3::BucketPolicy", "PolicyDocument"),
    ("AWS::SNS::TopicPolicy", "PolicyDocument"),
    ("AWS::SQS::QueuePolicy", "PolicyDocument"),
];

/// The CloudFormation types whose `Policies` hold inline identity policies.
pub const INLINE_POLICY_TYPES: &[&str] = &["AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::User"];

/// Whether an action names more than one action: `*`, `s3:*`, `s3:Get*`, `s3:?etObject`.
/// Least privilege names each action exactly.
pub fn wildcard_action(action: &str) -> bool {
    action.contains(['*', '?'])
}

/// Whether a resource names no particular resource: `*`, or an ARN whose service, region
/// or account, or the head of whose resource part, is a wildcard. A path under a named
/// resource (`arn:aws:s3:::reports/*`, `arn:aws:logs:…:log-group:app:*`) names that
/// resource.
pub fn wildcard_resource(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [_, _, service, region, account, resource] => {
            [service, region, account]
                .iter()
                .any(|p| p.contains(['*', '?']))
                || resource
                    .split(['/', ':'])
                    .next()
                    .is_some_and(|head| head.contains(['*', '?']))
        }
        _ => arn.contains(['*', '?']),
    }
}

/// Where a statement's problem is: the index of the action or of the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culprit {
    /// The action at this index.
    Action(usize),
    /// The resource at this index.
    Resource(usize),
}

/// A problem of one `Allow` statement, with the element it is at and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where.
    pub at: Culprit,
    /// What is wrong, naming the value (`` `s3:GetObjekt` is not an action of s3 ``).
    pub problem: String,
    /// What to do.
    pub help: String,
}

/// A resource of a statement, as far as the judge can know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementResource<'a> {
    /// A literal: `*` or an ARN written out.
    Literal(&'a str),
    /// The ARN of a resource of this CloudFormation type (`AWS::DynamoDB::Table`): a
    /// typed ARN of a declaration, `Fn::GetAtt` of a resource's `Arn`.
    OfType(&'a str),
    /// A value the judge cannot see into (a parameter, an intrinsic).
    Unknown,
}

/// Judges an `Allow` statement against least privilege and AWS's authorization
/// reference: each action names exactly one action that AWS defines (the nearest is
/// suggested); a resource that names no particular resource (`*`) is only for actions AWS
/// defines on no resource (`xray:PutTraceSegments`); a literal ARN is of a resource type
/// each action applies to, and so is the ARN of a resource of a known type (an action of
/// `sqs` on a DynamoDB table's ARN is not). The one judgement `stack!` applies to
/// literals and declarations and synthesis to every policy.
pub fn judge_statement(actions: &[&str], resources: &[StatementResource<'_>]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        if let Some((problem, help)) = action_problem(action) {
            findings.push(Finding {
                at: Culprit::Action(i),
                problem,
                help,
            });
        }
    }
    let known: Vec<reference::Action> = actions
        .iter()
        .filter(|a| !wildcard_action(a))
        .filter_map(|a| reference::action(a))
        .collect();
    for (i, resource) in resources.iter().enumerate() {
        let problem = match resource {
            StatementResource::Literal(arn) => resource_problem(&known, arn),
            StatementResource::OfType(type_name) => type_problem(&known, type_name),
            StatementResource::Unknown => None,
        };
        if let Some((problem, help)) = problem {
            findings.push(Finding {
                at: Culprit::Resource(i),
                problem,
                help,
            });
        }
    }
    findings
}

/// Judges an `Allow` statement of a resource policy against AWS's authorization
/// reference: each action is one AWS defines, or a pattern that matches some
/// (`kms:Encrypt*`, `*`), and each resource that names one (a literal ARN, the ARN of a
/// resource of a known type) is of a resource type the exact actions apply to. The
/// same findings as [`judge_statement`] without least privilege's wildcard rules.
pub fn judge_resource_statement(
    actions: &[&str],
    resources: &[StatementResource<'_>],
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = actions
        .iter()
        .enumerate()
        .filter_map(|(i, action)| {
            let problem = if wildcard_action(action) {
                pattern_problem(action)
            } else {
                unknown_action_problem(action)
            };
            problem.map(|(problem, help)| Finding {
                at: Culprit::Action(i),
                problem,
                help,
            })
        })
        .collect();
    let judged: Vec<StatementResource<'_>> = resources
        .iter()
        .map(|r| match r {
            StatementResource::Literal(arn) if wildcard_resource(arn) => StatementResource::Unknown,
            other => *other,
        })
        .collect();
    let exact: Vec<&str> = actions
        .iter()
        .copied()
        .filter(|a| !wildcard_action(a))
        .collect();
    findings.extend(
        judge_statement(&exact, &judged)
            .into_iter()
            .filter(|f| matches!(f.at, Culprit::Resource(_))),
    );
    findings
}

/// Why an action pattern matches no action AWS defines, if it does not.
fn pattern_problem(pattern: &str) -> Option<(String, String)> {
    if pattern == "*" || reference::matching(pattern).next().is_some() {
        return None;
    }
    Some((
        format!("`{pattern}` matches no action AWS defines"),
        "see the actions of the service in AWS's Service Authorization Reference".to_owned(),
    ))
}

/// Why the ARN of a resource of `type_name` does not fit the statement's actions, if it
/// does not: some action applies to no resource type of that resource's service.
fn type_problem(actions: &[reference::Action], type_name: &str) -> Option<(String, String)> {
    let iam_type = reference::iam_type(type_name)?;
    let (service, kind) = iam_type.split_once(':')?;
    let [_, _, arn_service, ..] = arn_fields(reference::arn_format(service, kind)?)?;
    let misfit = actions
        .iter()
        .find(|a| !a.takes_no_resource() && !service_fits(a, arn_service))?;
    Some((
        format!(
            "`{}` does not apply to the ARN of a `{type_name}` ({iam_type}): it applies to {}",
            misfit.name,
            kinds(misfit)
        ),
        "give a resource of that type, or the action that applies to this one".to_owned(),
    ))
}

/// Whether some resource type the action applies to has ARNs of `service`.
fn service_fits(action: &reference::Action, service: &str) -> bool {
    action.resource_types().any(|(kind, _)| {
        match reference::arn_format(action.service(), kind).and_then(arn_fields) {
            Some([_, _, format_service, ..]) => {
                format_service.contains("${") || format_service == service
            }
            None => true,
        }
    })
}

/// Why an action is not one exact action AWS defines, if it is not.
fn action_problem(action: &str) -> Option<(String, String)> {
    if wildcard_action(action) {
        return Some((
            format!("wildcard IAM action `{action}`"),
            "name each action exactly; least privilege allows no wildcards".to_owned(),
        ));
    }
    unknown_action_problem(action)
}

/// Why an exact action is not one AWS defines, if it is not.
fn unknown_action_problem(action: &str) -> Option<(String, String)> {
    if reference::action(action).is_some() {
        return None;
    }
    let Some((service, _)) = action.split_once(':') else {
        return Some((
            format!("`{action}` is not an IAM action"),
            "write `service:Action`, e.g. `s3:GetObject`".to_owned(),
        ));
    };
    if !reference::has_service(service) {
        return Some((
            format!("`{action}` is not an IAM action: AWS has no service `{service}`"),
            "write the service prefix of AWS's authorization reference, e.g. `s3`, `sqs`, `dynamodb`".to_owned(),
        ));
    }
    let help = reference::nearest(action).map_or_else(
        || format!("see the actions of `{service}` in AWS's Service Authorization Reference"),
        |near| format!("did you mean `{near}`?"),
    );
    Some((format!("`{action}` is not an action of {service}"), help))
}

/// Why a literal resource does not fit the statement's (known, exact) actions, if it
/// does not.
fn resource_problem(actions: &[reference::Action], resource: &str) -> Option<(String, String)> {
    if wildcard_resource(resource) {
        let needing = actions.iter().find(|a| !a.takes_no_resource())?;
        return Some((
            format!(
                "IAM resource `{resource}` names no particular resource, and `{}` applies to {}",
                needing.name,
                kinds(needing)
            ),
            "name the resource's ARN (a path under a named resource, `arn:aws:s3:::bucket/*`, is allowed); `*` is only for actions AWS defines on no resource".to_owned(),
        ));
    }
    let misfit = actions
        .iter()
        .find(|a| !a.takes_no_resource() && !applies_to(a, resource))?;
    Some((
        format!(
            "`{}` does not apply to `{resource}`: it applies to {}",
            misfit.name,
            formats(misfit)
        ),
        "give a resource of that type, or the action that applies to this one".to_owned(),
    ))
}

/// Whether a literal ARN is of a resource type the action applies to: the same service,
/// and, unless the ARN holds wildcards, a resource part of the type's shape.
fn applies_to(action: &reference::Action, arn: &str) -> bool {
    let Some([_, _, service, _, _, resource]) = arn_fields(arn) else {
        // Not an ARN (a name where some services take one): left to AWS.
        return true;
    };
    action.resource_types().any(|(kind, _)| {
        let Some(format) = reference::arn_format(action.service(), kind) else {
            return true;
        };
        let Some([_, _, format_service, _, _, format_resource]) = arn_fields(format) else {
            return true;
        };
        let service_fits = format_service.contains("${") || format_service == service;
        service_fits
            && (resource.contains(['*', '?'])
                || shape_fits(format_resource.as_bytes(), resource.as_bytes()))
    })
}

/// The six fields of an ARN, the last holding the rest.
fn arn_fields(arn: &str) -> Option<[&str; 6]> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", a, b, c, d, e] => Some([parts[0], a, b, c, d, e]),
        _ => None,
    }
}

/// Whether `text` has the shape of an ARN format's resource part, each `${Name}` standing
/// for one or more characters.
fn shape_fits(format: &[u8], text: &[u8]) -> bool {
    if format.starts_with(b"${") {
        let Some(end) = format.iter().position(|b| *b == b'}') else {
            return false;
        };
        let rest = &format[end + 1..];
        return (1..=text.len()).any(|taken| shape_fits(rest, &text[taken..]));
    }
    match (format.first(), text.first()) {
        (None, None) => true,
        (Some(f), Some(t)) if f == t => shape_fits(&format[1..], &text[1..]),
        _ => false,
    }
}

/// `object` or `queue, topic`: the resource types an action applies to.
fn kinds(action: &reference::Action) -> String {
    action
        .resource_types()
        .map(|(kind, _)| kind)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each resource type an action applies to with its ARN format.
fn formats(action: &reference::Action) -> String {
    action
        .resource_types()
        .map(
            |(kind, _)| match reference::arn_format(action.service(), kind) {
                Some(arn) => format!("{kind} (`{arn}`)"),
                None => kind.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_service_of_the_reference_has_a_service_principal() {
        for principal in [
            "bedrock.amazonaws.com",
            "monitoring.rds.amazonaws.com",
            "ssm-contacts.amazonaws.com",
        ] {
            assert!(is_service_principal(principal), "{principal}");
        }
        for not in [
            "state.amazonaws.com",
            "bedrock.example.com",
            "amazonaws.com",
            ".amazonaws.com",
            "Bedrock.amazonaws.com",
        ] {
            assert!(!is_service_principal(not), "{not}");
        }
    }

    #[test]
    fn actions_are_wildcards_when_they_match_more_than_one() {
        for wild in ["*", "s3:*", "s3:Get*", "sqs:Send*", "s3:?etObject"] {
            assert!(wildcard_action(wild), "{wild}");
        }
        for exact in ["s3:GetObject", "logs:CreateLogStream"] {
            assert!(!wildcard_action(exact), "{exact}");
        }
    }

    fn problems(actions: &[&str], resources: &[&str]) -> Vec<String> {
        let resources: Vec<StatementResource<'_>> = resources
            .iter()
            .copied()
            .map(StatementResource::Literal)
            .collect();
        judge_statement(actions, &resources)
            .into_iter()
            .map(|f| f.problem)
            .collect()
    }

    #[test]
    fn statements_are_judged_against_the_reference() {
        let queue = "arn:aws:sqs:eu-west-2:123456789012:jobs";
        assert!(problems(&["sqs:SendMessage"], &[queue]).is_empty());
        assert!(problems(&["xray:PutTraceSegments", "logs:CreateLogDelivery"], &["*"]).is_empty());
        assert!(problems(&["s3:GetObject"], &["arn:aws:s3:::reports/*"]).is_empty());
        assert!(
            problems(
                &["s3:GetObject"],
                &["arn:aws:s3:::reports/2024/summary.csv"]
            )
            .is_empty()
        );
        assert_eq!(
            problems(&["s3:GetObjekt"], &["arn:aws:s3:::reports/*"]),
            ["`s3:GetObjekt` is not an action of s3"]
        );
        assert_eq!(
            problems(&["sqz:SendMessage"], &[queue]),
            ["`sqz:SendMessage` is not an IAM action: AWS has no service `sqz`"]
        );
        let star = problems(&["xray:PutTraceSegments", "sqs:SendMessage"], &["*"]);
        assert_eq!(
            star,
            [
                "IAM resource `*` names no particular resource, and `sqs:SendMessage` applies to queue"
            ]
        );
        let table = "arn:aws:dynamodb:eu-west-2:123456789012:table/orders";
        let misfit = problems(&["sqs:SendMessage"], &[table]);
        assert_eq!(misfit.len(), 1, "{misfit:?}");
        assert!(
            misfit[0].starts_with(&format!(
                "`sqs:SendMessage` does not apply to `{table}`: it applies to queue"
            )),
            "{misfit:?}"
        );
        // An object action on the bucket's own ARN is the classic slip.
        let bucket = problems(&["s3:GetObject"], &["arn:aws:s3:::reports"]);
        assert_eq!(bucket.len(), 1, "{bucket:?}");
        let typed = |action: &str, type_name: &str| {
            judge_statement(&[action], &[StatementResource::OfType(type_name)])
        };
        let on_table = typed("sqs:SendMessage", "AWS::DynamoDB::Table");
        assert_eq!(on_table.len(), 1, "{on_table:?}");
        assert_eq!(on_table[0].at, Culprit::Resource(0));
        assert_eq!(
            on_table[0].problem,
            "`sqs:SendMessage` does not apply to the ARN of a `AWS::DynamoDB::Table` (dynamodb:table): it applies to queue"
        );
        assert!(typed("sqs:SendMessage", "AWS::SQS::Queue").is_empty());
        assert!(
            typed("logs:PutLogEvents", "AWS::Logs::LogGroup").is_empty(),
            "a stream of the group"
        );
        assert!(typed("xray:PutTraceSegments", "AWS::DynamoDB::Table").is_empty());
        assert!(
            typed("sqs:SendMessage", "AWS::EC2::Route").is_empty(),
            "no IAM type known"
        );
        let help = judge_statement(&["s3:GetObjekt"], &[]);
        assert_eq!(help[0].help, "did you mean `s3:GetObject`?");
        assert_eq!(help[0].at, Culprit::Action(0));
    }

    #[test]
    fn resources_are_wildcards_unless_they_name_one() {
        for wild in [
            "*",
            "arn:aws:s3:::*",
            "arn:aws:sqs:*:123456789012:jobs",
            "arn:aws:sqs:eu-west-2:*:jobs",
            "arn:aws:*:eu-west-2:123456789012:jobs",
            "arn:aws:logs:eu-west-2:123456789012:*",
        ] {
            assert!(wildcard_resource(wild), "{wild}");
        }
        for named in [
            "arn:aws:s3:::reports/*",
            "arn:aws:sqs:eu-west-2:123456789012:jobs",
            "arn:aws:logs:eu-west-2:123456789012:log-group:app:*",
        ] {
            assert!(!wildcard_resource(named), "{named}");
        }
    }
}
