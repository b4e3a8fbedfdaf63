//! The sample stack, built with the raw typed model: its template is the reviewed snapshot,
//! byte-identical on every run, and clean under cfn-lint's errors, warnings and
//! informational checks.

use std::path::PathBuf;

use stacks::sample::sample_stack;
use tests::{lint_template, workspace_root};

fn snapshot_path() -> PathBuf {
    workspace_root().join("tests/snapshots/sample.json")
}

#[test]
fn sample_template_matches_the_reviewed_snapshot() {
    let template = sample_stack()
        .synth()
        .expect("the sample stack synthesizes");
    let actual = template.pretty() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(snapshot_path(), &actual).expect("write the snapshot");
    }
    let expected =
        std::fs::read_to_string(snapshot_path()).expect("tests/snapshots/sample.json exists");
    assert!(
        actual == expected,
        "the sample template changed; review it with `UPDATE_SNAPSHOTS=1 cargo test -p tests --test sample_stack` and `git diff tests/snapshots`"
    );
}

#[test]
fn synthesis_is_byte_identical_across_runs_and_compact() {
    let first = sample_stack().synth().expect("synthesizes");
    let second = sample_stack().synth().expect("synthesizes");
    assert_eq!(first.body(), second.body());
    let reparsed: serde_json::Value = serde_json::from_str(first.body()).expect("valid JSON");
    assert_eq!(&reparsed, first.document());
    // Compact: exactly serde_json's unindented form, and smaller than the pretty one.
    assert_eq!(
        first.body(),
        serde_json::to_string(&reparsed).expect("serializes")
    );
    assert!(!first.body().contains('\n'));
    assert!(first.size() < first.pretty().len());
}

#[test]
fn sample_template_wires_references_by_type() {
    let template = sample_stack().synth().expect("synthesizes");
    let doc = template.document();
    let resources = &doc["Resources"];
    assert_eq!(
        resources["SubnetA"]["Properties"]["VpcId"],
        serde_json::json!({ "Ref": "Vpc" })
    );
    assert_eq!(
        resources["DataBucket"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            [0]["ServerSideEncryptionByDefault"]["KMSMasterKeyID"],
        serde_json::json!({ "Fn::GetAtt": ["DataKey", "Arn"] })
    );
    assert_eq!(
        resources["SubnetB"]["Properties"]["AvailabilityZone"],
        serde_json::json!({ "Fn::Select": [1, { "Fn::GetAZs": "" }] })
    );
    // Default tags reach every taggable resource, sorted by key.
    let tags = &resources["ReaderRole"]["Properties"]["Tags"];
    assert_eq!(tags[0]["Key"], "CostCenter");
    assert_eq!(
        tags[1]["Value"],
        serde_json::json!({ "Ref": "EnvironmentSuffix" })
    );
    // Each resource records the line that declared it.
    let source = resources["Vpc"]["Metadata"]["infra:source"]
        .as_str()
        .expect("source recorded");
    assert!(source.starts_with("stacks/src/sample.rs:"), "{source}");
}

#[test]
fn cfn_lint_reports_nothing_on_the_sample_template() {
    let template = sample_stack().synth().expect("synthesizes");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("sample.json");
    std::fs::write(&path, template.body()).expect("write template");
    let findings = lint_template(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        findings.is_empty(),
        "cfn-lint findings on the sample template:\n{findings}"
    );
}

#[test]
fn cfn_lint_is_really_checking() {
    // A template with a hard-coded partition (informational I3042) and a dangling Ref (an
    // error): if cfn-lint reported nothing here, the clean result above would mean nothing.
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("bad.json");
    let bad = serde_json::json!({
        "Resources": {
            "Topic": {
                "Type": "AWS::SNS::Topic",
                "Properties": { "KmsMasterKeyId": { "Fn::Sub": "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/x" } }
            },
            "Sub": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Nowhere" }, "CidrBlock": "10.0.0.0/24" } }
        }
    });
    std::fs::write(&path, bad.to_string()).expect("write template");
    let findings = lint_template(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        findings.contains("E1020") || findings.contains("E3"),
        "no error reported:\n{findings}"
    );
    assert!(
        findings.contains("I3042"),
        "no informational finding reported:\n{findings}"
    );
}
