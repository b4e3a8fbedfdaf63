//! An EKS cluster in a private tier of one zone: EKS needs subnets in two.

use infra_macros::stack;

stack! {
    pub stack Platform { region: "eu-west-2" }

    key cluster_key { description: "Cluster", allow_logs: true }
    vpc network {
        cidr: "10.20.0.0/16",
        public: ["10.20.1.0/24"],
        private: ["10.20.11.0/24"],
        nat_gateways: 1,
    }
    eks_cluster platform {
        subnets: network.private,
        key: cluster_key,
        version: "1.33",
        instance_types: ["m7g.large"],
    }
}

fn main() {}
