//! Following one operation's stack events: only events newer than the newest one seen
//! before the operation started, printed oldest first, polled adaptively (quickly while
//! things happen, backing off while they do not).

use std::time::Duration;

use aws_sdk_cloudformation::Client;

use super::DeployError;

/// One resource's status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceEvent {
    /// The logical id (the stack's own name for stack-level events).
    pub logical_id: String,
    /// The CloudFormation type.
    pub resource_type: String,
    /// `CREATE_IN_PROGRESS`, `CREATE_FAILED`, …
    pub status: String,
    /// CloudFormation's reason, when it gives one.
    pub reason: Option<String>,
    /// When it happened, as CloudFormation reports it (RFC 3339).
    pub timestamp: String,
}

impl ResourceEvent {
    /// Whether this is a failure.
    pub fn is_failure(&self) -> bool {
        self.status.ends_with("_FAILED")
    }
}

/// Reads a stack's events since a marker.
pub(crate) struct EventFollower {
    stack: String,
    last_seen: Option<String>,
    /// Only events of the operation started with this client request token (events an
    /// endpoint writes without a token are kept: it cannot tell them apart).
    token: Option<String>,
    /// Current polling interval.
    pub(crate) interval: Duration,
    min: Duration,
    max: Duration,
}

impl EventFollower {
    /// Starts after the newest event that exists now (none for a new stack).
    pub(crate) async fn start(
        client: &Client,
        stack: &str,
        min: Duration,
        max: Duration,
    ) -> Result<Self, DeployError> {
        let newest = match client
            .describe_stack_events()
            .stack_name(stack)
            .send()
            .await
        {
            Ok(page) => page
                .stack_events()
                .first()
                .and_then(|e| e.event_id().map(str::to_owned)),
            Err(error) => {
                let error = DeployError::from_sdk("DescribeStackEvents", error);
                if error.is_missing_stack() {
                    None
                } else {
                    return Err(error);
                }
            }
        };
        Ok(Self {
            stack: stack.to_owned(),
            last_seen: newest,
            token: None,
            interval: min,
            min,
            max,
        })
    }

    /// The events since the last call, oldest first; adapts the polling interval.
    /// Follows only the events of the operation started with `token`.
    pub(crate) fn only_token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }

    pub(crate) async fn poll(
        &mut self,
        client: &Client,
    ) -> Result<Vec<ResourceEvent>, DeployError> {
        let mut fresh: Vec<(String, ResourceEvent, bool)> = Vec::new();
        let mut pages = client
            .describe_stack_events()
            .stack_name(&self.stack)
            .into_paginator()
            .send();
        'pages: while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(error) => {
                    let error = DeployError::from_sdk("DescribeStackEvents", error);
                    // A deleted stack is gone by name (and, on some endpoints, by id).
                    if error.is_missing_stack() {
                        break 'pages;
                    }
                    return Err(error);
                }
            };
            for event in page.stack_events() {
                let id = event.event_id().unwrap_or_default().to_owned();
                if self.last_seen.as_deref() == Some(id.as_str()) {
                    break 'pages;
                }
                let theirs = match (&self.token, event.client_request_token()) {
                    (Some(ours), Some(token)) => token != ours,
                    _ => false,
                };
                fresh.push((
                    id,
                    ResourceEvent {
                        logical_id: event.logical_resource_id().unwrap_or_default().to_owned(),
                        resource_type: event.resource_type().unwrap_or_default().to_owned(),
                        status: event
                            .resource_status()
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                        reason: event
                            .resource_status_reason()
                            .filter(|r| !r.is_empty())
                            .map(str::to_owned),
                        timestamp: event
                            .timestamp()
                            .and_then(|t| {
                                t.fmt(aws_sdk_cloudformation::primitives::DateTimeFormat::DateTime)
                                    .ok()
                            })
                            .unwrap_or_default(),
                    },
                    theirs,
                ));
            }
        }
        // CloudFormation lists the newest event first.
        if let Some((newest, _, _)) = fresh.first() {
            self.last_seen = Some(newest.clone());
        }
        fresh.retain(|(_, _, theirs)| !theirs);
        self.interval = if fresh.is_empty() {
            (self.interval * 2).min(self.max)
        } else {
            self.min
        };
        Ok(fresh.into_iter().rev().map(|(_, event, _)| event).collect())
    }
}
