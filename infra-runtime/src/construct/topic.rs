//! `topic`: an SNS topic, encrypted with a key of the stack, reachable only over TLS,
//! that invokes its subscribed functions (each with its permission scoped to the topic)
//! and sends to its subscribed queues (each queue's policy opened to this topic alone,
//! its key to this account's topics); `publish` grants a role sending to it, with the key's actions.
//!
//! ```text
//! topic alerts { key: data_key, subscribers: [function(notify), queue(audit)] }
//! role api { assumed_by: lambda, grants: [publish(alerts)] }
//! ```

use serde_json::json;

use super::{Function, Grant, IamResource, Queue, Scope, policy_document};
use crate::aws::kms::Key;
use crate::aws::{lambda, sns};
use crate::{Handle, Value};

/// What a topic delivers to.
#[derive(Debug, Clone, Copy)]
pub struct Subscriber<'a>(Endpoint<'a>);

#[derive(Debug, Clone, Copy)]
enum Endpoint<'a> {
    Function(&'a Function),
    Queue(&'a Queue),
}

impl<'a> Subscriber<'a> {
    /// A Lambda function, invoked with each message.
    pub fn function(function: &'a Function) -> Self {
        Self(Endpoint::Function(function))
    }

    /// An SQS queue of this stack, sent each message (in SNS's envelope).
    pub fn queue(queue: &'a Queue) -> Self {
        Self(Endpoint::Queue(queue))
    }

    /// The logical id of what it subscribes.
    fn logical_id(&self) -> &'a str {
        match self.0 {
            Endpoint::Function(function) => function.function.logical_id(),
            Endpoint::Queue(queue) => queue.queue.logical_id(),
        }
    }
}

/// What a `topic` declaration writes.
#[derive(Debug, Default)]
pub struct TopicSpec<'a> {
    /// The customer-managed key its messages are encrypted with at rest.
    pub key: Option<&'a Handle<Key>>,
    /// Who receives each message.
    pub subscribers: &'a [Subscriber<'a>],
}

/// An SNS topic and the key that encrypts it.
#[derive(Debug, Clone)]
pub struct Topic {
    /// The topic.
    pub topic: Handle<sns::Topic>,
    /// Its customer-managed key, if it has one.
    pub key: Option<Handle<Key>>,
}

impl Topic {
    /// The topic's ARN, what publishers address.
    pub fn arn(&self) -> Value<crate::Arn<sns::Topic>> {
        self.topic.topic_arn()
    }
}

