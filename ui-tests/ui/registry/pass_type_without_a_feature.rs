//! A type of the model the runtime does not compile itself (no feature names it): the
//! declaration alone makes its property struct, its nested types and enums, and the
//! values name them with no `use` (`global_table::…` or `dynamodb::global_table::…`).

use infra_macros::stack;

stack! {
    pub stack Tables { region: "eu-west-2", name: "Tables" }
    resource orders: dynamodb::GlobalTable {
        attribute_definitions: Some(vec![global_table::AttributeDefinition {
            attribute_name: "id".into(),
            attribute_type: global_table::AttributeType::S.into(),
        }]),
        key_schema: Some(vec![dynamodb::global_table::KeySchema {
            attribute_name: "id".into(),
            key_type: dynamodb::global_table::KeyType::Hash.into(),
        }]),
        billing_mode: Some(global_table::BillingMode::PayPerRequest.into()),
        replicas: vec![global_table::ReplicaSpecification {
            region: "eu-west-2".into(),
            ..Default::default()
        }],
    }
    output table_arn: Arn<dynamodb::GlobalTable> { value: orders.arn(), description: "The table" }
}

fn main() {
    let config = infra_runtime::StackConfig::new("dev", Tables::REGION);
    let built = Tables::new(&config);
    let arn: &infra_runtime::Handle<infra_runtime::aws::dynamodb::GlobalTable> = &built.orders;
    let _ = arn;
    let template = built.stack.synth().expect("synthesizes");
    let orders = &template.document()["Resources"]["Orders"];
    assert_eq!(orders["Type"], "AWS::DynamoDB::GlobalTable");
    assert_eq!(orders["Properties"]["KeySchema"][0]["KeyType"], "HASH");
    assert_eq!(orders["Properties"]["Replicas"][0]["Region"], "eu-west-2");
}
