//! A run deletes and executes only what it created, and only while the stack is where it
//! planned from: declining or interrupting at the prompt cleans up this run's change set
//! (and the empty stack it made, if nothing else happened to it), a stack another run has
//! changed meanwhile is not executed on, and a run follows only its own execution's
//! events. Against a stand-in CloudFormation, with the stack's status changing under the run
//! as another run would change it.

mod common;

use common::{STACK_ID, deployable, engine, options};
use std::sync::{Arc, Mutex};

use common::{Rule, el, list, on};
use infra_runtime::deploy::StackStatus;
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
    on("DescribeStacks").reply(move |_| match status.lock().expect("lock").clone() {
        Some(current) => common::stack(current.as_str(), ""),
        None => "<Stacks/>".to_owned(),
    })
}

/// A CREATE change set makes the empty stack, as CloudFormation does.
fn create_change_set(status: &Status) -> Rule {
    let status = status.clone();
    on("CreateChangeSet").reply(move |_| {
        status
            .lock()
            .expect("lock")
            .get_or_insert(StackStatus::ReviewInProgress);
        el("Id", CHANGE_SET) + &el("StackId", STACK_ID)
    })
}

fn change_set_ready() -> Rule {
    on("DescribeChangeSet").reply(|_| {
        let change = "<Type>Resource</Type><ResourceChange><Action>Add</Action><LogicalResourceId>Vpc</LogicalResourceId><ResourceType>AWS::EC2::VPC</ResourceType></ResourceChange>";
        el("Status", "CREATE_COMPLETE") + &list("Changes", &[change.to_owned()])
    })
}

fn no_other_change_sets() -> Rule {
    on("ListChangeSets").reply(|_| list("Summaries", &[el("ChangeSetId", CHANGE_SET)]))
}

/// Deletes this run's change set only: a request for any other does not match.
fn delete_change_set() -> Rule {
    on("DeleteChangeSet").when(|r| r.get("ChangeSetName") == Some(CHANGE_SET))
}

/// The stack's resources: none, or a live queue.
fn resources(held: bool) -> Rule {
    on("ListStackResources").reply(move |_| queue_resource(held))
}

/// A change set of a stack's list: its id, name, creation time and execution status.
fn summary(id: &str, name: &str, created: &str, execution: &str) -> String {
    el("ChangeSetId", id)
        + &el("ChangeSetName", name)
        + &el("CreationTime", created)
        + &el("ExecutionStatus", execution)
}

/// A list of the stack's resources: a live queue, or none.
fn queue_resource(held: bool) -> String {
    let queue = el("LogicalResourceId", "Queue")
        + &el("ResourceType", "AWS::SQS::Queue")
        + &el("ResourceStatus", "CREATE_COMPLETE");
    let held: Vec<String> = held.then_some(queue).into_iter().collect();
    list("StackResourceSummaries", &held)
}

fn delete_stack() -> Rule {
    on("DeleteStack").when(|r| r.get("StackName") == Some(STACK_ID))
}

