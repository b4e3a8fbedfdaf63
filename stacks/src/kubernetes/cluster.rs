//! The EKS cluster: a private API endpoint, secrets and control-plane logs encrypted with
//! the cluster key, every control-plane log type, and a managed node group of Graviton
//! instances in the private subnets.

use infra_macros::component;

use super::network::ClusterNetwork;

component! {
    /// An EKS cluster and its nodes.
    pub component Kubernetes {}

    /// The VPC and its key.
    input net: &ClusterNetwork;

    /// Two to four nodes in the private subnets; no SSH.
    pub eks_cluster cluster {
        subnets: net.network.private,
        key: net.cluster_key,
        version: "1.33",
        instance_types: ["m7g.large"],
        min: 2,
        max: 4,
    }
}
