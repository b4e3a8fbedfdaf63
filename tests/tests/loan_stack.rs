//! The loan platform (`stacks/src/loan.rs`): its reviewed snapshot, the seed's numbers
//! read back out of the template, and the verdicts of cfn-lint and checkov.

use std::path::PathBuf;

use infra_runtime::{StackConfig, Template};
use serde_json::{Value, json};
use stacks::loan::{LoanSettings, LoanStack};
use tests::{checkov_template, lint_template, workspace_root};

/// The configuration CI gets with none of the variables set.
fn default_config() -> StackConfig {
    StackConfig::from_lookup(LoanStack::REGION, |_| None).expect("the default configuration")
}

fn template_for(config: &StackConfig, settings: &LoanSettings) -> Template {
    LoanStack::new(config, settings)
        .stack
        .synth()
        .expect("the loan stack synthesizes")
}

fn template() -> Template {
    template_for(&default_config(), &LoanSettings::default())
}

/// `text` in a file `name` of a new temporary directory, which lasts as long as the
/// returned guard.
fn write_temp(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join(name);
    std::fs::write(&path, text).expect("write template");
    (temp, path)
}

fn resources_of_type<'a>(doc: &'a Value, type_name: &str) -> Vec<(&'a String, &'a Value)> {
    doc["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == type_name)
        .collect()
}

#[test]
fn loan_template_matches_the_reviewed_snapshot() {
    let path = workspace_root().join("tests/snapshots/loan.json");
    let actual = template().pretty() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write the snapshot");
    }
    let expected = std::fs::read_to_string(&path).expect("tests/snapshots/loan.json exists");
    assert!(
        actual == expected,
        "the loan template changed; review it with `UPDATE_SNAPSHOTS=1 cargo test -p tests --test loan_stack` and `git diff tests/snapshots`"
    );
}

#[test]
fn loan_template_is_deterministic_and_fits_inline() {
    let first = template();
    assert_eq!(first.body(), template().body());
    assert!(first.check_inline_body().is_ok(), "{} bytes", first.size());
}

