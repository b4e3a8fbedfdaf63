//! The engine: stack state, change sets, execution, following events, failure reports,
//! destroy, outputs and drift.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{
    Capability, ChangeAction, ChangeSetStatus, ChangeSetType, Parameter,
    Replacement as CfnReplacement, ResourceAttribute,
};

use super::events::{EventFollower, ResourceEvent};
use super::plan::{Action, Plan, PlannedChange, Replacement, is_security_type};
use super::{DeployError, Target, Ui};
use crate::stack::Stack;
use crate::synth::Template;

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
    Stable(String),
    /// An operation is running.
    InProgress(String),
    /// Its creation failed and rolled back: it can only be deleted.
    RollbackComplete,
    /// An update's rollback failed: it must be continued before anything else.
    UpdateRollbackFailed,
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
        status: String,
        /// What changed.
        plan: Plan,
        /// The stack's outputs.
        outputs: BTreeMap<String, String>,
    },
}

/// What the engine needs of a synthesized stack: the template, and for each resource its
/// create-only properties and the source line that declared it.
#[derive(Debug, Clone)]
pub struct Deployable {
    /// The template.
    pub template: Template,
    resources: BTreeMap<String, (&'static [&'static str], String, Option<String>)>,
}

impl Deployable {
    /// Synthesizes `stack`.
    pub fn new(stack: &Stack) -> Result<Self, crate::SynthErrors> {
        let template = stack.synth()?;
        let resources = stack
            .resources()
            .iter()
            .map(|r| {
                let policy = template.document()["Resources"][r.logical_id()]["DeletionPolicy"]
                    .as_str()
                    .map(str::to_owned);
                let source = format!("{}:{}", r.source().file(), r.source().line());
                (
                    r.logical_id().to_owned(),
                    (r.create_only_properties(), source, policy),
                )
            })
            .collect();
        Ok(Self {
            template,
            resources,
        })
    }

    /// The source line that declared a resource.
    pub fn source(&self, logical_id: &str) -> Option<&str> {
        self.resources
            .get(logical_id)
            .map(|(_, source, _)| source.as_str())
    }

    /// Resources a stack deletion leaves behind (retained) or snapshots, with their policy.
    pub fn kept_on_delete(&self) -> Vec<(String, String, String)> {
        let doc = self.template.document();
        self.resources
            .iter()
            .filter_map(|(id, (_, _, policy))| {
                let policy = policy.as_deref()?;
                matches!(policy, "Retain" | "RetainExceptOnCreate" | "Snapshot").then(|| {
                    let type_name = doc["Resources"][id]["Type"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    (id.clone(), type_name, policy.to_owned())
                })
            })
            .collect()
    }
}

/// Operations on one stack.
#[derive(Debug, Clone)]
pub struct Engine {
    cfn: Client,
    s3: aws_sdk_s3::Client,
    target: Target,
}

fn now_millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

fn is_terminal(status: &str) -> bool {
    !status.ends_with("_IN_PROGRESS")
}

impl Engine {
    /// An engine for the target's stack.
    pub fn new(cfn: Client, s3: aws_sdk_s3::Client, target: Target) -> Self {
        Self { cfn, s3, target }
    }

    fn stack(&self) -> &str {
        &self.target.stack_name
    }

    /// The stack's status and parameter keys, or `None` when it does not exist.
    async fn describe(
        &self,
    ) -> Result<Option<(String, Vec<String>, BTreeMap<String, String>)>, DeployError> {
        self.describe_by(self.stack()).await
    }

    /// The stack's id (stable across deletion, unlike its name).
    async fn stack_id(&self) -> Result<Option<String>, DeployError> {
        match self
            .cfn
            .describe_stacks()
            .stack_name(self.stack())
            .send()
            .await
        {
            Ok(out) => Ok(out
                .stacks()
                .first()
                .and_then(|s| s.stack_id().map(str::to_owned))),
            Err(error) => {
                let error = DeployError::from_sdk("DescribeStacks", error);
                if error.is_missing_stack() {
                    Ok(None)
                } else {
                    Err(error)
                }
            }
        }
    }

