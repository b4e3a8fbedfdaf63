// A state machine's step names a declaration of the wrong kind: a table where a function
// belongs, a function where a queue belongs.
use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    log_group check_logs { retention_days: 365 }
    log_group flow_logs { retention_days: 365 }
    table orders { partition_key: string("order_id") }
    role check_role { assumed_by: lambda, grants: [write_logs(check_logs)] }
    function check {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: check_role,
        logs: check_logs,
    }
    state_machine fulfil {
        steps: [invoke(orders), send(check)],
        logs: flow_logs,
    }
}

fn main() {}
