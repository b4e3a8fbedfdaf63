//! `topic`: an SNS topic, encrypted with a key of the stack, reachable only over TLS,
//! that invokes its subscribed functions (each with its permission scoped to the topic);
//! `publish` grants a role sending to it, with the key's actions.
//!
//! ```text
//! topic alerts { key: data_key, subscribers: [function(notify)] }
//! role api { assumed_by: lambda, grants: [publish(alerts)] }
//! ```

use super::{Function, Grant, IamResource, Scope, policy_document};
use crate::aws::kms::Key;
use crate::aws::{lambda, sns};
use crate::{Handle, Value};

/// What a topic delivers to.
#[derive(Debug, Clone, Copy)]
pub struct Subscriber<'a> {
    function: &'a Function,
}

impl<'a> Subscriber<'a> {
    /// A Lambda function, invoked with each message.
    pub fn function(function: &'a Function) -> Self {
        Self { function }
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
        sns::Topic {
            kms_master_key_id: spec.key.map(|k| k.arn().into()),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    );
    let arn = topic.topic_arn();
    scope.add(
        &format!("{id}Policy"),
        sns::TopicPolicy {
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
    for (n, subscriber) in spec.subscribers.iter().enumerate() {
        subscribe(scope, &format!("{id}Subscriber{}", n + 1), &arn, subscriber);
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
    subscriber: &Subscriber<'_>,
) {
    let function = subscriber.function.arn().erase().cast::<String>();
    scope.add(
        id,
        sns::Subscription {
            topic_arn: topic.clone().erase().cast(),
            protocol: "lambda".into(),
            endpoint: Some(function.clone()),
            ..Default::default()
        },
    );
    scope.add(
        &format!("{id}Permission"),
        lambda::Permission {
            action: "lambda:InvokeFunction".into(),
            function_name: function,
            principal: "sns.amazonaws.com".into(),
            source_arn: Some(topic.clone().erase().cast()),
            ..Default::default()
        },
    );
}

/// The verbs of a `topic`: `publish` to it.
#[derive(Debug, Clone, Copy)]
pub struct TopicVerbs<'a>(&'a Topic);

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
