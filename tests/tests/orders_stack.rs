//! The app's order intake (an HTTP API, a function with its code, a table, logs and a
//! dead-letter queue) as the outside judges it: cfn-lint finds nothing and checkov fails
//! no check.

use tests::{checkov_template, lint_template};

#[test]
fn the_order_intake_passes_cfn_lint_and_every_checkov_check() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = stacks::orders::OrdersStack::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    assert_eq!(template.assets().len(), 1, "the intake code");
    let dir = std::env::temp_dir().join(format!("orders-stack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
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
