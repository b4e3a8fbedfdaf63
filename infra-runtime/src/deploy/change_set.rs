//! Change sets: the template as a body or an uploaded URL, creation with a client token,
//! waiting, "no changes", and the plan a user reads.

use std::future::Future;

use super::cloudformation::{ChangeSetSummary, NewChangeSet, ResourceChange};
use super::engine::{Engine, StackState, now_millis};
use super::plan::{Action, Plan, PlannedChange, Replacement, is_security_type};
use super::{DeployError, DeployOptions, Deployable, StackStatus, Ui};

impl Engine {
    /// The template as a body or, over the inline limit, as the URL of an uploaded copy.
    async fn template_source(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
    ) -> Result<(Option<String>, Option<String>), DeployError> {
        let template = &deployable.template;
        if template.check_inline_body().is_ok() {
            return Ok((Some(template.body().to_owned()), None));
        }
        let Some(bucket) = &options.template_bucket else {
            return Err(DeployError::TemplateTooLarge {
                size: template.size(),
            });
        };
        let key = format!(
            "stacks/{}/{:016x}.json",
            self.stack(),
            fnv1a(template.body().as_bytes())
        );
        self.objects
            .put(bucket, &key, template.body().as_bytes(), "application/json")
            .await?;
        let url = self.objects.url(bucket, &key);
        Ok((None, Some(url)))
    }

    /// Creates a change set and waits for it; `None` (and the change set deleted) when it
    /// holds no changes. From the moment it exists, every way out other than a plan to
    /// act on (an error, a failed change set, an interrupt) deletes this run's change set
    /// and the empty stack it made, and says so.
    pub(super) async fn create_change_set(
        &self,
        deployable: &Deployable,
        state: &StackState,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
    ) -> Result<Option<OwnChangeSet>, DeployError> {
        let (body, url) = self.template_source(deployable, options).await?;
        let parameters = self.parameters(deployable, state, options).await?;
        // Unique per run, so that concurrent runs never take each other's change sets.
        let name = format!("stacks-{}-{}", now_millis(), std::process::id());
        let creates_stack = *state == StackState::Missing;
        let kind = if creates_stack { "CREATE" } else { "UPDATE" };
        ui.status(&format!(
            "creating change set {name} ({})",
            kind.to_lowercase()
        ));
        let (id, stack_id) = self
            .cfn
            .create_change_set(NewChangeSet {
                stack: self.stack(),
                name: &name,
                kind,
                template_body: body,
                template_url: url,
                parameters,
            })
            .await?;
        let mut own = OwnChangeSet {
            id: id.unwrap_or_else(|| name.clone()),
            name,
            stack_id,
            creates_stack,
            planned_on: state.clone(),
            plan: Plan::default(),
        };
        let waited = tokio::select! {
            waited = self.changes_of(&own.id, options) => waited,
            () = &mut *cancel => Err(DeployError::Interrupted(String::new())),
        };
        let changes = match waited {
            Ok(changes) => changes,
            Err(error) => return Err(error.after_cleanup(self.discard(&own).await)),
        };
        own.plan = self.plan_of(&changes, deployable);
        if own.plan.is_empty() {
            self.discard(&own).await;
            return Ok(None);
        }
        Ok(Some(own))
    }

    /// The parameters to pass: the values given, and the previous value of each other
    /// parameter the existing stack has.
    async fn parameters(
        &self,
        deployable: &Deployable,
        state: &StackState,
        options: &DeployOptions,
    ) -> Result<Vec<(String, Option<String>)>, DeployError> {
        let existing = match self.describe().await? {
            Some(described) if *state != StackState::Missing => described.parameters,
            _ => Vec::new(),
        };
        let mut parameters = Vec::new();
        for (key, _) in deployable.template.parameters() {
            let given = options.parameters.iter().find(|(k, _)| k == key);
            let value = match given {
                Some((_, value)) => Some(value.clone()),
                None if existing.iter().any(|p| p == key) => None,
                None => continue,
            };
            parameters.push((key.to_owned(), value));
        }
        Ok(parameters)
    }

