//! Compliance at synthesis, for resources written in plain Rust (or with values known only
//! when the stack is built): each finding names the resource, the problem, the fix and the
//! line that declared it; compliant resources and a public load balancer's open group pass.

use infra_runtime::aws::ec2::security_group;
use infra_runtime::aws::elasticloadbalancingv2::load_balancer;
use infra_runtime::aws::iam::managed_policy;
use infra_runtime::aws::kms::key;
use infra_runtime::aws::logs::log_group;
use infra_runtime::aws::s3::bucket;
use infra_runtime::aws::s3::bucket_policy;
use infra_runtime::aws::sqs::queue;
use infra_runtime::{Stack, SynthError};
use serde_json::json;

// The property modules of the types the runtime does not compile itself.
infra_runtime::aws::iam::RolePolicy! {}
infra_runtime::aws::iam::UserPolicy! {}

fn open(port: i64) -> security_group::Ingress {
    security_group::Ingress {
        ip_protocol: "tcp".into(),
        from_port: Some(port.into()),
        to_port: Some(port.into()),
        cidr_ip: Some("0.0.0.0/0".into()),
        ..Default::default()
    }
}

#[test]
fn noncompliant_resources_are_reported_with_their_lines() {
    let mut stack = Stack::new();
    let retention = 30; // as a setting would give it
    stack.add("Archive", bucket::Bucket::default());
    stack.add("Jobs", queue::Queue::default());
    stack.add(
        "Audit",
        log_group::LogGroup {
            retention_in_days: Some(retention.into()),
            ..Default::default()
        },
    );
    stack.add(
        "Signing",
        key::Key {
            enable_key_rotation: Some(false.into()),
            ..Default::default()
        },
    );
    stack.add(
        "Admin",
        managed_policy::ManagedPolicy {
            policy_document: json!({ "Version": "2012-10-17", "Statement": [
                { "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*" }
            ] })
            .into(),
            ..Default::default()
        },
    );
    // The same predicates as `stack!`'s for literals: an action by wildcard is any that
    // names more than one, and a resource whose head is a wildcard names none; every
    // type that holds an identity policy is judged.
    stack.add(
        "Reader",
        role_policy::RolePolicy {
            policy_name: "reader".into(),
            role_name: "reader".into(),
            policy_document: Some(
                json!({ "Statement": [
                    { "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*" }
                ] })
                .into(),
            ),
        },
    );
    stack.add(
        "Everything",
        user_policy::UserPolicy {
            policy_name: "everything".into(),
            user_name: "ops".into(),
            policy_document: Some(
                json!({ "Statement": [
                    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*" }
                ] })
                .into(),
            ),
        },
    );
    let ssh = stack.add(
        "Ssh",
        security_group::SecurityGroup {
            group_description: "ssh".into(),
            security_group_ingress: Some(vec![open(22)]),
            ..Default::default()
        },
    );
    // Compliant: a public load balancer's group open on 443, a kept queue, a rotating key.
    let web = stack.add(
        "Web",
        security_group::SecurityGroup {
            group_description: "web".into(),
            security_group_ingress: Some(vec![open(443)]),
            ..Default::default()
        },
    );
    stack.add(
        "Balancer",
        load_balancer::LoadBalancer {
            security_groups: Some(vec![web.group_id()].into()),
            ..Default::default()
        },
    );
    stack.add(
        "Kept",
        queue::Queue {
            sqs_managed_sse_enabled: Some(true.into()),
            ..Default::default()
        },
    );
    stack.add(
        "Rotating",
        key::Key {
            enable_key_rotation: Some(true.into()),
            ..Default::default()
        },
    );
    let _ = ssh;

    let errors = stack.synth().expect_err("noncompliant").0;
    let found: Vec<(String, String)> = errors
        .iter()
        .filter_map(|e| match e {
            SynthError::Noncompliant { logical_id, at, .. } => {
                Some((logical_id.clone(), at.clone()))
            }
            _ => None,
        })
        .collect();
    let expected: Vec<(String, String)> = [
        "Admin",
        "Archive",
        "Audit",
        "Everything",
        "Jobs",
        "Reader",
        "Signing",
        "Ssh",
    ]
    .into_iter()
    .map(|id| {
        (
            id.to_owned(),
            format!("tests/tests/compliance.rs:{}", added_at(id)),
        )
    })
    .collect();
    assert_eq!(found, expected, "{errors:?}");
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t
                .contains("`Audit` (AWS::Logs::LogGroup) keeps its events 30 days, under the 365")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains(
            "`Admin` (AWS::IAM::ManagedPolicy) in its policy: wildcard IAM action `s3:*`"
        )),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains(
            "`Reader` (AWS::IAM::RolePolicy) in its policy: wildcard IAM action `s3:Get*`"
        )),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains(
            "`Everything` (AWS::IAM::UserPolicy) in its policy: IAM resource `arn:aws:s3:::*` names no particular resource"
        )),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("`Ssh` (AWS::EC2::SecurityGroup) opens port 22 to the internet")),
        "{text:?}"
    );
}

