//! A raw key's policy is held to the reference: an action AWS does not define and a
//! pattern that matches none are errors at their literals (its `kms:*` for the account
//! and its `*` resource are how key policies are written).

use infra_macros::stack;

stack! {
    pub stack Keys { region: "eu-west-2" }
    #[deletion_policy(Retain)]
    resource data_key: kms::Key {
        enable_key_rotation: Some(true.into()),
        key_policy: Some(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "AWS": "arn:aws:iam::123456789012:root" },
                "Action": "kms:*",
                "Resource": "*"
            }, {
                "Effect": "Allow",
                "Principal": { "Service": "logs.eu-west-2.amazonaws.com" },
                "Action": ["kms:Decrpyt", "kms:GenerateDataKee*"],
                "Resource": "*"
            }]
        }).into()),
    }
}

fn main() {}
