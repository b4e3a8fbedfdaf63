//! The app's order workflow (an HTTP API, an intake function, a Step Functions workflow
//! with a check function, a table, logs and a dead-letter queue, in three components):
//! its reviewed snapshot, and the outside judges: cfn-lint finds nothing and checkov
//! fails no check.

use tests::{checkov_template, lint_template, workspace_root};

#[test]
fn the_order_workflow_matches_the_reviewed_snapshot() {
    let config = infra_runtime::StackConfig::from_lookup("eu-west-2", |_| None)
        .expect("the default configuration");
    let template = stacks::orders::OrdersStack::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let actual = template.pretty();
    let path = workspace_root().join("tests/snapshots/orders.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write the snapshot");
    }
    let expected = std::fs::read_to_string(&path).expect("tests/snapshots/orders.json exists");
    assert!(
        actual == expected,
        "the order workflow's template changed; review it with `UPDATE_SNAPSHOTS=1 cargo test -p tests --test orders_stack` and `git diff tests/snapshots`"
    );
}

#[test]
fn the_order_workflow_passes_cfn_lint_and_every_checkov_check() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = stacks::orders::OrdersStack::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    assert_eq!(template.assets().len(), 2, "the intake and check code");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("orders.json");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    assert!(report.failed.is_empty(), "checkov: {:?}", report.failed);
    assert!(
        report.passed > 20,
        "checkov judged it: {} passed",
        report.passed
    );
}
