//! A raw resource ordered after others it does not reference: `#[depends_on(…)]` names
//! raw resources of the stack, declared before or after it, and becomes `DependsOn`.

use infra_macros::stack;

stack! {
    pub stack Ordered { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    #[depends_on(dead_letters, archive)]
    resource jobs: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    resource archive: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    #[deletion_policy(Retain)]
    resource dead_letters: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
}

fn main() {
    let built = Ordered::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let jobs = &template.document()["Resources"]["Jobs"];
    assert_eq!(jobs["DependsOn"], serde_json::json!(["Archive", "DeadLetters"]));
    assert_eq!(jobs["DeletionPolicy"], "Retain");
}
