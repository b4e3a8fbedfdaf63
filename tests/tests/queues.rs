//! The built-in `queue` as the outside judges it: cfn-lint finds nothing in a stack of
//! queues and the roles that use them, and checkov's SQS checks all pass.

use infra_macros::stack;
use tests::{checkov_template, lint_template};

stack! {
    /// A producer and a worker around an encrypted queue, and a FIFO queue on SQS keys.
    pub stack Jobs { name: "Jobs", region: "eu-west-2" }

    key jobs_key { description: "Jobs" }
    queue jobs { key: jobs_key, visibility_timeout_seconds: 300, max_receives: 3 }
    queue ledger { fifo: true, retention_days: 14, delay_seconds: 5 }
    role producer { assumed_by: lambda, grants: [send(jobs), send(ledger)] }
    role worker { assumed_by: ecs_tasks, grants: [consume(jobs), consume(ledger)] }
}

#[test]
fn a_stack_of_queues_passes_cfn_lint_and_checkovs_sqs_checks() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Jobs::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("jobs.json");
    std::fs::write(&path, template.pretty()).expect("template written");

    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");

    let report = checkov_template(&path).expect("checkov runs");
    let on_queues: Vec<_> = report
        .failed
        .iter()
        .filter(|(_, resource)| resource.starts_with("AWS::SQS"))
        .collect();
    assert!(on_queues.is_empty(), "checkov: {on_queues:?}");
    assert!(report.passed > 0, "checkov judged the template");
}
