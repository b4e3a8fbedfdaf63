//! A raw policy's statements are judged one by one against AWS's authorization
//! reference: `*` is right for an action AWS defines on no resource, wrong for one that
//! needs a resource; a misspelt action and an object action on a bucket's ARN are errors
//! at their literals.

use infra_macros::stack;

stack! {
    pub stack Shop {
        region: "eu-west-2",
    }
    resource tracing: iam::ManagedPolicy {
        policy_document: serde_json::json!({ "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Action": ["xray:PutTraceSegments", "logs:CreateLogDelivery"], "Resource": "*" },
            { "Effect": "Allow", "Action": "sqs:SendMesage", "Resource": "arn:aws:sqs:eu-west-2:123456789012:jobs" },
            { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports" },
            { "Effect": "Allow", "Action": ["xray:PutTraceSegments", "dynamodb:GetItem"], "Resource": "*" }
        ] }).into(),
    }
}

fn main() {}
