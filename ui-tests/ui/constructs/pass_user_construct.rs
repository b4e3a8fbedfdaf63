//! A construct of another crate, declared by path: `extra_constructs::WorkQueue` is no
//! built-in, and the macro knows nothing of it. Its spec's fields are checked by rustc,
//! `..` takes the others' defaults, and its handle is used like any other.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }

    key data_key { description: "Queue messages" }

    construct jobs: extra_constructs::WorkQueue { key: Some(&data_key), max_receives: 3, .. }

    output jobs_url { value: jobs.queue.queue_url(), description: "Where workers read" }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Jobs::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    let queue = &resources["Jobs"]["Properties"];
    assert_eq!(queue["RedrivePolicy"]["maxReceiveCount"], 3);
    assert_eq!(
        queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0],
        "JobsDeadLetters"
    );
    assert_eq!(queue["KmsMasterKeyId"]["Fn::GetAtt"][0], "DataKey");
    assert_eq!(queue["VisibilityTimeout"], 30, "a default of the spec");
    assert!(resources["JobsDeadLetters"].is_object());
}
