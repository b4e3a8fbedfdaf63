//! Actions AWS defines on no resource take `*` (the only resource they can have), in a
//! role's grants and in a raw policy alike; an exact action on its resource's ARN passes.

use infra_macros::stack;

stack! {
    pub stack Tracing {
        region: "eu-west-2",
    }
    role worker {
        assumed_by: ecs_tasks,
        grants: [
            allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]),
            allow(["sqs:SendMessage"], ["arn:aws:sqs:eu-west-2:123456789012:jobs"]),
        ],
    }
    resource delivery: iam::ManagedPolicy {
        policy_document: serde_json::json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": ["logs:CreateLogDelivery", "logs:GetLogDelivery"], "Resource": "*" },
            { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*" }
        ] }).into(),
    }
}

fn main() {
    let built = Tracing::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    built.stack.synth().expect("synthesis judges the same statements the same way");
}
