//! The app's Kubernetes cluster (EKS and a managed node group in a DSL `vpc`, in two
//! components): its reviewed snapshot, the roles' AWS managed policies by checked name,
//! and the outside judges: cfn-lint finds nothing and checkov fails no check.

use infra_runtime::StackConfig;
use stacks::kubernetes::KubernetesStack;
use tests::{checkov_template, lint_template, workspace_root};

fn template() -> infra_runtime::Template {
    let config =
        StackConfig::from_lookup("eu-west-2", |_| None).expect("the default configuration");
    KubernetesStack::new(&config)
        .stack
        .synth()
        .expect("the cluster synthesizes")
}

#[test]
fn the_kubernetes_stack_matches_the_reviewed_snapshot() {
    let actual = template().pretty();
    let path = workspace_root().join("tests/snapshots/kubernetes.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write the snapshot");
    }
    let expected = std::fs::read_to_string(&path).expect("tests/snapshots/kubernetes.json exists");
    assert!(
        actual == expected,
        "the Kubernetes template changed; review it with `UPDATE_SNAPSHOTS=1 cargo test -p tests --test kubernetes_stack` and `git diff tests/snapshots`"
    );
}

#[test]
fn roles_attach_aws_managed_policies_and_the_nodes_follow_the_cluster() {
    let template = template();
    let resources = &template.document()["Resources"];
    let attached = |role: &str| -> Vec<String> {
        resources[role]["Properties"]["ManagedPolicyArns"]
            .as_array()
            .expect("managed policies")
            .iter()
            .filter_map(|arn| arn["Fn::Sub"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        attached("PlatformClusterRole"),
        ["arn:${AWS::Partition}:iam::aws:policy/AmazonEKSClusterPolicy"]
    );
    assert_eq!(attached("PlatformClusterNodeRole").len(), 3);
    let trust = &resources["PlatformClusterRole"]["Properties"]["AssumeRolePolicyDocument"];
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "eks.amazonaws.com"
    );
    let nodes = &resources["PlatformClusterNodes"]["Properties"];
    assert_eq!(nodes["ClusterName"]["Ref"], "PlatformCluster");
    assert_eq!(
        nodes["AmiType"], "AL2023_ARM_64_STANDARD",
        "m7g is Graviton"
    );
    let cluster = &resources["PlatformCluster"];
    assert_eq!(cluster["DependsOn"][0], "PlatformClusterLogs");
    let logs = &resources["PlatformClusterLogs"]["Properties"];
    assert_eq!(
        logs["LogGroupName"],
        format!(
            "/aws/eks/{}/cluster",
            cluster["Properties"]["Name"].as_str().unwrap_or("?")
        )
    );
}

#[test]
fn what_eks_refuses_is_reported_with_the_clusters_line() {
    use infra_runtime::construct::{EksClusterSpec, Scope, eks_cluster};
    let config = StackConfig::new("dev", "eu-west-2");
    let mut stack = infra_runtime::Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Plain");
    let line = line!() + 1;
    eks_cluster(
        &mut scope,
        "Platform",
        EksClusterSpec {
            version: "v1.33",
            instance_types: &["m7g.large", "m7i.large", "large"],
            min: 3,
            max: 2,
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the cluster"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    for expected in [
        "version `v1.33` is not a Kubernetes version",
        "instance type `large` is not an instance type",
        "mixes arm64 (Graviton) and x86_64 instance types",
        "min is 3 and max 2",
        "needs its private subnets and its key",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(expected)
                && m.contains(&format!("kubernetes_stack.rs:{line}"))),
            "{expected}: {messages:#?}"
        );
    }
}

#[test]
fn the_kubernetes_stack_passes_cfn_lint_and_every_checkov_check() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("kubernetes.json");
    std::fs::write(&path, template().pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    assert!(report.failed.is_empty(), "checkov: {:?}", report.failed);
}

#[test]
fn a_managed_policy_aws_has_not_is_refused_at_synthesis_with_the_nearest() {
    use infra_runtime::construct::{Principal, RoleSpec, Scope, role};
    let config = StackConfig::new("dev", "eu-west-2");
    let mut stack = infra_runtime::Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Plain");
    let names = ["AmazonEKS_CNI_Policy", "AmazonEKSWorkerNodePolicyy"];
    role(
        &mut scope,
        "Nodes",
        RoleSpec {
            assumed_by: Principal::Ec2,
            managed_policies: &names,
            ..Default::default()
        },
    );
    let said = stack.synth().expect_err("refused").to_string();
    assert!(
        said.contains("`Nodes` attaches `AmazonEKSWorkerNodePolicyy`, which is not an AWS managed policy it knows; did you mean `AmazonEKSWorkerNodePolicy`?")
            && said.contains("kubernetes_stack.rs:"),
        "{said}"
    );
}

#[test]
fn nodes_in_private_subnets_without_nat_are_a_note_of_what_aws_would_do() {
    use infra_runtime::construct::{
        EksClusterSpec, KeySpec, Scope, VpcSpec, eks_cluster, key, vpc,
    };
    let notes = |nat_gateways: u8, local: bool| {
        let mut config = StackConfig::new("dev", "eu-west-2");
        config.local = local;
        let mut stack = infra_runtime::Stack::new();
        let mut scope = Scope::new(&mut stack, &config, "Plain");
        let network = vpc(
            &mut scope,
            "Network",
            VpcSpec {
                cidr: "10.20.0.0/16",
                public: &["10.20.1.0/24", "10.20.2.0/24"],
                private: &["10.20.11.0/24", "10.20.12.0/24"],
                nat_gateways,
                restrict_default_group: false,
                ..Default::default()
            },
        );
        let cluster_key = key(&mut scope, "ClusterKey", KeySpec::default());
        // The tier as a value, as another file's component hands it over.
        let private = network.private.tier().clone();
        eks_cluster(
            &mut scope,
            "Platform",
            EksClusterSpec {
                subnets: Some(&private),
                key: Some(&cluster_key),
                version: "1.33",
                instance_types: &["m7g.large"],
                ..Default::default()
            },
        );
        stack.notes().to_vec()
    };
    let closed = notes(0, false);
    assert!(
        closed.iter().any(|n| n.starts_with(
            "Platform runs its nodes in private subnets, but its VPC has no NAT gateway"
        )),
        "{closed:#?}"
    );
    assert!(
        notes(1, false)
            .iter()
            .all(|n| !n.contains("runs its nodes"))
    );
    // A local deploy leaves the NAT gateway out for the emulator; AWS gets it, so no note.
    assert!(notes(1, true).iter().all(|n| !n.contains("runs its nodes")));
}
