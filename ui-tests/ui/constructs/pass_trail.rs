//! A built-in `trail`: into a bucket and with a key of the stack, whose policies gain
//! CloudTrail's statements; the trail waits for the bucket policy. A `recorder` delivers
//! to the same bucket.

use infra_macros::stack;

stack! {
    pub stack Archive { region: "eu-west-2" }

    key archive_key { description: "Archive" }
    bucket archive { encryption: kms(archive_key), versioning: true }
    trail activity { bucket: archive, key: archive_key, multi_region: false }
    recorder configuration { bucket: archive, key: archive_key }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Archive::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    assert_eq!(resources["Activity"]["DependsOn"][0], "ArchivePolicy");
    assert_eq!(resources["Activity"]["Properties"]["IsMultiRegionTrail"], false);
    let statements = resources["ArchivePolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements");
    assert!(statements.iter().any(|s| s["Sid"] == "CloudTrailWritesLogFiles"));
    let channel = &resources["ConfigurationChannel"]["Properties"];
    assert_eq!(channel["S3BucketName"]["Ref"], "Archive");
}
