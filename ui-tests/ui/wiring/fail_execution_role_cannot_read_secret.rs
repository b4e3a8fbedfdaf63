//! A task's secrets are read by its execution role when the task starts: a secret the role
//! may not read is an error at the secret; a secret that is not a secret, at its name; and
//! a service on a shared cluster leaves `container_insights` to the cluster.

use infra_macros::stack;

stack! {
    pub stack Shop {
        region: "eu-west-2",
        tags: { CostCenter: "shop" },
        required_tags: [Environment, CostCenter],
    }
    parameter label: String { description: "A label" }
    key data_key { description: "Data", allow_logs: true }
    log_group app_logs { retention_days: 365, key: data_key }
    vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        nat_gateways: 1,
    }
    security_group worker_sg in network { egress: [443 to internet] }
    secret payments_key { description: "Payment provider API key", key: data_key }
    cluster shared { container_insights: true }
    role execution { assumed_by: ecs_tasks, grants: [write_logs(app_logs)] }
    role runtime { assumed_by: ecs_tasks }
    fargate_service worker {
        cluster: shared,
        container_insights: false,
        subnets: network.private,
        security_group: worker_sg,
        image: "example/app:1.0",
        secrets: { PAYMENTS_KEY: payments_key, LOGS: app_logs, LABEL: label },
        execution_role: execution,
        task_role: runtime,
        logs: app_logs,
    }
}

fn main() {}
