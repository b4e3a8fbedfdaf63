//! `function`: a Lambda function with its code (a directory packed as an asset, or a
//! few lines inline), its role, its own log group and, for failed asynchronous
//! invocations, a dead-letter queue.
//!
//! ```text
//! function api {
//!     code: "functions/api", handler: "app.handler", memory: 256, timeout_seconds: 10,
//!     key: data_key, dead_letters: failed, grants: [write(orders)],
//! }
//! ```
//!
//! Without `role`, the function derives one (`{id}Role`, trusted by Lambda for this
//! account) allowed exactly what its fields need (write its logs, use its key, send to
//! its dead-letter queue, consume the queue that feeds it) and its `grants`; without
//! `logs`, its log group (`{id}Logs`, kept 365 days, encrypted with its `key`).
//!
//! What Lambda takes (memory, timeout, runtimes, package size) is `infra_facts::limits::
//! lambda`: `stack!` judges literals with it, [`function`] every value. A role of its own
//! must be one Lambda may assume, allowed to write the log group and to send to the
//! dead-letter queue: a compile error in `stack!`, and refused at synthesis for values.

use infra_facts::derived;
use std::path::Path;

use super::{Grant, Queue, Scope, Tier, some};
use crate::asset::Asset;
use crate::aws::ec2::SecurityGroup;
use crate::aws::iam::Role;
use crate::aws::iam::policy;
use crate::aws::kms::Key;
use crate::aws::lambda::{self, function};
use crate::aws::logs::LogGroup;
use crate::{Handle, Value};
use infra_facts::limits::{Range, lambda as limits};

/// A function's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code<'a> {
    /// Every file under a directory, packed and uploaded as an asset (`stack!` writes the
    /// path relative to the crate's manifest).
    Directory(&'a str),
    /// Source written in the template (`ZipFile`): at most 4096 bytes, for interpreted
    /// runtimes.
    Inline(&'a str),
}

/// What a `function` declaration writes.
#[derive(Debug)]
pub struct FunctionSpec<'a> {
    /// Its code.
    pub code: Code<'a>,
    /// The entry point, in the runtime's terms (`app.handler`; `bootstrap` for
    /// `provided.*`).
    pub handler: &'a str,
    /// The runtime, one of `infra_facts::limits::lambda::RUNTIMES`.
    pub runtime: &'a str,
    /// `arm64` or `x86_64`.
    pub architecture: &'a str,
    /// Memory in MB (128 to 10240).
    pub memory: u32,
    /// The longest an invocation runs, in seconds (1 to 900).
    pub timeout_seconds: u32,
    /// The role it runs as: one Lambda may assume; derived from the fields and `grants`
    /// when `None`.
    pub role: Option<&'a Handle<Role>>,
    /// Its log group, which the role must be allowed to write; derived (kept 365 days,
    /// encrypted with `key`) when `None`.
    pub logs: Option<&'a Handle<LogGroup>>,
    /// What the derived role may do besides what the fields need; only without `role`.
    pub grants: Vec<Grant>,
    /// Environment variables.
    pub environment: &'a [(&'a str, Value<String>)],
    /// A customer-managed key its environment variables are encrypted with (Lambda's own
    /// key without one); the role must be allowed to use it.
    pub key: Option<&'a Handle<Key>>,
    /// Where failed asynchronous invocations go; the role must be allowed to send there.
    pub dead_letters: Option<&'a Queue>,
    /// Instances kept for this function alone, and the most it runs at once.
    pub reserved_concurrency: Option<u32>,
    /// A queue whose messages invoke the function; the role must be allowed to consume
    /// them, and the queue must hide a received message at least as long as the function
    /// runs.
    pub queue: Option<&'a Queue>,
    /// Messages per invocation from `queue`.
    pub batch_size: u32,
    /// Private subnets it reaches the VPC from (with `security_group`); outside a VPC
    /// without.
    pub subnets: Option<&'a Tier>,
    /// Its security group in the VPC.
    pub security_group: Option<&'a Handle<SecurityGroup>>,
    /// What it does.
    pub description: &'a str,
}

