//! `queue`: an SQS queue with its dead-letter queue, both encrypted (with a key of the
//! stack, or SQS-managed keys) and reachable only over TLS; producers are granted `send`,
//! workers `consume`. Production keeps both queues when they leave the stack.
//!
//! ```text
//! queue jobs { key: data_key, visibility_timeout_seconds: 120, max_receives: 3 }
//! role worker { assumed_by: ecs_tasks, grants: [consume(jobs)] }
//! ```
//!
//! The limits SQS sets on each number are facts of `infra_facts::limits::sqs`: `stack!`
//! judges literals against them at the user's token, [`queue`] every value when the stack
//! is built.

use infra_facts::derived;
use serde_json::json;

use super::{Grant, IamResource, Scope, policy_document, some};
use crate::aws::kms::Key;
use crate::aws::sqs;
use crate::{Handle, Policy, ResourceOptions, Value};
use infra_facts::limits::{Range, sqs as limits};

/// A queue, the dead-letter queue its failed messages move to, and the key of both.
#[derive(Debug, Clone)]
pub struct Queue {
    /// The queue producers send to and workers consume from.
    pub queue: Handle<sqs::Queue>,
    /// Where a message goes after `max_receives` receives without being deleted; it keeps
    /// messages as long as SQS keeps any (14 days).
    pub dead_letters: Handle<sqs::Queue>,
    /// The customer-managed key of both queues, if they have one.
    pub key: Option<Handle<Key>>,
}

impl Queue {
    /// The queue's URL, what SQS clients address it by.
    pub fn url(&self) -> Value<crate::Url<sqs::Queue>> {
        self.queue.url()
    }

    /// The queue's ARN.
    pub fn arn(&self) -> Value<crate::Arn<sqs::Queue>> {
        self.queue.arn()
    }

    /// A property of the queue as the stack of `scope` declares it (`None` for one it
    /// does not, or a queue of another stack).
    pub(crate) fn property(&self, scope: &Scope<'_>, key: &str) -> Option<serde_json::Value> {
        let entry = scope.stack.resource(self.queue.logical_id())?;
        entry.properties.as_ref().ok()?.get(key).cloned()
    }

    /// Whether the stack of `scope` declares the queue first-in-first-out.
    pub(crate) fn is_fifo(&self, scope: &Scope<'_>) -> bool {
        self.property(scope, "FifoQueue").is_some_and(|f| f == true)
    }
}

/// What a `queue` declaration writes.
#[derive(Debug)]
pub struct QueueSpec<'a> {
    /// A customer-managed key for both queues; `None` uses SQS-managed encryption.
    pub key: Option<&'a Handle<Key>>,
    /// First-in-first-out delivery with exactly-once processing (both queues).
    pub fifo: bool,
    /// How long a received message stays hidden from other workers, in seconds: longer
    /// than a worker takes for one.
    pub visibility_timeout_seconds: u32,
    /// How long the queue keeps a message nobody deleted, in days.
    pub retention_days: u32,
    /// How long a new message waits before its first delivery, in seconds.
    pub delay_seconds: u32,
    /// Receives of a message before it moves to the dead-letter queue.
    pub max_receives: u32,
}

impl Default for QueueSpec<'_> {
    fn default() -> Self {
        Self {
            key: None,
            fifo: false,
            visibility_timeout_seconds: limits::VISIBILITY_TIMEOUT_SECONDS.default_u32(),
            retention_days: limits::RETENTION_DAYS.default_u32(),
            delay_seconds: limits::DELAY_SECONDS.default_u32(),
            max_receives: limits::MAX_RECEIVES.default_u32(),
        }
    }
}

/// Adds the queue, its dead-letter queue and the policy that refuses plain HTTP on both.
#[track_caller]
pub fn queue(scope: &mut Scope<'_>, id: &str, spec: QueueSpec<'_>) -> Queue {
    scope.enter();
    let ranged = [
        (
            "visibility_timeout_seconds",
            spec.visibility_timeout_seconds,
            &limits::VISIBILITY_TIMEOUT_SECONDS,
        ),
        (
            "retention_days",
            spec.retention_days,
            &limits::RETENTION_DAYS,
        ),
        ("delay_seconds", spec.delay_seconds, &limits::DELAY_SECONDS),
        ("max_receives", spec.max_receives, &limits::MAX_RECEIVES),
    ];
    for (field, value, range) in ranged {
        reject_outside(scope, id, field, value, range);
    }
    let dead_letters = scope.add_with(
        &format!("{id}{}", derived::DEAD_LETTERS),
        encrypted(&spec, limits::DEAD_LETTER_RETENTION_DAYS),
        options(scope, &spec),
    );
    let redrive = json!({
        "deadLetterTargetArn": dead_letters.arn(),
        "maxReceiveCount": spec.max_receives,
    });
    let queue = scope.add_with(
        id,
        sqs::queue::Queue {
            visibility_timeout: some(i64::from(spec.visibility_timeout_seconds)),
            delay_seconds: (spec.delay_seconds > 0).then(|| i64::from(spec.delay_seconds).into()),
            redrive_policy: Some(redrive.into()),
            ..encrypted(&spec, i64::from(spec.retention_days))
        },
        options(scope, &spec),
    );
    deny_plain_transport(scope, id, [&queue, &dead_letters]);
    Queue {
        queue,
        dead_letters,
        key: spec.key.cloned(),
    }
}

