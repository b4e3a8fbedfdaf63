//! `state_machine`: a Step Functions workflow whose steps are typed tasks on the stack's
//! functions, tables, queues and topics, run one after another. Its role is derived from
//! the steps (exactly what each task needs, with the keys of what they touch), it logs
//! every execution to a log group of the stack and traces with X-Ray.
//!
//! ```text
//! state_machine fulfil {
//!     steps: [invoke(check), put_item(orders, "$.order"), publish(shipped)],
//!     logs: fulfil_logs,
//! }
//! role intake_role { assumed_by: lambda, grants: [start(fulfil)] }
//! ```
//!
//! A step names what it touches by its handle, so a table where a function belongs is
//! rustc's mismatched type at the argument; the ARNs and names reach the definition
//! through `DefinitionSubstitutions`, never as text.

use infra_facts::derived;
use serde_json::{Value as Json, json};

use super::{Function, Grant, Grantable, IamResource, Queue, Scope, Table, Topic, some};
use crate::aws::logs::LogGroup;
use crate::aws::stepfunctions::{self, state_machine as sm};
use crate::{Handle, Value};

/// One task of a workflow.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a>(Task<'a>);

#[derive(Debug, Clone, Copy)]
enum Task<'a> {
    Invoke(&'a Function),
    PutItem(&'a Table, &'a str),
    Send(&'a Queue),
    Publish(&'a Topic),
}

impl<'a> Step<'a> {
    /// Invoke `function` with the state as its event; its result becomes the state
    /// (Lambda's transient errors are retried, as AWS advises).
    pub fn invoke(function: &'a Function) -> Self {
        Self(Task::Invoke(function))
    }

    /// Put the item at JSONPath `item` of the state (in DynamoDB's attribute-value form)
    /// into `table`; the state passes on unchanged.
    pub fn put_item(table: &'a Table, item: &'a str) -> Self {
        Self(Task::PutItem(table, item))
    }

    /// Send the state as a message to `queue`; the state passes on unchanged.
    pub fn send(queue: &'a Queue) -> Self {
        Self(Task::Send(queue))
    }

    /// Publish the state to `topic`; the state passes on unchanged.
    pub fn publish(topic: &'a Topic) -> Self {
        Self(Task::Publish(topic))
    }

    /// The state's name in the definition: its position and what it does.
    fn name(&self, index: usize) -> String {
        let (verb, id) = match self.0 {
            Task::Invoke(f) => ("Invoke", f.function.logical_id()),
            Task::PutItem(t, _) => ("PutItem", t.table.logical_id()),
            Task::Send(q) => ("Send", q.queue.logical_id()),
            Task::Publish(t) => ("Publish", t.topic.logical_id()),
        };
        format!("{} {verb} {id}", index + 1)
    }

    /// The service integration, its parameters (naming the target as `${placeholder}`),
    /// and the target's value, which `placeholder` is substituted with. A FIFO queue (as
    /// the stack of `scope` declares it) takes each message in the state machine's own
    /// group, in order, deduplicated by execution and state, so that a retried step
    /// sends once: SQS refuses a FIFO message without a group.
    fn task(&self, placeholder: &str, scope: &Scope<'_>) -> (&'static str, Json, Json) {
        let target = format!("${{{placeholder}}}");
        match self.0 {
            Task::Invoke(f) => (
                "lambda:invoke",
                json!({ "FunctionName": target, "Payload.$": "$" }),
                f.arn().to_json(),
            ),
            Task::PutItem(t, item) => (
                "dynamodb:putItem",
                json!({ "TableName": target, "Item.$": item }),
                t.name().to_json(),
            ),
            Task::Send(q) => {
                let mut parameters = json!({ "QueueUrl": target, "MessageBody.$": "$" });
                if q.is_fifo(scope) {
                    parameters["MessageGroupId.$"] = json!("$$.StateMachine.Name");
                    parameters["MessageDeduplicationId.$"] =
                        json!("States.Format('{}/{}', $$.Execution.Id, $$.State.Name)");
                }
                ("sqs:sendMessage", parameters, q.url().to_json())
            }
            Task::Publish(t) => (
                "sns:publish",
                json!({ "TopicArn": target, "Message.$": "$" }),
                t.arn().to_json(),
            ),
        }
    }

    /// What the workflow's role needs for this step.
    fn grant(&self) -> Grant {
        match self.0 {
            Task::Invoke(f) => f.verbs().invoke(),
            Task::PutItem(t, _) => Grant::new("PutItems", &["dynamodb:PutItem"], [t.arn().into()])
                .and(
                    &["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
                    t.key.as_ref().map(|k| IamResource::from(k.arn())),
                ),
            Task::Send(q) => q.verbs().send(),
            Task::Publish(t) => t.verbs().publish(),
        }
    }

    /// Why AWS would refuse this step, if it would.
    fn problem(&self) -> Option<String> {
        match self.0 {
            Task::PutItem(_, item) if !item.starts_with('$') => Some(format!(
                "put_item's item is `{item}`, but it must be a JSONPath into the state, e.g. `$.order`"
            )),
            _ => None,
        }
    }
}

/// What a `state_machine` declaration writes.
#[derive(Debug, Default)]
pub struct StateMachineSpec<'a> {
    /// Its tasks, run in order.
    pub steps: &'a [Step<'a>],
    /// Where every execution's events are logged, with their data.
    pub logs: Option<&'a Handle<LogGroup>>,
    /// An Express workflow (at least once, up to five minutes, billed by duration)
    /// instead of a Standard one (exactly once, up to a year).
    pub express: bool,
}

/// A Step Functions state machine and the role it runs as.
#[derive(Debug, Clone)]
pub struct StateMachine {
    /// The state machine.
    pub machine: Handle<stepfunctions::StateMachine>,
}

impl StateMachine {
    /// The state machine's ARN, what executions are started on.
    pub fn arn(&self) -> Value<crate::Arn<stepfunctions::StateMachine>> {
        self.machine.arn()
    }
}

/// The actions vended log delivery needs of the role that configures it; AWS defines
/// them on no resource, so their resource is `*`.
const LOG_DELIVERY: &[&str] = &[
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

/// The actions X-Ray tracing needs, also defined on no resource.
const TRACING: &[&str] = &[
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
];

/// Adds the role, derived from the steps, and the state machine.
#[track_caller]
pub fn state_machine(scope: &mut Scope<'_>, id: &str, spec: StateMachineSpec<'_>) -> StateMachine {
    scope.enter();
    reject_invalid(scope, id, &spec);
    let mut grants: Vec<Grant> = spec.steps.iter().map(Step::grant).collect();
    grants.push(Grant::new("DeliverLogs", LOG_DELIVERY, ["*".into()]));
    grants.push(Grant::new("Trace", TRACING, ["*".into()]));
    let tag = super::kebab(id);
    let statements = super::grant::statements(&grants, scope.stack);
    let role = super::iam::service_role(
        scope,
        &format!("{id}{}", derived::ROLE),
        super::iam::ServiceRole {
            description: "Runs the steps of the state machine",
            service: "states.amazonaws.com",
            statements,
            tag: &tag,
        },
    );
    for step in spec.steps {
        if let Task::Invoke(function) = step.0 {
            note_synchronous(scope, id, function);
        }
    }
    let (definition, substitutions) = definition(spec.steps, scope);
    let machine = scope.add(
        id,
        stepfunctions::state_machine::StateMachine {
            definition: Some(Value::from(definition)),
            definition_substitutions: Some(Value::from(substitutions)),
            role_arn: role.arn(),
            state_machine_name: some(scope.physical_name(&tag)),
            state_machine_type: Some(Value::from(if spec.express {
                sm::StateMachineType::Express
            } else {
                sm::StateMachineType::Standard
            })),
            logging_configuration: spec.logs.map(|logs| sm::LoggingConfiguration {
                destinations: Some(vec![sm::LogDestination {
                    cloud_watch_logs_log_group: Some(sm::CloudWatchLogsLogGroup {
                        log_group_arn: some(logs.arn()),
                    }),
                }]),
                include_execution_data: some(true),
                level: Some(Value::from(sm::Level::All)),
            }),
            tracing_configuration: Some(sm::TracingConfiguration {
                enabled: some(true),
            }),
            tags: Some(vec![sm::TagsEntry {
                key: "Name".into(),
                value: scope.physical_name(&tag).into(),
            }]),
            ..Default::default()
        },
    );
    StateMachine { machine }
}

/// Tells checkers that look for a dead-letter queue on every function that this one,
/// without one, is invoked synchronously by the state machine, which retries it and
/// fails the execution: a dead-letter queue only takes asynchronous invocations.
fn note_synchronous(scope: &mut Scope<'_>, id: &str, function: &Function) {
    let logical_id = function.function.logical_id();
    let has_queue = scope
        .stack
        .resource(logical_id)
        .and_then(|entry| entry.properties.as_ref().ok())
        .is_some_and(|p| !p["DeadLetterConfig"].is_null());
    if has_queue {
        return;
    }
    scope.suppress_on(
        logical_id,
        super::Checker::Checkov,
        "CKV_AWS_116",
        &format!(
            "Invoked synchronously by state machine {id}, which retries it and fails the execution; a dead-letter queue takes asynchronous invocations only"
        ),
    );
}

/// The definition (each step's state, in order) and its substitutions.
fn definition(
    steps: &[Step<'_>],
    scope: &Scope<'_>,
) -> (Json, std::collections::BTreeMap<String, Json>) {
    let mut states = serde_json::Map::new();
    let mut substitutions = std::collections::BTreeMap::new();
    for (i, step) in steps.iter().enumerate() {
        let placeholder = format!("Step{}", i + 1);
        let (integration, parameters, target) = step.task(&placeholder, scope);
        let mut state = json!({
            "Type": "Task",
            "Resource": format!("arn:aws:states:::{integration}"),
            "Parameters": parameters,
        });
        match step.0 {
            Task::Invoke(_) => {
                state["OutputPath"] = json!("$.Payload");
                state["Retry"] = json!([{
                    "ErrorEquals": [
                        "Lambda.ClientExecutionTimeoutException",
                        "Lambda.ServiceException",
                        "Lambda.AWSLambdaException",
                        "Lambda.SdkClientException"
                    ],
                    "IntervalSeconds": 2,
                    "MaxAttempts": 6,
                    "BackoffRate": 2
                }]);
            }
            _ => state["ResultPath"] = Json::Null,
        }
        match steps.get(i + 1) {
            Some(next) => state["Next"] = json!(next.name(i + 1)),
            None => state["End"] = json!(true),
        }
        states.insert(step.name(i), state);
        substitutions.insert(placeholder, target);
    }
    let start = steps.first().map(|s| s.name(0));
    (json!({ "StartAt": start, "States": states }), substitutions)
}

/// Records what Step Functions would refuse: no steps, or a step it cannot run.
fn reject_invalid(scope: &mut Scope<'_>, id: &str, spec: &StateMachineSpec<'_>) {
    if spec.steps.is_empty() {
        scope.reject(
            id,
            "has no steps; give it at least one, e.g. `steps: [invoke(check)]`".to_owned(),
        );
    }
    for problem in spec.steps.iter().filter_map(Step::problem) {
        scope.reject(id, problem);
    }
}

/// The verbs of a `state_machine`: `start` an execution.
#[derive(Debug, Clone, Copy)]
pub struct StateMachineVerbs<'a>(&'a StateMachine);

/// `start(x)` as a function, for plain-Rust stacks and for the editor's completion.
pub fn start(x: &StateMachine) -> Grant {
    StateMachineVerbs(x).start()
}

/// The access levels of the StateMachine beneath these verbs (`tag`, …).
impl super::AccessLevels for StateMachineVerbs<'_> {
    type Primary = crate::aws::stepfunctions::StateMachine;

    fn primary(&self) -> &Handle<crate::aws::stepfunctions::StateMachine> {
        &self.0.machine
    }
}

impl StateMachineVerbs<'_> {
    /// Start executions.
    pub fn start(&self) -> Grant {
        Grant::new(
            "StartExecutions",
            &["states:StartExecution"],
            [self.0.arn().into()],
        )
    }
}

super::grantable!(StateMachine => StateMachineVerbs);

impl super::Construct for StateMachine {
    type Spec<'a> = StateMachineSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: StateMachineSpec<'_>) -> Self {
        state_machine(scope, id, spec)
    }
}
