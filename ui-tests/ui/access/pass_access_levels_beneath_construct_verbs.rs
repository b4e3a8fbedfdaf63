//! A construct's handle offers its own verbs and its primary resource's access levels
//! beneath them: `tag(jobs)` of a `queue` is the reference's `Tagging` actions on its
//! `sqs:queue`, `manage_permissions(orders)` of a `table` the `Permissions management`
//! actions on `dynamodb:table`, while `read(orders)` stays the table's own verb; a
//! bucket's `tag` is the level of `s3:bucket`.

use infra_facts::iam::reference::{Level, actions_on};
use infra_macros::stack;
use serde_json::{Value, json};

stack! {
    pub stack Jobs { region: "eu-west-2" }
    queue jobs {}
    table orders { partition_key: string("id") }
    bucket reports { encryption: s3_managed }
    role worker {
        assumed_by: lambda,
        grants: [send(jobs), tag(jobs), read(orders), manage_permissions(orders), tag(reports)],
    }
}

fn main() {
    let built = Jobs::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let resources = template.document()["Resources"].as_object().unwrap().clone();
    let policy = resources
        .values()
        .find(|r| r["Type"] == "AWS::IAM::ManagedPolicy")
        .expect("the worker's policy");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    let actions = |iam_type, level| -> Value {
        json!(actions_on(iam_type, level).into_iter().collect::<Vec<_>>())
    };
    let with = |action: &Value| {
        statements
            .iter()
            .find(|s| &s["Action"] == action)
            .unwrap_or_else(|| panic!("a statement of {action}"))
            .clone()
    };
    let tag = with(&actions("sqs:queue", Level::Tagging));
    assert_eq!(tag["Resource"], json!([{ "Fn::GetAtt": ["Jobs", "Arn"] }]));
    let manage = with(&actions("dynamodb:table", Level::PermissionsManagement));
    assert_eq!(manage["Resource"], json!([{ "Fn::GetAtt": ["Orders", "Arn"] }]));
    let tag = with(&actions("s3:bucket", Level::Tagging));
    assert_eq!(tag["Resource"], json!([{ "Fn::GetAtt": ["Reports", "Arn"] }]));
    // The table's own `read`: its item actions, not every `Read` action of the reference.
    assert!(statements.iter().all(|s| s["Action"] != actions("dynamodb:table", Level::Read)));
    assert!(statements.iter().any(|s| s["Action"].to_string().contains("dynamodb:GetItem")));
}
