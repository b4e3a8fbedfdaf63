//! The built-in `state_machine`: each typed step becomes a task on its target (named
//! through a substitution, never as text), the role is derived from the steps (with the
//! keys of what they touch), log delivery and tracing take `*` only for actions AWS
//! defines on no resource, and cfn-lint and checkov judge the template clean (a function
//! the workflow invokes synchronously needs no dead-letter queue, and says so).

use infra_macros::stack;
use tests::{checkov_template, lint_template};

stack! {
    /// An order is checked by a function, stored, queued and announced.
    pub stack Fulfil { name: "Fulfil", region: "eu-west-2" }

    key data_key { description: "Orders", allow_logs: true }
    log_group check_logs { retention_days: 365, key: data_key }
    log_group flow_logs { retention_days: 365, key: data_key }
    role check_role { assumed_by: lambda, grants: [write_logs(check_logs)] }
    function check {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: check_role,
        logs: check_logs,
        reserved_concurrency: 1,
    }
    table orders { partition_key: string("order_id"), key: data_key }
    queue shipping { key: data_key }
    queue ledger { key: data_key, fifo: true }
    topic shipped { key: data_key }
    state_machine fulfil {
        steps: [
            invoke(check),
            put_item(orders, "$.order"),
            send(shipping),
            publish(shipped),
            send(ledger),
        ],
        logs: flow_logs,
    }
    role starter { assumed_by: lambda, grants: [start(fulfil)] }
}

fn template() -> serde_json::Value {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Fulfil::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    template.document().clone()
}

#[test]
fn steps_are_tasks_on_their_targets_in_order() {
    let template = template();
    let machine = &template["Resources"]["Fulfil"]["Properties"];
    let states = &machine["Definition"]["States"];
    assert_eq!(machine["Definition"]["StartAt"], "1 Invoke Check");
    assert_eq!(states["1 Invoke Check"]["Next"], "2 PutItem Orders");
    assert_eq!(
        states["2 PutItem Orders"]["Parameters"]["Item.$"],
        "$.order"
    );
    assert_eq!(
        states["2 PutItem Orders"]["Parameters"]["TableName"],
        "${Step2}"
    );
    assert_eq!(
        states["3 Send Shipping"]["Resource"],
        "arn:aws:states:::sqs:sendMessage"
    );
    assert_eq!(states["4 Publish Shipped"]["Next"], "5 Send Ledger");
    assert_eq!(states["5 Send Ledger"]["End"], true);
    let substitutions = &machine["DefinitionSubstitutions"];
    assert_eq!(substitutions["Step1"]["Fn::GetAtt"][0], "Check");
    assert_eq!(substitutions["Step2"]["Ref"], "Orders");
    assert_eq!(substitutions["Step3"]["Fn::GetAtt"][1], "QueueUrl");
    assert_eq!(substitutions["Step4"]["Fn::GetAtt"][1], "TopicArn");
    assert_eq!(machine["LoggingConfiguration"]["Level"], "ALL");
    assert_eq!(machine["TracingConfiguration"]["Enabled"], true);
}

#[test]
fn a_fifo_queue_takes_the_message_in_the_machines_group_once_per_execution_and_state() {
    let template = template();
    let states = &template["Resources"]["Fulfil"]["Properties"]["Definition"]["States"];
    let fifo = &states["5 Send Ledger"]["Parameters"];
    assert_eq!(fifo["MessageGroupId.$"], "$$.StateMachine.Name");
    assert_eq!(
        fifo["MessageDeduplicationId.$"],
        "States.Format('{}/{}', $$.Execution.Id, $$.State.Name)"
    );
    let standard = &states["3 Send Shipping"]["Parameters"];
    assert!(standard.get("MessageGroupId.$").is_none(), "{standard}");
    assert!(
        standard.get("MessageDeduplicationId.$").is_none(),
        "{standard}"
    );
}

#[test]
fn the_role_is_what_the_steps_need() {
    let template = template();
    let resources = &template["Resources"];
    let trust = &resources["FulfilRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "states.amazonaws.com");
    assert!(trust["Condition"]["StringEquals"]["aws:SourceAccount"].is_object());
    let statements = resources["FulfilRolePolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .clone();
    let actions: Vec<&str> = statements
        .iter()
        .flat_map(|s| s["Action"].as_array().into_iter().flatten())
        .filter_map(|a| a.as_str())
        .collect();
    for needed in [
        "lambda:InvokeFunction",
        "dynamodb:PutItem",
        "sqs:SendMessage",
        "sns:Publish",
        "kms:GenerateDataKey",
        "logs:CreateLogDelivery",
        "xray:PutTraceSegments",
    ] {
        assert!(actions.contains(&needed), "{needed} in {actions:?}");
    }
    assert!(
        !actions.contains(&"dynamodb:DeleteItem"),
        "only what a step does"
    );
    let start = &resources["StarterPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(start["Action"][0], "states:StartExecution");
    assert_eq!(start["Resource"][0]["Fn::GetAtt"][0], "Fulfil");
}

#[test]
fn state_machines_pass_cfn_lint_and_checkov() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Fulfil::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("fulfil.json");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    assert!(report.failed.is_empty(), "checkov: {:?}", report.failed);
    assert!(
        report.skipped.iter().any(|(id, r, why)| id == "CKV_AWS_116"
            && r.ends_with("Check")
            && why.contains("synchronously by state machine Fulfil")),
        "a function the workflow invokes needs no dead-letter queue, and says why: {:?}",
        report.skipped
    );
}

stack! {
    /// A step whose item is not a path into the state.
    pub stack BadItem { name: "BadItem", region: "eu-west-2" }

    log_group flow_logs { retention_days: 365 }
    table orders { partition_key: string("order_id") }
    state_machine store { steps: [put_item(orders, "order")], logs: flow_logs }
}

#[test]
fn what_step_functions_refuses_is_reported_with_the_line() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let errors = BadItem::new(&config).stack.synth().expect_err("refused");
    let said = errors.to_string();
    assert!(
        said.contains("put_item's item is `order`, but it must be a JSONPath into the state")
            && said.contains("state_machines.rs:"),
        "{said}"
    );
}