/// The line of this file where resource `id` is added: the `stack.add(` that names it.
fn added_at(id: &str) -> usize {
    let source = include_str!("compliance.rs");
    let lines: Vec<&str> = source.lines().collect();
    let named = lines
        .iter()
        .position(|l| l.contains(&format!("\"{id}\",")) && !l.contains("into_iter"))
        .expect("the resource is added in this file");
    let call = if lines[named].contains("stack.add(") {
        named
    } else {
        named - 1
    };
    assert!(lines[call].contains("stack.add("), "{}", lines[call]);
    call + 1
}

/// A policy whose statements come from a value known only when the stack is built.
fn policy_of(statements: serde_json::Value) -> managed_policy::ManagedPolicy {
    managed_policy::ManagedPolicy {
        policy_document: json!({ "Version": "2012-10-17", "Statement": statements }).into(),
        ..Default::default()
    }
}

#[test]
fn policies_are_judged_against_the_authorization_reference_at_synthesis() {
    let mut stack = Stack::new();
    let action = String::from("sqs:SendMesage"); // as a setting would give it
    stack.add(
        "Misspelt",
        policy_of(json!([{ "Effect": "Allow", "Action": action, "Resource": "arn:aws:sqs:eu-west-2:123456789012:jobs" }])),
    );
    stack.add(
        "Misfit",
        policy_of(json!([{ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:dynamodb:eu-west-2:123456789012:table/orders" }])),
    );
    // `*` is right for actions AWS defines on no resource: these pass.
    stack.add(
        "Tracing",
        policy_of(json!([{ "Effect": "Allow", "Action": ["xray:PutTraceSegments", "logs:CreateLogDelivery"], "Resource": "*" }])),
    );
    let errors: Vec<String> = stack
        .synth()
        .expect_err("two policies are refused")
        .0
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[1].contains("`Misspelt` (AWS::IAM::ManagedPolicy) in its policy: `sqs:SendMesage` is not an action of sqs; did you mean `sqs:SendMessage`?"),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("`Misfit` (AWS::IAM::ManagedPolicy) in its policy: `sqs:SendMessage` does not apply to `arn:aws:dynamodb:eu-west-2:123456789012:table/orders`: it applies to queue"),
        "{errors:?}"
    );
}

#[test]
fn an_action_on_the_arn_of_a_resource_of_another_service_is_refused_at_synthesis() {
    let mut stack = Stack::new();
    let key = stack.add(
        "DataKey",
        key::Key {
            enable_key_rotation: Some(true.into()),
            ..Default::default()
        },
    );
    let queue = stack.add(
        "Jobs",
        queue::Queue {
            sqs_managed_sse_enabled: Some(true.into()),
            ..Default::default()
        },
    );
    // The key's ARN where the queue's belongs, as a plain-Rust stack could write it.
    let (queue_arn, key_arn) = (queue.arn().to_json(), key.arn().to_json());
    stack.add(
        "Sender",
        policy_of(json!([
            { "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn },
            { "Effect": "Allow", "Action": "kms:Decrypt", "Resource": key_arn },
        ])),
    );
    assert!(
        stack.synth().is_ok(),
        "each action on its own resource passes"
    );
    stack.add(
        "Misfit",
        policy_of(json!([{ "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": key_arn }])),
    );
    let errors: Vec<String> = stack
        .synth()
        .expect_err("the misfit is refused")
        .0
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("`Misfit` (AWS::IAM::ManagedPolicy) in its policy: `sqs:SendMessage` does not apply to the ARN of a `AWS::KMS::Key` (kms:key): it applies to queue"),
        "{errors:?}"
    );
}

#[test]
fn resource_policies_are_judged_against_the_authorization_reference_at_synthesis() {
    let mut stack = Stack::new();
    let bucket = stack.add(
        "Records",
        bucket::Bucket {
            bucket_encryption: Some(bucket::BucketEncryption::default()),
            ..Default::default()
        },
    );
    let action = String::from("s3:GetObjekt"); // as a setting would give it
    let statement = |action: &str| {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Service": "cloudfront.amazonaws.com" },
                "Action": action,
                "Resource": "arn:aws:s3:::records/*"
            }]
        })
    };
    let policy = |document: serde_json::Value| bucket_policy::BucketPolicy {
        bucket: bucket.name(),
        policy_document: document.into(),
    };
    stack.add("Readable", policy(statement("s3:GetObject")));
    assert!(stack.synth().is_ok(), "an action AWS defines passes");
    stack.add("Misspelt", policy(statement(&action)));
    let errors = stack.synth().expect_err("refused").to_string();
    assert!(
        errors.contains("`Misspelt` (AWS::S3::BucketPolicy) in its resource policy: `s3:GetObjekt` is not an action of s3; did you mean `s3:GetObject`?"),
        "{errors}"
    );
}