    /// Waits for the change set to be created and returns its changes (none when
    /// CloudFormation found nothing to change); `Err` when it failed.
    async fn changes_of(
        &self,
        id: &str,
        options: &DeployOptions,
    ) -> Result<Vec<ResourceChange>, DeployError> {
        let mut interval = options.poll_min;
        loop {
            let described = self.cfn.describe_change_set(self.stack(), id).await?;
            match described.status.as_str() {
                "CREATE_COMPLETE" => return Ok(described.changes),
                "FAILED" => {
                    let reason = described.status_reason;
                    if reason.contains("didn't contain changes")
                        || reason.contains("No updates are to be performed")
                        || reason.contains("no changes")
                    {
                        return Ok(Vec::new());
                    }
                    return Err(DeployError::ChangeSetFailed(reason));
                }
                "CREATE_PENDING" | "CREATE_IN_PROGRESS" => {}
                // Being deleted (by another run, or by hand), or a status no CloudFormation
                // gives: waiting would never end.
                "" => {
                    return Err(DeployError::ChangeSetFailed(
                        "the endpoint gave the change set no status".to_owned(),
                    ));
                }
                other => {
                    return Err(DeployError::ChangeSetFailed(format!(
                        "the change set is {other} while it was being created"
                    )));
                }
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(options.poll_max);
        }
    }

    /// Deletes what this run created, and only that: its change set and, when that change
    /// set created the stack, the stack, if (read again by its id, which another stack of
    /// the same name cannot share) it is still empty and holds no other run's change set.
    /// Returns what was done and left, for the user.
    pub(super) async fn discard(&self, own: &OwnChangeSet) -> String {
        self.discard_leaving(own, false).await
    }

    /// [`Engine::discard`], but with `leave_stack` the stack stays whatever its state:
    /// when another run is known to be on it, the stack is that run's to manage.
    pub(super) async fn discard_leaving(&self, own: &OwnChangeSet, leave_stack: bool) -> String {
        let stack = own.stack_id.as_deref().unwrap_or(self.stack());
        let deleted = self.cfn.delete_change_set(stack, &own.id).await.is_ok();
        let change_set = if deleted {
            format!("change set {} is deleted", own.name)
        } else {
            format!("change set {} could not be deleted", own.name)
        };
        let (true, false, Some(stack_id)) = (own.creates_stack, leave_stack, &own.stack_id) else {
            return format!("{change_set}; the stack is as it was");
        };
        let now = self.describe_by(stack_id).await.ok().flatten();
        match now.map(|d| d.status) {
            Some(StackStatus::ReviewInProgress) => {
                let others = self.other_change_sets(stack_id, &own.id).await;
                if others > 0 {
                    return format!(
                        "{change_set}; the empty stack {} stays: it holds {others} change set(s) of another run",
                        self.stack()
                    );
                }
                if !matches!(self.has_resources(stack_id).await, Ok(false)) {
                    return format!(
                        "{change_set}; stack {} stays: it holds resources, so it is not the empty stack this run created",
                        self.stack()
                    );
                }
                let gone = self.cfn.delete_stack(stack_id, &[], None).await;
                match gone {
                    Ok(_) => format!(
                        "{change_set}, and so is the empty stack {} it created",
                        self.stack()
                    ),
                    Err(_) => format!(
                        "{change_set}; the empty stack {} it created could not be deleted",
                        self.stack()
                    ),
                }
            }
            Some(status) => format!(
                "{change_set}; stack {} is {} now, changed by another run, and is left as it is",
                self.stack(),
                status.as_str()
            ),
            None => format!("{change_set}; the stack is gone"),
        }
    }

    /// How many change sets other than `own` the stack holds (0 when it cannot tell).
    async fn other_change_sets(&self, stack_id: &str, own: &str) -> usize {
        match self.cfn.list_change_sets(stack_id).await {
            Ok(list) => list.iter().filter(|s| s.id != own).count(),
            Err(_) => 0,
        }
    }

    /// The name of another run's change set that is ahead of this run's on the same stack,
    /// if any: one of this tool's, still to be executed, created before this run's (by
    /// CloudFormation's clock, the name breaking ties) and not more than
    /// [`STALE_AFTER`] earlier. Every run applies the same order, so of runs planning at
    /// once exactly the first goes on; a change set left by a run that died long ago does
    /// not block the next one.
    pub(super) async fn run_ahead(&self, own: &OwnChangeSet) -> Option<String> {
        let stack = own.stack_id.as_deref().unwrap_or(self.stack());
        let list = self.cfn.list_change_sets(stack).await.ok()?;
        let key = |s: &ChangeSetSummary| (s.created, s.name.clone());
        let ours = list.iter().find(|s| s.id == own.id).map(key)?;
        list.iter()
            .filter(|s| s.id != own.id && s.name.starts_with("stacks-"))
            .filter(|s| {
                s.execution_status == "AVAILABLE"
                    || matches!(s.status.as_str(), "CREATE_PENDING" | "CREATE_IN_PROGRESS")
            })
            .map(|s| (key(s), s))
            .filter(|((time, _), _)| ours.0 - time <= STALE_AFTER.as_secs_f64())
            .filter(|(k, _)| *k < ours)
            .map(|(_, s)| s.name.clone())
            .next()
    }

    /// Whether the stack is still where this run planned from: an empty stack awaiting
    /// its first change set for a creation, the same settled status for an update. A
    /// stack another run has changed meanwhile is not executed on.
    pub(super) async fn still_as_planned(&self, own: &OwnChangeSet) -> Result<(), String> {
        let ident = own.stack_id.as_deref().unwrap_or(self.stack());
        let status = match self.describe_by(ident).await {
            Ok(Some(d)) => d.status,
            Ok(None) => return Err("gone".to_owned()),
            Err(e) => return Err(e.to_string()),
        };
        let expected = match &own.planned_on {
            StackState::Missing => &StackStatus::ReviewInProgress,
            StackState::Stable(s) => s,
            _ => return Ok(()),
        };
        if status == *expected {
            Ok(())
        } else {
            Err(status.as_str().to_owned())
        }
    }

    fn plan_of(&self, changes: &[ResourceChange], deployable: &Deployable) -> Plan {
        let changes = changes
            .iter()
            .map(|rc| {
                let action = match rc.action.as_str() {
                    "Add" => Action::Add,
                    "Modify" => Action::Modify,
                    "Remove" => Action::Remove,
                    _ => Action::Other,
                };
                let create_only = deployable
                    .resources
                    .get(&rc.logical_id)
                    .map_or(&[][..], |(c, _, _)| *c);
                let model_says_replace = rc
                    .properties
                    .iter()
                    .any(|p| create_only.contains(&p.as_str()));
                let replacement = match rc.replacement.as_str() {
                    _ if action != Action::Modify => Replacement::No,
                    "True" => Replacement::Yes,
                    _ if model_says_replace => Replacement::Yes,
                    "Conditional" => Replacement::Conditional,
                    _ => Replacement::No,
                };
                PlannedChange {
                    security: is_security_type(&rc.resource_type),
                    source: deployable.source(&rc.logical_id).map(str::to_owned),
                    action,
                    logical_id: rc.logical_id.clone(),
                    resource_type: rc.resource_type.clone(),
                    replacement,
                    properties: rc.properties.clone(),
                }
            })
            .collect();
        Plan { changes }
    }
}

/// How long another run's unexecuted change set counts as a run in progress.
pub(super) const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// A change set this run created: what it may execute, and what it must clean up.
#[derive(Debug, Clone)]
pub(super) struct OwnChangeSet {
    /// Its ARN.
    pub id: String,
    /// Its name (`stacks-<millis>-<pid>`).
    pub name: String,
    /// The id of the stack it is on.
    pub stack_id: Option<String>,
    /// A CREATE change set: the stack exists (empty, in `REVIEW_IN_PROGRESS`) because of it.
    pub creates_stack: bool,
    /// Where the stack stood when it was planned.
    pub planned_on: StackState,
    /// What it changes.
    pub plan: Plan,
}

/// A stable 64-bit hash for naming uploaded templates.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
