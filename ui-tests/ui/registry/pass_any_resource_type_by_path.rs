//! A raw resource whose type is the user's own: any type implementing the model's
//! resource trait, named by any path, beside a type of the model named by its short path.

use infra_macros::stack;
use infra_runtime::{Resource, resource::Properties};

mod custom {
    /// A custom resource backed by a function of the account.
    #[derive(Debug, Default, serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Greeting {
        pub service_token: infra_runtime::Value<String>,
        pub message: infra_runtime::Value<String>,
    }
}

impl Resource for custom::Greeting {
    const TYPE_NAME: &'static str = "Custom::Greeting";
    const CREATE_ONLY_PROPERTIES: &'static [&'static str] = &[];
    const ATTRIBUTES: &'static [&'static str] = &["Reply"];
    const TAGGABLE: bool = false;
}

impl Properties for custom::Greeting {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        self.service_token
            .missing_required(&infra_runtime::resource::join_path(path, "ServiceToken"), missing);
    }
}

stack! {
    pub stack Custom { region: "eu-west-2", name: "Custom" }
    resource queue: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }
    resource hello: custom::Greeting {
        service_token: "arn:aws:lambda:eu-west-2:111122223333:function:greeter".into(),
        message: queue.url().into(),
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("dev", Custom::REGION);
    let built = Custom::new(&config);
    let template = built.stack.synth().expect("synthesizes");
    let resources = &template.document()["Resources"];
    assert_eq!(resources["Hello"]["Type"], "Custom::Greeting");
    assert_eq!(resources["Hello"]["Properties"]["Message"], serde_json::json!({ "Fn::GetAtt": ["Queue", "QueueUrl"] }));
    assert_eq!(resources["Queue"]["Type"], "AWS::SQS::Queue");
}
