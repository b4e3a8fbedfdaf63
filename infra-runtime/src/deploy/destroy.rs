//! Deleting a stack (after saying what it leaves behind), and drift detection.

use std::future::Future;

use super::deployable::Kept;
use super::engine::{Described, Engine, now_millis};
use super::events::EventFollower;
use super::report::failure_report;
use super::{DeployError, DeployOptions, Deployable, Ui};

impl Engine {
    /// Deletes the stack with this id (never by name: a stack of the same name made
    /// meanwhile by another run is not this one) and follows the deletion to its end.
    pub(super) async fn delete_and_follow(
        &self,
        stack_id: &str,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
        deployable: Option<&Deployable>,
    ) -> Result<(), DeployError> {
        let mut follower =
            EventFollower::start(&self.cfn, stack_id, options.poll_min, options.poll_max).await?;
        self.cfn
            .delete_stack()
            .stack_name(stack_id)
            .client_request_token(format!("stacks-delete-{}", now_millis()))
            .send()
            .await
            .map_err(|e| DeployError::from_sdk("DeleteStack", e))?;
        let (status, events) = self
            .follow(stack_id, true, &mut follower, ui, cancel)
            .await?;
        if status == aws_sdk_cloudformation::types::StackStatus::DeleteComplete {
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
    /// listed, by its id: if the name means another stack by then, nothing is. Returns
    /// what stays behind.
    pub async fn destroy(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: impl Future<Output = ()>,
    ) -> Result<Vec<Kept>, DeployError> {
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
        let fates = self.live_fates(&stack_id, deployable).await?;
        for fate in &fates {
            ui.status(&fate.to_string());
        }
        let kept: Vec<Kept> = fates.iter().filter_map(Fate::kept).collect();
        self.confirm_destroy(options, ui)?;
        if super::engine::interrupted_already(&mut cancel).await {
            return Err(DeployError::Interrupted("nothing was deleted".to_owned()));
        }
        self.still_the_listed(&listed).await?;
        ui.status(&format!("deleting stack {}", self.stack()));
        self.delete_and_follow(&stack_id, options, ui, &mut cancel, Some(deployable))
            .await?;
        Ok(kept)
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
        let exports: Vec<String> = match self
            .cfn
            .describe_stacks()
            .stack_name(self.stack())
            .send()
            .await
        {
            Ok(out) => out
                .stacks()
                .iter()
                .flat_map(|s| s.outputs())
                .filter_map(|o| o.export_name().map(str::to_owned))
                .collect(),
            Err(error) => {
                let error = DeployError::from_sdk("DescribeStacks", error);
                return if error.is_missing_stack() {
                    Ok(Vec::new())
                } else {
                    Err(error)
                };
            }
        };
        let mut importers = Vec::new();
        for export in exports {
            let mut next: Option<String> = None;
            loop {
                let answer = self
                    .cfn
                    .list_imports()
                    .export_name(&export)
                    .set_next_token(next.take())
                    .send()
                    .await;
                let page = match answer {
                    Ok(page) => page,
                    // "Export '…' is not imported by any stack."
                    Err(error) if format!("{error:?}").contains("not imported") => break,
                    Err(error) => return Err(DeployError::from_sdk("ListImports", error)),
                };
                importers.extend(page.imports().iter().map(|s| (export.clone(), s.clone())));
                match page.next_token() {
                    Some(token) => next = Some(token.to_owned()),
                    None => break,
                }
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
            "delete stack {} and every resource it manages except those kept above?",
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
    /// where the deployed one cannot be read).
    async fn live_fates(
        &self,
        stack_id: &str,
        deployable: &Deployable,
    ) -> Result<Vec<Fate>, DeployError> {
        let deployed = self
            .cfn
            .get_template()
            .stack_name(stack_id)
            .send()
            .await
            .ok()
            .and_then(|t| t.template_body().map(str::to_owned))
            .and_then(|body| serde_json::from_str::<serde_json::Value>(&body).ok());
        let template = deployed.as_ref().unwrap_or(deployable.template.document());
        let mut fates = Vec::new();
        let mut pages = self
            .cfn
            .list_stack_resources()
            .stack_name(stack_id)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| DeployError::from_sdk("ListStackResources", e))?;
            for resource in page.stack_resource_summaries() {
                let logical_id = resource
                    .logical_resource_id()
                    .unwrap_or_default()
                    .to_owned();
                let policy = template["Resources"][&logical_id]["DeletionPolicy"]
                    .as_str()
                    .filter(|p| matches!(*p, "Retain" | "RetainExceptOnCreate" | "Snapshot"))
                    .map(str::to_owned);
                fates.push(Fate {
                    resource_type: resource.resource_type().unwrap_or_default().to_owned(),
                    physical_id: resource.physical_resource_id().map(str::to_owned),
                    logical_id,
                    kept_by: policy,
                });
            }
        }
        fates.sort_by(|a, b| {
            (a.kept_by.is_some(), &a.logical_id).cmp(&(b.kept_by.is_some(), &b.logical_id))
        });
        Ok(fates)
    }

    /// Detects drift; `Err` with a clear message where the endpoint cannot.
    pub async fn drift(
        &self,
        options: &DeployOptions,
        ui: &mut dyn Ui,
    ) -> Result<Vec<super::deployable::Drift>, DeployError> {
        let unsupported = |e: DeployError| match e {
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
        };
        let started = self
            .cfn
            .detect_stack_drift()
            .stack_name(self.stack())
            .send()
            .await
            .map_err(|e| unsupported(DeployError::from_sdk("DetectStackDrift", e)))?;
        let id = started
            .stack_drift_detection_id()
            .unwrap_or_default()
            .to_owned();
        ui.status(&format!("detecting drift of stack {}", self.stack()));
        let mut interval = options.poll_min;
        loop {
            let status = self
                .cfn
                .describe_stack_drift_detection_status()
                .stack_drift_detection_id(&id)
                .send()
                .await
                .map_err(|e| {
                    unsupported(DeployError::from_sdk(
                        "DescribeStackDriftDetectionStatus",
                        e,
                    ))
                })?;
            match status
                .detection_status()
                .map(|s| s.as_str())
                .unwrap_or_default()
            {
                "DETECTION_IN_PROGRESS" => {}
                "DETECTION_FAILED" => {
                    return Err(DeployError::Failed(format!(
                        "drift detection failed: {}",
                        status
                            .detection_status_reason()
                            .unwrap_or("no reason given")
                    )));
                }
                _ => break,
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(options.poll_max);
        }
        let drifts = self
            .cfn
            .describe_stack_resource_drifts()
            .stack_name(self.stack())
            .send()
            .await
            .map_err(|e| unsupported(DeployError::from_sdk("DescribeStackResourceDrifts", e)))?;
        Ok(drifts
            .stack_resource_drifts()
            .iter()
            .map(|d| super::deployable::Drift {
                logical_id: d.logical_resource_id().unwrap_or_default().to_owned(),
                resource_type: d.resource_type().unwrap_or_default().to_owned(),
                status: d
                    .stack_resource_drift_status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
            })
            .collect())
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
    /// The `DeletionPolicy` that keeps it (`Retain`, `RetainExceptOnCreate`, `Snapshot`);
    /// `None` when it is deleted.
    pub kept_by: Option<String>,
}

impl Fate {
    /// What stays behind, if this does.
    pub fn kept(&self) -> Option<Kept> {
        self.kept_by.as_ref().map(|policy| Kept {
            logical_id: self.logical_id.clone(),
            resource_type: self.resource_type.clone(),
            policy: policy.clone(),
        })
    }
}

impl std::fmt::Display for Fate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let physical = self
            .physical_id
            .as_deref()
            .map_or_else(String::new, |p| format!(", {p}"));
        match self.kept_by.as_deref() {
            None => write!(
                f,
                "{} ({}{physical}) is deleted",
                self.logical_id, self.resource_type
            ),
            Some(policy) => {
                let what = if policy == "Snapshot" {
                    "a final snapshot is kept"
                } else {
                    "it is retained"
                };
                write!(
                    f,
                    "{} ({}{physical}) stays behind: {what} (DeletionPolicy {policy})",
                    self.logical_id, self.resource_type
                )
            }
        }
    }
}
