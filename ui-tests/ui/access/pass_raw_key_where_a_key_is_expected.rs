//! A raw `kms::Key` where a key is expected: a log group encrypted with it (its policy
//! lets CloudWatch Logs use it), a bucket encrypted with it, and a role granted `use_key` on it, as with a `key`
//! declaration. The same key without the logs statement is refused at synthesis.

use infra_macros::stack;

stack! {
    pub stack Logs { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource logs_key: kms::Key {
        enable_key_rotation: Some(true.into()),
        key_policy: Some(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "AWS": { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } },
                "Action": "kms:*",
                "Resource": "*"
            }, {
                "Effect": "Allow",
                "Principal": { "Service": { "Fn::Sub": "logs.${AWS::Region}.amazonaws.com" } },
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*"
            }]
        }).into()),
    }
    log_group app_logs { retention_days: 365, key: logs_key }
    bucket records { encryption: kms(logs_key) }
    role reader { assumed_by: lambda, grants: [use_key(logs_key)] }
}

fn main() {
    let built = Logs::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let logs = &template.document()["Resources"]["AppLogs"]["Properties"];
    assert_eq!(logs["KmsKeyId"]["Fn::GetAtt"][0], "LogsKey");
    let encryption = &template.document()["Resources"]["Records"]["Properties"]["BucketEncryption"];
    let by_default = &encryption["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"];
    assert_eq!(by_default["KMSMasterKeyID"]["Fn::GetAtt"][0], "LogsKey");

    // The key without its logs statement: CloudWatch Logs could not write the group.
    let mut stack = infra_runtime::Stack::new();
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut scope = infra_runtime::construct::Scope::new(&mut stack, &config, "Logs");
    let key: infra_runtime::Handle<infra_runtime::aws::kms::Key> = scope.add(
        "OtherKey",
        infra_runtime::aws::kms::key::Key {
            enable_key_rotation: Some(true.into()),
            key_policy: Some(serde_json::json!({ "Version": "2012-10-17", "Statement": [] }).into()),
            ..Default::default()
        },
    );
    let spec = infra_runtime::construct::LogGroupSpec { retention_days: 365, key: Some(&key), ..Default::default() };
    infra_runtime::construct::log_group(&mut scope, "OtherLogs", spec);
    let error = stack.synth().expect_err("refused").to_string();
    assert!(
        error.contains("`OtherLogs`") && error.contains("is encrypted with key `OtherKey`, whose policy does not let CloudWatch Logs use it"),
        "{error}"
    );
}
