//! A change that replaces or drops an export another deployed stack imports is said
//! before anything runs, naming the importer, and refused (CloudFormation would refuse it
//! half way); `diff` says it as a warning. Against a stand-in CloudFormation.

mod common;

use common::{STACK_ID, engine, no_events, options};

use common::{Rule, el, list, on};
use infra_runtime::aws::ec2::vpc;
use infra_runtime::deploy::{DeployError, Deployable, Plan, ResourceEvent, Ui};
use infra_runtime::{Output, Stack};

const CHANGE_SET: &str = "arn:aws:cloudformation:eu-west-2:123456789012:changeSet/stacks-1/1";

/// A VPC whose id the stack exports as `Shop-VpcId`.
fn exporting() -> Deployable {
    let mut stack = Stack::new();
    let vpc = stack.add(
        "Vpc",
        vpc::Vpc {
            cidr_block: Some("10.1.0.0/16".into()),
            ..Default::default()
        },
    );
    stack.output("VpcId", Output::new(vpc.id()).export("Shop-VpcId"));
    Deployable::new(&stack).expect("synthesizes")
}

struct Said(Vec<String>);

impl Ui for Said {
    fn status(&mut self, message: &str) {
        self.0.push(message.to_owned());
    }
    fn resource_event(&mut self, _: &ResourceEvent) {}
    fn plan(&mut self, _: &Plan) {}
    fn confirm(&mut self, _: &str) -> bool {
        true
    }
}

/// The deployed stack, exporting its VPC's id; a change set that replaces the VPC
/// (its CIDR changed); stack `Audit` importing the export.
fn rules() -> Vec<Rule> {
    vec![
        on("DescribeStacks").reply(|_| {
            let output = el("OutputKey", "VpcId")
                + &el("OutputValue", "vpc-1")
                + &el("ExportName", "Shop-VpcId");
            common::stack("UPDATE_COMPLETE", &list("Outputs", &[output]))
        }),
        on("CreateChangeSet").reply(|_| el("Id", CHANGE_SET) + &el("StackId", STACK_ID)),
        on("DescribeChangeSet").reply(|_| {
            let change = "<Type>Resource</Type><ResourceChange><Action>Modify</Action><Replacement>True</Replacement><LogicalResourceId>Vpc</LogicalResourceId><ResourceType>AWS::EC2::VPC</ResourceType></ResourceChange>";
            el("Status", "CREATE_COMPLETE") + &list("Changes", &[change.to_owned()])
        }),
        on("ListImports")
            .when(|r| r.get("ExportName") == Some("Shop-VpcId"))
            .reply(|_| list("Imports", &["Audit".to_owned()])),
        on("ListChangeSets"),
        on("DeleteChangeSet").when(|r| r.get("ChangeSetName") == Some(CHANGE_SET)),
        on("ExecuteChangeSet"),
        no_events(),
    ]
}

fn client(rules: &[Rule]) -> Vec<&Rule> {
    rules.iter().collect()
}

#[tokio::test]
async fn replacing_an_imported_export_is_refused_before_anything_runs() {
    let rules = rules();
    let mut said = Said(Vec::new());
    let error = engine(&client(&rules))
        .deploy(
            &exporting(),
            &options(true),
            &mut said,
            std::future::pending(),
        )
        .await
        .expect_err("refused");
    assert!(matches!(error, DeployError::BreaksImport { .. }), "{error}");
    assert!(
        error.to_string().starts_with(
            "stack Shop: export Shop-VpcId is imported by stack Audit, and the change replaces Vpc (AWS::EC2::VPC), whose value output VpcId exports"
        ),
        "{error}"
    );
    assert_eq!(rules[6].num_calls(), 0, "nothing is executed");
    assert_eq!(rules[5].num_calls(), 1, "this run's change set is deleted");
}

#[tokio::test]
async fn diff_says_which_import_a_deploy_would_break() {
    let rules = rules();
    let mut said = Said(Vec::new());
    engine(&client(&rules))
        .diff(
            &exporting(),
            &options(true),
            &mut said,
            std::future::pending(),
        )
        .await
        .expect("a plan");
    assert!(
        said.0
            .iter()
            .any(|s| s.starts_with("warning: export Shop-VpcId is imported by stack Audit")),
        "{:?}",
        said.0
    );
}
