//! The stack states a local emulator cannot produce, against a stand-in CloudFormation: an
//! update whose rollback failed, an operation in progress (waited for, or refused), a
//! failed creation, and throttling answered by retries.

mod common;

use common::{deployable, engine, no_events, options};
use std::sync::{Arc, Mutex};

use common::{Rule, el, list, on, refusal, stack};
use infra_runtime::deploy::StackStatus;
use infra_runtime::deploy::{DeployError, DeployOutcome, Plan, ResourceEvent, Ui};

/// A scripted user: answers every question with `answer` and keeps what it was told.
#[derive(Default)]
struct Script {
    answer: bool,
    said: Vec<String>,
    asked: Vec<String>,
}

impl Ui for Script {
    fn status(&mut self, message: &str) {
        self.said.push(message.to_owned());
    }
    fn resource_event(&mut self, event: &ResourceEvent) {
        self.said
            .push(format!("{} {}", event.logical_id, event.status));
    }
    fn plan(&mut self, plan: &Plan) {
        self.said.push(plan.to_string());
    }
    fn confirm(&mut self, question: &str) -> bool {
        self.asked.push(question.to_owned());
        self.answer
    }
}

/// A stack whose status the rules read and change.
type Status = Arc<Mutex<StackStatus>>;

fn describe_stacks(status: &Status) -> Rule {
    let status = status.clone();
    on("DescribeStacks").reply(move |_| {
        let current = status.lock().expect("lock").clone();
        stack(current.as_str(), "")
    })
}

