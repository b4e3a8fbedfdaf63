//! Deleting a stack (after saying what it leaves behind), and drift detection.

use std::future::Future;

use super::cloudformation::PageTokens;
use super::engine::{Described, Engine, now_millis};
use super::events::EventFollower;
use super::report::failure_report;
use super::{DeployError, DeployOptions, Deployable, StackStatus, Ui};

impl Engine {
    /// Deletes the stack with this id (never by name: a stack of the same name made
    /// meanwhile by another run is not this one) and follows the deletion to its end.
    pub(super) async fn delete_and_follow(
        &self,
        stack_id: &str,
        retain: &[String],
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
        deployable: Option<&Deployable>,
    ) -> Result<(), DeployError> {
        let mut follower =
            EventFollower::start(&self.cfn, stack_id, options.poll_min, options.poll_max).await?;
        let token = format!("stacks-delete-{}", now_millis());
        self.cfn
            .delete_stack(stack_id, retain, Some(&token))
            .await?;
        let (status, events) = self
            .follow(stack_id, true, &mut follower, ui, cancel)
            .await?;
        if status == StackStatus::DeleteComplete {
            Ok(())
        } else {
            Err(DeployError::Failed(failure_report(
                self.stack(),
                status.as_str(),
                &events,
                deployable,
            )))
        }
    }

    /// Deletes the stack, after listing from the live stack what goes and what stays (and
    /// why), and asking; a production stack needs its name typed as well, and a stack
    /// with termination protection is refused. What is deleted is the stack that was
    /// listed, by its id: if the name means another stack by then, nothing is. A stack
    /// whose deletion failed (`DELETE_FAILED`) is finished by retaining the resources
    /// that could not be deleted, named and asked for first. Returns every resource's
    /// fate.
    pub async fn destroy(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: impl Future<Output = ()>,
    ) -> Result<Vec<Fate>, DeployError> {
        let mut cancel = Box::pin(cancel);
        self.wait_until_settled(options, ui, &mut cancel).await?;
        let Some(listed) = self.describe().await? else {
            return Err(DeployError::NoSuchStack(self.stack().to_owned()));
        };
        let stack_id = listed
            .stack_id
            .clone()
            .unwrap_or_else(|| self.stack().to_owned());
        self.refuse_destroy(&listed).await?;
        let delete_failed = listed.status == StackStatus::DeleteFailed;
        let fates = self
            .live_fates(&stack_id, deployable, delete_failed)
            .await?;
        for fate in &fates {
            ui.status(&fate.to_string());
        }
        self.confirm_destroy(options, ui)?;
        if super::engine::interrupted_already(&mut cancel).await {
            return Err(DeployError::Interrupted("nothing was deleted".to_owned()));
        }
        self.still_the_listed(&listed).await?;
        ui.status(&format!("deleting stack {}", self.stack()));
        let retain: Vec<String> = fates
            .iter()
            .filter(|f| f.end == End::RetainedAfterFailure)
            .map(|f| f.logical_id.clone())
            .collect();
        self.delete_and_follow(
            &stack_id,
            &retain,
            options,
            ui,
            &mut cancel,
            Some(deployable),
        )
        .await?;
        Ok(fates)
    }

    /// Refuses a stack with termination protection, or whose exports another stack imports.
    async fn refuse_destroy(&self, listed: &Described) -> Result<(), DeployError> {
        if listed.protected {
            return Err(DeployError::Blocked {
                stack: self.stack().to_owned(),
                status: "protected from termination".to_owned(),
                what: format!(
                    "turn termination protection off first (`aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name {}`)",
                    self.stack()
                ),
            });
        }
        if let Some((export, importer)) = self.importers().await?.into_iter().next() {
            return Err(DeployError::Blocked {
                stack: self.stack().to_owned(),
                status: format!("imported by stack {importer} (export {export})"),
                what: format!("destroy {importer} first, or every stack of the app in order"),
            });
        }
        Ok(())
    }

    /// After the prompt: the name still means the stack that was listed, in the status
    /// it was listed in. Anything else (deleted, re-created, changed by another run while
    /// the user read the list) is refused with nothing deleted.
    async fn still_the_listed(&self, listed: &Described) -> Result<(), DeployError> {
        let now = self.describe().await?;
        let changed = match &now {
            None => Some("gone".to_owned()),
            Some(now) if now.stack_id != listed.stack_id => {
                Some("another stack of the same name, made since".to_owned())
            }
            Some(now) if now.status != listed.status => Some(now.status.as_str().to_owned()),
            Some(_) => None,
        };
        match changed {
            None => Ok(()),
            Some(now) => Err(DeployError::ChangedSinceListed {
                stack: self.stack().to_owned(),
                now,
            }),
        }
    }

