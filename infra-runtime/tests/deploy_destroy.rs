//! `destroy` lists what goes and what stays from the live stack (a resource the local
//! template no longer has included), needs a production stack's name on top of `--yes`,
//! and refuses a stack with termination protection. Through the SDK's mock client.

mod common;

use common::{deployable, engine, no_events};
use std::sync::{Arc, Mutex};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::operation::get_template::GetTemplateOutput;
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    ResourceStatus, Stack as CfnStack, StackResourceSummary, StackStatus,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use infra_runtime::deploy::{DeployError, DeployOptions, Plan, ResourceEvent, Ui};

/// A user who types `typed` when asked for text and answers yes.
struct Typist {
    typed: Option<String>,
    said: Vec<String>,
}

impl Ui for Typist {
    fn status(&mut self, message: &str) {
        self.said.push(message.to_owned());
    }
    fn resource_event(&mut self, _: &ResourceEvent) {}
    fn plan(&mut self, _: &Plan) {}
    fn confirm(&mut self, _: &str) -> bool {
        true
    }
    fn ask_text(&mut self, _: &str) -> Option<String> {
        self.typed.clone()
    }
}

fn typist(typed: Option<&str>) -> Typist {
    Typist {
        typed: typed.map(str::to_owned),
        said: Vec::new(),
    }
}

fn options(production: bool, confirmed: Option<&str>) -> DeployOptions {
    DeployOptions {
        production,
        confirmed_name: confirmed.map(str::to_owned),
        ..common::options(true)
    }
}

/// The stack, gone once deleted.
fn describe(deleted: &Arc<Mutex<bool>>, protected: bool) -> Rule {
    let deleted = deleted.clone();
    mock!(Client::describe_stacks).then_compute_output(move |_| {
        let stacks = (!*deleted.lock().expect("lock")).then(|| {
            CfnStack::builder()
                .stack_name("Shop")
                .stack_id("arn:aws:cloudformation:eu-west-2:123456789012:stack/Shop/1")
                .stack_status(StackStatus::UpdateComplete)
                .enable_termination_protection(protected)
                .creation_time(DateTime::from_secs(0))
                .build()
        });
        DescribeStacksOutput::builder()
            .set_stacks(stacks.map(|s| vec![s]))
            .build()
    })
}

/// Deployed: the VPC and a key the local template has since dropped, retained.
fn live() -> (Rule, Rule) {
    let resources = mock!(Client::list_stack_resources).then_output(|| {
        let summary = |id: &str, ty: &str, physical: &str| {
            StackResourceSummary::builder()
                .logical_resource_id(id)
                .resource_type(ty)
                .physical_resource_id(physical)
                .resource_status(ResourceStatus::CreateComplete)
                .last_updated_timestamp(DateTime::from_secs(0))
                .build()
        };
        ListStackResourcesOutput::builder()
            .stack_resource_summaries(summary("Vpc", "AWS::EC2::VPC", "vpc-1"))
            .stack_resource_summaries(summary("OldKey", "AWS::KMS::Key", "key-1"))
            .build()
    });
    let template = mock!(Client::get_template).then_output(|| {
        GetTemplateOutput::builder()
            .template_body(
                r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC"},"OldKey":{"Type":"AWS::KMS::Key","DeletionPolicy":"Retain"}}}"#,
            )
            .build()
    })
    ;
    (resources, template)
}

fn delete(deleted: &Arc<Mutex<bool>>) -> Rule {
    let deleted = deleted.clone();
    mock!(Client::delete_stack).then_compute_output(move |_| {
        *deleted.lock().expect("lock") = true;
        DeleteStackOutput::builder().build()
    })
}

#[tokio::test]
async fn destroy_lists_the_live_stack_and_keeps_what_its_deployed_template_retains() {
    let deleted = Arc::new(Mutex::new(false));
    let (stacks, (resources, template), gone, events) = (
        describe(&deleted, false),
        live(),
        delete(&deleted),
        no_events(),
    );
    let client = mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        [&stacks, &resources, &template, &gone, &events]
    );
    let mut ui = typist(None);
    let kept = engine(client)
        .destroy(
            &deployable(),
            &options(false, None),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("destroyed");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].logical_id, "OldKey");
    assert!(
        ui.said
            .iter()
            .any(|s| s == "Vpc (AWS::EC2::VPC, vpc-1) is deleted"),
        "{:?}",
        ui.said
    );
    assert!(
        ui.said.iter().any(|s| s == "OldKey (AWS::KMS::Key, key-1) stays behind: it is retained (DeletionPolicy Retain)"),
        "{:?}",
        ui.said
    );
    assert_eq!(gone.num_calls(), 1);
}