#[test]
fn network_has_the_seeds_blocks_in_three_zones() {
    let t = template();
    let doc = t.document();
    let vpcs = resources_of_type(doc, "AWS::EC2::VPC");
    assert_eq!(vpcs.len(), 1);
    assert_eq!(vpcs[0].1["Properties"]["CidrBlock"], "10.0.0.0/16");
    for (tier, blocks) in [
        ("Public", ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]),
        ("Private", ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"]),
        ("Database", ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"]),
    ] {
        for (zone, block) in blocks.iter().enumerate() {
            let subnet =
                &doc["Resources"][format!("Network{tier}Subnet{}", zone + 1)]["Properties"];
            assert_eq!(subnet["CidrBlock"], *block, "{tier} zone {zone}");
            assert_eq!(subnet["AvailabilityZone"]["Fn::Select"][0], zone as u64);
            assert_eq!(subnet["MapPublicIpOnLaunch"], false);
        }
    }
    assert_eq!(resources_of_type(doc, "AWS::EC2::Subnet").len(), 9);
    assert_eq!(resources_of_type(doc, "AWS::EC2::NatGateway").len(), 1);
    assert_eq!(resources_of_type(doc, "AWS::EC2::InternetGateway").len(), 1);
    assert_eq!(
        resources_of_type(doc, "AWS::EC2::RouteTable").len(),
        3,
        "a route table per tier"
    );
    let routes = resources_of_type(doc, "AWS::EC2::Route");
    assert_eq!(
        routes.len(),
        2,
        "public to the internet gateway, private to NAT; database none"
    );
    assert_eq!(resources_of_type(doc, "AWS::EC2::FlowLog").len(), 1);
}

#[test]
fn security_groups_chain_alb_to_service_to_database() {
    let t = template();
    let r = &t.document()["Resources"];
    let internet: Vec<(u64, &str)> = r["AlbSg"]["Properties"]["SecurityGroupIngress"]
        .as_array()
        .expect("inline rules")
        .iter()
        .map(|rule| {
            (
                rule["FromPort"].as_u64().expect("port"),
                rule["CidrIp"].as_str().expect("cidr"),
            )
        })
        .collect();
    assert_eq!(internet, [(443, "0.0.0.0/0"), (80, "0.0.0.0/0")]);
    for (rule, target, source, port) in [
        ("AppSgFromAlbSg8080", "AppSg", "AlbSg", 8080),
        ("DbSgFromAppSg3306", "DbSg", "AppSg", 3306),
    ] {
        let p = &r[rule]["Properties"];
        assert_eq!(
            p["GroupId"],
            json!({ "Fn::GetAtt": [target, "GroupId"] }),
            "{rule}"
        );
        assert_eq!(
            p["SourceSecurityGroupId"],
            json!({ "Fn::GetAtt": [source, "GroupId"] }),
            "{rule}"
        );
        assert_eq!(
            (p["FromPort"].as_u64(), p["ToPort"].as_u64()),
            (Some(port), Some(port)),
            "{rule}"
        );
    }
    assert!(
        r["AppSg"]["Properties"]
            .get("SecurityGroupIngress")
            .is_none()
    );
    assert!(
        r["DbSg"]["Properties"]
            .get("SecurityGroupIngress")
            .is_none()
    );
}

#[test]
fn storage_keys_and_logs_follow_the_seed() {
    let t = template();
    let r = &t.document()["Resources"];
    assert_eq!(r["DataKey"]["Properties"]["EnableKeyRotation"], true);
    let bucket = &r["AlbLogs"]["Properties"];
    assert_eq!(bucket["VersioningConfiguration"]["Status"], "Enabled");
    for flag in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(
            bucket["PublicAccessBlockConfiguration"][flag], true,
            "{flag}"
        );
    }
    let rules = bucket["LifecycleConfiguration"]["Rules"]
        .as_array()
        .expect("rules");
    let glacier = rules
        .iter()
        .find(|rule| rule["Id"] == "ToGlacier")
        .expect("a Glacier rule");
    assert_eq!(
        glacier["Transitions"][0],
        json!({ "StorageClass": "GLACIER", "TransitionInDays": 90 })
    );
    assert_eq!(
        bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256",
        "load balancers write access logs only to SSE-S3 buckets"
    );
    let policy = r["AlbLogsPolicy"]["Properties"]["PolicyDocument"]["Statement"].to_string();
    assert!(
        policy.contains("aws:SecureTransport") && policy.contains("652711504416"),
        "{policy}"
    );
    let groups = resources_of_type(t.document(), "AWS::Logs::LogGroup");
    assert!(groups.len() >= 2);
    for (name, group) in groups {
        assert_eq!(group["Properties"]["RetentionInDays"], 365, "{name}");
        assert_eq!(
            group["Properties"]["KmsKeyId"],
            json!({ "Fn::GetAtt": ["DataKey", "Arn"] }),
            "{name}"
        );
    }
    let key_policy = r["DataKey"]["Properties"]["KeyPolicy"].to_string();
    assert!(
        key_policy.contains("logs.${AWS::Region}.amazonaws.com"),
        "{key_policy}"
    );
}

