//! A run deletes and executes only what it created, and only while the stack is where it
//! planned from: declining or interrupting at the prompt cleans up this run's change set
//! (and the empty stack it made, if nothing else happened to it), a stack another run has
//! changed meanwhile is not executed on, and a run follows only its own execution's
//! events. Through the SDK's mock client, with the stack's status changing under the run
//! as another run would change it.

mod common;

use common::{STACK_ID, deployable, engine, options};
use std::sync::{Arc, Mutex};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput;
use aws_sdk_cloudformation::operation::list_change_sets::ListChangeSetsOutput;
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    Change, ChangeAction, ChangeSetStatus, ChangeSetSummary, ResourceChange, ResourceStatus,
    Stack as CfnStack, StackEvent, StackResourceSummary, StackStatus,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use infra_runtime::deploy::{DeployError, Plan, ResourceEvent, Ui};

const CHANGE_SET: &str = "arn:aws:cloudformation:eu-west-2:123456789012:changeSet/stacks-1/1";

/// A user who answers (or presses Ctrl-C) and, while being asked, lets `meanwhile` run:
/// what another run does while this one waits at its prompt.
struct Prompt {
    answer: bool,
    interrupt: bool,
    meanwhile: Box<dyn FnMut()>,
    events: Vec<String>,
}

impl Ui for Prompt {
    fn status(&mut self, _: &str) {}
    fn resource_event(&mut self, event: &ResourceEvent) {
        self.events
            .push(format!("{} {}", event.logical_id, event.status));
    }
    fn plan(&mut self, _: &Plan) {}
    fn confirm(&mut self, _: &str) -> bool {
        (self.meanwhile)();
        self.answer
    }
    fn interrupted(&mut self) -> bool {
        self.interrupt
    }
}

fn prompt(answer: bool, interrupt: bool, meanwhile: impl FnMut() + 'static) -> Prompt {
    Prompt {
        answer,
        interrupt,
        meanwhile: Box::new(meanwhile),
        events: Vec::new(),
    }
}

/// The stack's status, `None` while it does not exist; the rules read and change it.
type Status = Arc<Mutex<Option<StackStatus>>>;

fn describe_stacks(status: &Status) -> Rule {
    let status = status.clone();
    mock!(Client::describe_stacks).then_compute_output(move |_| {
        let stacks = status.lock().expect("lock").clone().map(|current| {
            CfnStack::builder()
                .stack_name("Shop")
                .stack_id(STACK_ID)
                .stack_status(current)
                .creation_time(DateTime::from_secs(0))
                .build()
        });
        DescribeStacksOutput::builder()
            .set_stacks(stacks.map(|s| vec![s]))
            .build()
    })
}

/// A CREATE change set makes the empty stack, as CloudFormation does.
fn create_change_set(status: &Status) -> Rule {
    let status = status.clone();
    mock!(Client::create_change_set).then_compute_output(move |_| {
        status
            .lock()
            .expect("lock")
            .get_or_insert(StackStatus::ReviewInProgress);
        CreateChangeSetOutput::builder()
            .id(CHANGE_SET)
            .stack_id(STACK_ID)
            .build()
    })
}

fn change_set_ready() -> Rule {
    mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreateComplete)
            .changes(
                Change::builder()
                    .resource_change(
                        ResourceChange::builder()
                            .action(ChangeAction::Add)
                            .logical_resource_id("Vpc")
                            .resource_type("AWS::EC2::VPC")
                            .build(),
                    )
                    .build(),
            )
            .build()
    })
}

fn no_other_change_sets() -> Rule {
    mock!(Client::list_change_sets).then_output(|| {
        ListChangeSetsOutput::builder()
            .summaries(
                ChangeSetSummary::builder()
                    .change_set_id(CHANGE_SET)
                    .build(),
            )
            .build()
    })
}

/// Deletes this run's change set only: a request for any other does not match.
fn delete_change_set() -> Rule {
    mock!(Client::delete_change_set)
        .match_requests(|r| r.change_set_name() == Some(CHANGE_SET))
        .then_output(|| DeleteChangeSetOutput::builder().build())
}

/// The stack's resources: none, or a live queue.
fn resources(held: bool) -> Rule {
    mock!(Client::list_stack_resources).then_output(move || {
        let queue = StackResourceSummary::builder()
            .logical_resource_id("Queue")
            .resource_type("AWS::SQS::Queue")
            .resource_status(ResourceStatus::CreateComplete)
            .last_updated_timestamp(DateTime::from_secs(0))
            .build();
        ListStackResourcesOutput::builder()
            .set_stack_resource_summaries(held.then(|| vec![queue]))
            .build()
    })
}

