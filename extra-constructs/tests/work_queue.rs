//! The construct in plain Rust, without the macro: both queues encrypted with the key
//! given (or SQS-managed keys), the redrive policy naming the dead-letter queue, and values
//! SQS would refuse reported by synthesis with the declaring line.

use extra_constructs::{WorkQueue, WorkQueueSpec};
use infra_runtime::construct::{Grantable, RoleSpec, Scope};
use infra_runtime::{Construct, Stack, StackConfig};
use serde_json::Value;

fn synth(spec: impl FnOnce(&mut Scope<'_>) -> WorkQueue) -> Result<Value, String> {
    let config = StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Jobs");
    let _queue = spec(&mut scope);
    stack
        .synth()
        .map(|t| t.document().clone())
        .map_err(|e| e.to_string())
}

#[test]
fn both_queues_are_encrypted_and_the_redrive_names_the_dead_letters() {
    let document = synth(|scope| {
        WorkQueue::build(
            scope,
            "Jobs",
            WorkQueueSpec {
                max_receives: 2,
                ..Default::default()
            },
        )
    })
    .expect("synthesizes");
    let resources = &document["Resources"];
    for id in ["Jobs", "JobsDeadLetters"] {
        assert_eq!(
            resources[id]["Properties"]["SqsManagedSseEnabled"], true,
            "{id}"
        );
    }
    let redrive = &resources["Jobs"]["Properties"]["RedrivePolicy"];
    assert_eq!(redrive["maxReceiveCount"], 2);
    assert_eq!(
        redrive["deadLetterTargetArn"]["Fn::GetAtt"][0],
        "JobsDeadLetters"
    );
    assert_eq!(
        resources["JobsDeadLetters"]["Properties"]["MessageRetentionPeriod"],
        14 * 86_400
    );
}

#[test]
fn values_sqs_refuses_are_reported_with_the_declaring_line() {
    let line = line!() + 2;
    let error = synth(|scope| {
        WorkQueue::build(
            scope,
            "Jobs",
            WorkQueueSpec {
                max_receives: 0,
                retention_days: 30,
                ..Default::default()
            },
        )
    })
    .expect_err("refused");
    assert!(
        error.contains("max_receives is 0, SQS takes 1 to 1000"),
        "{error}"
    );
    assert!(error.contains("retention_days is 30"), "{error}");
    assert!(error.contains(&format!("work_queue.rs:{line}")), "{error}");
}

/// The statements of a role granted `grant` on a `WorkQueue`, built in plain Rust.
fn granted(key: bool, grant: fn(&WorkQueue) -> infra_runtime::construct::Grant) -> Vec<Value> {
    let document = synth(|scope| {
        let key = key.then(|| infra_runtime::construct::key(scope, "QueueKey", Default::default()));
        let jobs = WorkQueue::build(
            scope,
            "Jobs",
            WorkQueueSpec {
                key: key.as_ref(),
                ..Default::default()
            },
        );
        infra_runtime::construct::role(
            scope,
            "Worker",
            RoleSpec {
                grants: vec![grant(&jobs)],
                ..Default::default()
            },
        );
        jobs
    })
    .expect("synthesizes");
    let statements = &document["Resources"]["WorkerPolicy"]["Properties"]["PolicyDocument"];
    statements["Statement"]
        .as_array()
        .expect("statements")
        .clone()
}

fn actions(statement: &Value) -> Vec<&str> {
    statement["Action"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[test]
fn its_verbs_grant_the_queue_and_the_key_that_encrypts_it() {
    let [send, key] = &granted(true, |q| q.verbs().send())[..] else {
        panic!("a statement for the queue and one for its key")
    };
    assert_eq!(send["Resource"][0]["Fn::GetAtt"][0], "Jobs");
    assert!(actions(send).contains(&"sqs:SendMessage"));
    assert!(!actions(send).contains(&"sqs:ReceiveMessage"));
    assert_eq!(key["Resource"][0]["Fn::GetAtt"][0], "QueueKey");
    assert!(actions(key).contains(&"kms:GenerateDataKey"));

    let consume = granted(true, |q| q.verbs().consume());
    assert!(actions(&consume[0]).contains(&"sqs:DeleteMessage"));
    assert!(actions(&consume[1]).contains(&"kms:Decrypt"));
    assert!(!actions(&consume[1]).contains(&"kms:GenerateDataKey"));
}

#[test]
fn without_a_key_its_verbs_grant_only_the_queue() {
    let send = granted(false, |q| q.verbs().send());
    assert_eq!(send.len(), 1, "{send:?}");
    assert_eq!(send[0]["Resource"].as_array().map(Vec::len), Some(1));
    assert!(actions(&send[0]).iter().all(|a| a.starts_with("sqs:")));
}