    /// Status, parameter keys and outputs of the stack with this name or id.
    async fn describe_by(
        &self,
        ident: &str,
    ) -> Result<Option<(String, Vec<String>, BTreeMap<String, String>)>, DeployError> {
        match self.cfn.describe_stacks().stack_name(ident).send().await {
            Ok(out) => Ok(out.stacks().first().map(|s| {
                let status = s
                    .stack_status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default();
                let params = s
                    .parameters()
                    .iter()
                    .filter_map(|p| p.parameter_key().map(str::to_owned))
                    .collect();
                let outputs = s
                    .outputs()
                    .iter()
                    .filter_map(|o| {
                        Some((
                            o.output_key()?.to_owned(),
                            o.output_value().unwrap_or_default().to_owned(),
                        ))
                    })
                    .collect();
                (status, params, outputs)
            })),
            Err(error) => {
                let error = DeployError::from_sdk("DescribeStacks", error);
                if error.is_missing_stack() {
                    Ok(None)
                } else {
                    Err(error)
                }
            }
        }
    }

    /// Where the stack stands.
    pub async fn state(&self) -> Result<StackState, DeployError> {
        Ok(match self.describe().await? {
            None => StackState::Missing,
            Some((status, _, _)) => match status.as_str() {
                "REVIEW_IN_PROGRESS" | "DELETE_COMPLETE" => StackState::Missing,
                "ROLLBACK_COMPLETE" => StackState::RollbackComplete,
                "UPDATE_ROLLBACK_FAILED" => StackState::UpdateRollbackFailed,
                s if !is_terminal(s) => StackState::InProgress(status),
                _ => StackState::Stable(status),
            },
        })
    }

    /// The stack's outputs.
    pub async fn outputs(&self) -> Result<BTreeMap<String, String>, DeployError> {
        match self.describe().await? {
            Some((_, _, outputs)) => Ok(outputs),
            None => Err(DeployError::NoSuchStack(self.stack().to_owned())),
        }
    }

