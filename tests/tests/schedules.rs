//! The built-in `schedule`: cfn-lint finds nothing in a scheduled function, and values
//! known only when the stack is built are refused at synthesis with the line.

use infra_macros::stack;
use infra_runtime::Stack;
use infra_runtime::construct::{self, Code, FunctionSpec, ScheduleSpec, Scope};

stack! {
    /// A report made every night.
    pub stack Reports { name: "Reports", region: "eu-west-2" }

    log_group report_logs { retention_days: 365 }
    role report_role { assumed_by: lambda, grants: [write_logs(report_logs)] }
    function report {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: report_role,
        logs: report_logs,
        reserved_concurrency: 1,
    }
    schedule nightly { every: "cron(0 2 * * ? *)", target: report, input: "{\"kind\":\"nightly\"}" }
}

#[test]
fn a_scheduled_function_passes_cfn_lint() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Reports::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    tests::assert_lints_clean(&template, "reports");
}

#[test]
fn schedules_eventbridge_refuses_are_reported_with_the_line() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Reports");
    let report = construct::function(
        &mut scope,
        "Report",
        FunctionSpec {
            code: Code::Inline("def handler(event, context):\n    return event\n"),
            handler: "index.handler",
            ..Default::default()
        },
    );
    let every = format!("rate({} minute)", 5);
    let line = line!() + 1;
    construct::schedule(
        &mut scope,
        "Often",
        ScheduleSpec {
            every: &every,
            target: Some(&report),
            input: Some("{kind: nightly}"),
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the schedule"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    for expected in [
        "`Often` fires `rate(5 minute)`, which says a singular unit for more than 1 (write `minutes`)",
        "`Often` has an input that is not JSON (key must be a string at line 1 column 2): `{kind: nightly}`",
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(expected) && m.contains(&format!("schedules.rs:{line}"))),
            "{expected}: {messages:#?}"
        );
    }
}
