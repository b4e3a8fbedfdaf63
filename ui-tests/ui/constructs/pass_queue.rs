//! A built-in `queue`: its dead-letter queue, encryption with the stack's key, a policy
//! that refuses plain HTTP, and `send` and `consume` granted by roles of another file's
//! queue, each with the key's actions.

#[path = "parts/orders.rs"]
mod orders;

use infra_macros::stack;
use orders::Orders;

stack! {
    pub stack Shop { region: "eu-west-2" }

    construct orders: Orders {}
    queue audit { fifo: true, retention_days: 14 }

    role checkout { assumed_by: lambda, grants: [send(orders.placed), send(audit)] }
    role fulfilment { assumed_by: ecs_tasks, grants: [consume(orders.placed)] }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Shop::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];

    let placed = &resources["OrdersPlaced"]["Properties"];
    assert_eq!(placed["VisibilityTimeout"], 120);
    assert_eq!(placed["MessageRetentionPeriod"], 4 * 86_400, "SQS's default retention");
    assert_eq!(placed["KmsMasterKeyId"]["Fn::GetAtt"][0], "OrdersOrdersKey");
    assert_eq!(placed["RedrivePolicy"]["maxReceiveCount"], 3);
    assert_eq!(
        placed["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0],
        "OrdersPlacedDeadLetters"
    );
    let dead = &resources["OrdersPlacedDeadLetters"]["Properties"];
    assert_eq!(dead["MessageRetentionPeriod"], 14 * 86_400);
    assert_eq!(dead["KmsMasterKeyId"], placed["KmsMasterKeyId"]);

    let audit = &resources["Audit"]["Properties"];
    assert_eq!(audit["SqsManagedSseEnabled"], true, "encrypted without a key too");
    assert_eq!(audit["FifoQueue"], true);
    assert_eq!(resources["AuditDeadLetters"]["Properties"]["FifoQueue"], true);

    let policy = &resources["OrdersPlacedPolicy"]["Properties"];
    let deny = &policy["PolicyDocument"]["Statement"][0];
    assert_eq!(deny["Effect"], "Deny");
    assert_eq!(deny["Condition"]["Bool"]["aws:SecureTransport"], "false");
    assert_eq!(policy["Queues"].as_array().expect("queues").len(), 2);

    let statements = |policy: &str| {
        resources[policy]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap_or_else(|| panic!("{policy} has statements"))
            .clone()
    };
    let send = statements("CheckoutPolicy");
    assert_eq!(send[0]["Action"][0], "sqs:SendMessage");
    // The key's actions on the key alone, in a statement of their own.
    assert_eq!(send[1]["Resource"][0]["Fn::GetAtt"][0], "OrdersOrdersKey");
    assert!(send[1]["Action"].as_array().expect("actions").contains(&"kms:GenerateDataKey".into()));
    assert_eq!(send.len(), 3, "no key, no key statement: {send:?}");
    let consume = statements("FulfilmentPolicy");
    assert_eq!(consume[0]["Action"][0], "sqs:ReceiveMessage");
    assert!(consume[1]["Action"].as_array().expect("actions").contains(&"kms:Decrypt".into()));
}