    /// Waits until no operation runs on the stack; returns its state then.
    async fn wait_until_settled(
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
                    status: status.clone(),
                });
            }
            ui.status(&format!(
                "stack {} is {status}: waiting for the operation in progress to finish",
                self.stack()
            ));
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = &mut *cancel => return Err(self.interrupted(status).await),
            }
            interval = (interval * 2).min(options.poll_max);
        }
    }

    async fn interrupted(&self, status: &str) -> DeployError {
        let status = match self.describe().await {
            Ok(Some((now, _, _))) => now,
            _ => status.to_owned(),
        };
        DeployError::Interrupted(format!(
            "stack {} is {status}; CloudFormation carries on without us. Run the same command again to wait for it and see the result",
            self.stack()
        ))
    }

    /// Brings a stack out of the states a deploy cannot start from, asking first.
    async fn prepare(
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
                ui.status(&format!(
                    "deleting stack {} left by a failed creation",
                    self.stack()
                ));
                self.delete_and_follow(options, ui, cancel, None).await?;
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
                self.cfn
                    .continue_update_rollback()
                    .stack_name(self.stack())
                    .send()
                    .await
                    .map_err(|e| DeployError::from_sdk("ContinueUpdateRollback", e))?;
                let (status, _) = self
                    .follow(self.stack(), false, &mut follower, ui, cancel, None)
                    .await?;
                if status != "UPDATE_ROLLBACK_COMPLETE" {
                    return Err(DeployError::Failed(format!(
                        "the rollback ended in {status}"
                    )));
                }
                Ok(StackState::Stable(status))
            }
            other => Ok(other),
        }
    }

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
        self.s3
            .put_object()
            .bucket(bucket)
            .key(&key)
            .body(template.body().as_bytes().to_vec().into())
            .send()
            .await
            .map_err(|e| {
                use aws_sdk_s3::error::ProvideErrorMetadata;
                DeployError::Api {
                    operation: "PutObject",
                    code: e.code().unwrap_or("RequestFailed").to_owned(),
                    message: e.message().map_or_else(
                        || aws_sdk_s3::error::DisplayErrorContext(&e).to_string(),
                        str::to_owned,
                    ),
                }
            })?;
        let url = match &self.target.endpoint_url {
            Some(endpoint) => format!("{}/{bucket}/{key}", endpoint.trim_end_matches('/')),
            None => {
                let region = self.target.region.as_deref().unwrap_or("us-east-1");
                format!("https://{bucket}.s3.{region}.amazonaws.com/{key}")
            }
        };
        Ok((None, Some(url)))
    }

    /// Creates a change set and waits for it; `None` (and the change set deleted) when it
    /// holds no changes.
    async fn create_change_set(
        &self,
        deployable: &Deployable,
        state: &StackState,
        options: &DeployOptions,
        ui: &mut dyn Ui,
    ) -> Result<Option<(String, Plan)>, DeployError> {
        let (body, url) = self.template_source(deployable, options).await?;
        let existing_params = match self.describe().await? {
            Some((_, params, _)) if *state != StackState::Missing => params,
            _ => Vec::new(),
        };
        let declared: Vec<String> = deployable.template.document()["Parameters"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let mut parameters = Vec::new();
        for key in &declared {
            let given = options
                .parameters
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone());
            let parameter = match given {
                Some(value) => Parameter::builder()
                    .parameter_key(key)
                    .parameter_value(value)
                    .build(),
                None if existing_params.contains(key) => Parameter::builder()
                    .parameter_key(key)
                    .use_previous_value(true)
                    .build(),
                None => continue,
            };
            parameters.push(parameter);
        }
        let name = format!("stacks-{}", now_millis());
        let change_set_type = if *state == StackState::Missing {
            ChangeSetType::Create
        } else {
            ChangeSetType::Update
        };
        ui.status(&format!(
            "creating change set {name} ({})",
            change_set_type.as_str().to_lowercase()
        ));
        let created = self
            .cfn
            .create_change_set()
            .stack_name(self.stack())
            .change_set_name(&name)
            .change_set_type(change_set_type)
            .set_template_body(body)
            .set_template_url(url)
            .set_parameters(Some(parameters))
            .capabilities(Capability::CapabilityIam)
            .capabilities(Capability::CapabilityNamedIam)
            .client_token(&name)
            .send()
            .await
            .map_err(|e| DeployError::from_sdk("CreateChangeSet", e))?;
        let id = created.id().unwrap_or(&name).to_owned();

        let mut interval = options.poll_min;
        let mut changes = Vec::new();
        loop {
            let described = self
                .cfn
                .describe_change_set()
                .change_set_name(&id)
                .stack_name(self.stack())
                .send()
                .await
                .map_err(|e| DeployError::from_sdk("DescribeChangeSet", e))?;
            match described.status() {
                Some(ChangeSetStatus::CreateComplete) => {
                    changes.extend(described.changes().iter().cloned());
                    let mut token = described.next_token().map(str::to_owned);
                    while let Some(next) = token {
                        let page = self
                            .cfn
                            .describe_change_set()
                            .change_set_name(&id)
                            .stack_name(self.stack())
                            .next_token(next)
                            .send()
                            .await
                            .map_err(|e| DeployError::from_sdk("DescribeChangeSet", e))?;
                        changes.extend(page.changes().iter().cloned());
                        token = page.next_token().map(str::to_owned);
                    }
                    break;
                }
                Some(ChangeSetStatus::Failed) => {
                    let reason = described.status_reason().unwrap_or_default().to_owned();
                    let _ = self
                        .cfn
                        .delete_change_set()
                        .change_set_name(&id)
                        .stack_name(self.stack())
                        .send()
                        .await;
                    if reason.contains("didn't contain changes")
                        || reason.contains("No updates are to be performed")
                        || reason.contains("no changes")
                    {
                        return Ok(None);
                    }
                    return Err(DeployError::ChangeSetFailed(reason));
                }
                _ => {}
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(options.poll_max);
        }
        let plan = self.plan_of(&changes, deployable);
        if plan.is_empty() {
            let _ = self
                .cfn
                .delete_change_set()
                .change_set_name(&id)
                .stack_name(self.stack())
                .send()
                .await;
            return Ok(None);
        }
        Ok(Some((id, plan)))
    }

    fn plan_of(
        &self,
        changes: &[aws_sdk_cloudformation::types::Change],
        deployable: &Deployable,
    ) -> Plan {
        let changes = changes
            .iter()
            .filter_map(|change| change.resource_change())
            .map(|rc| {
                let logical_id = rc.logical_resource_id().unwrap_or_default().to_owned();
                let resource_type = rc.resource_type().unwrap_or_default().to_owned();
                let action = match rc.action() {
                    Some(ChangeAction::Add) => Action::Add,
                    Some(ChangeAction::Modify) => Action::Modify,
                    Some(ChangeAction::Remove) => Action::Remove,
                    _ => Action::Other,
                };
                let properties: Vec<String> = rc
                    .details()
                    .iter()
                    .filter_map(|d| d.target())
                    .filter(|t| t.attribute() == Some(&ResourceAttribute::Properties))
                    .filter_map(|t| t.name().map(str::to_owned))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let create_only = deployable
                    .resources
                    .get(&logical_id)
                    .map_or(&[][..], |(c, _, _)| *c);
                let model_says_replace =
                    properties.iter().any(|p| create_only.contains(&p.as_str()));
                let replacement = match rc.replacement() {
                    _ if action != Action::Modify => Replacement::No,
                    Some(CfnReplacement::True) => Replacement::Yes,
                    _ if model_says_replace => Replacement::Yes,
                    Some(CfnReplacement::Conditional) => Replacement::Conditional,
                    _ => Replacement::No,
                };
                PlannedChange {
                    security: is_security_type(&resource_type),
                    source: deployable.source(&logical_id).map(str::to_owned),
                    action,
                    logical_id,
                    resource_type,
                    replacement,
                    properties,
                }
            })
            .collect();
        Plan { changes }
    }

    /// Shows what a deploy would change, without changing anything.
    pub async fn diff(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        ui: &mut dyn Ui,
    ) -> Result<Plan, DeployError> {
        let state = self.state().await?;
        let state = match state {
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
                    status,
                });
            }
            other => other,
        };
        let created_for_diff = state == StackState::Missing && self.describe().await?.is_none();
        let result = self
            .create_change_set(deployable, &state, options, ui)
            .await?;
        let plan = match result {
            None => Plan::default(),
            Some((id, plan)) => {
                let _ = self
                    .cfn
                    .delete_change_set()
                    .change_set_name(&id)
                    .stack_name(self.stack())
                    .send()
                    .await;
                plan
            }
        };
        if created_for_diff {
            // A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS behind.
            let _ = self
                .cfn
                .delete_stack()
                .stack_name(self.stack())
                .send()
                .await;
        }
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
        let Some((id, plan)) = self
            .create_change_set(deployable, &state, options, ui)
            .await?
        else {
            ui.status(&format!(
                "no changes: stack {} already matches the template",
                self.stack()
            ));
            return Ok(DeployOutcome::NoChanges {
                outputs: self.outputs().await?,
            });
        };
        ui.plan(&plan);
        if !options.yes && !ui.confirm(&format!("execute these changes on stack {}?", self.stack()))
        {
            let _ = self
                .cfn
                .delete_change_set()
                .change_set_name(&id)
                .stack_name(self.stack())
                .send()
                .await;
            if state == StackState::Missing {
                let _ = self
                    .cfn
                    .delete_stack()
                    .stack_name(self.stack())
                    .send()
                    .await;
            }
            return Err(DeployError::Declined);
        }
        let mut follower =
            EventFollower::start(&self.cfn, self.stack(), options.poll_min, options.poll_max)
                .await?;
        let token = format!("stacks-exec-{}", now_millis());
        ui.status(&format!("executing change set on stack {}", self.stack()));
        self.cfn
            .execute_change_set()
            .change_set_name(&id)
            .stack_name(self.stack())
            .client_request_token(&token)
            .send()
            .await
            .map_err(|e| DeployError::from_sdk("ExecuteChangeSet", e))?;
        let (status, events) = self
            .follow(
                self.stack(),
                false,
                &mut follower,
                ui,
                &mut cancel,
                Some(deployable),
            )
            .await?;
        if status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE" || status == "IMPORT_COMPLETE"
        {
            return Ok(DeployOutcome::Completed {
                status,
                plan,
                outputs: self.outputs().await?,
            });
        }
        Err(DeployError::Failed(failure_report(
            self.stack(),
            &status,
            &events,
            Some(deployable),
        )))
    }

    /// Follows events until the stack's status is terminal; returns it and the events.
    async fn follow(
        &self,
        ident: &str,
        deleting: bool,
        follower: &mut EventFollower,
        ui: &mut dyn Ui,
        cancel: &mut (impl Future<Output = ()> + Unpin),
        deployable: Option<&Deployable>,
    ) -> Result<(String, Vec<ResourceEvent>), DeployError> {
        let _ = deployable;
        let mut seen = Vec::new();
        loop {
            tokio::select! {
                () = tokio::time::sleep(follower.interval) => {}
                () = &mut *cancel => {
                    let status = self.describe().await.ok().flatten().map(|(s, _, _)| s).unwrap_or_default();
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
                Some((status, _, _)) => status,
                // Gone: what a deletion wants; anything else lost the stack under us.
                None if deleting => "DELETE_COMPLETE".to_owned(),
                None => {
                    return Err(DeployError::Failed(format!(
                        "stack {} disappeared while the operation ran (did the endpoint restart and lose its state?); run the command again",
                        self.stack()
                    )));
                }
            };
            if quiet {
                ui.waiting(&status);
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

    async fn delete_and_follow(
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
        let (status, events) = self
            .follow(&ident, true, &mut follower, ui, cancel, deployable)
            .await?;
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
    ) -> Result<Vec<(String, String, String)>, DeployError> {
        let mut cancel = Box::pin(cancel);
        if self.state().await? == StackState::Missing && self.describe().await?.is_none() {
            return Err(DeployError::NoSuchStack(self.stack().to_owned()));
        }
        self.wait_until_settled(options, ui, &mut cancel).await?;
        let kept = deployable.kept_on_delete();
        for (id, type_name, policy) in &kept {
            let what = if policy == "Snapshot" {
                "a final snapshot is kept"
            } else {
                "it is retained"
            };
            ui.status(&format!(
                "{id} ({type_name}) stays behind: {what} (DeletionPolicy {policy})"
            ));
        }
        if !options.yes
            && !ui.confirm(&format!(
                "delete stack {} and every resource it manages except those above?",
                self.stack()
            ))
        {
            return Err(DeployError::Declined);
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
    ) -> Result<Vec<(String, String, String)>, DeployError> {
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
            .map(|d| {
                (
                    d.logical_resource_id().unwrap_or_default().to_owned(),
                    d.resource_type().unwrap_or_default().to_owned(),
                    d.stack_resource_drift_status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                )
            })
            .collect())
    }
}

/// The first failure of an operation, its reason and the source line of its resource.
pub(crate) fn failure_report(
    stack: &str,
    status: &str,
    events: &[ResourceEvent],
    deployable: Option<&Deployable>,
) -> String {
    let cancelled = |e: &&ResourceEvent| {
        e.reason
            .as_deref()
            .is_some_and(|r| r.contains("cancelled") || r.contains("canceled"))
    };
    let first = events
        .iter()
        .filter(|e| e.is_failure() && e.logical_id != stack)
        .find(|e| !cancelled(e))
        .or_else(|| events.iter().find(|e| e.is_failure()));
    match first {
        Some(event) => {
            let source = deployable
                .and_then(|d| d.source(&event.logical_id))
                .map(|s| format!(", declared at {s}"))
                .unwrap_or_default();
            format!(
                "stack {stack} ended in {status}: {} ({}{source}) {}: {}",
                event.logical_id,
                event.resource_type,
                event.status,
                event
                    .reason
                    .as_deref()
                    .unwrap_or("no reason given")
                    .trim_end_matches('.'),
            )
        }
        None => format!("stack {stack} ended in {status}"),
    }
}

/// A stable 64-bit hash for naming uploaded templates.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, status: &str, reason: Option<&str>) -> ResourceEvent {
        ResourceEvent {
            logical_id: id.to_owned(),
            resource_type: "AWS::EC2::Subnet".to_owned(),
            status: status.to_owned(),
            reason: reason.map(str::to_owned),
            timestamp: String::new(),
        }
    }

    #[test]
    fn the_report_names_the_first_real_failure() {
        let events = [
            event("A", "CREATE_IN_PROGRESS", None),
            event("B", "CREATE_FAILED", Some("Resource creation cancelled")),
            event(
                "C",
                "CREATE_FAILED",
                Some("The CIDR '10.9.0.0/24' is invalid"),
            ),
            event("S", "ROLLBACK_IN_PROGRESS", None),
        ];
        let report = failure_report("S", "ROLLBACK_COMPLETE", &events, None);
        assert_eq!(
            report,
            "stack S ended in ROLLBACK_COMPLETE: C (AWS::EC2::Subnet) CREATE_FAILED: The CIDR '10.9.0.0/24' is invalid"
        );
    }
}