    /// The stacks that import this stack's exports: `(export, importing stack)` pairs,
    /// from CloudFormation's own record (`ListImports`), so importers outside the app count.
    pub async fn importers(&self) -> Result<Vec<(String, String)>, DeployError> {
        let exports = self
            .describe()
            .await?
            .map(|d| d.exports.into_values().collect::<Vec<_>>())
            .unwrap_or_default();
        let mut importers = Vec::new();
        for export in exports {
            for importer in self.importers_of(&export).await? {
                importers.push((export.clone(), importer));
            }
        }
        Ok(importers)
    }

    /// The stacks that import `export`, from `ListImports` (none when it is not imported).
    pub(super) async fn importers_of(&self, export: &str) -> Result<Vec<String>, DeployError> {
        let mut importers = Vec::new();
        let (mut next, mut tokens) = (None, PageTokens::default());
        loop {
            let page = match self.cfn.list_imports(export, next.take()).await {
                Ok(page) => page,
                // "Export '…' is not imported by any stack."
                Err(error) if error.to_string().contains("not imported") => break,
                Err(error) => return Err(error),
            };
            importers.extend(page.items);
            match tokens.next("ListImports", page.next)? {
                Some(token) => next = Some(token),
                None => break,
            }
        }
        Ok(importers)
    }

    /// Consent: the stack's name for a production stack, then yes (unless `--yes`).
    fn confirm_destroy(&self, options: &DeployOptions, ui: &mut dyn Ui) -> Result<(), DeployError> {
        let declined = || DeployError::Declined("nothing was deleted".to_owned());
        if options.production && options.confirmed_name.as_deref() != Some(self.stack()) {
            let question = format!(
                "stack {0} is a production stack; type its name to destroy it:",
                self.stack()
            );
            match ui.ask_text(&question) {
                Some(typed) if typed.trim() == self.stack() => {}
                Some(_) => return Err(declined()),
                None if ui.interrupted() => {
                    return Err(DeployError::Interrupted("nothing was deleted".to_owned()));
                }
                None => {
                    return Err(DeployError::Blocked {
                        stack: self.stack().to_owned(),
                        status: "a production stack".to_owned(),
                        what: format!(
                            "destroying it needs its name: type it at the prompt, or pass --confirm-stack {}",
                            self.stack()
                        ),
                    });
                }
            }
        }
        let question = format!(
            "delete stack {} and every resource it manages except those that stay above?",
            self.stack()
        );
        if options.yes || ui.confirm(&question) {
            Ok(())
        } else if ui.interrupted() {
            Err(DeployError::Interrupted("nothing was deleted".to_owned()))
        } else {
            Err(declined())
        }
    }

    /// What deleting the stack does to each resource it has now: its live resources, with
    /// the deletion policies of the template it was deployed with (the local template's
    /// where the deployed one cannot be read); in a stack whose deletion failed, the
    /// resources that could not be deleted are retained.
    async fn live_fates(
        &self,
        stack_id: &str,
        deployable: &Deployable,
        delete_failed: bool,
    ) -> Result<Vec<Fate>, DeployError> {
        let deployed = self
            .cfn
            .template_of(stack_id)
            .await
            .ok()
            .flatten()
            .and_then(|body| serde_json::from_str::<serde_json::Value>(&body).ok());
        let template = deployed.as_ref().unwrap_or(deployable.template.document());
        let mut fates = Vec::new();
        let (mut next, mut tokens) = (None, PageTokens::default());
        loop {
            let page = self.cfn.list_stack_resources(stack_id, next.take()).await?;
            for resource in page.items {
                let failed = delete_failed && resource.status == "DELETE_FAILED";
                let policy = template["Resources"][&resource.logical_id]["DeletionPolicy"].as_str();
                fates.push(Fate {
                    resource_type: resource.resource_type,
                    physical_id: resource.physical_id,
                    end: End::of(policy, failed),
                    logical_id: resource.logical_id,
                });
            }
            match tokens.next("ListStackResources", page.next)? {
                Some(token) => next = Some(token),
                None => break,
            }
        }
        fates.sort_by(|a, b| (a.end.stays(), &a.logical_id).cmp(&(b.end.stays(), &b.logical_id)));
        Ok(fates)
    }

