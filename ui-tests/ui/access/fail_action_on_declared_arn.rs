//! An action on the ARN of a declaration of another service: `sqs:SendMessage` on a
//! table's `arn()` is an error at the ARN, naming what the action applies to.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource orders: dynamodb::Table {
        key_schema: serde_json::json!([{ "AttributeName": "id", "KeyType": "HASH" }]).into(),
        attribute_definitions: Some(vec![dynamodb::table::AttributeDefinition {
            attribute_name: "id".into(),
            attribute_type: dynamodb::table::AttributeType::S.into(),
        }]),
        billing_mode: Some(dynamodb::table::BillingMode::PayPerRequest.into()),
        sse_specification: Some(dynamodb::table::SseSpecification {
            sse_enabled: true.into(),
            ..Default::default()
        }),
    }
    #[deletion_policy(Retain)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    role worker {
        assumed_by: lambda,
        grants: [allow(["sqs:SendMessage"], [jobs.arn(), orders.arn()])],
    }
}

fn main() {}
