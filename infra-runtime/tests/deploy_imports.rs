//! A change that replaces or drops an export another deployed stack imports is said
//! before anything runs, naming the importer, and refused (CloudFormation would refuse it
//! half way); `diff` says it as a warning. Through the SDK's mock client.

mod common;

use common::{STACK_ID, engine, no_events, options};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput;
use aws_sdk_cloudformation::operation::list_change_sets::ListChangeSetsOutput;
use aws_sdk_cloudformation::operation::list_imports::ListImportsOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    Change, ChangeAction, ChangeSetStatus, Output as CfnOutput, Replacement, ResourceChange,
    Stack as CfnStack, StackStatus,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use infra_runtime::aws::ec2::Vpc;
use infra_runtime::deploy::{DeployError, Deployable, Plan, ResourceEvent, Ui};
use infra_runtime::{Output, Stack};

const CHANGE_SET: &str = "arn:aws:cloudformation:eu-west-2:123456789012:changeSet/stacks-1/1";

/// A VPC whose id the stack exports as `Shop-VpcId`.
fn exporting() -> Deployable {
    let mut stack = Stack::new();
    let vpc = stack.add(
        "Vpc",
        Vpc {
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
        mock!(Client::describe_stacks).then_output(|| {
            DescribeStacksOutput::builder()
                .stacks(
                    CfnStack::builder()
                        .stack_name("Shop")
                        .stack_id(STACK_ID)
                        .stack_status(StackStatus::UpdateComplete)
                        .creation_time(DateTime::from_secs(0))
                        .outputs(
                            CfnOutput::builder()
                                .output_key("VpcId")
                                .output_value("vpc-1")
                                .export_name("Shop-VpcId")
                                .build(),
                        )
                        .build(),
                )
                .build()
        }),
        mock!(Client::create_change_set).then_output(|| {
            CreateChangeSetOutput::builder()
                .id(CHANGE_SET)
                .stack_id(STACK_ID)
                .build()
        }),
        mock!(Client::describe_change_set).then_output(|| {
            DescribeChangeSetOutput::builder()
                .status(ChangeSetStatus::CreateComplete)
                .changes(
                    Change::builder()
                        .resource_change(
                            ResourceChange::builder()
                                .action(ChangeAction::Modify)
                                .replacement(Replacement::True)
                                .logical_resource_id("Vpc")
                                .resource_type("AWS::EC2::VPC")
                                .build(),
                        )
                        .build(),
                )
                .build()
        }),
        mock!(Client::list_imports)
            .match_requests(|r| r.export_name() == Some("Shop-VpcId"))
            .then_output(|| ListImportsOutput::builder().imports("Audit").build()),
        mock!(Client::list_change_sets).then_output(|| ListChangeSetsOutput::builder().build()),
        mock!(Client::delete_change_set)
            .match_requests(|r| r.change_set_name() == Some(CHANGE_SET))
            .then_output(|| DeleteChangeSetOutput::builder().build()),
        mock!(Client::execute_change_set).then_output(|| ExecuteChangeSetOutput::builder().build()),
        no_events(),
    ]
}

fn client(rules: &[Rule]) -> Client {
    let rules: Vec<&Rule> = rules.iter().collect();
    mock_client!(aws_sdk_cloudformation, RuleMode::MatchAny, rules.as_slice())
}

#[tokio::test]
async fn replacing_an_imported_export_is_refused_before_anything_runs() {
    let rules = rules();
    let mut said = Said(Vec::new());
    let error = engine(client(&rules))
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
    engine(client(&rules))
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
