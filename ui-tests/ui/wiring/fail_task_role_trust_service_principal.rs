//! A task role ECS cannot assume, its principal written as a string: a state machine's.

use infra_macros::stack;

stack! {
    pub stack Shop {
        region: "eu-west-2",
        tags: { CostCenter: "shop" },
        required_tags: [Environment, CostCenter],
    }
    parameter certificate: Arn<certificatemanager::Certificate> { description: "TLS certificate" }
    key data_key { description: "Data", allow_logs: true }
    log_group app_logs { retention_days: 365, key: data_key }
    vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        database: ["10.0.21.0/24", "10.0.22.0/24"],
        nat_gateways: 1,
    }
    security_group lb_sg in network { ingress: [443 from internet] }
    security_group app_sg in network { ingress: [8080 from lb_sg] }
    security_group db_sg in network { ingress: [3306 from app_sg] }
    bucket access_logs { encryption: s3_managed, load_balancer_logs: true }
    aurora db { subnets: network.database, security_group: db_sg, key: data_key }
    role execution { assumed_by: ecs_tasks, grants: [write_logs(app_logs)] }
    role runtime { assumed_by: "states.amazonaws.com", grants: [connect(db, "app")] }
    load_balancer web {
        internet_facing: true,
        subnets: network.public,
        security_group: lb_sg,
        certificate: certificate,
        target_port: 8080,
        access_logs: access_logs,
    }
    fargate_service app {
        subnets: network.private,
        security_group: app_sg,
        load_balancer: web,
        image: "example/app:1.0",
        port: 8080,
        execution_role: execution,
        task_role: runtime,
        logs: app_logs,
        database: db,
    }
}

fn main() {}
