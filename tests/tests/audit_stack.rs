//! The audit trail stack: it imports the loan platform's VPC under the name the platform
//! exports it in the same environment, orders after it in the app, and its template passes
//! cfn-lint with informational checks.

use infra_runtime::app::Exports;
use infra_runtime::{AppStack, StackConfig};
use stacks::audit::AuditStack;
use stacks::loan::{LoanSettings, LoanStack};
use tests::lint_template;

#[test]
fn the_audit_stack_imports_the_loan_vpc_and_lints_clean() {
    for suffix in ["dev", "pr7"] {
        let config = StackConfig::new(suffix, "eu-west-2");
        let audit = AuditStack::new(&config).stack.synth().expect("synthesizes");
        let loan = LoanStack::new(&config, &LoanSettings::default())
            .stack
            .synth()
            .expect("synthesizes");
        let exported = &loan.document()["Outputs"]["VpcId"]["Export"]["Name"];
        assert_eq!(exported, &format!("TapStack{suffix}-VpcId").as_str());
        let imported = &audit.document()["Resources"]["AuditWorkers"]["Properties"]["VpcId"];
        assert_eq!(imported["Fn::ImportValue"], *exported);
        assert_eq!(
            LoanStack::exports(&config).vpc_id.to_json(),
            *imported,
            "the loan's exports read what the audit stack imports"
        );
    }
    assert_eq!(AuditStack::imports(), [LoanStack::KEY]);
    assert!(LoanStack::imports().is_empty());

    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("audit.json");
    let template = AuditStack::new(&StackConfig::new("dev", "eu-west-2"))
        .stack
        .synth()
        .expect("synthesizes");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
}