fn execute() -> Rule {
    on("ExecuteChangeSet")
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

    fn client(&self) -> [&Rule; 8] {
        [
            &self.describe,
            &self.create,
            &self.ready,
            &self.list,
            &self.delete_set,
            &self.delete,
            &self.run,
            &self.resources,
        ]
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
    let error = engine(&client)
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
    let error = engine(&client)
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
    let error = engine(&client)
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
    let error = engine(&client)
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
    let run = on("ExecuteChangeSet").reply(move |request| {
        *sent.lock().expect("lock") = request
            .get("ClientRequestToken")
            .unwrap_or_default()
            .to_owned();
        *running.lock().expect("lock") = Some(StackStatus::UpdateComplete);
        String::new()
    });
    let polls = Arc::new(Mutex::new(0));
    let events = on("DescribeStackEvents").reply(move |request| {
        let mut n = polls.lock().expect("lock");
        *n += 1;
        // The first read, before executing, finds the stack's history; later reads find
        // an event of this execution and one of another run's.
        let event = |id: &str, logical: &str, token: &str| {
            el("EventId", id)
                + &el("StackId", STACK_ID)
                + &el("StackName", request.get("StackName").unwrap_or_default())
                + &el("LogicalResourceId", logical)
                + &el("ResourceType", "AWS::EC2::VPC")
                + &el("ResourceStatus", "UPDATE_COMPLETE")
                + &el("ClientRequestToken", token)
                + "<Timestamp>1970-01-01T00:00:01Z</Timestamp>"
        };
        let mut events = Vec::new();
        if *n > 1 {
            events.push(event("e3", "Theirs", "stacks-other-exec"));
            events.push(event("e2", "Ours", &token.lock().expect("lock")));
        }
        events.push(event("e1", "Old", "old"));
        list("StackEvents", &events)
    });
    let list = no_other_change_sets();
    let client = [&describe, &create, &ready, &list, &run, &events];
    let mut ui = prompt(true, false, || {});
    engine(&client)
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
    let list = on("ListChangeSets").reply(|_| {
        list(
            "Summaries",
            &[
                summary(CHANGE_SET, "stacks-2", "1970-01-01T00:01:40Z", ""),
                summary("theirs", "stacks-1", "1970-01-01T00:01:39Z", "AVAILABLE"),
            ],
        )
    });
    let cloud = Cloud::listing(&status, list);
    let client = cloud.client();
    let mut ui = prompt(true, false, || {});
    let error = engine(&client)
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
    let error = engine(&client)
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
    cloud.resources =
        on("ListStackResources").reply(move |_| queue_resource(*seen.lock().expect("lock")));
    let client = cloud.client();
    let mut ui = prompt(false, false, move || *filled.lock().expect("lock") = true);
    let error = engine(&client)
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
    on("DescribeChangeSet").reply(|_| el("Status", "CREATE_IN_PROGRESS"))
}

#[tokio::test]
async fn a_signal_while_the_change_set_is_created_cleans_up_and_executes_nothing() {
    let status: Status = Arc::new(Mutex::new(None));
    let mut cloud = Cloud::new(&status);
    cloud.ready = change_set_pending();
    let client = cloud.client();
    let mut ui = prompt(true, false, || {});
    let signal = tokio::time::sleep(std::time::Duration::from_millis(30));
    let error = engine(&client)
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
async fn a_change_set_deleted_while_it_is_created_ends_the_wait() {
    let status: Status = Arc::new(Mutex::new(None));
    let mut cloud = Cloud::new(&status);
    // Another run (or a person) deletes this run's change set as CloudFormation builds it.
    cloud.ready = on("DescribeChangeSet").reply(|_| el("Status", "DELETE_IN_PROGRESS"));
    let client = cloud.client();
    let (engine, deployable, options) = (engine(&client), deployable(), options(true));
    let mut ui = prompt(true, false, || {});
    let deploy = engine.deploy(&deployable, &options, &mut ui, std::future::pending());
    let error = tokio::time::timeout(std::time::Duration::from_secs(10), deploy)
        .await
        .expect("ends")
        .expect_err("fails");
    assert!(
        error
            .to_string()
            .starts_with("the change set failed: the change set is DELETE_IN_PROGRESS while it was being created ("),
        "{error}"
    );
    assert_eq!(cloud.calls().0, 0, "nothing is executed");
}

#[tokio::test]
async fn an_error_after_the_change_set_exists_cleans_up_even_in_diff() {
    let status: Status = Arc::new(Mutex::new(None));
    let mut cloud = Cloud::new(&status);
    cloud.ready = on("DescribeChangeSet").refuse("ChangeSetNotFound", "the endpoint lost it");
    let client = cloud.client();
    let mut ui = prompt(true, false, || {});
    let error = engine(&client)
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
    let list = on("ListChangeSets").reply(|_| {
        list(
            "Summaries",
            &[
                summary(CHANGE_SET, "stacks-2", "1970-01-01T00:16:40Z", ""),
                summary("abandoned", "stacks-1", "1970-01-01T00:05:40Z", "AVAILABLE"),
            ],
        )
    });
    let mut cloud = Cloud::listing(&status, list);
    cloud.run = on("ExecuteChangeSet").reply(move |_| {
        *running.lock().expect("lock") = Some(StackStatus::UpdateComplete);
        String::new()
    });
    let events = common::no_events();
    let client = [
        &cloud.describe,
        &cloud.create,
        &cloud.ready,
        &cloud.list,
        &cloud.delete_set,
        &cloud.delete,
        &cloud.run,
        &cloud.resources,
        &events,
    ];
    let mut ui = prompt(true, false, || {});
    engine(&client)
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
