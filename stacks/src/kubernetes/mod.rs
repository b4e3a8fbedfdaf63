//! A Kubernetes cluster: EKS with a managed node group in a DSL `vpc`, in two components
//! (the network, and the cluster with its nodes and roles).

mod cluster;
mod network;

use infra_macros::stack;

pub use cluster::Kubernetes;
pub use network::ClusterNetwork;

stack! {
    /// The Kubernetes cluster (`Kubernetes<suffix>`).
    pub stack KubernetesStack {
        name: "Kubernetes",
        description: "An EKS cluster with a private endpoint and a managed node group",
        region: "eu-west-2",
        tags: { CostCenter: "platform" },
    }

    construct net: ClusterNetwork {}
    construct platform: Kubernetes { net: &net }

    /// The cluster's name, for `aws eks update-kubeconfig`.
    output cluster_name { value: platform.cluster.name(), description: "The EKS cluster's name" }
}