fn delete_stack() -> Rule {
    mock!(Client::delete_stack)
        .match_requests(|r| r.stack_name() == Some(STACK_ID))
        .then_output(|| DeleteStackOutput::builder().build())
}

fn execute() -> Rule {
    mock!(Client::execute_change_set).then_output(|| ExecuteChangeSetOutput::builder().build())
}

/// The CloudFormation a deploy meets: the stack (as `status` says), a change set that
/// creates it or updates it, the stack's change sets (`list`), deletion and execution,
/// each rule counting its calls.
struct Cloud {
    describe: Rule,
    create: Rule,
    ready: Rule,
    list: Rule,
    delete_set: Rule,
    delete: Rule,
    run: Rule,
    resources: Rule,
}

impl Cloud {
    /// With no change set but this run's on the stack.
    fn new(status: &Status) -> Self {
        Self::listing(status, no_other_change_sets())
    }

    fn listing(status: &Status, list: Rule) -> Self {
        Self {
            describe: describe_stacks(status),
            create: create_change_set(status),
            ready: change_set_ready(),
            list,
            delete_set: delete_change_set(),
            delete: delete_stack(),
            run: execute(),
            resources: resources(false),
        }
    }

    fn client(&self) -> Client {
        mock_client!(
            aws_sdk_cloudformation,
            RuleMode::MatchAny,
            [
                &self.describe,
                &self.create,
                &self.ready,
                &self.list,
                &self.delete_set,
                &self.delete,
                &self.run,
                &self.resources
            ]
        )
    }

    /// Calls of (ExecuteChangeSet, DeleteChangeSet, DeleteStack).
    fn calls(&self) -> (usize, usize, usize) {
        (
            self.run.num_calls(),
            self.delete_set.num_calls(),
            self.delete.num_calls(),
        )
    }
}

