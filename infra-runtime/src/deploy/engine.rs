//! The engine: stack state, preparing a stack a deploy cannot start from, deploy and
//! diff, following events, outputs. Change sets, deletion and drift are in sibling files.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::change_set::OwnChangeSet;
use super::cloudformation::CloudFormation;
use super::events::{EventFollower, ResourceEvent};
use super::objects::ObjectStore;
use super::plan::Plan;
use super::report::failure_report;
use super::{DeployError, Deployable, StackStatus, Target, Ui};

/// How a deploy behaves.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Do not ask before executing (or before deleting a failed stack, or continuing a
    /// failed rollback).
    pub yes: bool,
    /// Refuse instead of waiting when another operation is in progress.
    pub no_wait: bool,
    /// The bucket templates over the inline limit are uploaded to.
    pub template_bucket: Option<String>,
    /// Parameter values; parameters of an existing stack that are not given keep theirs.
    pub parameters: Vec<(String, String)>,
    /// The stack is a production one: destroying it needs its name typed (or given as
    /// [`DeployOptions::confirmed_name`]), and a deploy offers termination protection.
    pub production: bool,
    /// The stack's name, given up front to confirm destroying a production stack.
    pub confirmed_name: Option<String>,
    /// Shortest wait between two polls (while things happen).
    pub poll_min: Duration,
    /// Longest wait between two polls (while nothing happens).
    pub poll_max: Duration,
}

impl Default for DeployOptions {
    fn default() -> Self {
        Self {
            yes: false,
            no_wait: false,
            template_bucket: None,
            parameters: Vec::new(),
            production: false,
            confirmed_name: None,
            poll_min: Duration::from_millis(200),
            poll_max: Duration::from_secs(5),
        }
    }
}

/// Where a stack stands before an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackState {
    /// There is no such stack (or only an empty one awaiting its first change set).
    Missing,
    /// Nothing is running; the status is stable.
    Stable(StackStatus),
    /// An operation is running.
    InProgress(StackStatus),
    /// Its creation failed and rolled back: it can only be deleted.
    RollbackComplete,
    /// An update's rollback failed: it must be continued before anything else.
    UpdateRollbackFailed,
    /// Awaiting a first change set (`REVIEW_IN_PROGRESS`) yet holding resources: not a
    /// state CloudFormation leaves a stack in by itself, and never taken for an absent one.
    Unexpected(StackStatus),
}

/// A stack as `DescribeStacks` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Described {
    /// Its unique id (a name can be reused after deletion; the id cannot).
    pub stack_id: Option<String>,
    /// Its status.
    pub status: StackStatus,
    /// The keys of its parameters.
    pub parameters: Vec<String>,
    /// Its outputs.
    pub outputs: BTreeMap<String, String>,
    /// The export name of each output that has one, by output key.
    pub exports: BTreeMap<String, String>,
    /// Whether termination protection is on.
    pub protected: bool,
}

/// How a deploy ended, when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployOutcome {
    /// The stack already matched the template; the empty change set was deleted.
    NoChanges {
        /// The stack's outputs.
        outputs: BTreeMap<String, String>,
    },
    /// The change set ran to completion.
    Completed {
        /// The final status (`CREATE_COMPLETE`, `UPDATE_COMPLETE`).
        status: StackStatus,
        /// What changed.
        plan: Plan,
        /// The stack's outputs.
        outputs: BTreeMap<String, String>,
    },
}

/// Operations on one stack.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(super) cfn: CloudFormation,
    pub(super) objects: ObjectStore,
    pub(super) target: Target,
}

/// Polls `cancel` once: whether it has already fired. The first poll also starts it
/// listening (a Ctrl-C handler registers when first polled).
pub(crate) async fn interrupted_already(cancel: &mut (impl Future<Output = ()> + Unpin)) -> bool {
    tokio::select! {
        biased;
        () = &mut *cancel => true,
        () = std::future::ready(()) => false,
    }
}

pub(super) fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

fn is_terminal(status: &StackStatus) -> bool {
    !status.as_str().ends_with("_IN_PROGRESS")
}

impl Engine {
    /// An engine for the target's stack.
    pub fn new(cfn: CloudFormation, objects: ObjectStore, target: Target) -> Self {
        Self {
            cfn,
            objects,
            target,
        }
    }

    pub(super) fn stack(&self) -> &str {
        &self.target.stack_name
    }

    /// The stack as it is now, or `None` when it does not exist.
    pub(super) async fn describe(&self) -> Result<Option<Described>, DeployError> {
        self.describe_by(self.stack()).await
    }

    /// The stack's id (stable across deletion, unlike its name).
    pub(super) async fn stack_id(&self) -> Result<Option<String>, DeployError> {
        Ok(self.describe().await?.and_then(|d| d.stack_id))
    }

