//! What must reach AWS's endpoints from private subnets needs a NAT gateway to leave
//! through: EKS nodes in a VPC whose `nat_gateways` is 0, and Fargate tasks in one that
//! writes none (and so has none). Each is an error at the tier, with the VPC's count
//! named; a VPC with one NAT gateway is fine.

use infra_macros::stack;

stack! {
    pub stack Platform { region: "eu-west-2" }

    key cluster_key { description: "Cluster", allow_logs: true }
    log_group app_logs { retention_days: 365, key: cluster_key }
    vpc closed {
        cidr: "10.20.0.0/16",
        public: ["10.20.1.0/24", "10.20.2.0/24"],
        private: ["10.20.11.0/24", "10.20.12.0/24"],
        nat_gateways: 0,
    }
    vpc silent {
        cidr: "10.30.0.0/16",
        public: ["10.30.1.0/24", "10.30.2.0/24"],
        private: ["10.30.11.0/24", "10.30.12.0/24"],
    }
    vpc open {
        cidr: "10.40.0.0/16",
        public: ["10.40.1.0/24", "10.40.2.0/24"],
        private: ["10.40.11.0/24", "10.40.12.0/24"],
        nat_gateways: 1,
    }
    eks_cluster platform {
        subnets: closed.private,
        key: cluster_key,
        version: "1.33",
        instance_types: ["m7g.large"],
    }
    eks_cluster reachable {
        subnets: open.private,
        key: cluster_key,
        version: "1.33",
        instance_types: ["m7g.large"],
    }
    security_group worker_sg in silent { ingress: [] }
    role execution { assumed_by: ecs_tasks, grants: [write_logs(app_logs)] }
    role runtime { assumed_by: ecs_tasks }
    fargate_service worker {
        subnets: silent.private,
        security_group: worker_sg,
        image: "example/worker:1.0",
        execution_role: execution,
        task_role: runtime,
        logs: app_logs,
    }
}

fn main() {}
