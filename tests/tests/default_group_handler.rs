//! The handler that closes a VPC's default security group, taken from the synthesized
//! template and run as CloudFormation runs it: with a stand-in EC2 client and a loopback
//! server receiving its answer (`harness/custom_resource.py`). A handler that does not
//! answer leaves a stack waiting an hour, so every path must answer.

use std::io::Write;
use std::process::{Command, Stdio};

use infra_runtime::StackConfig;
use serde_json::{Value, json};
use stacks::loan::{LoanSettings, LoanStack};
use tests::workspace_root;

fn handler_source() -> String {
    let config = StackConfig::new("eu-west-2", "dev");
    let template = LoanStack::new(&config, &LoanSettings::default())
        .stack
        .synth()
        .expect("the loan stack synthesizes");
    template.document()["Resources"]["NetworkRestrictDefaultGroupHandler"]["Properties"]["Code"]
        ["ZipFile"]
        .as_str()
        .expect("inline handler code")
        .to_owned()
}

/// Runs each `(name, request type, EC2 error code)` scenario; returns the results by name.
fn run(scenarios: Value) -> Value {
    let harness = workspace_root().join("tests/tests/harness/custom_resource.py");
    let mut child = Command::new("python3")
        .arg(harness)
        .arg(scenarios.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(handler_source().as_bytes())
        .expect("handler source written");
    let output = child.wait_with_output().expect("harness ends");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON results")
}

#[test]
fn create_revokes_both_default_rules_and_answers_success() {
    let results = run(json!([["create", "Create", null]]));
    let create = &results["create"];
    assert_eq!(create["answer"]["Status"], "SUCCESS", "{create}");
    assert_eq!(create["answer"]["PhysicalResourceId"], "sg-0123");
    assert_eq!(create["answer"]["LogicalResourceId"], "Closer");
    assert_eq!(
        create["calls"],
        json!([
            {
                "call": "revoke_security_group_ingress",
                "GroupId": "sg-0123",
                "IpPermissions": [{ "IpProtocol": "-1", "UserIdGroupPairs": [{ "GroupId": "sg-0123" }] }]
            },
            {
                "call": "revoke_security_group_egress",
                "GroupId": "sg-0123",
                "IpPermissions": [{ "IpProtocol": "-1", "IpRanges": [{ "CidrIp": "0.0.0.0/0" }] }]
            }
        ])
    );
}

#[test]
fn rules_already_gone_are_fine_and_other_errors_fail_with_the_reason() {
    let results = run(json!([
        ["gone", "Update", "InvalidPermission.NotFound"],
        ["denied", "Create", "UnauthorizedOperation"]
    ]));
    assert_eq!(results["gone"]["answer"]["Status"], "SUCCESS");
    assert_eq!(results["gone"]["calls"].as_array().map(Vec::len), Some(2));
    let denied = &results["denied"]["answer"];
    assert_eq!(denied["Status"], "FAILED", "{denied}");
    assert!(
        denied["Reason"]
            .as_str()
            .is_some_and(|r| r.contains("UnauthorizedOperation")),
        "{denied}"
    );
}

#[test]
fn delete_leaves_the_group_alone_and_answers_success() {
    let results = run(json!([["delete", "Delete", null]]));
    assert_eq!(results["delete"]["calls"], json!([]));
    assert_eq!(results["delete"]["answer"]["Status"], "SUCCESS");
    assert_eq!(results["delete"]["answer"]["PhysicalResourceId"], "sg-0123");
}