#[tokio::test]
async fn a_production_stack_needs_its_name_on_top_of_yes() {
    for (typed, confirmed, deletes) in [
        (None, None, false),
        (Some("shop"), None, false),
        (Some("Shop"), None, true),
        (None, Some("Shop"), true),
    ] {
        let deleted = Arc::new(Mutex::new(false));
        let (stacks, (resources, template), gone, events) = (
            describe(&deleted, false),
            live(),
            delete(&deleted),
            no_events(),
        );
        let client = mock_client!(
            aws_sdk_cloudformation,
            RuleMode::MatchAny,
            [&stacks, &resources, &template, &gone, &events]
        );
        let mut ui = typist(typed);
        let result = engine(client)
            .destroy(
                &deployable(),
                &options(true, confirmed),
                &mut ui,
                std::future::pending(),
            )
            .await;
        assert_eq!(
            result.is_ok(),
            deletes,
            "{typed:?} {confirmed:?}: {result:?}"
        );
        assert_eq!(
            gone.num_calls(),
            usize::from(deletes),
            "{typed:?} {confirmed:?}"
        );
        if typed.is_none() && confirmed.is_none() {
            let error = result.expect_err("refused").to_string();
            assert!(error.contains("pass --confirm-stack Shop"), "{error}");
        }
    }
}

#[tokio::test]
async fn a_stack_with_termination_protection_is_refused() {
    let deleted = Arc::new(Mutex::new(false));
    let (stacks, (resources, template), gone, events) = (
        describe(&deleted, true),
        live(),
        delete(&deleted),
        no_events(),
    );
    let client = mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        [&stacks, &resources, &template, &gone, &events]
    );
    let error = engine(client)
        .destroy(
            &deployable(),
            &options(false, None),
            &mut typist(None),
            std::future::pending(),
        )
        .await
        .expect_err("refused");
    assert!(matches!(error, DeployError::Blocked { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("turn termination protection off first"),
        "{error}"
    );
    assert_eq!(gone.num_calls(), 0);
}

/// A user who confirms while another run deletes the stack and creates one of the same
/// name (a new id).
struct SlowReader {
    recreated: Arc<Mutex<bool>>,
}

impl Ui for SlowReader {
    fn status(&mut self, _: &str) {}
    fn resource_event(&mut self, _: &ResourceEvent) {}
    fn plan(&mut self, _: &Plan) {}
    fn confirm(&mut self, _: &str) -> bool {
        *self.recreated.lock().expect("lock") = true;
        true
    }
}

#[tokio::test]
async fn destroy_deletes_the_stack_it_listed_by_its_id_and_never_its_successor() {
    for recreated_meanwhile in [false, true] {
        let recreated = Arc::new(Mutex::new(false));
        let now = recreated.clone();
        let deleted = Arc::new(Mutex::new(false));
        let is_deleted = deleted.clone();
        let stacks = mock!(Client::describe_stacks).then_compute_output(move |_| {
            if *is_deleted.lock().expect("lock") {
                return DescribeStacksOutput::builder().build();
            }
            let id = if *now.lock().expect("lock") {
                "Shop/2"
            } else {
                "Shop/1"
            };
            let stack = CfnStack::builder()
                .stack_name("Shop")
                .stack_id(format!(
                    "arn:aws:cloudformation:eu-west-2:123456789012:stack/{id}"
                ))
                .stack_status(StackStatus::UpdateComplete)
                .creation_time(DateTime::from_secs(0))
                .build();
            DescribeStacksOutput::builder().stacks(stack).build()
        });
        // Only a deletion by the listed stack's id matches.
        let gone = mock!(Client::delete_stack)
            .match_requests(|r| r.stack_name() == Some(common::STACK_ID))
            .then_compute_output(move |_| {
                *deleted.lock().expect("lock") = true;
                DeleteStackOutput::builder().build()
            });
        let (resources, template) = live();
        let events = no_events();
        let client = mock_client!(
            aws_sdk_cloudformation,
            RuleMode::MatchAny,
            [&stacks, &resources, &template, &gone, &events]
        );
        let mut ui = SlowReader {
            recreated: if recreated_meanwhile {
                recreated.clone()
            } else {
                Arc::new(Mutex::new(false))
            },
        };
        let asking = DeployOptions {
            yes: false,
            ..options(false, None)
        };
        let result = engine(client)
            .destroy(&deployable(), &asking, &mut ui, std::future::pending())
            .await;
        if recreated_meanwhile {
            let error = result.expect_err("refused");
            assert!(
                matches!(error, DeployError::ChangedSinceListed { .. }),
                "{error}"
            );
            assert!(error.to_string().contains("nothing was deleted"), "{error}");
            assert_eq!(gone.num_calls(), 0, "the new stack is not deleted");
        } else {
            assert_eq!(gone.num_calls(), 1, "{result:?}");
        }
    }
}
