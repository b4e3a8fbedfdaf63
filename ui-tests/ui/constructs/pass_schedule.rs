//! A built-in `schedule`: an EventBridge rule invoking a function with a fixed input, and
//! the function's permission scoped to the rule.

use infra_macros::stack;

stack! {
    pub stack Reports { region: "eu-west-2" }

    log_group report_logs { retention_days: 365 }
    role report_role { assumed_by: lambda, grants: [write_logs(report_logs)] }
    function report {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: report_role,
        logs: report_logs,
    }
    schedule nightly { every: "cron(0 2 * * ? *)", target: report, input: "{\"kind\":\"nightly\"}" }
    schedule often { every: "rate(5 minutes)", target: report }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Reports::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    let rule = &resources["Nightly"]["Properties"];
    assert_eq!(rule["ScheduleExpression"], "cron(0 2 * * ? *)");
    assert_eq!(rule["Targets"][0]["Arn"]["Fn::GetAtt"][0], "Report");
    assert_eq!(rule["Targets"][0]["Input"], "{\"kind\":\"nightly\"}");
    let permission = &resources["NightlyPermission"]["Properties"];
    assert_eq!(permission["Principal"], "events.amazonaws.com");
    assert_eq!(permission["SourceArn"]["Fn::GetAtt"][0], "Nightly");
    assert_eq!(resources["Often"]["Properties"]["ScheduleExpression"], "rate(5 minutes)");
}
