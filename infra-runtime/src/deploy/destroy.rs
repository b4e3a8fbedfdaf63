//! Deleting a stack (after saying what it leaves behind), and drift detection.

use std::future::Future;

use super::engine::{Engine, StackState, now_millis};
use super::events::EventFollower;
use super::report::failure_report;
use super::{DeployError, DeployOptions, Deployable, Ui};

impl Engine {
    pub(super) async fn delete_and_follow(
        &self,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
        deployable: Option<&Deployable>,
    ) -> Result<(), DeployError> {
        let ident = self
            .stack_id()
            .await?
            .unwrap_or_else(|| self.stack().to_owned());
        let mut follower =
            EventFollower::start(&self.cfn, &ident, options.poll_min, options.poll_max).await?;
        self.cfn
            .delete_stack()
            .stack_name(self.stack())
            .client_request_token(format!("stacks-delete-{}", now_millis()))
            .send()
            .await
            .map_err(|e| DeployError::from_sdk("DeleteStack", e))?;
        let (status, events) = self.follow(&ident, true, &mut follower, ui, cancel).await?;
        if status == "DELETE_COMPLETE" {
            Ok(())
        } else {
            Err(DeployError::Failed(failure_report(
                self.stack(),
                &status,
                &events,
                deployable,
            )))
        }
    }

    /// Deletes the stack, after saying what it leaves behind and asking.
    pub async fn destroy(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        ui: &mut dyn Ui,
        cancel: impl Future<Output = ()>,
    ) -> Result<Vec<super::deployable::Kept>, DeployError> {
        let mut cancel = Box::pin(cancel);
        if self.state().await? == StackState::Missing && self.describe().await?.is_none() {
            return Err(DeployError::NoSuchStack(self.stack().to_owned()));
        }
        self.wait_until_settled(options, ui, &mut cancel).await?;
        let kept = deployable.kept_on_delete();
        for kept in &kept {
            let what = if kept.policy == "Snapshot" {
                "a final snapshot is kept"
            } else {
                "it is retained"
            };
            ui.status(&format!(
                "{} ({}) stays behind: {what} (DeletionPolicy {})",
                kept.logical_id, kept.resource_type, kept.policy
            ));
        }
        if !options.yes
            && !ui.confirm(&format!(
                "delete stack {} and every resource it manages except those above?",
                self.stack()
            ))
        {
            return Err(DeployError::Declined("nothing was deleted".to_owned()));
        }
        if super::engine::interrupted_already(&mut cancel).await {
            return Err(DeployError::Interrupted("nothing was deleted".to_owned()));
        }
        ui.status(&format!("deleting stack {}", self.stack()));
        self.delete_and_follow(options, ui, &mut cancel, Some(deployable))
            .await?;
        Ok(kept)
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
