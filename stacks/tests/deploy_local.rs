//! The loan stack against a real local CloudFormation endpoint (LocalStack on 127.0.0.1,
//! installed by the command itself), end to end through the `stacks` binary: create,
//! read back through the EC2 API, no-op, a changed setting, a failing change with its
//! report, destroy.
//!
//! The endpoint runs on a free port of its own and is stopped when the test ends. The
//! emulator's gaps (no Elastic IPs, so no NAT gateway; no Lambda, so the default security
//! group stays open; ELBv2, ECS and RDS accepted but not created) are handled here, never
//! in what is synthesized.

mod common;

use common::{Endpoint, json, text};
use infra_runtime::aws::ec2::vpc;
use serde_json::Value;

const BOTO: &str = "import boto3, json, os\nec2 = boto3.client('ec2', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n";

#[test]
fn the_loan_stack_deploys_changes_fails_cleanly_and_is_destroyed_locally() {
    let local = Endpoint::new();
    let outputs_file = std::env::temp_dir().join(format!("loan-outputs-{}.json", local.port));

    // Create: the command installs and starts the endpoint, deploys, prints the outputs.
    let created = local.stacks(&[
        "deploy",
        "--local",
        "--yes",
        "--output",
        "json",
        "--outputs-file",
        outputs_file.to_str().expect("path"),
    ]);
    let result = json(&created);
    assert_eq!(result["status"], "CREATE_COMPLETE", "{}", text(&created));
    assert_eq!(result["stack"], "TapStacke2e");
    let vpc_id = result["outputs"]["VpcId"]
        .as_str()
        .expect("VpcId output")
        .to_owned();
    assert!(vpc_id.starts_with("vpc-"), "{vpc_id}");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs_file).expect("outputs file"))
            .expect("JSON");
    assert_eq!(written["VpcId"], vpc_id.as_str());
    assert!(
        String::from_utf8_lossy(&created.stderr).contains("no NAT gateway"),
        "the local deploy says it leaves NAT out"
    );
    assert!(
        String::from_utf8_lossy(&created.stderr).contains("runs no Lambda functions"),
        "the local deploy says it leaves the default group open"
    );

    // Read back through the EC2 API: the VPC, its nine subnets, the three groups.
    let found = local.python(&format!(
        "{BOTO}vpc = ec2.describe_vpcs(VpcIds=['{vpc_id}'])['Vpcs'][0]\n\
         subnets = ec2.describe_subnets(Filters=[{{'Name': 'vpc-id', 'Values': ['{vpc_id}']}}])['Subnets']\n\
         groups = ec2.describe_security_groups(Filters=[{{'Name': 'vpc-id', 'Values': ['{vpc_id}']}}])['SecurityGroups']\n\
         print(json.dumps({{'cidr': vpc['CidrBlock'], 'subnets': sorted(s['CidrBlock'] for s in subnets), 'groups': sorted(g['GroupName'] for g in groups)}}))"
    ));
    let found: Value = serde_json::from_str(found.trim()).expect("JSON from boto3");
    assert_eq!(found["cidr"], "10.0.0.0/16");
    let mut expected: Vec<String> = [1, 2, 3, 11, 12, 13, 21, 22, 23]
        .iter()
        .map(|n| format!("10.0.{n}.0/24"))
        .collect();
    expected.sort();
    assert_eq!(found["subnets"], serde_json::json!(expected));
    let groups: Vec<&str> = found["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(Value::as_str)
        .filter(|g| *g != "default")
        .collect();
    assert_eq!(
        groups.len(),
        3,
        "the ALB, service and database groups: {groups:?}"
    );

    // Outputs, read again.
    let outputs = json(&local.stacks(&["outputs", "--local", "--output", "json"]));
    assert_eq!(outputs["VpcId"], vpc_id.as_str());

    // The same code again: no changes, exit 0.
    let again = local.stacks(&["deploy", "--local", "--yes", "--output", "json"]);
    assert_eq!(json(&again)["status"], "NO_CHANGES", "{}", text(&again));
    assert!(text(&again).contains("no changes"));

    // A changed setting: the change set names exactly the listener that changes.
    let plain = local.stacks(&[
        "deploy",
        "--local",
        "--yes",
        "--allow-plain-http",
        "--output",
        "json",
    ]);
    let plain = json(&plain);
    assert_eq!(plain["status"], "UPDATE_COMPLETE");
    let changed: Vec<&str> = plain["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["resource"].as_str())
        .collect();
    assert_eq!(changed, ["WebHttpListener"]);

    // Destroy: says what stays behind, deletes, and the stack is gone.
    let destroyed = local.stacks(&["destroy", "--local", "--yes", "--output", "json"]);
    assert!(destroyed.status.success(), "{}", text(&destroyed));
    // What goes and what stays is read from the live stack, physical ids included.
    assert!(
        text(&destroyed).contains("DataKey (AWS::KMS::Key, ")
            && text(&destroyed).contains("stays behind: it is retained (DeletionPolicy Retain)"),
        "{}",
        text(&destroyed)
    );
    assert!(
        text(&destroyed).contains("NetworkVpc (AWS::EC2::VPC, vpc-"),
        "{}",
        text(&destroyed)
    );
    let report = json(&destroyed);
    assert_eq!(report["deleted"], true, "{report}");
    assert!(
        report["kept"]
            .as_array()
            .is_some_and(|k| k.iter().any(|id| id == "DataKey")),
        "{report}"
    );
    let gone = local.stacks(&["outputs", "--local"]);
    assert_eq!(gone.status.code(), Some(1));
    assert!(text(&gone).contains("does not exist"), "{}", text(&gone));
    let _ = std::fs::remove_file(outputs_file);
}

#[test]
fn a_failing_deploy_is_reported_with_its_line_and_the_failed_stack_is_recreated() {
    let local = Endpoint::new();
    local
        .endpoint
        .ensure_running(&mut |_| {})
        .expect("the local endpoint starts");
    // A NAT gateway needs an Elastic IP, which the emulator cannot give: the creation fails,
    // is reported with the resource, the reason and its line in the loan stack's network
    // component, and rolls back.
    // (`--local` would leave the NAT gateway out; the endpoint's URL as any endpoint keeps it.)
    let url = local.endpoint.url();
    let failing = local
        .command("e2efail")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .args([
            "deploy",
            "--yes",
            "--endpoint-url",
            &url,
            "--nat-gateways",
            "1",
        ])
        .args(["--restrict-default-group=false"])
        .args([
            "--parameter",
            "CertificateArn=arn:aws:acm:eu-west-2:000000000000:certificate/test",
        ])
        .output()
        .expect("stacks runs");
    assert_eq!(failing.status.code(), Some(1), "{}", text(&failing));
    let stderr = String::from_utf8_lossy(&failing.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("ended in ROLLBACK_COMPLETE"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains(
            "NetworkNatGateway1 (AWS::EC2::NatGateway, declared at stacks/src/loan/network.rs:"
        ),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("InvalidAllocationID.NotFound"),
        "{}",
        errors[0]
    );

    // ROLLBACK_COMPLETE can only be deleted: without a terminal to ask on and without
    // --yes, the deploy refuses and says what to do.
    let refused = local.stacks_for("e2efail", &["deploy", "--local"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let refusal = String::from_utf8_lossy(&refused.stderr);
    assert!(
        refusal
            .contains("error: stack TapStacke2efail is ROLLBACK_COMPLETE; it can only be deleted"),
        "{refusal}"
    );

    // With --yes it is deleted and created again, this time without the NAT gateway. The
    // emulator sometimes fails to delete what its own rollback left behind; then the
    // deploy must say so in one line instead of creating anything.
    let before = stacks_named(&local, "TapStacke2efail");
    assert_eq!(before.len(), 1, "{before:?}");
    let (failed_id, failed_status) = before[0].clone();
    assert_eq!(failed_status, "ROLLBACK_COMPLETE");
    let recreated = local.stacks_for(
        "e2efail",
        &["deploy", "--local", "--yes", "--output", "json"],
    );
    let after = stacks_named(&local, "TapStacke2efail");
    let old: Vec<&(String, String)> = after.iter().filter(|(id, _)| *id == failed_id).collect();
    let new: Vec<&(String, String)> = after.iter().filter(|(id, _)| *id != failed_id).collect();
    if recreated.status.success() {
        assert_eq!(json(&recreated)["status"], "CREATE_COMPLETE");
        // Recreated, not left: the failed stack deleted, a new one (a new id) complete.
        assert_eq!(old.len(), 1, "{after:?}");
        assert_eq!(old[0].1, "DELETE_COMPLETE", "{after:?}");
        assert_eq!(new.len(), 1, "{after:?}");
        assert_eq!(new[0].1, "CREATE_COMPLETE", "{after:?}");
        let destroyed = local.stacks_for("e2efail", &["destroy", "--local", "--yes"]);
        assert!(destroyed.status.success(), "{}", text(&destroyed));
    } else {
        let stderr = String::from_utf8_lossy(&recreated.stderr);
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(errors.len(), 1, "{stderr}");
        assert!(errors[0].contains("DELETE_FAILED"), "{}", errors[0]);
        // Nothing was created instead: only the failed stack, in its deletion.
        assert!(new.is_empty(), "no new stack: {after:?}");
        assert_eq!(old.len(), 1, "{after:?}");
        assert!(old[0].1.starts_with("DELETE_"), "{after:?}");
    }
}

/// Every stack with this name the endpoint knows, deleted ones included: (id, status).
fn stacks_named(local: &Endpoint, name: &str) -> Vec<(String, String)> {
    let out = local.python(&format!(
        "import boto3, os\n\
         cfn = boto3.client('cloudformation', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         print('\\n'.join(s['StackId'] + ' ' + s['StackStatus'] for s in cfn.list_stacks()['StackSummaries'] if s['StackName'] == '{name}'))"
    ));
    out.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(id, status)| (id.to_owned(), status.to_owned()))
        .collect()
}

#[test]
fn commands_on_a_stopped_local_endpoint_say_how_to_start_it() {
    let local = Endpoint::new();
    let out = local.stacks(&["outputs", "--local"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("`stacks deploy --local` starts it"),
        "{stderr}"
    );
}

/// Answers yes and prints nothing.
struct Quiet;

impl infra_runtime::deploy::Ui for Quiet {
    fn status(&mut self, _: &str) {}
    fn resource_event(&mut self, _: &infra_runtime::deploy::ResourceEvent) {}
    fn plan(&mut self, _: &infra_runtime::deploy::Plan) {}
    fn confirm(&mut self, _: &str) -> bool {
        true
    }
}

#[test]
fn a_template_over_the_inline_limit_is_deployed_through_s3() {
    use infra_runtime::deploy::{
        ApiCallCounter, DeployOptions, DeployOutcome, Deployable, Engine, Target, connect,
    };

    let local = Endpoint::new();
    local
        .endpoint
        .ensure_running(&mut |_| {})
        .expect("the local endpoint starts");
    let mut stack = infra_runtime::Stack::new();
    stack.add_with(
        "Vpc",
        vpc::Vpc {
            cidr_block: Some("10.0.0.0/16".into()),
            ..Default::default()
        },
        infra_runtime::ResourceOptions::new()
            .metadata("Notes", serde_json::json!("n".repeat(60_000))),
    );
    let deployable = Deployable::new(&stack).expect("synthesizes");
    assert!(deployable.template.size() > 51_200);

    let mut target = Target::new("BigStack");
    target.region = Some("eu-west-2".to_owned());
    target.endpoint_url = Some(local.endpoint.url());
    target.dummy_credentials = true;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (cfn, s3) = connect(&target, &ApiCallCounter::default()).await.expect("clients");
        let engine = Engine::new(cfn, s3, target.clone());
        let options = DeployOptions { yes: true, ..DeployOptions::default() };
        let error = engine.deploy(&deployable, &options, &mut Quiet, std::future::pending()).await.expect_err("too large inline");
        assert!(error.to_string().contains("pass --template-bucket <bucket>"), "{error}");

        local.python(&format!(
            "import boto3, os\nboto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test').create_bucket(Bucket='templates-{}', CreateBucketConfiguration={{'LocationConstraint': 'eu-west-2'}})",
            local.port
        ));
        let options = DeployOptions { template_bucket: Some(format!("templates-{}", local.port)), ..options };
        let outcome = engine.deploy(&deployable, &options, &mut Quiet, std::future::pending()).await.expect("deploys by URL");
        assert!(matches!(outcome, DeployOutcome::Completed { status: infra_runtime::deploy::StackStatus::CreateComplete, .. }), "{outcome:?}");
    });
    // The template went through the bucket: the one object there is the template.
    let uploaded = local.python(&format!(
        "import boto3, os\n\
         s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         keys = [o['Key'] for o in s3.list_objects_v2(Bucket='templates-{port}').get('Contents', [])]\n\
         assert len(keys) == 1 and keys[0].startswith('stacks/BigStack/'), keys\n\
         print(len(s3.get_object(Bucket='templates-{port}', Key=keys[0])['Body'].read()))",
        port = local.port
    ));
    assert_eq!(uploaded.trim(), deployable.template.size().to_string());
}

#[test]
fn code_is_uploaded_once_to_the_bucket_bootstrap_made_and_nothing_without_one() {
    let local = Endpoint::new();
    let refused = local.serverless_for("code", &["deploy", "--local", "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains(
            "stack Hellocode ships 1 code asset(s), and eu-west-2 has no asset bucket yet: run `serverless bootstrap --local`"
        ),
        "{}",
        text(&refused)
    );
    let outputs = local.serverless_for("code", &["outputs", "--local"]);
    assert!(
        text(&outputs).contains("does not exist"),
        "nothing was created: {}",
        text(&outputs)
    );

    let bootstrapped = local.serverless_for("code", &["bootstrap", "--local", "--yes"]);
    assert!(bootstrapped.status.success(), "{}", text(&bootstrapped));
    let bucket = text(&bootstrapped)
        .lines()
        .find_map(|l| l.strip_prefix("AssetBucket = ").map(str::to_owned))
        .unwrap_or_else(|| panic!("the bucket: {}", text(&bootstrapped)));

    // The emulator cannot create the function: the code is uploaded all the same, and
    // the next deploy finds it there.
    let first = local.serverless_for("code", &["deploy", "--local", "--yes"]);
    assert!(
        text(&first).contains("the local endpoint cannot create Lambda functions (its runtime download fails): Hello will fail there")
            && text(&first).contains("Assets 1 uploaded"),
        "{}",
        text(&first)
    );
    let second = local.serverless_for("code", &["deploy", "--local", "--yes"]);
    assert!(
        text(&second).contains(&format!(
            "0 uploaded (0 bytes), 1 already in bucket {bucket}"
        )),
        "{}",
        text(&second)
    );
    let listed = local.python(&format!(
        "import boto3, os\n\
         s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         print([o['Key'] for o in s3.list_objects_v2(Bucket='{bucket}').get('Contents', [])])"
    ));
    let asset = infra_runtime::asset::Asset::from_directory(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("functions/hello"),
    )
    .expect("packs");
    assert_eq!(listed.trim(), format!("['{}']", asset.key()));
}

#[test]
fn the_reference_stacks_deploy_locally_as_far_as_the_emulator_goes_and_say_so_first() {
    let local = Endpoint::new();
    let deployed = local.reference_for("ref", &["deploy", "--all", "--local", "--yes"]);
    let printed = text(&deployed);
    assert!(deployed.status.success(), "{printed}");
    for stack in ["LogArchiveref", "ArchiveReadersref", "Kubernetesref"] {
        assert!(
            printed.contains(&format!("Finished stack {stack} is CREATE_COMPLETE")),
            "{stack}: {printed}"
        );
    }
    let note = printed
        .find("the local endpoint records RecordingActivity")
        .unwrap_or_else(|| panic!("the archive's note: {printed}"));
    let executed = printed
        .find("executing change set on stack LogArchiveref")
        .unwrap_or_else(|| panic!("the archive's deploy: {printed}"));
    assert!(note < executed, "said before the deploy: {printed}");
    assert!(
        printed.contains(
            "the local endpoint records NetNetworkFlowLog, PlatformCluster, PlatformClusterNodes"
        ),
        "{printed}"
    );
    // The readers' grants reach the archive's bucket by its export, resolved.
    let document = local.python(
        "import boto3, json, os\n\
         kw = dict(endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         cfn = boto3.client('cloudformation', **kw)\n\
         iam = boto3.client('iam', **kw)\n\
         arn = [r['PhysicalResourceId'] for r in cfn.describe_stack_resources(StackName='ArchiveReadersref')['StackResources'] if r['LogicalResourceId'] == 'AuditorPolicy'][0]\n\
         version = iam.get_policy(PolicyArn=arn)['Policy']['DefaultVersionId']\n\
         print(json.dumps(iam.get_policy_version(PolicyArn=arn, VersionId=version)['PolicyVersion']['Document']))",
    );
    let bucket = printed
        .lines()
        .find_map(|l| l.strip_prefix("ArchiveArn = "))
        .unwrap_or_else(|| panic!("the archive's output: {printed}"));
    assert!(document.contains(bucket), "{bucket} in {document}");
}
