//! The construct in plain Rust, without the macro: both queues encrypted with the key
//! given (or SQS-managed keys), the redrive policy naming the dead-letter queue, and values
//! SQS would refuse reported by synthesis with the declaring line.

use extra_constructs::{WorkQueue, WorkQueueSpec};
use infra_runtime::construct::Scope;
use infra_runtime::{Construct, Stack, StackConfig};

fn synth(spec: impl FnOnce(&mut Scope<'_>) -> WorkQueue) -> Result<serde_json::Value, String> {
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
