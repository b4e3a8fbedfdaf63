//! The repository's app end to end against a local endpoint of the test's own: every
//! stack deployed in dependency order (the loan platform before the audit trail that
//! imports its VPC), the import resolved to the platform's real VPC, destroying the
//! platform alone refused while the audit trail imports it, and every stack destroyed in
//! reverse order.

mod common;

use common::{Endpoint, json, text};
use serde_json::Value;

#[test]
fn the_app_deploys_and_destroys_every_stack_in_dependency_order() {
    let local = Endpoint::new();
    let deployed = local.stacks_for(
        "apps",
        &["deploy", "--all", "--local", "--yes", "--output", "json"],
    );
    let results = json(&deployed);
    let stacks: Vec<&str> = results
        .as_array()
        .unwrap_or_else(|| panic!("one array: {}", text(&deployed)))
        .iter()
        .filter_map(|r| r["stack"].as_str())
        .collect();
    assert_eq!(
        stacks,
        ["TapStackapps", "TapAuditapps", "Sampleapps"],
        "{}",
        text(&deployed)
    );
    for result in results.as_array().into_iter().flatten() {
        assert_eq!(result["status"], "CREATE_COMPLETE", "{}", text(&deployed));
    }
    let vpc_id = results[0]["outputs"]["VpcId"]
        .as_str()
        .expect("the loan's VpcId");
    let group = results[1]["outputs"]["AuditWorkersGroup"]
        .as_str()
        .expect("the audit workers' group");

    // The import reached the platform's VPC: the audit workers' group lives in it.
    let found = local.python(&format!(
        "import boto3, os\n\
         ec2 = boto3.client('ec2', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         print(ec2.describe_security_groups(GroupIds=['{group}'])['SecurityGroups'][0]['VpcId'])"
    ));
    assert_eq!(found.trim(), vpc_id);

    // The platform alone cannot go while the audit trail imports its VPC.
    let refused = local.stacks_for("apps", &["destroy", "--stack", "loan", "--local", "--yes"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        stderr.contains("stack TapStackapps is imported by stack TapAuditapps"),
        "{stderr}"
    );
    let outputs = local.stacks_for(
        "apps",
        &["outputs", "--stack", "loan", "--local", "--output", "json"],
    );
    assert_eq!(
        json(&outputs)["VpcId"],
        vpc_id,
        "the platform is still there"
    );

    // Everything goes, importers first.
    let destroyed = local.stacks_for(
        "apps",
        &["destroy", "--all", "--local", "--yes", "--output", "json"],
    );
    let order: Vec<Value> = json(&destroyed)
        .as_array()
        .unwrap_or_else(|| panic!("one array: {}", text(&destroyed)))
        .iter()
        .map(|r| r["stack"].clone())
        .collect();
    assert_eq!(
        order,
        ["Sampleapps", "TapAuditapps", "TapStackapps"],
        "{}",
        text(&destroyed)
    );
    let gone = local.stacks_for("apps", &["outputs", "--all", "--local"]);
    assert_eq!(gone.status.code(), Some(1), "{}", text(&gone));
    assert!(text(&gone).contains("does not exist"), "{}", text(&gone));
}
