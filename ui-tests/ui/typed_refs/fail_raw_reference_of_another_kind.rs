//! Raw resources of the serverless and event world name what they use by typed
//! references: a bucket's ARN where a function's dead letters go (a queue or a topic), a
//! bucket's name where a permission names its function. Each is an error at the value;
//! a queue's ARN as the dead-letter target compiles.

use infra_macros::stack;
use infra_runtime::aws::lambda::function::{Code, DeadLetterConfig, Runtime};

stack! {
    pub stack Handlers { region: "eu-west-2" }

    role function_role { assumed_by: lambda }
    bucket archive { encryption: s3_managed }
    resource failed: sqs::Queue { sqs_managed_sse_enabled: Some(true.into()) }

    resource handler: lambda::Function {
        role: function_role.arn(),
        code: Code { zip_file: Some("def handler(event, context): pass".into()), ..Default::default() },
        handler: Some("index.handler".into()),
        runtime: Some(Runtime::Python313.into()),
        dead_letter_config: Some(DeadLetterConfig { target_arn: Some(archive.arn().into()) }),
    }
    resource fixed: lambda::Function {
        role: function_role.arn(),
        code: Code { zip_file: Some("def handler(event, context): pass".into()), ..Default::default() },
        handler: Some("index.handler".into()),
        runtime: Some(Runtime::Python313.into()),
        dead_letter_config: Some(DeadLetterConfig { target_arn: Some(failed.arn().into()) }),
    }
    resource allowed: lambda::Permission {
        action: "lambda:InvokeFunction".into(),
        function_name: archive.name().into(),
        principal: "s3.amazonaws.com".into(),
    }
}

fn main() {}
