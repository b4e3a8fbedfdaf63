//! Access levels on raw resources: `read` and `write` on a raw queue are the reference's
//! actions of that level on `sqs:queue`, on the queue's ARN, with the actions on the key
//! of the stack its properties name; a raw queue without a key gets no key statement. An
//! internet gateway, whose ARN no attribute gives, is named by the reference's ARN format
//! of `ec2:internet-gateway` around its `Ref`.

use infra_facts::iam::reference::{Level, actions_on};
use infra_macros::stack;
use serde_json::json;

stack! {
    pub stack Jobs { region: "eu-west-2" }
    key jobs_key { description: "Jobs", rotation: true }
    #[deletion_policy(Retain)]
    resource jobs: sqs::Queue { kms_master_key_id: Some(jobs_key.arn().into()) }
    #[deletion_policy(Retain)]
    resource plain: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    resource gateway: ec2::InternetGateway {}
    role worker { assumed_by: lambda, grants: [read(jobs), write(plain), tag(gateway)] }
}

fn main() {
    let built = Jobs::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let resources = &template.document()["Resources"];
    let policy = resources
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::IAM::ManagedPolicy")
        .expect("the worker's policy");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    let actions = |level| -> Vec<serde_json::Value> {
        actions_on("sqs:queue", level).into_iter().map(Into::into).collect()
    };
    assert_eq!(statements[0]["Action"], json!(actions(Level::Read)));
    assert_eq!(statements[0]["Resource"], json!([{ "Fn::GetAtt": ["Jobs", "Arn"] }]));
    // The key's action on the key alone.
    assert_eq!(statements[1]["Action"], json!(["kms:Decrypt"]));
    assert_eq!(statements[1]["Resource"], json!([{ "Fn::GetAtt": ["JobsKey", "Arn"] }]));
    assert_eq!(statements[2]["Action"], json!(actions(Level::Write)));
    assert_eq!(statements[2]["Resource"], json!([{ "Fn::GetAtt": ["Plain", "Arn"] }]));
    assert_eq!(statements[3]["Action"], json!(actions_on("ec2:internet-gateway", Level::Tagging)));
    let arn = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:internet-gateway/${Gateway}";
    assert_eq!(statements[3]["Resource"], json!([{ "Fn::Sub": arn }]));
    assert_eq!(statements.len(), 4, "no key statement for the queue without a key");
}