#[tokio::test]
async fn update_rollback_failed_is_left_alone_when_the_user_declines() {
    let status: Status = Arc::new(Mutex::new(StackStatus::UpdateRollbackFailed));
    let describe = describe_stacks(&status);
    let resume = on("ContinueUpdateRollback");
    let client = [&describe, &resume];
    let mut ui = Script::default();
    let error = engine(&client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("blocked");
    assert!(
        matches!(error, DeployError::Blocked { ref status, .. } if status == "UPDATE_ROLLBACK_FAILED"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("deploy again and accept to continue it"),
        "{error}"
    );
    assert_eq!(ui.asked.len(), 1);
    assert!(
        ui.asked[0].contains("continue the rollback"),
        "{:?}",
        ui.asked
    );
    assert_eq!(resume.num_calls(), 0, "nothing is done without consent");
}

#[tokio::test]
async fn update_rollback_failed_is_continued_then_the_change_set_runs() {
    let status: Status = Arc::new(Mutex::new(StackStatus::UpdateRollbackFailed));
    let describe = describe_stacks(&status);
    let resumed = status.clone();
    let resume = on("ContinueUpdateRollback").reply(move |_| {
        *resumed.lock().expect("lock") = StackStatus::UpdateRollbackComplete;
        String::new()
    });
    let create = on("CreateChangeSet").reply(|_| el("Id", "cs-1") + &el("StackId", "Shop"));
    let describe_set = on("DescribeChangeSet").reply(|_| {
        let change = "<Type>Resource</Type><ResourceChange><Action>Add</Action><LogicalResourceId>Vpc</LogicalResourceId><ResourceType>AWS::EC2::VPC</ResourceType></ResourceChange>";
        el("Status", "CREATE_COMPLETE") + &list("Changes", &[change.to_owned()])
    });
    let executed = status.clone();
    let execute = on("ExecuteChangeSet").reply(move |_| {
        *executed.lock().expect("lock") = StackStatus::UpdateComplete;
        String::new()
    });
    let events = no_events();
    // No other run's change set on the stack.
    let list = on("ListChangeSets");
    let client = [
        &describe,
        &resume,
        &create,
        &describe_set,
        &execute,
        &events,
        &list,
    ];
    let mut ui = Script {
        answer: true,
        ..Script::default()
    };
    let outcome = engine(&client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("deploys");
    assert!(
        matches!(
            outcome,
            DeployOutcome::Completed {
                status: StackStatus::UpdateComplete,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(resume.num_calls(), 1);
    assert_eq!(execute.num_calls(), 1);
    assert_eq!(
        ui.asked.len(),
        2,
        "asked to continue the rollback, then to execute: {:?}",
        ui.asked
    );
}

#[tokio::test]
async fn an_operation_in_progress_is_refused_with_no_wait() {
    let status: Status = Arc::new(Mutex::new(StackStatus::UpdateInProgress));
    let describe = describe_stacks(&status);
    let client = [&describe];
    let mut ui = Script::default();
    let mut opts = options(true);
    opts.no_wait = true;
    let error = engine(&client)
        .deploy(&deployable(), &opts, &mut ui, std::future::pending())
        .await
        .expect_err("busy");
    assert_eq!(
        error.to_string(),
        "stack Shop is UPDATE_IN_PROGRESS: another operation is in progress (run again without --no-wait to wait for it)"
    );
}

#[tokio::test]
async fn an_operation_in_progress_is_waited_for_and_then_nothing_changes() {
    let status: Status = Arc::new(Mutex::new(StackStatus::UpdateInProgress));
    let calls = Arc::new(Mutex::new(0));
    let (s, c) = (status.clone(), calls.clone());
    let describe = on("DescribeStacks").reply(move |_| {
        let mut n = c.lock().expect("lock");
        *n += 1;
        if *n == 3 {
            *s.lock().expect("lock") = StackStatus::UpdateComplete;
        }
        let current = s.lock().expect("lock").clone();
        stack(current.as_str(), "")
    });
    let create = on("CreateChangeSet").reply(|_| el("Id", "cs-2"));
    let failed = on("DescribeChangeSet").reply(|_| {
        el("Status", "FAILED") + &el("StatusReason", "The submitted information didn't contain changes. Submit different information to create a change set.")
    });
    let delete = on("DeleteChangeSet");
    let client = [&describe, &create, &failed, &delete];
    let mut ui = Script::default();
    let outcome = engine(&client)
        .deploy(
            &deployable(),
            &options(true),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect("no changes");
    assert!(
        matches!(outcome, DeployOutcome::NoChanges { .. }),
        "{outcome:?}"
    );
    assert!(
        ui.said
            .iter()
            .any(|s| s.contains("waiting for the operation in progress")),
        "{:?}",
        ui.said
    );
    assert!(
        ui.said.iter().any(|s| s.starts_with("no changes")),
        "{:?}",
        ui.said
    );
    assert_eq!(delete.num_calls(), 1, "the empty change set is deleted");
}

#[tokio::test]
async fn a_failed_creation_is_not_deleted_without_consent() {
    let status: Status = Arc::new(Mutex::new(StackStatus::RollbackComplete));
    let describe = describe_stacks(&status);
    let client = [&describe];
    let mut ui = Script::default();
    let error = engine(&client)
        .deploy(
            &deployable(),
            &options(false),
            &mut ui,
            std::future::pending(),
        )
        .await
        .expect_err("blocked");
    assert_eq!(
        error.to_string(),
        "stack Shop is ROLLBACK_COMPLETE; it can only be deleted: run `stacks destroy`, then deploy again"
    );
}

#[tokio::test]
async fn interrupting_leaves_the_stack_running_and_says_so() {
    let status: Status = Arc::new(Mutex::new(StackStatus::UpdateInProgress));
    let describe = describe_stacks(&status);
    let client = [&describe];
    let mut ui = Script::default();
    let error = engine(&client)
        .deploy(&deployable(), &options(true), &mut ui, async {})
        .await
        .expect_err("interrupted");
    assert!(matches!(error, DeployError::Interrupted(_)), "{error}");
    assert!(
        error
            .to_string()
            .contains("stack Shop is UPDATE_IN_PROGRESS; CloudFormation carries on"),
        "{error}"
    );
}

#[tokio::test]
async fn throttling_is_retried() {
    let answered = common::ok("DescribeStacks", &stack("CREATE_COMPLETE", ""));
    let throttled =
        on("DescribeStacks").in_turn(vec![refusal("Throttling", "Rate exceeded"), answered]);
    let client = [&throttled];
    let outputs = engine(&client)
        .outputs()
        .await
        .expect("retried until it answered");
    assert!(outputs.is_empty());
    assert_eq!(throttled.num_calls(), 2, "one throttled attempt, one retry");
}