#[tokio::test]
async fn declining_after_another_run_created_the_stack_deletes_only_the_change_set() {
    let status: Status = Arc::new(Mutex::new(None));
    let other_run = status.clone();
    let cloud = Cloud::new(&status);
    let client = cloud.client();
    // While this run waits at its prompt, another run creates the stack.
    let mut ui = prompt(false, false, move || {
        *other_run.lock().expect("lock") = Some(StackStatus::CreateComplete);
    });
    let error = engine(client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("declined");
    assert!(matches!(error, DeployError::Declined(_)), "{error}");
    assert!(
        error.to_string().contains(
            "stack Shop is CREATE_COMPLETE now, changed by another run, and is left as it is"
        ),
        "{error}"
    );
    assert_eq!(
        cloud.delete.num_calls(),
        0,
        "the other run's stack is not deleted"
    );
    assert_eq!(cloud.delete_set.num_calls(), 1, "this run's change set is");
    assert_eq!(cloud.run.num_calls(), 0);
}

#[tokio::test]
async fn declining_a_creation_deletes_the_empty_stack_it_made_by_its_id() {
    let status: Status = Arc::new(Mutex::new(None));
    let cloud = Cloud::new(&status);
    let client = cloud.client();
    let mut ui = prompt(false, false, || {});
    let error = engine(client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("declined");
    assert!(
        error
            .to_string()
            .contains("and so is the empty stack Shop it created"),
        "{error}"
    );
    assert_eq!(
        cloud.delete.num_calls(),
        1,
        "deleted by its id, not its name"
    );
}

#[tokio::test]
async fn ctrl_c_at_the_prompt_cleans_up_and_executes_nothing() {
    let status: Status = Arc::new(Mutex::new(None));
    let cloud = Cloud::new(&status);
    let client = cloud.client();
    let mut ui = prompt(false, true, || {});
    let error = engine(client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("interrupted");
    assert!(matches!(error, DeployError::Interrupted(_)), "{error}");
    assert!(
        error.to_string().contains("nothing was executed"),
        "{error}"
    );
    assert_eq!(cloud.calls(), (0, 1, 1));
}

#[tokio::test]
async fn a_stack_changed_between_plan_and_execution_is_not_executed_on() {
    let status: Status = Arc::new(Mutex::new(Some(StackStatus::UpdateComplete)));
    let other_run = status.clone();
    let cloud = Cloud::new(&status);
    let client = cloud.client();
    // Another run starts its update while this one is being confirmed.
    let mut ui = prompt(true, false, move || {
        *other_run.lock().expect("lock") = Some(StackStatus::UpdateInProgress);
    });
    let error = engine(client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("refused");
    assert!(matches!(error, DeployError::Concurrent { .. }), "{error}");
    assert!(
        error.to_string().starts_with("stack Shop was changed by another run while this one planned (it is UPDATE_IN_PROGRESS now); nothing was executed"),
        "{error}"
    );
    assert_eq!(cloud.calls(), (0, 1, 0));
}

#[tokio::test]
async fn a_run_follows_only_its_own_execution_events() {
    let status: Status = Arc::new(Mutex::new(Some(StackStatus::UpdateComplete)));
    let running = status.clone();
    let (describe, create, ready) = (
        describe_stacks(&status),
        create_change_set(&status),
        change_set_ready(),
    );
    let token = Arc::new(Mutex::new(String::new()));
    let sent = token.clone();
    let run = mock!(Client::execute_change_set).then_compute_output(move |request| {
        *sent.lock().expect("lock") = request
            .client_request_token()
            .unwrap_or_default()
            .to_owned();
        *running.lock().expect("lock") = Some(StackStatus::UpdateComplete);
        ExecuteChangeSetOutput::builder().build()
    });
    let polls = Arc::new(Mutex::new(0));
    let events = mock!(Client::describe_stack_events).then_compute_output(move |request| {
        let mut n = polls.lock().expect("lock");
        *n += 1;
        // The first read, before executing, finds the stack's history; later reads find
        // an event of this execution and one of another run's.
        let event = |id: &str, logical: &str, token: &str| {
            StackEvent::builder()
                .event_id(id)
                .stack_id(STACK_ID)
                .stack_name(request.stack_name().unwrap_or_default())
                .logical_resource_id(logical)
                .resource_type("AWS::EC2::VPC")
                .resource_status(ResourceStatus::UpdateComplete)
                .client_request_token(token)
                .timestamp(DateTime::from_secs(1))
                .build()
        };
        let mut out = DescribeStackEventsOutput::builder();
        if *n > 1 {
            out = out
                .stack_events(event("e3", "Theirs", "stacks-other-exec"))
                .stack_events(event("e2", "Ours", &token.lock().expect("lock")));
        }
        out.stack_events(event("e1", "Old", "old")).build()
    });
    let list = no_other_change_sets();
    let client = mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        [&describe, &create, &ready, &list, &run, &events]
    );
    let mut ui = prompt(true, false, || {});
    engine(client)
        .deploy(
            &deployable(),
            &options(true),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("deploys");
    assert_eq!(ui.events, ["Ours UPDATE_COMPLETE"]);
}

#[tokio::test]
async fn a_run_that_planned_second_refuses_and_leaves_the_stack_to_the_first() {
    let status: Status = Arc::new(Mutex::new(None));
    // Another run's change set, created a second before this run's and not yet executed.
    let list = mock!(Client::list_change_sets).then_output(|| {
        ListChangeSetsOutput::builder()
            .summaries(
                ChangeSetSummary::builder()
                    .change_set_id(CHANGE_SET)
                    .change_set_name("stacks-2")
                    .creation_time(DateTime::from_secs(100))
                    .build(),
            )
            .summaries(
                ChangeSetSummary::builder()
                    .change_set_id("theirs")
                    .change_set_name("stacks-1")
                    .creation_time(DateTime::from_secs(99))
                    .execution_status(aws_sdk_cloudformation::types::ExecutionStatus::Available)
                    .build(),
            )
            .build()
    });
    let cloud = Cloud::listing(&status, list);
    let client = cloud.client();
    let mut ui = prompt(true, false, || {});
    let error = engine(client)
        .deploy(
            &deployable(),
            &options(true),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("refused");
    assert!(matches!(error, DeployError::AnotherRun { .. }), "{error}");
    assert!(
        error.to_string().starts_with("another run is deploying stack Shop (its change set stacks-1 came first); nothing was executed"),
        "{error}"
    );
    assert_eq!(cloud.calls(), (0, 1, 0));
}

#[tokio::test]
async fn a_stack_awaiting_review_that_holds_resources_is_never_taken_for_absent() {
    // After a failed run, the stack reads REVIEW_IN_PROGRESS yet holds a live queue.
    let status: Status = Arc::new(Mutex::new(Some(StackStatus::ReviewInProgress)));
    let mut cloud = Cloud::new(&status);
    cloud.resources = resources(true);
    let client = cloud.client();
    let mut ui = prompt(false, false, || {});
    let error = engine(client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("refused");
    assert!(matches!(error, DeployError::Blocked { .. }), "{error}");
    assert!(
        error.to_string().starts_with(
            "stack Shop is REVIEW_IN_PROGRESS yet holds resources; nothing was changed"
        ),
        "{error}"
    );
    assert_eq!(cloud.create.num_calls(), 0, "no change set is planned");
    assert_eq!(cloud.calls(), (0, 0, 0), "nothing is executed or deleted");
}

#[tokio::test]
async fn declining_never_deletes_a_stack_that_came_to_hold_resources() {
    // Planned as a creation; by the prompt's end the stack holds a resource (another
    // tool executed a change set on it): it is not the empty stack this run made.
    let status: Status = Arc::new(Mutex::new(None));
    let mut cloud = Cloud::new(&status);
    cloud.resources = resources(false);
    let filled = Arc::new(Mutex::new(false));
    let seen = filled.clone();
    cloud.resources = mock!(Client::list_stack_resources).then_compute_output(move |_| {
        let queue = StackResourceSummary::builder()
            .logical_resource_id("Queue")
            .resource_type("AWS::SQS::Queue")
            .resource_status(ResourceStatus::CreateComplete)
            .last_updated_timestamp(DateTime::from_secs(0))
            .build();
        ListStackResourcesOutput::builder()
            .set_stack_resource_summaries((*seen.lock().expect("lock")).then(|| vec![queue]))
            .build()
    });
    let client = cloud.client();
    let mut ui = prompt(false, false, move || *filled.lock().expect("lock") = true);
    let error = engine(client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("declined");
    assert!(
        error
            .to_string()
            .contains("stack Shop stays: it holds resources"),
        "{error}"
    );
    assert_eq!(cloud.calls(), (0, 1, 0));
}

/// A change set CloudFormation is still working on.
fn change_set_pending() -> Rule {
    mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreateInProgress)
            .build()
    })
}

#[tokio::test]
async fn a_signal_while_the_change_set_is_created_cleans_up_and_executes_nothing() {
    let status: Status = Arc::new(Mutex::new(None));
    let mut cloud = Cloud::new(&status);
    cloud.ready = change_set_pending();
    let client = cloud.client();
    let mut ui = prompt(true, false, || {});
    let signal = tokio::time::sleep(std::time::Duration::from_millis(30));
    let error = engine(client)
        .deploy(&deployable(), &options(false), &mut ui, signal)
        .await
        .expect_err("interrupted");
    assert!(matches!(error, DeployError::Interrupted(_)), "{error}");
    assert!(
        error
            .to_string()
            .contains("nothing was executed: change set stacks-"),
        "{error}"
    );
    assert_eq!(
        cloud.calls(),
        (0, 1, 1),
        "its change set and empty stack go"
    );
}

#[tokio::test]
async fn an_error_after_the_change_set_exists_cleans_up_even_in_diff() {
    let status: Status = Arc::new(Mutex::new(None));
    let mut cloud = Cloud::new(&status);
    cloud.ready = mock!(Client::describe_change_set).then_error(|| {
        aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetError::ChangeSetNotFoundException(
            aws_sdk_cloudformation::types::error::ChangeSetNotFoundException::builder()
                .message("the endpoint lost it")
                .build(),
        )
    });
    let client = cloud.client();
    let mut ui = prompt(true, false, || {});
    let error = engine(client)
        .diff(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("fails");
    assert!(matches!(error, DeployError::CleanedUp { .. }), "{error}");
    assert!(
        error.to_string().starts_with("DescribeChangeSet: ")
            && error
                .to_string()
                .contains("and so is the empty stack Shop it created"),
        "{error}"
    );
    assert_eq!(cloud.calls(), (0, 1, 1));
}

#[tokio::test]
async fn a_change_set_abandoned_over_ten_minutes_ago_does_not_hold_a_run_off() {
    let status: Status = Arc::new(Mutex::new(Some(StackStatus::UpdateComplete)));
    let running = status.clone();
    // Another run's change set, never executed, created eleven minutes before this run's.
    let list = mock!(Client::list_change_sets).then_output(|| {
        ListChangeSetsOutput::builder()
            .summaries(
                ChangeSetSummary::builder()
                    .change_set_id(CHANGE_SET)
                    .change_set_name("stacks-2")
                    .creation_time(DateTime::from_secs(1_000))
                    .build(),
            )
            .summaries(
                ChangeSetSummary::builder()
                    .change_set_id("abandoned")
                    .change_set_name("stacks-1")
                    .creation_time(DateTime::from_secs(1_000 - 660))
                    .execution_status(aws_sdk_cloudformation::types::ExecutionStatus::Available)
                    .build(),
            )
            .build()
    });
    let mut cloud = Cloud::listing(&status, list);
    cloud.run = mock!(Client::execute_change_set).then_compute_output(move |_| {
        *running.lock().expect("lock") = Some(StackStatus::UpdateComplete);
        ExecuteChangeSetOutput::builder().build()
    });
    let events = common::no_events();
    let client = mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        [
            &cloud.describe,
            &cloud.create,
            &cloud.ready,
            &cloud.list,
            &cloud.delete_set,
            &cloud.delete,
            &cloud.run,
            &cloud.resources,
            &events
        ]
    );
    let mut ui = prompt(true, false, || {});
    engine(client)
        .deploy(
            &deployable(),
            &options(true),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("deploys");
    assert_eq!(
        cloud.run.num_calls(),
        1,
        "the abandoned change set does not block"
    );
}
