//! A construct written outside the built-ins, the way a team writes its own: a type that
//! implements `infra_runtime::Construct`, with its spec struct. `stack!` declares it by
//! path, and rustc checks its fields at the user's tokens:
//!
//! ```text
//! construct jobs: extra_constructs::WorkQueue { key: Some(&data_key), max_receives: 3, .. }
//! ```
//!
//! It offers two grant verbs through `Grantable`, which a `role` names like a built-in's:
//!
//! ```text
//! role worker { assumed_by: ecs_tasks, grants: [consume(jobs)] }
//! ```
//!
//! Nothing in the macro knows this type.

#![forbid(unsafe_code)]

use infra_runtime::aws::kms::Key;
use infra_runtime::aws::sqs::{Queue, queue};
use infra_runtime::construct::{AccessLevels, Grant, Grantable, IamResource, Scope};
use infra_runtime::{Construct, Handle};

/// A queue whose messages move to a dead-letter queue after failing `max_receives`
/// times; both encrypted, with the same key.
#[derive(Debug, Clone)]
pub struct WorkQueue {
    /// The queue workers read.
    pub queue: Handle<Queue>,
    /// Where messages go after failing `max_receives` times; kept 14 days.
    pub dead_letters: Handle<Queue>,
    /// The customer-managed key of both queues, if they have one.
    pub key: Option<Handle<Key>>,
}

/// What a `WorkQueue` declaration writes.
#[derive(Debug)]
pub struct WorkQueueSpec<'a> {
    /// A customer-managed key for both queues; `None` uses SQS-managed encryption.
    pub key: Option<&'a Handle<Key>>,
    /// Receives before a message is moved to the dead-letter queue (1 to 1000).
    pub max_receives: u32,
    /// How long a received message stays invisible to other workers, in seconds.
    pub visibility_timeout_seconds: u32,
    /// How long the queue keeps a message, in days (1 to 14).
    pub retention_days: u32,
}

impl Default for WorkQueueSpec<'_> {
    fn default() -> Self {
        Self {
            key: None,
            max_receives: 5,
            visibility_timeout_seconds: 30,
            retention_days: 4,
        }
    }
}

/// The longest SQS keeps a message: 14 days.
const MAX_RETENTION_DAYS: u32 = 14;
const SECONDS_PER_DAY: i64 = 86_400;

/// Both queues encrypted: with the key when one is given, else with SQS-managed keys.
fn encrypted(key: Option<&Handle<Key>>, retention_days: u32) -> queue::Queue {
    queue::Queue {
        kms_master_key_id: key.map(|k| k.arn().into()),
        sqs_managed_sse_enabled: key.is_none().then(|| true.into()),
        message_retention_period: Some((i64::from(retention_days) * SECONDS_PER_DAY).into()),
        ..Default::default()
    }
}

impl Construct for WorkQueue {
    type Spec<'a> = WorkQueueSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: WorkQueueSpec<'_>) -> Self {
        scope.enter();
        if !(1..=1000).contains(&spec.max_receives) {
            scope.reject(
                id,
                format!("max_receives is {}, SQS takes 1 to 1000", spec.max_receives),
            );
        }
        if !(1..=MAX_RETENTION_DAYS).contains(&spec.retention_days) {
            scope.reject(
                id,
                format!(
                    "retention_days is {}, SQS keeps a message 1 to 14 days",
                    spec.retention_days
                ),
            );
        }
        let dead_letters = scope.add(
            &format!("{id}DeadLetters"),
            encrypted(spec.key, MAX_RETENTION_DAYS),
        );
        let queue = scope.add(
            id,
            queue::Queue {
                visibility_timeout: Some(i64::from(spec.visibility_timeout_seconds).into()),
                redrive_policy: Some(
                    serde_json::json!({
                        "deadLetterTargetArn": dead_letters.arn(),
                        "maxReceiveCount": spec.max_receives,
                    })
                    .into(),
                ),
                ..encrypted(spec.key, spec.retention_days)
            },
        );
        Self {
            queue,
            dead_letters,
            key: spec.key.cloned(),
        }
    }
}

/// The verbs of a `WorkQueue`: `send` to it and `consume` from it, with the key's actions
/// when the queues are encrypted with a key of the stack.
#[derive(Debug, Clone, Copy)]
pub struct WorkQueueVerbs<'a>(&'a WorkQueue);

impl WorkQueueVerbs<'_> {
    /// Send messages to the queue (producers).
    pub fn send(&self) -> Grant {
        let queue = &self.0.queue;
        Grant::new(
            "SendMessages",
            &[
                "sqs:SendMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
            ],
            [queue.arn().into()],
        )
        .and(&["kms:GenerateDataKey", "kms:Decrypt"], self.key())
    }

    /// Receive, delete and extend the visibility of messages (workers).
    pub fn consume(&self) -> Grant {
        let queue = &self.0.queue;
        Grant::new(
            "ConsumeMessages",
            &[
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
            ],
            [queue.arn().into()],
        )
        .and(&["kms:Decrypt"], self.key())
    }

    fn key(&self) -> Option<IamResource> {
        self.0.key.as_ref().map(|k| k.arn().into())
    }
}

/// The queue's access levels beneath `send` and `consume` (`tag(work)`).
impl AccessLevels for WorkQueueVerbs<'_> {
    type Primary = Queue;

    fn primary(&self) -> &Handle<Queue> {
        &self.0.queue
    }
}

impl Grantable for WorkQueue {
    type Verbs<'a> = WorkQueueVerbs<'a>;

    fn verbs(&self) -> WorkQueueVerbs<'_> {
        WorkQueueVerbs(self)
    }
}
