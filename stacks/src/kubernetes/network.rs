//! The cluster's network: two zones, public subnets for load balancers and NAT, private
//! subnets for the nodes, every flow logged.

use infra_macros::component;

component! {
    /// The VPC the cluster and its nodes live in.
    pub component ClusterNetwork {}

    /// Encrypts the flow logs and the cluster's secrets.
    pub key cluster_key { description: "Kubernetes cluster", allow_logs: true }
    /// Every flow of the VPC, kept a year.
    log_group flow_logs { retention_days: 365, key: cluster_key }
    pub vpc network {
        cidr: "10.20.0.0/16",
        public: ["10.20.1.0/24", "10.20.2.0/24"],
        private: ["10.20.11.0/24", "10.20.12.0/24"],
        nat_gateways: 1,
        flow_logs: flow_logs,
    }
}