    /// The stack with this name or id as it is now.
    pub(super) async fn describe_by(&self, ident: &str) -> Result<Option<Described>, DeployError> {
        self.cfn.describe_stack(ident).await
    }

    /// Where the stack stands.
    pub async fn state(&self) -> Result<StackState, DeployError> {
        Ok(match self.describe().await?.map(|d| d.status) {
            Some(StackStatus::ReviewInProgress) if self.has_resources(self.stack()).await? => {
                StackState::Unexpected(StackStatus::ReviewInProgress)
            }
            None | Some(StackStatus::ReviewInProgress | StackStatus::DeleteComplete) => {
                StackState::Missing
            }
            Some(StackStatus::RollbackComplete) => StackState::RollbackComplete,
            Some(StackStatus::UpdateRollbackFailed) => StackState::UpdateRollbackFailed,
            Some(status) if !is_terminal(&status) => StackState::InProgress(status),
            Some(status) => StackState::Stable(status),
        })
    }

    /// Whether the stack with this name or id holds any resource (an empty stack awaiting
    /// its first change set holds none).
    pub(super) async fn has_resources(&self, ident: &str) -> Result<bool, DeployError> {
        match self.cfn.list_stack_resources(ident, None).await {
            Ok(page) => Ok(!page.items.is_empty()),
            Err(error) if error.is_missing_stack() => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// The stack's outputs.
    pub async fn outputs(&self) -> Result<BTreeMap<String, String>, DeployError> {
        match self.describe().await? {
            Some(described) => Ok(described.outputs),
            None => Err(DeployError::NoSuchStack(self.stack().to_owned())),
        }
    }

    /// Waits until no operation runs on the stack; returns its state then.
    pub(super) async fn wait_until_settled(
        &self,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
    ) -> Result<StackState, DeployError> {
        let mut interval = options.poll_min;
        loop {
            let state = self.state().await?;
            let StackState::InProgress(status) = &state else {
                return Ok(state);
            };
            if options.no_wait {
                return Err(DeployError::Busy {
                    stack: self.stack().to_owned(),
                    status: status.as_str().to_owned(),
                });
            }
            ui.status(&format!(
                "stack {} is {}: waiting for the operation in progress to finish",
                self.stack(),
                status.as_str()
            ));
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = &mut *cancel => return Err(self.interrupted(status.as_str()).await),
            }
            interval = (interval * 2).min(options.poll_max);
        }
    }

    pub(super) async fn interrupted(&self, status: &str) -> DeployError {
        let status = match self.describe().await {
            Ok(Some(now)) => now.status.as_str().to_owned(),
            _ => status.to_owned(),
        };
        DeployError::Interrupted(format!(
            "stack {} is {status}; CloudFormation carries on without us. Run the same command again to wait for it and see the result",
            self.stack()
        ))
    }

    /// Brings a stack out of the states a deploy cannot start from, asking first.
    pub(super) async fn prepare(
        &self,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
    ) -> Result<StackState, DeployError> {
        let state = self.wait_until_settled(options, ui, cancel).await?;
        match state {
            StackState::RollbackComplete => {
                let question = format!(
                    "stack {} is ROLLBACK_COMPLETE (its creation failed); delete it and create it again?",
                    self.stack()
                );
                if !(options.yes || ui.confirm(&question)) {
                    return Err(DeployError::Blocked {
                        stack: self.stack().to_owned(),
                        status: "ROLLBACK_COMPLETE".to_owned(),
                        what: "it can only be deleted: run `stacks destroy`, then deploy again"
                            .to_owned(),
                    });
                }
                let Some(stack_id) = self.stack_id().await? else {
                    return Ok(StackState::Missing);
                };
                ui.status(&format!(
                    "deleting stack {} left by a failed creation",
                    self.stack()
                ));
                self.delete_and_follow(&stack_id, &[], options, ui, cancel, None)
                    .await?;
                Ok(StackState::Missing)
            }
            StackState::UpdateRollbackFailed => {
                let question = format!(
                    "stack {} is UPDATE_ROLLBACK_FAILED; continue the rollback now?",
                    self.stack()
                );
                if !(options.yes || ui.confirm(&question)) {
                    return Err(DeployError::Blocked {
                        stack: self.stack().to_owned(),
                        status: "UPDATE_ROLLBACK_FAILED".to_owned(),
                        what: "fix what stopped the rollback (see the stack's events), then deploy again and accept to continue it".to_owned(),
                    });
                }
                ui.status(&format!(
                    "continuing the update rollback of {}",
                    self.stack()
                ));
                let mut follower = EventFollower::start(
                    &self.cfn,
                    self.stack(),
                    options.poll_min,
                    options.poll_max,
                )
                .await?;
                self.cfn.continue_update_rollback(self.stack()).await?;
                let (status, _) = self
                    .follow(self.stack(), false, &mut follower, ui, cancel)
                    .await?;
                if status != StackStatus::UpdateRollbackComplete {
                    return Err(DeployError::Failed(format!(
                        "the rollback ended in {}",
                        status.as_str()
                    )));
                }
                Ok(StackState::Stable(status))
            }
            StackState::Unexpected(status) => Err(self.unexpected(&status)),
            StackState::Stable(StackStatus::DeleteFailed) => Err(DeployError::Blocked {
                stack: self.stack().to_owned(),
                status: "DELETE_FAILED".to_owned(),
                what: "its deletion stopped half way: run `stacks destroy` to finish it (what could not be deleted is retained, and named), then deploy again".to_owned(),
            }),
            other => Ok(other),
        }
    }

    /// The refusal for a stack in a state the engine does not act on.
    pub(super) fn unexpected(&self, status: &StackStatus) -> DeployError {
        DeployError::Blocked {
            stack: self.stack().to_owned(),
            status: format!("{} yet holds resources", status.as_str()),
            what: format!(
                "nothing was changed; look at its change sets and events (`aws cloudformation list-change-sets --stack-name {0}`), execute or delete the pending change set, or run `stacks destroy` to delete the stack and what it holds",
                self.stack()
            ),
        }
    }

    /// Shows what a deploy would change, without changing anything.
    pub async fn diff(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: impl Future<Output = ()>,
    ) -> Result<Plan, DeployError> {
        let mut cancel = Box::pin(cancel);
        let state = self.state().await?;
        let state = match state {
            StackState::Unexpected(status) => return Err(self.unexpected(&status)),
            StackState::RollbackComplete | StackState::UpdateRollbackFailed => {
                return Err(DeployError::Blocked {
                    stack: self.stack().to_owned(),
                    status: format!("{state:?}"),
                    what: "deploy it to repair it first".to_owned(),
                });
            }
            StackState::InProgress(status) => {
                return Err(DeployError::Busy {
                    stack: self.stack().to_owned(),
                    status: status.as_str().to_owned(),
                });
            }
            other => other,
        };
        let plan = match self
            .create_change_set(deployable, &state, options, ui, &mut cancel)
            .await?
        {
            None => Plan::default(),
            Some(own) => {
                let broken = self.broken_imports(deployable, &own.plan).await;
                // Only this run's change set goes, and the empty stack a CREATE change set
                // made, if nothing else has happened to it.
                self.discard(&own).await;
                for broken in broken? {
                    ui.status(&format!("warning: {broken}; a deploy would be refused"));
                }
                own.plan
            }
        };
        ui.plan(&plan);
        Ok(plan)
    }

    /// Creates or updates the stack to match the template.
    pub async fn deploy(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: impl Future<Output = ()>,
    ) -> Result<DeployOutcome, DeployError> {
        let mut cancel = Box::pin(cancel);
        let state = self.prepare(options, ui, &mut cancel).await?;
        let Some(own) = self
            .create_change_set(deployable, &state, options, ui, &mut cancel)
            .await?
        else {
            ui.status(&format!(
                "no changes: stack {} already matches the template",
                self.stack()
            ));
            self.offer_protection(options, ui).await?;
            return Ok(DeployOutcome::NoChanges {
                outputs: self.outputs().await?,
            });
        };
        ui.plan(&own.plan);
        self.refuse_broken_imports(deployable, &own, ui).await?;
        // Listen for an interrupt from here on (polling the future registers the handler),
        // so that one arriving at the prompt or while the change set starts is not lost.
        let mut interrupted = interrupted_already(&mut cancel).await;
        if !interrupted && !options.yes {
            let question = format!("execute these changes on stack {}?", self.stack());
            let yes = ui.confirm(&question);
            interrupted = ui.interrupted() || interrupted_already(&mut cancel).await;
            if !yes && !interrupted {
                return Err(DeployError::Declined(self.discard(&own).await));
            }
        }
        if interrupted {
            return Err(DeployError::Interrupted(format!(
                "nothing was executed: {}",
                self.discard(&own).await
            )));
        }
        if let Some(theirs) = self.run_ahead(&own).await {
            return Err(DeployError::AnotherRun {
                stack: self.stack().to_owned(),
                theirs,
                cleanup: self.discard_leaving(&own, true).await,
            });
        }
        if let Err(status) = self.still_as_planned(&own).await {
            return Err(DeployError::Concurrent {
                stack: self.stack().to_owned(),
                status,
                cleanup: self.discard(&own).await,
            });
        }
        let outcome = self
            .execute(deployable, own, options, ui, &mut cancel)
            .await?;
        self.offer_protection(options, ui).await?;
        Ok(outcome)
    }

    /// Says every import of another stack the plan would break and refuses it, cleaning
    /// up, before anything runs.
    async fn refuse_broken_imports(
        &self,
        deployable: &Deployable,
        own: &OwnChangeSet,
        ui: &mut dyn Ui,
    ) -> Result<(), DeployError> {
        let broken = match self.broken_imports(deployable, &own.plan).await {
            Ok(broken) => broken,
            Err(error) => return Err(error.after_cleanup(self.discard(own).await)),
        };
        let Some(first) = broken.first() else {
            return Ok(());
        };
        for one in &broken {
            ui.status(&format!("refused: {one}"));
        }
        Err(DeployError::BreaksImport {
            stack: self.stack().to_owned(),
            broken: first.clone(),
            cleanup: self.discard(own).await,
        })
    }

    /// A production stack is offered termination protection after a deploy (turned on
    /// without asking with `--yes`), unless it has it.
    async fn offer_protection(
        &self,
        options: &DeployOptions,
        ui: &mut dyn Ui,
    ) -> Result<(), DeployError> {
        if !options.production || self.describe().await?.is_none_or(|d| d.protected) {
            return Ok(());
        }
        let question = format!(
            "turn on termination protection for production stack {}?",
            self.stack()
        );
        if !(options.yes || ui.confirm(&question)) {
            return Ok(());
        }
        self.cfn.protect(self.stack()).await?;
        ui.status(&format!(
            "termination protection is on for stack {}",
            self.stack()
        ));
        Ok(())
    }

    /// Executes this run's change set and follows the events of this execution only.
    async fn execute(
        &self,
        deployable: &Deployable,
        own: OwnChangeSet,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
    ) -> Result<DeployOutcome, DeployError> {
        // Every event of this execution carries its token: other runs' events are not ours.
        let token = format!("{}-exec", own.name);
        let follower =
            EventFollower::start(&self.cfn, self.stack(), options.poll_min, options.poll_max).await;
        let mut follower = match follower {
            Ok(follower) => follower.only_token(&token),
            Err(error) => return Err(error.after_cleanup(self.discard(&own).await)),
        };
        ui.status(&format!("executing change set on stack {}", self.stack()));
        if let Err(error) = self
            .cfn
            .execute_change_set(self.stack(), &own.id, &token)
            .await
        {
            // Refused because another run got there first: say so, and clean up.
            if let Err(status) = self.still_as_planned(&own).await {
                return Err(DeployError::Concurrent {
                    stack: self.stack().to_owned(),
                    status,
                    cleanup: self.discard(&own).await,
                });
            }
            return Err(error);
        }
        let (status, events) = self
            .follow(self.stack(), false, &mut follower, ui, cancel)
            .await?;
        if matches!(
            status,
            StackStatus::CreateComplete | StackStatus::UpdateComplete | StackStatus::ImportComplete
        ) {
            return Ok(DeployOutcome::Completed {
                status,
                plan: own.plan,
                outputs: self.outputs().await?,
            });
        }
        Err(DeployError::Failed(failure_report(
            self.stack(),
            status.as_str(),
            &events,
            Some(deployable),
        )))
    }

    /// Follows events until the stack's status is terminal; returns it and the events.
    pub(super) async fn follow(
        &self,
        ident: &str,
        deleting: bool,
        follower: &mut EventFollower,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
    ) -> Result<(StackStatus, Vec<ResourceEvent>), DeployError> {
        let mut seen = Vec::new();
        loop {
            tokio::select! {
                () = tokio::time::sleep(follower.interval) => {}
                () = &mut *cancel => {
                    let status = self.describe().await.ok().flatten().map(|d| d.status.as_str().to_owned()).unwrap_or_default();
                    return Err(self.interrupted(&status).await);
                }
            }
            let events = follower.poll(&self.cfn).await?;
            for event in &events {
                ui.resource_event(event);
            }
            let quiet = events.is_empty();
            seen.extend(events);
            let status = match self.describe_by(ident).await? {
                Some(described) => described.status,
                // Gone: what a deletion wants; anything else lost the stack under us.
                None if deleting => StackStatus::DeleteComplete,
                None => {
                    return Err(DeployError::Failed(format!(
                        "stack {} disappeared while the operation ran (did the endpoint restart and lose its state?); run the command again",
                        self.stack()
                    )));
                }
            };
            if quiet {
                ui.waiting(status.as_str());
            }
            if is_terminal(&status) {
                let last = follower.poll(&self.cfn).await.unwrap_or_default();
                for event in &last {
                    ui.resource_event(event);
                }
                seen.extend(last);
                return Ok((status, seen));
            }
        }
    }
}
