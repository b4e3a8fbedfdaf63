//! Raw resources of the serverless and event world name what they use by typed
//! references: a bucket's ARN where a function's dead letters go (a queue or a topic), a
//! bucket's name where a permission names its function, a table's own ARN where a
//! mapping reads the table's stream. Each is an error at the value; a queue's ARN as the
//! dead-letter target, and the table's stream as an event source, compile.

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
    table orders { partition_key: string("order_id"), stream: true }
    resource changes: lambda::EventSourceMapping {
        event_source_arn: Some(orders.arn().into()),
        function_name: fixed.arn().into(),
    }
    resource streamed: lambda::EventSourceMapping {
        event_source_arn: Some(orders.stream_arn().into()),
        function_name: fixed.arn().into(),
        starting_position: Some("LATEST".into()),
    }
    resource allowed: lambda::Permission {
        action: "lambda:InvokeFunction".into(),
        function_name: archive.name().into(),
        principal: "s3.amazonaws.com".into(),
    }
}

fn main() {}
