//! The built-in `topic` as the outside judges it: cfn-lint finds nothing and checkov's
//! SNS checks pass, with and without a key of the stack; a subscribed queue's policy and
//! key let that topic alone send and encrypt.

use infra_macros::stack;
use tests::{checkov_template, lint_template};

stack! {
    /// Alerts to a function, on a key of the stack, and a topic on SNS's transport only.
    pub stack Alerts { name: "Alerts", region: "eu-west-2" }

    key data_key { description: "Alerts" }
    log_group notify_logs { retention_days: 365 }
    role notify_role { assumed_by: lambda, grants: [write_logs(notify_logs)] }
    function notify {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        role: notify_role,
        logs: notify_logs,
        reserved_concurrency: 1,
    }
    queue audit { key: data_key }
    topic alerts { key: data_key, subscribers: [function(notify), queue(audit)] }
    topic plain {}
    role publisher { assumed_by: ecs_tasks, grants: [publish(alerts), publish(plain)] }
}

#[test]
fn topics_pass_cfn_lint_and_checkovs_sns_checks() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Alerts::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("alerts.json");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    let on_sns: Vec<_> = report
        .failed
        .iter()
        .filter(|(_, r)| r.starts_with("AWS::SNS"))
        .collect();
    assert!(on_sns.is_empty(), "checkov: {on_sns:?}");
    assert!(
        report
            .skipped
            .iter()
            .any(|(id, r, _)| id == "CKV_AWS_26" && r.ends_with("Plain")),
        "the topic without a key says why: {:?}",
        report.skipped
    );
}

#[test]
fn a_subscribed_queue_and_its_key_let_that_topic_alone_send() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Alerts::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    let subscription = &resources["AlertsSubscriber2"]["Properties"];
    assert_eq!(subscription["Protocol"], "sqs");
    assert_eq!(subscription["Endpoint"]["Fn::GetAtt"][0], "Audit");
    let from_topic = serde_json::json!({ "ArnEquals": { "aws:SourceArn": { "Fn::GetAtt": ["Alerts", "TopicArn"] } } });
    let statement = |resource: &str, document: &str, sid: &str| {
        resources[resource]["Properties"][document]["Statement"]
            .as_array()
            .and_then(|list| list.iter().find(|s| s["Sid"] == sid).cloned())
            .unwrap_or_else(|| panic!("{resource} has {sid}"))
    };
    let sends = statement("AuditPolicy", "PolicyDocument", "AlertsSends");
    assert_eq!(sends["Principal"]["Service"], "sns.amazonaws.com");
    assert_eq!(sends["Action"], "sqs:SendMessage");
    assert_eq!(sends["Condition"], from_topic);
    let encrypts = statement("DataKey", "KeyPolicy", "TopicsEncryptForQueues");
    assert_eq!(
        encrypts["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"],
        "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*"
    );
}

#[test]
fn a_queue_of_another_stack_is_refused_with_the_topics_line() {
    use infra_runtime::construct::{self, Scope, Subscriber, TopicSpec};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut other = infra_runtime::Stack::new();
    let queue = construct::queue(
        &mut Scope::new(&mut other, &config, "Other"),
        "Jobs",
        Default::default(),
    );
    let mut stack = infra_runtime::Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Alerts");
    let line = line!() + 1;
    construct::topic(
        &mut scope,
        "Alerts",
        TopicSpec {
            subscribers: &[Subscriber::queue(&queue)],
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the subscription"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    assert!(
        messages.iter().any(|m| m.contains(
            "subscribes `Jobs`, which is not a queue declared with `queue` in this stack"
        ) && m.contains(&format!("topics.rs:{line}"))),
        "{messages:#?}"
    );
}

#[test]
fn a_fifo_queue_is_refused_as_a_subscriber_with_the_topics_line() {
    use infra_runtime::construct::{self, QueueSpec, Scope, Subscriber, TopicSpec};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = infra_runtime::Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Alerts");
    // Each queue as a value, as one of another file's component reaches the topic.
    let ordered = construct::queue(
        &mut scope,
        "Ordered",
        QueueSpec {
            fifo: true,
            ..Default::default()
        },
    );
    let standard = construct::queue(&mut scope, "Standard", QueueSpec::default());
    let line = line!() + 1;
    construct::topic(
        &mut scope,
        "Alerts",
        TopicSpec {
            subscribers: &[Subscriber::queue(&ordered), Subscriber::queue(&standard)],
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the FIFO subscriber"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("`Alerts` cannot deliver to `Ordered`: a standard topic delivers to standard queues only")
            && messages[0].contains(&format!("topics.rs:{line}")),
        "{messages:#?}"
    );
}

#[test]
fn a_subscriber_written_twice_is_refused_with_the_topics_line() {
    use infra_runtime::construct::{self, Scope, Subscriber, TopicSpec};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = infra_runtime::Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Alerts");
    let audit = construct::queue(&mut scope, "Audit", Default::default());
    let other = construct::queue(&mut scope, "Other", Default::default());
    let line = line!() + 1;
    construct::topic(
        &mut scope,
        "Alerts",
        TopicSpec {
            subscribers: &[
                Subscriber::queue(&audit),
                Subscriber::queue(&other),
                Subscriber::queue(&audit),
            ],
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the second subscription"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("`Alerts` subscribes `Audit` twice")
            && messages[0].contains(&format!("topics.rs:{line}")),
        "{messages:#?}"
    );
}
