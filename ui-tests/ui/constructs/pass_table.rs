//! A built-in `table`: typed keys, on-demand billing, point-in-time recovery, encryption
//! with the stack's key, kept when it leaves the stack; `read` and `write` granted with
//! the key's actions, and its name handed to a function.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    key data_key { description: "Orders", allow_logs: true }
    log_group api_logs { retention_days: 365, key: data_key }
    table orders { partition_key: string("order_id"), sort_key: number("placed_at"), key: data_key, stream: true }
    table counters { partition_key: binary("id"), read_capacity: 5, write_capacity: 2 }
    role api_role { assumed_by: lambda, grants: [write_logs(api_logs), read(orders), write(orders), read(counters)] }
    function api {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: api_role,
        logs: api_logs,
        environment: { TABLE: orders.name() },
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Orders::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];

    let orders = &resources["Orders"];
    assert_eq!(orders["DeletionPolicy"], "Retain");
    let table = &orders["Properties"];
    assert_eq!(table["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(table["KeySchema"][0]["AttributeName"], "order_id");
    assert_eq!(table["KeySchema"][0]["KeyType"], "HASH");
    assert_eq!(table["KeySchema"][1]["KeyType"], "RANGE");
    assert_eq!(table["AttributeDefinitions"][1]["AttributeType"], "N");
    assert_eq!(table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"], true);
    assert_eq!(table["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0], "DataKey");
    assert_eq!(table["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES");

    let counters = &resources["Counters"]["Properties"];
    assert_eq!(counters["BillingMode"], "PROVISIONED");
    assert_eq!(counters["ProvisionedThroughput"]["WriteCapacityUnits"], 2);
    assert_eq!(counters["AttributeDefinitions"][0]["AttributeType"], "B");

    let statements = &resources["ApiRolePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements[1]["Action"][0], "dynamodb:GetItem");
    assert_eq!(statements[2]["Resource"][0]["Fn::GetAtt"][0], "DataKey", "the table's key");
    assert_eq!(statements[2]["Action"], serde_json::json!(["kms:Decrypt"]));
    assert_eq!(statements[3]["Action"][0], "dynamodb:PutItem");
    assert_eq!(statements[5]["Action"][0], "dynamodb:GetItem");
    assert_eq!(statements.as_array().expect("statements").len(), 6, "no key, no key statement");
    let api = &resources["Api"]["Properties"];
    assert_eq!(api["Environment"]["Variables"]["TABLE"]["Ref"], "Orders");
}
