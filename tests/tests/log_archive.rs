//! The app's log archive (a trail and a configuration recorder into a key-encrypted,
//! versioned bucket, in two components) and the auditors' stack that imports it: the
//! reviewed snapshot, the statements the trail opens the bucket and the key with (scoped
//! to this trail of this account), the recorder's delivery, and the outside judges:
//! cfn-lint finds nothing and checkov fails no check.

use infra_runtime::StackConfig;
use serde_json::Value;
use stacks::archive::{ArchiveReadersStack, LogArchiveStack};
use tests::{checkov_template, lint_template, workspace_root};

fn config() -> StackConfig {
    StackConfig::from_lookup("eu-west-2", |_| None).expect("the default configuration")
}

fn archive() -> infra_runtime::Template {
    LogArchiveStack::new(&config())
        .stack
        .synth()
        .expect("the archive synthesizes")
}

#[test]
fn the_log_archive_matches_the_reviewed_snapshot() {
    let actual = archive().pretty();
    let path = workspace_root().join("tests/snapshots/log_archive.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write the snapshot");
    }
    let expected = std::fs::read_to_string(&path).expect("tests/snapshots/log_archive.json exists");
    assert!(
        actual == expected,
        "the log archive's template changed; review it with `UPDATE_SNAPSHOTS=1 cargo test -p tests --test log_archive` and `git diff tests/snapshots`"
    );
}

fn statement<'a>(statements: &'a Value, sid: &str) -> &'a Value {
    statements
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("no statement {sid} in {statements}"))
}

#[test]
fn the_trail_opens_the_bucket_and_the_key_to_itself_alone_and_waits_for_the_policy() {
    let template = archive();
    let resources = &template.document()["Resources"];
    let trail = &resources["RecordingActivity"];
    assert_eq!(trail["DependsOn"][0], "VaultArchivePolicy");
    let properties = &trail["Properties"];
    assert_eq!(properties["EnableLogFileValidation"], true);
    assert_eq!(properties["IsMultiRegionTrail"], true);
    assert_eq!(properties["KMSKeyId"]["Fn::GetAtt"][0], "VaultArchiveKey");
    let bucket_policy =
        &resources["VaultArchivePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    let write = statement(bucket_policy, "CloudTrailWritesLogFiles");
    assert_eq!(write["Principal"]["Service"], "cloudtrail.amazonaws.com");
    let source = write["Condition"]["StringEquals"]["aws:SourceArn"]["Fn::Sub"][0]
        .as_str()
        .expect("the trail's ARN");
    assert!(source.ends_with(":trail/${Name}"), "{source}");
    assert_eq!(
        write["Condition"]["StringEquals"]["s3:x-amz-acl"],
        "bucket-owner-full-control"
    );
    let key_policy = &resources["VaultArchiveKey"]["Properties"]["KeyPolicy"]["Statement"];
    let encrypt = statement(key_policy, "CloudTrailEncryptsLogFiles");
    assert_eq!(encrypt["Action"], "kms:GenerateDataKey*");
    assert!(encrypt["Condition"]["StringEquals"]["aws:SourceArn"].is_object());
}

#[test]
fn the_recorder_delivers_to_the_vault_with_exactly_what_delivery_needs() {
    let template = archive();
    let resources = &template.document()["Resources"];
    let channel = &resources["RecordingConfigurationChannel"];
    assert_eq!(channel["DependsOn"][0], "RecordingConfiguration");
    assert_eq!(channel["Properties"]["S3BucketName"]["Ref"], "VaultArchive");
    assert_eq!(
        channel["Properties"]["S3KmsKeyArn"]["Fn::GetAtt"][0],
        "VaultArchiveKey"
    );
    let recording = &resources["RecordingConfiguration"]["Properties"]["RecordingGroup"];
    assert_eq!(recording["AllSupported"], true);
    let role = &resources["RecordingConfigurationRole"]["Properties"];
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        "config.amazonaws.com"
    );
    assert!(
        role["ManagedPolicyArns"][0]["Fn::Sub"]
            .as_str()
            .is_some_and(|arn| arn.ends_with(":iam::aws:policy/service-role/AWS_ConfigRole")),
        "{role}"
    );
    let statements =
        &resources["RecordingConfigurationRolePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    let actions: Vec<&str> = statements
        .as_array()
        .expect("statements")
        .iter()
        .flat_map(|s| s["Action"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        actions,
        [
            "s3:GetBucketAcl",
            "s3:PutObject",
            "kms:GenerateDataKey",
            "kms:Decrypt"
        ]
    );
}

#[test]
fn the_readers_import_the_bucket_and_the_key() {
    let template = ArchiveReadersStack::new(&config())
        .stack
        .synth()
        .expect("the readers synthesize");
    let statements = &template.document()["Resources"]["AuditorPolicy"]["Properties"]["PolicyDocument"]
        ["Statement"];
    let statements = statements
        .as_array()
        .expect("the auditor's grants, on the imports");
    let actions: Vec<String> = statements
        .iter()
        .flat_map(|s| s["Action"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    for action in ["s3:ListBucket", "s3:GetObject", "kms:Decrypt"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    for statement in statements {
        let resource = statement["Resource"][0].to_string();
        assert!(resource.contains("Fn::ImportValue"), "{resource}");
    }
}

#[test]
fn the_log_archive_passes_cfn_lint_and_every_checkov_check() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let readers = ArchiveReadersStack::new(&config())
        .stack
        .synth()
        .expect("the readers synthesize");
    for (name, template) in [("archive.json", archive()), ("readers.json", readers)] {
        let path = dir.join(name);
        std::fs::write(&path, template.pretty()).expect("template written");
        let findings = lint_template(&path).expect("cfn-lint runs");
        assert!(
            findings.is_empty(),
            "cfn-lint findings in {name}:\n{findings}"
        );
        let report = checkov_template(&path).expect("checkov runs");
        assert!(
            report.failed.is_empty(),
            "checkov on {name}: {:?}",
            report.failed
        );
    }
}

#[test]
fn a_trail_into_a_bucket_or_key_whose_policy_it_cannot_open_is_refused_with_its_line() {
    use infra_runtime::aws::{kms, s3};
    use infra_runtime::construct::{Scope, TrailSpec, trail};
    let config = config();
    let mut stack = infra_runtime::Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Plain");
    let bucket = scope.stack.add("Raw", s3::bucket::Bucket::default());
    let key = scope.stack.add("RawKey", kms::key::Key::default());
    trail(
        &mut scope,
        "Activity",
        TrailSpec {
            bucket: Some(&bucket),
            key: Some(&key),
            ..Default::default()
        },
    );
    let said = stack.synth().expect_err("refused").to_string();
    assert!(
        said.contains(
            "delivers to `Raw`, which has no bucket policy in this stack to open to CloudTrail"
        ) && said.contains("log_archive.rs:"),
        "{said}"
    );
    assert!(
        said.contains(
            "encrypts with `RawKey`, which has no key policy in this stack to open to CloudTrail"
        ),
        "{said}"
    );
}
