//! The built-in `topic` as the outside judges it: cfn-lint finds nothing and checkov's
//! SNS checks pass, with and without a key of the stack.

use infra_macros::stack;
use tests::{checkov_template, lint_template};

stack! {
    /// Alerts to a function, on a key of the stack, and a topic on SNS's transport only.
    pub stack Alerts { name: "Alerts", region: "eu-west-2" }

    key data_key { description: "Alerts" }
    log_group notify_logs { retention_days: 365 }
    role notify_role { assumed_by: lambda, grants: [write_logs(notify_logs)] }
    function notify {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        role: notify_role,
        logs: notify_logs,
        reserved_concurrency: 1,
    }
    topic alerts { key: data_key, subscribers: [function(notify)] }
    topic plain {}
    role publisher { assumed_by: ecs_tasks, grants: [publish(alerts), publish(plain)] }
}

#[test]
fn topics_pass_cfn_lint_and_checkovs_sns_checks() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Alerts::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let dir = std::env::temp_dir().join(format!("topics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("alerts.json");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    let on_sns: Vec<_> = report
        .failed
        .iter()
        .filter(|(_, r)| r.starts_with("AWS::SNS"))
        .collect();
    assert!(on_sns.is_empty(), "checkov: {on_sns:?}");
    assert!(
        report
            .skipped
            .iter()
            .any(|(id, r, _)| id == "CKV_AWS_26" && r.ends_with("Plain")),
        "the topic without a key says why: {:?}",
        report.skipped
    );
}
