//! A construct of another crate, declared by path: `extra_constructs::WorkQueue` is no
//! built-in, and the macro knows nothing of it. Its spec's fields are checked by rustc,
//! `..` takes the others' defaults, and its handle is used like any other: its own verbs
//! (`consume`) and its queue's access levels beneath them (`tag`). A built-in is declared
//! the same way by its path.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }

    key data_key { description: "Queue messages" }

    construct jobs: extra_constructs::WorkQueue { key: Some(&data_key), max_receives: 3, .. }

    role worker { assumed_by: lambda, grants: [consume(jobs), tag(jobs)] }

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
    let tagging = infra_facts::iam::reference::actions_on(
        "sqs:queue",
        infra_facts::iam::reference::Level::Tagging,
    );
    let policy = resources["WorkerPolicy"]["Properties"]["PolicyDocument"].to_string();
    assert!(tagging.iter().all(|a| policy.contains(&format!("\"{a}\""))), "{policy}");

    let plain = built_in_by_path::Plain::new(&config);
    let plain = plain.stack.synth().expect("a built-in by its path synthesizes");
    let resources = &plain.document()["Resources"];
    let subnets = resources
        .as_object()
        .expect("resources")
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::Subnet")
        .count();
    assert_eq!(subnets, 2, "the two private subnets of `Network`");
    assert!(resources["NetPrivateSubnet2"].is_object());
}

/// A built-in construct is a construct by path too: `vpc` is `Network`.
mod built_in_by_path {
    use infra_macros::stack;

    stack! {
        pub stack Plain { region: "eu-west-2" }

        construct net: infra_runtime::construct::Network {
            cidr: "10.0.0.0/16",
            private: &["10.0.1.0/24", "10.0.2.0/24"],
            nat_gateways: 0,
            restrict_default_group: false,
            ..
        }
    }
}
