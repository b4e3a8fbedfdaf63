//! A construct of another crate offers its verbs like a built-in: roles of this file
//! grant `send` and `consume` on a `WorkQueue` declared in another file's component, and
//! each grant becomes one statement on the queue and on the key that encrypts it.

#[path = "parts/work.rs"]
mod work;

use infra_macros::stack;
use work::Work;

stack! {
    pub stack Producers { region: "eu-west-2" }

    construct work: Work {}

    role producer { assumed_by: ecs_tasks, grants: [send(work.jobs)] }
    role worker { assumed_by: lambda, grants: [consume(work.jobs), write_logs(work.work_logs)] }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Producers::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    let statements = |policy: &str| {
        resources[policy]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap_or_else(|| panic!("{policy} has statements"))
            .clone()
    };

    let producer = statements("ProducerPolicy");
    let send = &producer[0];
    assert_eq!(send["Sid"], "SendMessages1");
    assert_eq!(send["Action"][0], "sqs:SendMessage");
    assert_eq!(send["Resource"][0]["Fn::GetAtt"][0], "WorkJobs");
    // The key's actions on the key alone, in a statement of their own.
    let key = &producer[1];
    assert_eq!(key["Sid"], "SendMessages1Part2");
    assert_eq!(key["Resource"][0]["Fn::GetAtt"][0], "WorkQueueKey", "the queue's key");
    assert!(
        key["Action"].as_array().expect("actions").contains(&"kms:GenerateDataKey".into()),
        "a producer encrypts with the queue's key"
    );

    let worker = statements("WorkerPolicy");
    assert_eq!(worker[0]["Sid"], "ConsumeMessages1");
    assert_eq!(worker[0]["Action"][0], "sqs:ReceiveMessage");
    assert_eq!(worker[1]["Sid"], "ConsumeMessages1Part2");
    assert_eq!(worker[2]["Sid"], "WriteLogs2");
}
