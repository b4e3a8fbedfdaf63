//! `eks_cluster`: an EKS cluster whose API is reached only from inside its VPC, its
//! Kubernetes secrets encrypted and its control-plane logs (every type, kept 365 days)
//! encrypted with a key of the stack, and a managed node group in the same private
//! subnets, without SSH. Both roles are derived: the cluster's trusted by EKS with
//! `AmazonEKSClusterPolicy`, the nodes' trusted by EC2 with the worker, CNI and
//! registry-read policies. The nodes' image follows their instance types (Graviton types
//! run the arm64 Amazon Linux 2023 image).
//!
//! ```text
//! eks_cluster platform {
//!     subnets: network.private, key: cluster_key, version: "1.33",
//!     instance_types: ["m7g.large"], min: 2, max: 4,
//! }
//! ```

use super::{Scope, Tier, some};
use crate::aws::eks::{self, cluster as c, nodegroup as n};
use crate::aws::kms::Key;
use crate::aws::logs::LogGroup;
use crate::{Handle, ResourceOptions, Value};
use infra_facts::derived;
use infra_facts::limits::eks as limits;

/// What an `eks_cluster` declaration writes.
#[derive(Debug)]
pub struct EksClusterSpec<'a> {
    /// The private subnets the control plane's interfaces and the nodes are in.
    pub subnets: Option<&'a Tier>,
    /// The key of this stack that encrypts Kubernetes secrets and the control-plane logs
    /// (its policy must let CloudWatch Logs use it).
    pub key: Option<&'a Handle<Key>>,
    /// The Kubernetes version, `1.<minor>`.
    pub version: &'a str,
    /// The nodes' instance types, of one architecture.
    pub instance_types: &'a [&'a str],
    /// The fewest nodes, and how many the group starts with.
    pub min: u32,
    /// The most nodes.
    pub max: u32,
}

impl Default for EksClusterSpec<'_> {
    fn default() -> Self {
        Self {
            subnets: None,
            key: None,
            version: "",
            instance_types: &[],
            min: limits::NODES.default_u32(),
            max: limits::NODES.default_u32(),
        }
    }
}

/// An EKS cluster and its managed node group.
#[derive(Debug, Clone)]
pub struct EksCluster {
    /// The cluster.
    pub cluster: Handle<eks::Cluster>,
    /// Its managed node group.
    pub nodes: Handle<eks::Nodegroup>,
}

impl EksCluster {
    /// The cluster's name (what `aws eks update-kubeconfig --name` takes).
    pub fn name(&self) -> Value<crate::Name<eks::Cluster>> {
        self.cluster.reference()
    }

    /// The cluster's ARN.
    pub fn arn(&self) -> Value<crate::Arn<eks::Cluster>> {
        self.cluster.arn()
    }
}