impl Default for FunctionSpec<'_> {
    fn default() -> Self {
        Self {
            code: Code::Inline(""),
            handler: "",
            runtime: limits::DEFAULT_RUNTIME,
            architecture: limits::DEFAULT_ARCHITECTURE,
            memory: limits::MEMORY_MB.default_u32(),
            timeout_seconds: limits::TIMEOUT_SECONDS.default_u32(),
            role: None,
            logs: None,
            grants: Vec::new(),
            environment: &[],
            key: None,
            dead_letters: None,
            reserved_concurrency: None,
            queue: None,
            batch_size: limits::BATCH_SIZE.default_u32(),
            subnets: None,
            security_group: None,
            description: "",
        }
    }
}

/// A Lambda function.
#[derive(Debug, Clone)]
pub struct Function {
    /// The function.
    pub function: Handle<lambda::Function>,
}

impl Function {
    /// The function's ARN.
    pub fn arn(&self) -> Value<crate::Arn<lambda::Function>> {
        self.function.arn()
    }
}

/// Adds the function; its code directory is packed now, and uploaded by deploy.
#[track_caller]
pub fn function(scope: &mut Scope<'_>, id: &str, spec: FunctionSpec<'_>) -> Function {
    scope.enter();
    reject_invalid(scope, id, &spec);
    require_wiring(scope, id, &spec);
    let code = code(scope, id, spec.code);
    let logs = match spec.logs {
        Some(logs) => logs.clone(),
        None => derived_logs(scope, id, &spec),
    };
    let role = match spec.role {
        Some(role) => role.clone(),
        None => derived_role(scope, id, &spec, &logs),
    };
    let mut options = placement_options(scope, id, &spec, &role);
    if spec.logs.is_none() && spec.role.is_some() {
        options = options.depends_on(&logs_policy(scope, id, &role, &logs));
    }
    let handle = scope.add_with(
        id,
        lambda::function::Function {
            code,
            handler: some(spec.handler),
            runtime: Some(Value::unchecked(spec.runtime.into())),
            architectures: Some(Value::unchecked(serde_json::json!([spec.architecture]))),
            memory_size: some(i64::from(spec.memory)),
            timeout: some(i64::from(spec.timeout_seconds)),
            role: role.arn(),
            logging_config: Some(function::LoggingConfig {
                log_group: Some(logs.name()),
                ..Default::default()
            }),
            environment: environment(spec.environment),
            kms_key_arn: spec.key.map(|k| k.arn()),
            dead_letter_config: spec.dead_letters.map(|q| function::DeadLetterConfig {
                target_arn: Some(q.arn().into()),
            }),
            vpc_config: placement(&spec),
            reserved_concurrent_executions: spec.reserved_concurrency.map(|n| i64::from(n).into()),
            description: (!spec.description.is_empty()).then(|| spec.description.into()),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    );
    if let Some(queue) = spec.queue {
        feed_from(scope, id, &handle, queue, &spec);
    }
    Function { function: handle }
}

/// Invokes the function with batches of the queue's messages; a message the function
/// reports failed returns to the queue alone.
fn feed_from(
    scope: &mut Scope<'_>,
    id: &str,
    function: &Handle<lambda::Function>,
    queue: &Queue,
    spec: &FunctionSpec<'_>,
) {
    let visibility = queue
        .property(scope, "VisibilityTimeout")
        .and_then(|v| v.as_i64());
    if let Some(problem) =
        visibility.and_then(|v| limits::queue_feed_problem(v, i64::from(spec.timeout_seconds)))
    {
        scope.reject(id, problem);
    }
    let batch = i64::from(spec.batch_size);
    let fifo = queue.is_fifo(scope);
    if let Some(problem) = limits::fifo_batch_problem(batch).filter(|_| fifo) {
        scope.reject(id, problem);
    }
    // Lambda refuses a batch above ten from a standard queue without a window to gather it in.
    let window = (batch > limits::BATCH_WITHOUT_WINDOW && !fifo)
        .then(|| limits::BATCH_WINDOW_SECONDS.into());
    scope.add(
        &format!("{id}{}Feed", queue.queue.logical_id()),
        lambda::event_source_mapping::EventSourceMapping {
            event_source_arn: Some(queue.arn().into()),
            function_name: function.name().into(),
            batch_size: some(batch),
            maximum_batching_window_in_seconds: window,
            function_response_types: Some(Value::unchecked(serde_json::json!([
                "ReportBatchItemFailures"
            ]))),
            ..Default::default()
        },
    );
}

/// The subnets and group it reaches the VPC through, when it is placed in one.
fn placement(spec: &FunctionSpec<'_>) -> Option<function::VpcConfig> {
    let (subnets, group) = (spec.subnets?, spec.security_group?);
    Some(function::VpcConfig {
        subnet_ids: Some(subnets.id_list().erase().cast()),
        security_group_ids: Some(vec![group.id()].into()),
        ..Default::default()
    })
}

/// A function in a VPC creates its network interfaces with its role, so the role is
/// allowed to, on the VPC's subnets and group (a policy the function waits for); one
/// outside a VPC says why to checkers that expect one in.
fn placement_options(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &FunctionSpec<'_>,
    role: &Handle<Role>,
) -> crate::ResourceOptions {
    let (Some(subnets), Some(group)) = (spec.subnets, spec.security_group) else {
        return super::suppress(
            crate::ResourceOptions::new(),
            super::Checker::Checkov,
            "CKV_AWS_117",
            "Not placed in a VPC: it reaches AWS APIs only, and a function in a VPC needs network interfaces and NAT for that",
        );
    };
    super::security::require_same_vpc(scope, id, "a Lambda function", Some(subnets), Some(group));
    let arn = |resource: &str| {
        crate::intrinsic::sub(format!(
            "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:{resource}"
        ))
        .to_json()
    };
    let interfaces = arn("network-interface/*");
    let group_arn = crate::intrinsic::sub_with(
        "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${Group}",
        [("Group", group.id().erase())],
    )
    .to_json();
    let subnet_arns: Vec<crate::Json> = if subnets.subnets.is_empty() {
        vec![arn("subnet/*")]
    } else {
        subnets
            .subnets
            .iter()
            .map(|subnet| {
                crate::intrinsic::sub_with(
                    "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:subnet/${Subnet}",
                    [("Subnet", subnet.id().erase())],
                )
                .to_json()
            })
            .collect()
    };
    let mut scoped = vec![interfaces, group_arn];
    scoped.extend(subnet_arns);
    let document = super::policy_document(vec![
        serde_json::json!({
            "Sid": "ManageNetworkInterfaces",
            "Effect": "Allow",
            "Action": [
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses"
            ],
            "Resource": scoped,
        }),
        serde_json::json!({
            "Sid": "DescribeNetwork",
            "Effect": "Allow",
            "Action": ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
            "Resource": "*",
        }),
    ]);
    let policy = role_policy(scope, id, "Network", "NetworkInterfaces", role, document);
    crate::ResourceOptions::new().depends_on(&policy)
}

/// The log group of a function that names none: kept as long as compliance asks,
/// encrypted with the function's key (declared on the function's line).
#[track_caller]
fn derived_logs(scope: &mut Scope<'_>, id: &str, spec: &FunctionSpec<'_>) -> Handle<LogGroup> {
    super::log_group(
        scope,
        &format!("{id}{}", derived::LOGS),
        super::LogGroupSpec {
            name: None,
            retention_days: infra_facts::limits::MIN_COMPLIANT_RETENTION_DAYS,
            key: spec.key,
        },
    )
}

/// The role of a function that names none: trusted by Lambda for this account, allowed
/// what the function's fields need and its `grants`, each on its resource.
fn derived_role(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &FunctionSpec<'_>,
    logs: &Handle<LogGroup>,
) -> Handle<Role> {
    use super::Grantable;
    let mut grants = vec![super::grant::builtin::write_logs(logs)];
    grants.extend(spec.key.map(super::grant::builtin::use_key));
    grants.extend(spec.queue.map(super::QueueVerbs::consume_of));
    grants.extend(spec.dead_letters.map(|queue| queue.verbs().send()));
    grants.extend(spec.grants.iter().cloned());
    let role_id = format!("{id}{}", derived::ROLE);
    let tag = super::kebab(&role_id);
    let statements = super::grant::statements(&grants, scope.stack);
    super::iam::service_role(
        scope,
        &role_id,
        super::iam::ServiceRole {
            description: "Runs the function",
            service: super::Principal::Lambda.service(),
            statements,
            tag: &tag,
        },
    )
}

/// Lets a role of the user's write the log group the function derived.
fn logs_policy(
    scope: &mut Scope<'_>,
    id: &str,
    role: &Handle<Role>,
    logs: &Handle<LogGroup>,
) -> Handle<crate::aws::iam::Policy> {
    let grant = super::grant::builtin::write_logs(logs);
    let document = super::policy_document(grant.statements(scope.stack, 0));
    role_policy(scope, id, "Logs", "WriteLogs", role, document)
}

/// A policy of the function's own (`{id}{what}Policy`, named `{id}{name}`) attached to
/// its role, which the function waits for.
fn role_policy(
    scope: &mut Scope<'_>,
    id: &str,
    what: &str,
    name: &str,
    role: &Handle<Role>,
    document: crate::Value<crate::Json>,
) -> Handle<crate::aws::iam::Policy> {
    scope.add(
        &format!("{id}{what}Policy"),
        policy::Policy {
            policy_name: format!("{id}{name}").into(),
            policy_document: document,
            roles: Some(vec![role.reference()].into()),
            ..Default::default()
        },
    )
}

/// The numbers and names Lambda would refuse.
fn reject_invalid(scope: &mut Scope<'_>, id: &str, spec: &FunctionSpec<'_>) {
    let ranged: [(&str, Option<u32>, &Range); 4] = [
        ("batch_size", Some(spec.batch_size), &limits::BATCH_SIZE),
        ("memory", Some(spec.memory), &limits::MEMORY_MB),
        (
            "timeout_seconds",
            Some(spec.timeout_seconds),
            &limits::TIMEOUT_SECONDS,
        ),
        (
            "reserved_concurrency",
            spec.reserved_concurrency,
            &limits::RESERVED_CONCURRENCY,
        ),
    ];
    for (field, value, range) in ranged {
        if let Some(value) = value
            && let Some(problem) = range.problem(i64::from(value))
        {
            scope.reject(id, format!("{field} is {value}, but {problem}"));
        }
    }
    for (name, _) in spec.environment {
        if let Some(problem) = limits::environment_name_problem(name) {
            scope.reject(id, format!("environment names `{name}`, which {problem}"));
        }
    }
    if let Some(problem) = limits::runtime_problem(spec.runtime) {
        scope.reject(id, format!("the runtime `{}` {problem}", spec.runtime));
    }
    if !limits::ARCHITECTURES.contains(&spec.architecture) {
        scope.reject(
            id,
            format!(
                "the architecture `{}` is not `arm64` or `x86_64`",
                spec.architecture
            ),
        );
    }
    if spec.subnets.is_some() != spec.security_group.is_some() {
        scope.reject(
            id,
            "is placed in a VPC by both its subnets and its security group: give both, or neither"
                .to_owned(),
        );
    }
    if spec.role.is_some() && !spec.grants.is_empty() {
        scope.reject(
            id,
            "has grants and a role of its own: grant them on the role, or leave out `role` to derive one".to_owned(),
        );
    }
    if spec.handler.is_empty() {
        scope.reject(
            id,
            "has no handler: write its entry point, e.g. `app.handler`".to_owned(),
        );
    }
    if let Code::Inline(source) = spec.code {
        if source.is_empty() {
            scope.reject(
                id,
                "has no code: give a directory or inline source".to_owned(),
            );
        } else if source.len() > limits::MAX_INLINE_BYTES {
            scope.reject(
                id,
                format!(
                    "has {} bytes of inline code, but Lambda takes at most {}; put it in a directory",
                    source.len(),
                    limits::MAX_INLINE_BYTES
                ),
            );
        }
    }
}

/// What only the built stack shows: a role allowed to write the log group and to send to
/// the dead-letter queue (that Lambda may assume it is judged on the template).
fn require_wiring(scope: &mut Scope<'_>, id: &str, spec: &FunctionSpec<'_>) {
    use super::iam::require_grant;
    if let Some(logs) = spec.logs {
        let fix = format!("grant it `write_logs` on `{}`", logs.logical_id());
        let needed = super::grant::builtin::write_logs(logs);
        require_grant(scope, id, "role", spec.role, &needed, &fix);
    }
    if let Some(key) = spec.key {
        let fix = format!("grant it `use_key` on `{}`", key.logical_id());
        let needed = super::grant::builtin::use_key(key);
        require_grant(scope, id, "role", spec.role, &needed, &fix);
    }
    if let Some(queue) = spec.queue {
        let fix = format!("grant it `consume` on `{}`", queue.queue.logical_id());
        let needed = super::QueueVerbs::consume_of(queue);
        require_grant(scope, id, "role", spec.role, &needed, &fix);
    }
    if let Some(queue) = spec.dead_letters {
        let fix = format!("grant it `send` on `{}`", queue.queue.logical_id());
        let needed = Grant::new("SendMessages", &["sqs:SendMessage"], [queue.arn().into()]);
        require_grant(scope, id, "role", spec.role, &needed, &fix);
    }
}

/// The code as the template names it: the asset's bucket and key, or the inline source.
fn code(scope: &mut Scope<'_>, id: &str, code: Code<'_>) -> function::Code {
    match code {
        Code::Inline(source) => function::Code {
            zip_file: some(source),
            ..Default::default()
        },
        Code::Directory(dir) => match Asset::from_directory(Path::new(dir)) {
            Ok(asset) => {
                let (bucket, key) = scope.stack.asset(asset);
                function::Code {
                    s3_bucket: Some(bucket),
                    s3_key: some(key),
                    ..Default::default()
                }
            }
            Err(problem) => {
                scope.reject(id, problem.to_string());
                function::Code::default()
            }
        },
    }
}

fn environment(variables: &[(&str, Value<String>)]) -> Option<function::Environment> {
    if variables.is_empty() {
        return None;
    }
    let map: std::collections::BTreeMap<String, crate::Json> = variables
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.to_json()))
        .collect();
    Some(function::Environment {
        variables: Some(Value::unchecked(
            serde_json::to_value(map).unwrap_or_default(),
        )),
    })
}

/// The verbs of a `function`: `invoke` it.
#[derive(Debug, Clone, Copy)]
pub struct FunctionVerbs<'a>(&'a Function);

/// `invoke(x)` as a function, for plain-Rust stacks and for the editor's completion.
pub fn invoke(x: &Function) -> Grant {
    FunctionVerbs(x).invoke()
}

/// The access levels of the Function beneath these verbs (`tag`, …).
impl super::AccessLevels for FunctionVerbs<'_> {
    type Primary = crate::aws::lambda::Function;

    fn primary(&self) -> &Handle<crate::aws::lambda::Function> {
        &self.0.function
    }
}

impl FunctionVerbs<'_> {
    /// Invoke the function.
    pub fn invoke(&self) -> Grant {
        Grant::new(
            "InvokeFunction",
            &["lambda:InvokeFunction"],
            [self.0.arn().into()],
        )
    }
}

super::grantable!(Function => FunctionVerbs);

impl super::Construct for Function {
    type Spec<'a> = FunctionSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: FunctionSpec<'_>) -> Self {
        function(scope, id, spec)
    }
}