/// Adds the topic, its TLS-only policy, and per subscriber the subscription and the
/// function's permission.
#[track_caller]
pub fn topic(scope: &mut Scope<'_>, id: &str, spec: TopicSpec<'_>) -> Topic {
    scope.enter();
    let options = if spec.key.is_some() {
        crate::ResourceOptions::new()
    } else {
        super::suppress(
            crate::ResourceOptions::new(),
            super::Checker::Checkov,
            "CKV_AWS_26",
            "Encrypted in transit only: give the topic a `key` to encrypt its messages at rest",
        )
    };
    let topic = scope.add_with(
        id,
        sns::topic::Topic {
            kms_master_key_id: spec.key.map(|k| k.arn().into()),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    );
    let arn = topic.topic_arn();
    scope.add(
        &format!("{id}Policy"),
        sns::topic_policy::TopicPolicy {
            policy_document: policy_document(vec![serde_json::json!({
                "Sid": "DenyWithoutTls",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sns:Publish",
                "Resource": arn.to_json(),
                "Condition": { "Bool": { "aws:SecureTransport": "false" } }
            })]),
            topics: vec![arn.clone().erase().cast::<String>()].into(),
        },
    );
    let mut endpoints: Vec<&str> = Vec::new();
    for (n, subscriber) in spec.subscribers.iter().enumerate() {
        let endpoint = subscriber.logical_id();
        if endpoints.contains(&endpoint) {
            scope.reject(id, format!("subscribes `{endpoint}` twice; leave one out"));
        }
        endpoints.push(endpoint);
        let subscription = format!("{id}Subscriber{}", n + 1);
        match subscriber.0 {
            Endpoint::Function(function) => subscribe(scope, &subscription, &arn, function),
            Endpoint::Queue(queue) => subscribe_queue(scope, id, &subscription, &arn, queue),
        }
    }
    Topic {
        topic,
        key: spec.key.cloned(),
    }
}

/// A function's subscription, and its permission to be invoked by this topic alone.
fn subscribe(
    scope: &mut Scope<'_>,
    id: &str,
    topic: &Value<crate::Arn<sns::Topic>>,
    function: &Function,
) {
    let function = function.arn();
    scope.add(
        id,
        sns::subscription::Subscription {
            topic_arn: topic.clone().erase().cast(),
            protocol: "lambda".into(),
            endpoint: Some(function.clone().erase().cast()),
            ..Default::default()
        },
    );
    scope.add(
        &format!("{id}Permission"),
        lambda::permission::Permission {
            action: "lambda:InvokeFunction".into(),
            function_name: function.into(),
            principal: "sns.amazonaws.com".into(),
            source_arn: Some(topic.clone().erase().cast()),
            ..Default::default()
        },
    );
}

/// A queue's subscription; the queue's policy lets this topic alone send to it, and the
/// queue's key lets this account's topics of this region encrypt for it. Refused with the topic's line when the
/// queue or its key has no policy in this stack.
fn subscribe_queue(
    scope: &mut Scope<'_>,
    topic_id: &str,
    id: &str,
    topic: &Value<crate::Arn<sns::Topic>>,
    queue: &Queue,
) {
    if let Some(problem) = infra_facts::limits::sns::queue_subscriber_problem(queue.is_fifo(scope))
    {
        scope.reject(
            topic_id,
            format!(
                "cannot deliver to `{}`: {problem}",
                queue.queue.logical_id()
            ),
        );
    }
    scope.add(
        id,
        sns::subscription::Subscription {
            topic_arn: topic.clone().erase().cast(),
            protocol: "sqs".into(),
            endpoint: Some(queue.arn().erase().cast()),
            ..Default::default()
        },
    );
    let from_topic = json!({ "ArnEquals": { "aws:SourceArn": topic.to_json() } });
    let sends = json!({
        "Sid": format!("{topic_id}Sends"),
        "Effect": "Allow",
        "Principal": { "Service": "sns.amazonaws.com" },
        "Action": "sqs:SendMessage",
        "Resource": queue.arn().to_json(),
        "Condition": from_topic,
    });
    let policy = format!("{}Policy", queue.queue.logical_id());
    if !scope.append_statements(&policy, "PolicyDocument", [sends]) {
        scope.reject(
            topic_id,
            format!("subscribes `{}`, which is not a queue declared with `queue` in this stack, so its policy cannot let the topic send", queue.queue.logical_id()),
        );
    }
    let Some(key) = &queue.key else { return };
    // By this account's topics of this region rather than this topic's ARN: the topic
    // may be encrypted with the same key, whose policy then cannot name the topic.
    let topics =
        crate::intrinsic::sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*");
    let encrypts = json!({
        "Sid": "TopicsEncryptForQueues",
        "Effect": "Allow",
        "Principal": { "Service": "sns.amazonaws.com" },
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": { "ArnLike": { "aws:SourceArn": topics.to_json() } },
    });
    let present = scope
        .stack
        .resource(key.logical_id())
        .and_then(|entry| entry.properties.as_ref().ok())
        .is_some_and(|p| {
            p["KeyPolicy"]["Statement"]
                .as_array()
                .is_some_and(|list| list.iter().any(|s| s["Sid"] == encrypts["Sid"]))
        });
    if !present && !scope.append_statements(key.logical_id(), "KeyPolicy", [encrypts]) {
        scope.reject(
            topic_id,
            format!("subscribes a queue encrypted with `{}`, whose policy is not in this stack, so it cannot let the topic encrypt for the queue", key.logical_id()),
        );
    }
}

/// The verbs of a `topic`: `publish` to it.
#[derive(Debug, Clone, Copy)]
pub struct TopicVerbs<'a>(&'a Topic);

/// `publish(x)` as a function, for plain-Rust stacks and for the editor's completion.
pub fn publish(x: &Topic) -> Grant {
    TopicVerbs(x).publish()
}

/// The access levels of the Topic beneath these verbs (`tag`, …).
impl super::AccessLevels for TopicVerbs<'_> {
    type Primary = crate::aws::sns::Topic;

    fn primary(&self) -> &Handle<crate::aws::sns::Topic> {
        &self.0.topic
    }
}

impl TopicVerbs<'_> {
    /// Publish messages.
    pub fn publish(&self) -> Grant {
        let key: Option<IamResource> = self.0.key.as_ref().map(|k| k.arn().into());
        Grant::new("PublishMessages", &["sns:Publish"], [self.0.arn().into()])
            .and(&["kms:GenerateDataKey", "kms:Decrypt"], key)
    }
}

super::grantable!(Topic => TopicVerbs);

impl super::Construct for Topic {
    type Spec<'a> = TopicSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: TopicSpec<'_>) -> Self {
        topic(scope, id, spec)
    }
}
