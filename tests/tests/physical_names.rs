//! Physical names derive from the stack and the environment, so the same declarations in
//! two stacks, or one stack in two environments, never collide in one account; a name
//! past its service's limit is reported by synthesis with the declaring line.

use infra_macros::stack;
use infra_runtime::{StackConfig, SynthError, Template};

stack! {
    pub stack Billing { region: "eu-west-2", name: "Billing" }
    key data_key { description: "Billing data", rotation: true }
}

stack! {
    pub stack Ledger { region: "eu-west-2", name: "Ledger" }
    key data_key { description: "Ledger data", rotation: true }
}

stack! {
    pub stack Reporting {
        region: "eu-west-2",
        name: "CustomerReportingAndReconciliationPlatformStack",
    }
    key data_key { description: "Reports", rotation: true, allow_logs: true }
    vpc network {
        cidr: "10.0.0.0/16",
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        database: ["10.0.21.0/24", "10.0.22.0/24"],
    }
    security_group db_sg in network { description: "Database" }
    aurora reconciliation_database {
        subnets: network.database,
        security_group: db_sg,
        key: data_key,
    }
}

fn alias(template: &Template) -> String {
    template.document()["Resources"]["DataKeyAlias"]["Properties"]["AliasName"]
        .as_str()
        .expect("an alias name")
        .to_owned()
}

#[test]
fn the_same_declaration_in_two_stacks_or_two_environments_gets_two_names() {
    let dev = StackConfig::new("dev", "eu-west-2");
    let prod = StackConfig::new("prod", "eu-west-2");
    let synth = |built: infra_runtime::Stack| built.synth().expect("synthesizes");
    let billing_dev = alias(&synth(Billing::new(&dev).stack));
    let ledger_dev = alias(&synth(Ledger::new(&dev).stack));
    let billing_prod = alias(&synth(Billing::new(&prod).stack));
    assert_eq!(billing_dev, "alias/billing-data-key-dev");
    assert_eq!(ledger_dev, "alias/ledger-data-key-dev");
    assert_eq!(billing_prod, "alias/billing-data-key-prod");
}

/// The errors synthesis refuses a stack with.
fn refused(stack: infra_runtime::Stack) -> Vec<SynthError> {
    match stack.synth() {
        Ok(_) => panic!("synthesized"),
        Err(e) => e.0,
    }
}

/// The problem synthesis reports for the resource `logical_id`.
fn problem_of(errors: &[SynthError], logical_id: &str) -> String {
    let found = errors.iter().find_map(|e| match e {
        SynthError::InvalidValue {
            construct, problem, ..
        } if construct == logical_id => Some(problem.clone()),
        _ => None,
    });
    found.unwrap_or_else(|| panic!("no error of {logical_id} in {errors:?}"))
}

#[test]
fn a_cluster_identifier_past_its_limit_is_reported_with_the_line() {
    let config = StackConfig::new("staging-eu", "eu-west-2");
    let errors = refused(Reporting::new(&config).stack);
    // Once, by the schema's bound: no second report of the same length.
    assert_eq!(errors.len(), 1, "{errors:?}");
    let problem = problem_of(&errors, "ReconciliationDatabaseCluster");
    assert!(
        problem.contains("`DBClusterIdentifier` to `customer-reporting-and-reconciliation-platform-stack-reconciliation-database-staging-eu`, 87 characters, longer than the 63 `AWS::RDS::DBCluster` allows"),
        "{problem}"
    );
    assert!(
        errors[0].to_string().contains("physical_names.rs:30"),
        "{}",
        errors[0]
    );
}

stack! {
    pub stack Settlement {
        region: "eu-west-2",
        name: "CustomerReportingAndReconciliationPlatformStack",
    }
    key data_key { description: "Settlement", rotation: true, allow_logs: true }
    log_group flow_logs { retention_days: 365, key: data_key }
    function settle {
        code: inline("def handler(event, context): pass"),
        handler: "index.handler",
        key: data_key,
    }
    state_machine reconciliation_and_settlement { steps: [invoke(settle)], logs: flow_logs }
}

#[test]
fn any_resources_name_past_its_schemas_bound_is_reported_with_the_line() {
    let config = StackConfig::new("staging-eu", "eu-west-2");
    let errors = refused(Settlement::new(&config).stack);
    let problem = problem_of(&errors, "ReconciliationAndSettlement");
    assert!(
        problem.contains("`StateMachineName`")
            && problem.contains("longer than the 80 `AWS::StepFunctions::StateMachine` allows"),
        "{problem}"
    );
}

#[test]
fn a_nested_string_past_its_schemas_bound_is_reported_by_its_path() {
    use infra_runtime::aws::lambda::function::Code;

    let mut stack = infra_runtime::Stack::new();
    let line = line!() + 1;
    stack.add(
        "Handler",
        infra_runtime::aws::lambda::function::Function {
            code: Code {
                s3_bucket: Some(infra_runtime::Value::external("b".repeat(64))),
                s3_key: Some("handler.zip".into()),
                ..Default::default()
            },
            role: infra_runtime::Value::external("arn:aws:iam::111122223333:role/handler"),
            ..Default::default()
        },
    );
    stack.add(
        "Assets",
        infra_runtime::aws::s3::bucket::Bucket {
            tags: Some(vec![
                infra_runtime::Tag::new("Team", "payments"),
                infra_runtime::Tag::new("Purpose", "v".repeat(257)),
            ]),
            ..Default::default()
        },
    );
    let errors = refused(stack);
    let lengths = errors
        .iter()
        .filter(|e| matches!(e, SynthError::InvalidValue { .. }));
    assert_eq!(lengths.count(), 2, "{errors:?}");
    let code = problem_of(&errors, "Handler");
    assert!(
        code.starts_with(&format!(
            "sets `Code.S3Bucket` to `{}`, 64 characters, longer than the 63 `AWS::Lambda::Function` allows",
            "b".repeat(64)
        )),
        "{code}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.to_string().contains(&format!("physical_names.rs:{line}"))),
        "{errors:?}"
    );
    let tag = problem_of(&errors, "Assets");
    assert!(
        tag.contains("sets `Tags[1].Value` to `vvv")
            && tag.contains("257 characters, longer than the 256 `AWS::S3::Bucket` allows"),
        "{tag}"
    );
}