/// Adds the roles, the control-plane log group, the cluster and its node group.
#[track_caller]
pub fn eks_cluster(scope: &mut Scope<'_>, id: &str, spec: EksClusterSpec<'_>) -> EksCluster {
    scope.enter();
    reject_invalid(scope, id, &spec);
    let name = scope.physical_name(&super::kebab(id));
    let logs = control_plane_logs(scope, id, &name, spec.key);
    let role = super::iam::managed_role(
        scope,
        &format!("{id}{}", derived::ROLE),
        "Runs the EKS control plane",
        "eks.amazonaws.com",
        &["AmazonEKSClusterPolicy"],
    );
    let cluster = scope.add_with(
        id,
        eks::cluster::Cluster {
            name: some(name),
            role_arn: role.arn(),
            version: some(spec.version),
            resources_vpc_config: c::ResourcesVpcConfig {
                subnet_ids: spec.subnets.map(Tier::id_list).unwrap_or_default().into(),
                endpoint_private_access: some(true),
                endpoint_public_access: some(false),
                ..Default::default()
            },
            encryption_config: spec.key.map(|key| {
                vec![c::EncryptionConfig {
                    provider: Some(c::Provider {
                        key_arn: Some(key.arn()),
                    }),
                    resources: Some(vec!["secrets".to_owned()].into()),
                }]
            }),
            logging: Some(c::Logging {
                cluster_logging: Some(c::ClusterLogging {
                    enabled_types: Some(log_types()),
                }),
            }),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        ResourceOptions::new().depends_on(&logs),
    );
    let nodes = node_group(scope, id, &cluster, &spec);
    EksCluster { cluster, nodes }
}

/// The group EKS writes control-plane logs to, made first under the name EKS uses, so
/// that it is encrypted and kept 365 days rather than created by EKS without either.
#[track_caller]
fn control_plane_logs(
    scope: &mut Scope<'_>,
    id: &str,
    name: &str,
    key: Option<&Handle<Key>>,
) -> Handle<LogGroup> {
    super::log_group(
        scope,
        &format!("{id}{}", derived::LOGS),
        super::LogGroupSpec {
            name: Some(&format!("/aws/eks/{name}/cluster")),
            retention_days: infra_facts::limits::MIN_COMPLIANT_RETENTION_DAYS,
            key,
        },
    )
}

/// The managed node group, its role and the image its instance types run.
fn node_group(
    scope: &mut Scope<'_>,
    id: &str,
    cluster: &Handle<eks::Cluster>,
    spec: &EksClusterSpec<'_>,
) -> Handle<eks::Nodegroup> {
    let role = super::iam::managed_role(
        scope,
        &format!("{id}{}", derived::NODE_ROLE),
        "Runs the EKS cluster's nodes",
        "ec2.amazonaws.com",
        &[
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonEC2ContainerRegistryReadOnly",
        ],
    );
    let arm = spec
        .instance_types
        .first()
        .is_some_and(|t| limits::architecture_of(t) == "arm64");
    let types: Vec<String> = spec
        .instance_types
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
    scope.add(
        &format!("{id}{}", derived::NODES),
        eks::nodegroup::Nodegroup {
            cluster_name: cluster.reference(),
            node_role: role.arn(),
            subnets: spec.subnets.map(Tier::id_list).unwrap_or_default(),
            instance_types: Some(types.into()),
            ami_type: Some(Value::from(if arm {
                n::AmiType::Al2023Arm64Standard
            } else {
                n::AmiType::Al2023X8664Standard
            })),
            scaling_config: Some(n::ScalingConfig {
                min_size: some(i64::from(spec.min)),
                desired_size: some(i64::from(spec.min)),
                max_size: some(i64::from(spec.max)),
            }),
            tags: Some(Value::from(std::collections::BTreeMap::from([(
                "Name".to_owned(),
                scope.physical_name(&super::kebab(&format!("{id}Nodes"))),
            )]))),
            ..Default::default()
        },
    )
}

/// Every control-plane log type.
fn log_types() -> Vec<c::LoggingTypeConfig> {
    use c::LoggingTypeConfigType as T;
    [
        T::Api,
        T::Audit,
        T::Authenticator,
        T::ControllerManager,
        T::Scheduler,
    ]
    .map(|t| c::LoggingTypeConfig {
        r#type: Some(Value::from(t)),
    })
    .to_vec()
}

/// What EKS would refuse: a version or instance type that is not one, nodes of two
/// architectures in one group, node counts out of range or a maximum below the minimum.
fn reject_invalid(scope: &mut Scope<'_>, id: &str, spec: &EksClusterSpec<'_>) {
    let mut problems = Vec::new();
    if let Some(problem) = limits::version_problem(spec.version) {
        problems.push(format!("version `{}` {problem}", spec.version));
    }
    if spec.instance_types.is_empty() {
        problems.push("has no instance types for its nodes, e.g. `[\"m7g.large\"]`".to_owned());
    }
    for t in spec.instance_types {
        if let Some(problem) = limits::instance_type_problem(t) {
            problems.push(format!("instance type `{t}` {problem}"));
        }
    }
    let architectures: std::collections::BTreeSet<&str> = spec
        .instance_types
        .iter()
        .map(|t| limits::architecture_of(t))
        .collect();
    if architectures.len() > 1 {
        problems.push(format!(
            "mixes arm64 (Graviton) and x86_64 instance types ({}), but a node group runs one image",
            spec.instance_types.join(", ")
        ));
    }
    for (field, value) in [("min", spec.min), ("max", spec.max)] {
        if let Some(problem) = limits::NODES.problem(i64::from(value)) {
            problems.push(format!("{field} is {value}, but {problem}"));
        }
    }
    if spec.max < spec.min || spec.max == 0 {
        problems.push(format!(
            "min is {} and max {}: a node group needs 1 <= max and min <= max",
            spec.min, spec.max
        ));
    }
    if spec.subnets.is_none() || spec.key.is_none() {
        problems.push("needs its private subnets and its key".to_owned());
    }
    for problem in problems {
        scope.reject(id, problem);
    }
    if let Some(subnets) = spec.subnets {
        subnets.require_zones(scope, id, "an EKS cluster");
        subnets.note_no_way_out(scope, id, "runs its nodes");
    }
}

/// The verbs of an `eks_cluster`: `describe` it (what `aws eks update-kubeconfig`
/// needs).
#[derive(Debug, Clone, Copy)]
pub struct EksClusterVerbs<'a>(&'a EksCluster);

/// `describe(x)` as a function, for plain-Rust stacks and for the editor's completion.
pub fn describe(x: &EksCluster) -> super::Grant {
    EksClusterVerbs(x).describe()
}

/// The access levels of the Cluster beneath these verbs (`tag`, …).
impl super::AccessLevels for EksClusterVerbs<'_> {
    type Primary = crate::aws::eks::Cluster;

    fn primary(&self) -> &Handle<crate::aws::eks::Cluster> {
        &self.0.cluster
    }
}

impl EksClusterVerbs<'_> {
    /// Describe the cluster: its endpoint and certificate authority.
    pub fn describe(&self) -> super::Grant {
        super::Grant::new(
            "DescribeCluster",
            &["eks:DescribeCluster"],
            [self.0.arn().into()],
        )
    }
}

super::grantable!(EksCluster => EksClusterVerbs);

impl super::Construct for EksCluster {
    type Spec<'a> = EksClusterSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: EksClusterSpec<'_>) -> Self {
        eks_cluster(scope, id, spec)
    }
}
