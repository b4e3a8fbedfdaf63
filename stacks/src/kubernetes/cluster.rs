//! The EKS cluster: a private API endpoint, secrets encrypted with the cluster key, every
//! control-plane log type, and a managed node group in the private subnets.

use infra_macros::component;
use infra_runtime::aws::eks;
use infra_runtime::aws::eks::cluster::{
    ClusterLogging, EncryptionConfig, Logging, LoggingTypeConfig, LoggingTypeConfigType, Provider,
    ResourcesVpcConfig,
};
use infra_runtime::aws::eks::nodegroup::ScalingConfig;

use super::network::ClusterNetwork;

component! {
    /// An EKS cluster and its nodes.
    pub component Kubernetes {}

    /// The VPC, its groups and key.
    input net: &ClusterNetwork;

    /// What EKS runs the control plane as.
    role cluster_role {
        assumed_by: "eks.amazonaws.com",
        managed_policies: ["AmazonEKSClusterPolicy"],
    }
    /// What the nodes run as: join the cluster, run pods' networking, pull images.
    role node_role {
        assumed_by: ec2,
        managed_policies: [
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonEC2ContainerRegistryReadOnly",
        ],
    }
    /// The control plane's logs, kept a year, under the name EKS writes to.
    log_group control_plane_logs {
        retention_days: 365,
        key: net.cluster_key,
        name: &format!("/aws/eks/{}/cluster", config.physical_name("kubernetes-cluster")),
    }
    /// The cluster, reached only from inside the VPC.
    pub resource cluster: eks::Cluster {
        name: Some(config.physical_name("kubernetes-cluster").into()),
        role_arn: cluster_role.arn(),
        version: Some("1.33".into()),
        resources_vpc_config: ResourcesVpcConfig {
            subnet_ids: net.network.private.id_list().into(),
            security_group_ids: Some(vec![net.control_plane_sg.id()].into()),
            endpoint_private_access: Some(true.into()),
            endpoint_public_access: Some(false.into()),
            ..Default::default()
        },
        encryption_config: Some(vec![EncryptionConfig {
            provider: Some(Provider { key_arn: Some(net.cluster_key.arn().into()) }),
            resources: Some(vec!["secrets".to_owned()].into()),
        }]),
        logging: Some(Logging {
            cluster_logging: Some(ClusterLogging {
                enabled_types: Some(
                    [
                        LoggingTypeConfigType::Api,
                        LoggingTypeConfigType::Audit,
                        LoggingTypeConfigType::Authenticator,
                        LoggingTypeConfigType::ControllerManager,
                        LoggingTypeConfigType::Scheduler,
                    ]
                    .map(|t| LoggingTypeConfig { r#type: Some(t.into()) })
                    .to_vec(),
                ),
            }),
        }),
    }
    /// Two to four nodes in the private subnets; no SSH.
    #[depends_on(cluster)]
    pub resource nodes: eks::Nodegroup {
        cluster_name: config.physical_name("kubernetes-cluster").into(),
        node_role: node_role.arn().into(),
        subnets: net.network.private.id_list(),
        instance_types: Some(vec!["m7g.large".to_owned()].into()),
        ami_type: Some(eks::nodegroup::AmiType::Al2023Arm64Standard.into()),
        scaling_config: Some(ScalingConfig {
            min_size: Some(2.into()),
            desired_size: Some(2.into()),
            max_size: Some(4.into()),
        }),
    }
}