#[test]
fn roles_trust_ecs_tasks_with_least_privilege() {
    let t = template();
    let r = &t.document()["Resources"];
    for role in ["ExecutionRole", "TaskRole"] {
        assert_eq!(
            r[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
            "ecs-tasks.amazonaws.com",
            "{role}"
        );
    }
    // Every service role is assumed only on behalf of the stack's own account.
    for (id, resource) in resources_of_type(t.document(), "AWS::IAM::Role") {
        assert_eq!(
            resource["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
            json!({ "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } }),
            "{id}"
        );
    }
    assert_eq!(resources_of_type(t.document(), "AWS::IAM::Role").len(), 5);
    // No role carries an inline policy: each one's permissions are a customer-managed
    // policy of the stack, attached to it.
    for (id, resource) in resources_of_type(t.document(), "AWS::IAM::Role") {
        assert!(resource["Properties"].get("Policies").is_none(), "{id}");
    }
    let task = attached_statements(r, "TaskRole")[0].clone();
    assert_eq!(task["Action"], json!(["rds-db:connect"]));
    assert!(
        task["Resource"]
            .to_string()
            .contains("dbuser:${ResourceId}/loan_app")
    );
    let execution = attached_statements(r, "ExecutionRole")[0].clone();
    assert_eq!(
        execution["Action"],
        json!(["logs:CreateLogStream", "logs:PutLogEvents"])
    );
    let all_policies = t.body();
    assert!(
        !all_policies.contains(r#""Action":"*""#) && !all_policies.contains(r#""Action":["*"]"#)
    );
}

#[test]
fn security_groups_send_only_what_each_hop_needs() {
    let t = template();
    let doc = t.document();
    for (id, group) in resources_of_type(doc, "AWS::EC2::SecurityGroup") {
        let egress = group["Properties"]["SecurityGroupEgress"]
            .as_array()
            .unwrap_or_else(|| panic!("{id} keeps EC2's allow-all egress"));
        assert!(!egress.is_empty(), "{id}");
        for rule in egress {
            assert_ne!(rule["IpProtocol"], "-1", "{id}: {rule}");
        }
    }
    // Each group-to-group ingress rule has its egress twin on the source group.
    let egress: Vec<Value> = resources_of_type(doc, "AWS::EC2::SecurityGroupEgress")
        .into_iter()
        .map(|(_, e)| e["Properties"].clone())
        .collect();
    let ingress: Vec<Value> = resources_of_type(doc, "AWS::EC2::SecurityGroupIngress")
        .into_iter()
        .map(|(_, i)| i["Properties"].clone())
        .collect();
    assert_eq!(ingress.len(), 2);
    assert_eq!(egress.len(), ingress.len());
    for rule in &ingress {
        assert!(
            egress
                .iter()
                .any(|e| e["GroupId"] == rule["SourceSecurityGroupId"]
                    && e["DestinationSecurityGroupId"] == rule["GroupId"]
                    && e["FromPort"] == rule["FromPort"]
                    && e["ToPort"] == rule["ToPort"]
                    && e["IpProtocol"] == "tcp"),
            "no egress for {rule}"
        );
    }
    // The tasks reach the internet on 443 only; the database and the load balancer not at all.
    let out = |id: &str| doc["Resources"][id]["Properties"]["SecurityGroupEgress"].clone();
    assert_eq!(out("AppSg")[0]["CidrIp"], "0.0.0.0/0");
    assert_eq!(out("AppSg")[0]["FromPort"], 443);
    for id in ["DbSg", "AlbSg"] {
        assert_eq!(out(id)[0]["CidrIp"], "255.255.255.255/32", "{id}");
    }
}

#[test]
fn the_default_security_group_is_closed_by_a_handler_that_may_do_only_that() {
    let t = template();
    let r = &t.document()["Resources"];
    let closer = &r["NetworkRestrictDefaultGroup"];
    assert_eq!(closer["Type"], "Custom::VpcRestrictDefaultSG");
    assert_eq!(
        closer["Properties"]["DefaultSecurityGroupId"],
        json!({ "Fn::GetAtt": ["NetworkVpc", "DefaultSecurityGroup"] })
    );
    assert_eq!(
        closer["Properties"]["ServiceToken"],
        json!({ "Fn::GetAtt": ["NetworkRestrictDefaultGroupHandler", "Arn"] })
    );
    let handler = &r["NetworkRestrictDefaultGroupHandler"]["Properties"];
    assert_eq!(handler["Handler"], "index.handler");
    assert!(
        handler["Code"]["ZipFile"]
            .as_str()
            .is_some_and(|code| code.contains("revoke_security_group_egress"))
    );
    let statements = attached_statements(r, "NetworkRestrictDefaultGroupRole");
    assert_eq!(
        statements[0]["Action"],
        json!([
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress"
        ])
    );
    assert!(
        statements[0]["Resource"]
            .to_string()
            .contains("security-group/${GroupId}")
    );
    assert_eq!(
        statements[0]["Resource"]["Fn::Sub"][1]["GroupId"],
        json!({ "Fn::GetAtt": ["NetworkVpc", "DefaultSecurityGroup"] })
    );
}

#[test]
fn a_stack_may_leave_the_default_group_as_ec2_creates_it() {
    let settings = LoanSettings {
        restrict_default_group: false,
        ..LoanSettings::default()
    };
    let open = template_for(&default_config(), &settings);
    assert!(!open.body().contains("Custom::VpcRestrictDefaultSG"));
    assert!(!open.body().contains("AWS::Lambda::Function"));
}

/// The statements of the stack's own managed policies attached to `role`.
fn attached_statements(resources: &Value, role: &str) -> Vec<Value> {
    let arns = resources[role]["Properties"]["ManagedPolicyArns"]
        .as_array()
        .unwrap_or_else(|| panic!("{role} has no managed policies"));
    arns.iter()
        .filter_map(|arn| arn["Ref"].as_str())
        .flat_map(|policy| {
            assert_eq!(resources[policy]["Type"], "AWS::IAM::ManagedPolicy");
            resources[policy]["Properties"]["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn bucket_policy_denies_plain_transport_in_the_checkers_form() {
    // The form AWS Control Tower's CT.S3.PR.8 rule recognizes: the bucket's ARN as
    // `Fn::GetAtt` and its objects as `Fn::Join` of that and "/*", every principal and
    // action, and exactly the `aws:SecureTransport` condition.
    let t = template();
    let statement =
        &t.document()["Resources"]["AlbLogsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    let arn = json!({ "Fn::GetAtt": ["AlbLogs", "Arn"] });
    assert_eq!(statement["Effect"], "Deny");
    assert_eq!(statement["Principal"], "*");
    assert_eq!(statement["Action"], "s3:*");
    assert_eq!(
        statement["Resource"],
        json!([arn, { "Fn::Join": ["", [arn, "/*"]] }])
    );
    assert_eq!(
        statement["Condition"],
        json!({ "Bool": { "aws:SecureTransport": "false" } })
    );
}

#[test]
fn aurora_instances_suppress_cluster_level_findings_with_reasons() {
    let t = template();
    for (id, instance) in resources_of_type(t.document(), "AWS::RDS::DBInstance") {
        let rules = instance["Metadata"]["cfn_nag"]["rules_to_suppress"]
            .as_array()
            .unwrap_or_else(|| panic!("{id} suppresses nothing"));
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids, ["F80", "F27"], "{id}");
        for rule in rules {
            assert!(
                rule["reason"]
                    .as_str()
                    .is_some_and(|r| r.contains("cluster")),
                "{id}: {rule}"
            );
        }
    }
}

#[test]
fn aurora_is_serverless_v2_encrypted_with_iam_auth() {
    let t = template();
    let r = &t.document()["Resources"];
    let cluster = &r["DatabaseCluster"]["Properties"];
    assert_eq!(cluster["Engine"], "aurora-mysql");
    assert_eq!(
        cluster["ServerlessV2ScalingConfiguration"],
        json!({ "MinCapacity": 0.5, "MaxCapacity": 4.0 })
    );
    assert_eq!(cluster["StorageEncrypted"], true);
    assert_eq!(
        cluster["KmsKeyId"],
        json!({ "Fn::GetAtt": ["DataKey", "Arn"] })
    );
    assert_eq!(cluster["EnableIAMDatabaseAuthentication"], true);
    assert_eq!(cluster["BackupRetentionPeriod"], 7);
    assert_eq!(cluster["ManageMasterUserPassword"], true);
    assert!(
        cluster.get("MasterUserPassword").is_none(),
        "no password in the template"
    );
    assert_eq!(
        cluster["DBSubnetGroupName"],
        json!({ "Ref": "DatabaseSubnetGroup" })
    );
    let subnets = r["DatabaseSubnetGroup"]["Properties"]["SubnetIds"].to_string();
    assert!(
        subnets.contains("NetworkDatabaseSubnet1") && subnets.contains("NetworkDatabaseSubnet3")
    );
    assert_eq!(
        r["DatabaseInstance1"]["Properties"]["DBInstanceClass"],
        "db.serverless"
    );
    assert_eq!(
        r["DatabaseInstance1"]["Properties"]["PubliclyAccessible"],
        false
    );
}

#[test]
fn load_balancer_and_service_follow_the_seed() {
    let t = template();
    let r = &t.document()["Resources"];
    assert_eq!(r["Web"]["Properties"]["Scheme"], "internet-facing");
    let attributes = r["Web"]["Properties"]["LoadBalancerAttributes"].to_string();
    assert!(attributes.contains(r#"{"Key":"access_logs.s3.enabled","Value":"true"}"#));
    assert!(attributes.contains(r#""Value":{"Ref":"AlbLogs"}"#));
    let targets = &r["WebTargets"]["Properties"];
    assert_eq!(
        (
            targets["Port"].as_u64(),
            targets["HealthCheckPath"].as_str()
        ),
        (Some(8080), Some("/health"))
    );
    let https = &r["WebHttpsListener"]["Properties"];
    assert_eq!(
        (https["Port"].as_u64(), https["Protocol"].as_str()),
        (Some(443), Some("HTTPS"))
    );
    assert_eq!(
        https["Certificates"][0]["CertificateArn"],
        json!({ "Ref": "CertificateArn" })
    );
    assert_eq!(
        r["WebHttpListener"]["Properties"]["DefaultActions"][0]["Type"],
        "redirect"
    );

    assert_eq!(
        r["AppCluster"]["Properties"]["ClusterSettings"],
        json!([{ "Name": "containerInsights", "Value": "enabled" }])
    );
    let container = &r["AppTask"]["Properties"]["ContainerDefinitions"][0];
    assert_eq!(container["PortMappings"][0]["ContainerPort"], 8080);
    assert!(
        !container["Image"]
            .as_str()
            .expect("image")
            .ends_with(":latest")
    );
    assert_eq!(r["AppService"]["Properties"]["LaunchType"], "FARGATE");
    assert_eq!(r["AppService"]["Properties"]["DesiredCount"], 2);
    let scaling = &r["AppScalableTarget"]["Properties"];
    assert_eq!(
        (
            scaling["MinCapacity"].as_u64(),
            scaling["MaxCapacity"].as_u64()
        ),
        (Some(2), Some(10))
    );
    let target =
        |name: &str| r[name]["Properties"]["TargetTrackingScalingPolicyConfiguration"].clone();
    assert_eq!(target("AppCpuScaling")["TargetValue"], 70.0);
    assert_eq!(
        target("AppCpuScaling")["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageCPUUtilization"
    );
    assert_eq!(target("AppMemoryScaling")["TargetValue"], 80.0);
    assert_eq!(
        target("AppMemoryScaling")["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "ECSServiceAverageMemoryUtilization"
    );
}

#[test]
fn tags_outputs_name_and_region() {
    let t = template();
    let doc = t.document();
    let tags = doc["Resources"]["NetworkVpc"]["Properties"]["Tags"].to_string();
    for (key, value) in [
        ("Environment", "dev"),
        ("CostCenter", "fintech-infrastructure"),
        ("ComplianceLevel", "high"),
    ] {
        assert!(
            tags.contains(&format!(r#"{{"Key":"{key}","Value":"{value}"}}"#)),
            "{key}: {tags}"
        );
    }
    // Tags come only from variables that are set: none is valued `unknown`.
    for absent in [
        "CreatedAt",
        "Repository",
        "Author",
        "PRNumber",
        "Team",
        "unknown",
    ] {
        assert!(!tags.contains(absent), "{absent}: {tags}");
    }
    let outputs: Vec<&String> = doc["Outputs"]
        .as_object()
        .expect("outputs")
        .keys()
        .collect();
    assert_eq!(
        outputs,
        ["AlbDnsName", "ClusterArn", "DatabaseEndpoint", "VpcId"]
    );
    assert_eq!(
        LoanStack::OUTPUTS
            .iter()
            .map(|(field, _)| *field)
            .collect::<Vec<_>>(),
        ["vpc_id", "alb_dns_name", "cluster_arn", "database_endpoint"]
    );
    let config = StackConfig::from_lookup(LoanStack::REGION, |v| {
        (v == "ENVIRONMENT_SUFFIX").then(|| "dev553".to_owned())
    })
    .expect("a valid suffix");
    assert_eq!(LoanStack::stack_name(&config), "TapStackdev553");
    assert_eq!(config.region, "eu-west-2");
    let elsewhere = StackConfig::from_lookup(LoanStack::REGION, |v| {
        (v == "AWS_REGION").then(|| "eu-west-1".to_owned())
    })
    .expect("a valid configuration");
    assert_eq!(elsewhere.region, "eu-west-1");
}

#[test]
fn production_gets_deletion_protection_and_a_final_snapshot() {
    let dev = template();
    let prod = template_for(
        &StackConfig::new("prod", "eu-west-2"),
        &LoanSettings::default(),
    );
    let r = |t: &Template, name: &str| t.document()["Resources"][name].clone();
    assert_eq!(
        r(&dev, "DatabaseCluster")["Properties"]["DeletionProtection"],
        false
    );
    assert_eq!(r(&dev, "DatabaseCluster")["DeletionPolicy"], "Delete");
    assert_eq!(
        r(&prod, "DatabaseCluster")["Properties"]["DeletionProtection"],
        true
    );
    assert_eq!(r(&prod, "DatabaseCluster")["DeletionPolicy"], "Snapshot");
    assert!(
        r(&prod, "Web")["Properties"]["LoadBalancerAttributes"]
            .to_string()
            .contains(r#""deletion_protection.enabled","Value":"true""#)
    );
}

#[test]
fn settings_change_nat_gateways_and_plain_http() {
    let settings = LoanSettings {
        nat_gateways: 0,
        allow_plain_http: true,
        ..LoanSettings::default()
    };
    let t = template_for(&default_config(), &settings);
    let doc = t.document();
    // A setting may leave NAT out (for an emulator); the stack says what AWS would do.
    let built = LoanStack::new(&default_config(), &settings);
    assert!(
        built.stack.notes().iter().any(|n| n
            .starts_with("App runs its tasks in private subnets, but its VPC has no NAT gateway")
            && n.contains("on AWS it cannot start")),
        "{:#?}",
        built.stack.notes()
    );
    assert!(
        LoanStack::new(&default_config(), &LoanSettings::default())
            .stack
            .notes()
            .iter()
            .all(|n| !n.contains("NAT gateway")),
        "one NAT gateway is a way out"
    );
    assert!(resources_of_type(doc, "AWS::EC2::NatGateway").is_empty());
    assert!(resources_of_type(doc, "AWS::EC2::EIP").is_empty());
    assert_eq!(
        doc["Resources"]["WebHttpListener"]["Properties"]["DefaultActions"][0]["Type"],
        "forward"
    );
    let per_zone = template_for(
        &default_config(),
        &LoanSettings {
            nat_gateways: 3,
            ..LoanSettings::default()
        },
    );
    assert_eq!(
        resources_of_type(per_zone.document(), "AWS::EC2::NatGateway").len(),
        3
    );
    assert_eq!(
        resources_of_type(per_zone.document(), "AWS::EC2::RouteTable").len(),
        5
    );
}

#[test]
fn cfn_lint_reports_nothing_on_the_loan_template() {
    let (_dir, path) = write_temp("lint.json", &template().pretty());
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
}

#[test]
fn checkov_fails_nothing_and_every_skip_says_why() {
    let (_dir, path) = write_temp("checkov.json", &template().pretty());
    let report = checkov_template(&path).expect("checkov runs");
    assert!(
        report.failed.is_empty(),
        "checkov failed checks: {:?}",
        report.failed
    );
    assert!(report.passed > 50, "checkov ran its checks: {report:?}");
    for (check, resource, reason) in &report.skipped {
        assert!(
            reason.len() > 20,
            "{check} on {resource} is skipped without a reason"
        );
    }
}

#[test]
fn checkov_control_a_weakened_template_fails() {
    // Remove what the constructs add for the reviewer; checkov must notice, so that the
    // clean verdict above means something.
    let mut doc = template().document().clone();
    let bucket = &mut doc["Resources"]["AlbLogs"]["Properties"];
    bucket
        .as_object_mut()
        .expect("properties")
        .remove("VersioningConfiguration");
    bucket
        .as_object_mut()
        .expect("properties")
        .remove("PublicAccessBlockConfiguration");
    let (_dir, path) = write_temp(
        "weakened.json",
        &serde_json::to_string_pretty(&doc).expect("json"),
    );
    let report = checkov_template(&path).expect("checkov runs");
    let failed: Vec<&str> = report.failed.iter().map(|(id, _)| id.as_str()).collect();
    assert!(
        failed.contains(&"CKV_AWS_21"),
        "versioning check failed: {failed:?}"
    );
}

#[test]
fn deployed_outputs_read_into_typed_fields() {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in [
        ("VpcId", "vpc-1"),
        ("AlbDnsName", "web.example"),
        ("ClusterArn", "arn:cluster"),
        ("DatabaseEndpoint", "db.example"),
    ] {
        map.insert(key.to_owned(), value.to_owned());
    }
    let outputs = stacks::loan::LoanStackOutputs::from_map(&map).expect("all outputs present");
    assert_eq!(outputs.vpc_id, "vpc-1");
    assert_eq!(outputs.database_endpoint, "db.example");
    map.remove("ClusterArn");
    assert_eq!(
        stacks::loan::LoanStackOutputs::from_map(&map),
        Err("ClusterArn")
    );
}

#[test]
fn every_resource_points_back_at_its_declaration_in_the_loan_components() {
    // Regression: resources a construct added from inside a closure recorded the
    // construct's own file instead of the declaration. The stack is split into component
    // files, and each resource must name the line of its own declaration there (or of the
    // ingress rule it is): the line names a declaration whose logical id is in the resource's.
    let t = template();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (id, resource) in t.document()["Resources"].as_object().expect("resources") {
        let source = resource["Metadata"]["infra:source"]
            .as_str()
            .unwrap_or_default();
        let (file, line) = source.rsplit_once(':').expect("file:line");
        assert!(
            file.starts_with("stacks/src/loan/"),
            "{id} records {source:?}"
        );
        let text = std::fs::read_to_string(root.join(file)).expect("the recorded file");
        let line: usize = line.parse().expect("a line number");
        let declared = text.lines().nth(line - 1).expect("the recorded line");
        let names_it = declared
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|word| word.contains('_') || word.chars().all(|c| c.is_lowercase()))
            .any(|word| !word.is_empty() && id.contains(&pascal(word)));
        assert!(
            names_it,
            "{id} records {source:?}, which is `{}`",
            declared.trim()
        );
    }
}

fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
