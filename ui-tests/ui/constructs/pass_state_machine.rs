//! A built-in `state_machine`: typed steps on a function and a table, its role derived
//! from them, its executions logged; `start` granted to the function that begins it.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    log_group intake_logs { retention_days: 365 }
    log_group flow_logs { retention_days: 365 }
    table orders { partition_key: string("order_id") }
    role intake_role { assumed_by: lambda, grants: [write_logs(intake_logs), start(fulfil)] }
    function intake {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: intake_role,
        logs: intake_logs,
        environment: { MACHINE: fulfil.arn() },
    }
    log_group check_logs { retention_days: 365 }
    role check_role { assumed_by: lambda, grants: [write_logs(check_logs)] }
    function check {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: check_role,
        logs: check_logs,
    }
    state_machine fulfil {
        steps: [invoke(check), put_item(orders, "$.order")],
        logs: flow_logs,
        express: true,
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Orders::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    let machine = &resources["Fulfil"]["Properties"];
    assert_eq!(machine["StateMachineType"], "EXPRESS");
    assert_eq!(machine["RoleArn"]["Fn::GetAtt"][0], "FulfilRole");
    assert_eq!(machine["LoggingConfiguration"]["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0], "FlowLogs");
    let variables = &resources["Intake"]["Properties"]["Environment"]["Variables"];
    assert_eq!(variables["MACHINE"]["Fn::GetAtt"][0], "Fulfil");
}
