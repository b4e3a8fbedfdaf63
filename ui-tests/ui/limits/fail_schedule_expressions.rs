//! Schedules EventBridge refuses, each at its literal: a plural unit for one, a singular
//! one for fifteen, an hour past 23, an input that is not JSON, a cron of five fields,
//! both days given, a schedule that is neither, and a target that is not a function.

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
    schedule daily { every: "rate(1 days)", target: report }
    schedule often { every: "rate(15 minute)", target: report }
    schedule late { every: "cron(30 24 * * ? *)", target: report }
    schedule nightly { every: "cron(0 2 * * ? *)", target: report, input: "{kind: 'nightly'}" }
    schedule five { every: "cron(0 2 * * ?)", target: report }
    schedule both { every: "cron(0 2 1 * MON *)", target: report }
    schedule hourly { every: "every hour", target: report }
    schedule logs { every: "rate(1 hour)", target: report_logs }
}

fn main() {}