    /// Detects drift; `Err` with a clear message where the endpoint cannot.
    pub async fn drift(
        &self,
        options: &DeployOptions,
        ui: &mut dyn Ui,
    ) -> Result<Vec<super::deployable::Drift>, DeployError> {
        let id = self
            .cfn
            .detect_drift(self.stack())
            .await
            .map_err(unsupported)?;
        ui.status(&format!("detecting drift of stack {}", self.stack()));
        self.wait_for_drift_detection(&id, options).await?;
        let drifts = self
            .cfn
            .resource_drifts(self.stack())
            .await
            .map_err(unsupported)?;
        Ok(drifts
            .into_iter()
            .map(
                |(logical_id, resource_type, status)| super::deployable::Drift {
                    logical_id,
                    resource_type,
                    status,
                },
            )
            .collect())
    }

    /// Polls a drift detection until it has finished; `Err` when it failed.
    async fn wait_for_drift_detection(
        &self,
        id: &str,
        options: &DeployOptions,
    ) -> Result<(), DeployError> {
        let mut interval = options.poll_min;
        loop {
            let (status, reason) = self
                .cfn
                .drift_detection_status(id)
                .await
                .map_err(unsupported)?;
            match status.as_str() {
                "DETECTION_IN_PROGRESS" => {}
                "DETECTION_FAILED" => {
                    return Err(DeployError::Failed(format!(
                        "drift detection failed: {}",
                        reason.as_deref().unwrap_or("no reason given")
                    )));
                }
                _ => return Ok(()),
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(options.poll_max);
        }
    }
}

/// An endpoint's refusal of a drift operation it does not implement, as one clear line.
fn unsupported(error: DeployError) -> DeployError {
    match error {
        DeployError::Api { code, message, .. }
            if code.contains("NotImplemented")
                || code == "InternalFailure"
                || code == "UnknownOperationException"
                || message.contains("not yet implemented")
                || message.contains("not implemented") =>
        {
            DeployError::Local(format!(
                "drift detection is not supported by this endpoint ({code}: {message})"
            ))
        }
        other => other,
    }
}

/// A resource of the live stack, and what deleting the stack does to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fate {
    /// Its logical id.
    pub logical_id: String,
    /// Its CloudFormation type.
    pub resource_type: String,
    /// Its physical id, when it has one.
    pub physical_id: Option<String>,
    /// What happens to it.
    pub end: End,
}

/// What deleting a stack does to one of its resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// It is deleted.
    Deleted,
    /// It is deleted after a final snapshot, which stays (`DeletionPolicy: Snapshot`).
    Snapshotted,
    /// It stays, by its `DeletionPolicy` (`Retain`, `RetainExceptOnCreate`).
    Retained(String),
    /// Its deletion failed before: it stays, so that the stack can go.
    RetainedAfterFailure,
}

impl End {
    /// The end a deletion policy gives, for a resource whose deletion has `failed` or not.
    fn of(policy: Option<&str>, failed: bool) -> Self {
        match policy {
            Some(policy @ ("Retain" | "RetainExceptOnCreate")) => Self::Retained(policy.to_owned()),
            _ if failed => Self::RetainedAfterFailure,
            Some("Snapshot") => Self::Snapshotted,
            _ => Self::Deleted,
        }
    }

    /// Whether the resource itself stays behind.
    pub fn stays(&self) -> bool {
        matches!(self, Self::Retained(_) | Self::RetainedAfterFailure)
    }
}

impl std::fmt::Display for Fate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let physical = self
            .physical_id
            .as_deref()
            .map_or_else(String::new, |p| format!(", {p}"));
        let what = format!("{} ({}{physical})", self.logical_id, self.resource_type);
        match &self.end {
            End::Deleted => write!(f, "{what} is deleted"),
            End::Snapshotted => write!(
                f,
                "{what} is deleted after a final snapshot, which stays (DeletionPolicy Snapshot)"
            ),
            End::Retained(policy) => {
                write!(
                    f,
                    "{what} stays behind: it is retained (DeletionPolicy {policy})"
                )
            }
            End::RetainedAfterFailure => write!(
                f,
                "{what} stays behind: its deletion failed before, so it is retained for the stack to go; delete it yourself"
            ),
        }
    }
}
