//! Following one operation's stack events: only events newer than the newest one seen
//! before the operation started, printed oldest first, polled adaptively (quickly while
//! things happen, backing off while they do not).

use std::time::Duration;

use super::DeployError;
use super::cloudformation::{CloudFormation, PageTokens};

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
        client: &CloudFormation,
        stack: &str,
        min: Duration,
        max: Duration,
    ) -> Result<Self, DeployError> {
        let newest = match client.describe_stack_events(stack, None).await {
            Ok(page) => page.items.into_iter().next().map(|e| e.id),
            Err(error) if error.is_missing_stack() => None,
            Err(error) => return Err(error),
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
        client: &CloudFormation,
    ) -> Result<Vec<ResourceEvent>, DeployError> {
        let mut fresh: Vec<(String, ResourceEvent, bool)> = Vec::new();
        let (mut next, mut tokens) = (None, PageTokens::default());
        'pages: loop {
            let page = match client.describe_stack_events(&self.stack, next.take()).await {
                Ok(page) => page,
                // A deleted stack is gone by name (and, on some endpoints, by id).
                Err(error) if error.is_missing_stack() => break 'pages,
                Err(error) => return Err(error),
            };
            for event in page.items {
                if self.last_seen.as_deref() == Some(event.id.as_str()) {
                    break 'pages;
                }
                let theirs = match (&self.token, &event.client_request_token) {
                    (Some(ours), Some(token)) => token != ours,
                    _ => false,
                };
                let resource = ResourceEvent {
                    logical_id: event.logical_id,
                    resource_type: event.resource_type,
                    status: event.status,
                    reason: event.reason.filter(|r| !r.is_empty()),
                    timestamp: event.timestamp,
                };
                fresh.push((event.id, resource, theirs));
            }
            match tokens.next("DescribeStackEvents", page.next)? {
                Some(token) => next = Some(token),
                None => break 'pages,
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
