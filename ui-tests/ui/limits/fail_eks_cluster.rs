//! What EKS refuses of an `eks_cluster`, each at its token: a version that is not one,
//! an instance type that is not one, more nodes at least than at most, a key whose
//! policy keeps CloudWatch Logs out of the control-plane logs, nodes in public subnets.

use infra_macros::stack;

stack! {
    pub stack Platform { region: "eu-west-2" }

    key cluster_key { description: "Cluster", allow_logs: false }
    vpc network {
        cidr: "10.20.0.0/16",
        public: ["10.20.1.0/24", "10.20.2.0/24"],
        private: ["10.20.11.0/24", "10.20.12.0/24"],
        nat_gateways: 1,
    }
    eks_cluster platform {
        subnets: network.public,
        key: cluster_key,
        version: "v1.33",
        instance_types: ["m7g.large", "m7g-large"],
        min: 4,
        max: 2,
    }
}

fn main() {}