/// What happens to a queue's messages when the queue leaves the stack: kept in
/// production (a mistaken delete loses no unprocessed message), deleted elsewhere. A
/// queue on SQS-managed keys says why it is encrypted to checkers that know only keys.
fn options(scope: &Scope<'_>, spec: &QueueSpec<'_>) -> ResourceOptions {
    let policy = if scope.config.is_production() {
        Policy::Retain
    } else {
        Policy::Delete
    };
    let options = ResourceOptions::new().retain_policy(policy);
    if spec.key.is_some() {
        return options;
    }
    super::suppress(
        options,
        super::Checker::Checkov,
        "CKV_AWS_27",
        "Encrypted at rest with SQS-managed keys (SqsManagedSseEnabled); a `key` gives the queue a customer-managed key instead",
    )
}

/// Records a value outside what SQS takes.
fn reject_outside(scope: &mut Scope<'_>, id: &str, field: &str, value: u32, range: &Range) {
    if let Some(problem) = range.problem(i64::from(value)) {
        scope.reject(id, format!("{field} is {value}, but {problem}"));
    }
}

/// A queue encrypted with the spec's key (SQS-managed keys without one), keeping messages
/// `retention_days`.
fn encrypted(spec: &QueueSpec<'_>, retention_days: i64) -> sqs::queue::Queue {
    sqs::queue::Queue {
        kms_master_key_id: spec.key.map(|k| k.arn().into()),
        sqs_managed_sse_enabled: spec.key.is_none().then(|| true.into()),
        message_retention_period: some(retention_days * limits::SECONDS_PER_DAY),
        fifo_queue: spec.fifo.then(|| true.into()),
        ..Default::default()
    }
}

/// The queues' policy: every request over plain HTTP is refused.
fn deny_plain_transport<const N: usize>(
    scope: &mut Scope<'_>,
    id: &str,
    queues: [&Handle<sqs::Queue>; N],
) {
    let arns: Vec<_> = queues.iter().map(|q| q.arn().to_json()).collect();
    let urls: Vec<Value<String>> = queues.iter().map(|q| q.url().into()).collect();
    scope.add(
        &format!("{id}{}", derived::POLICY),
        sqs::queue_policy::QueuePolicy {
            policy_document: policy_document(vec![json!({
                "Sid": "DenyWithoutTls",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sqs:*",
                "Resource": arns,
                "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            })]),
            queues: urls.into(),
        },
    );
}

/// The verbs of a `queue`: `send` to it and `consume` from it, with the key's actions
/// when the queues are encrypted with a key of the stack.
#[derive(Debug, Clone, Copy)]
pub struct QueueVerbs<'a>(&'a Queue);

/// `send(x)` as a function, for plain-Rust stacks and for the editor's completion.
pub fn send(x: &Queue) -> Grant {
    QueueVerbs(x).send()
}

/// `consume(x)` as a function, for plain-Rust stacks and for the editor's completion.
pub fn consume(x: &Queue) -> Grant {
    QueueVerbs(x).consume()
}

/// The access levels of the Queue beneath these verbs (`tag`, …).
impl super::AccessLevels for QueueVerbs<'_> {
    type Primary = crate::aws::sqs::Queue;

    fn primary(&self) -> &Handle<crate::aws::sqs::Queue> {
        &self.0.queue
    }
}

impl QueueVerbs<'_> {
    /// Send messages to the queue (producers).
    pub fn send(&self) -> Grant {
        Grant::new(
            "SendMessages",
            &[
                "sqs:SendMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
            ],
            [self.0.arn().into()],
        )
        .and(&["kms:GenerateDataKey", "kms:Decrypt"], self.key())
    }

    /// Receive messages, delete them and extend how long they stay hidden (workers).
    pub fn consume(&self) -> Grant {
        Self::consume_of(self.0)
    }

    /// What `consume` grants on `queue`.
    pub(crate) fn consume_of(queue: &Queue) -> Grant {
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
        .and(&["kms:Decrypt"], queue.key.as_ref().map(|k| k.arn().into()))
    }

    fn key(&self) -> Option<IamResource> {
        self.0.key.as_ref().map(|k| k.arn().into())
    }
}

super::grantable!(Queue => QueueVerbs);

impl super::Construct for Queue {
    type Spec<'a> = QueueSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: QueueSpec<'_>) -> Self {
        queue(scope, id, spec)
    }
}
