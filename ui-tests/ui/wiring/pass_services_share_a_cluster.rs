//! Two services on one shared cluster: the API behind the load balancer, the worker with
//! its own command, environment and secrets (a generated secret of the stack and the
//! database's master secret), read by an execution role that may read them.

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
    security_group worker_sg in network { egress: [443 to internet] }
    security_group db_sg in network { ingress: [3306 from app_sg] }
    bucket access_logs { encryption: s3_managed, load_balancer_logs: true }
    aurora db { subnets: network.database, security_group: db_sg, key: data_key }
    secret payments_key { description: "Payment provider API key", key: data_key }
    cluster shared { container_insights: true }
    role execution {
        assumed_by: ecs_tasks,
        grants: [write_logs(app_logs), read_secret(payments_key), read_secret(db), use_key(data_key)],
    }
    role runtime { assumed_by: ecs_tasks, grants: [connect(db, "app")] }
    load_balancer web {
        internet_facing: true,
        subnets: network.public,
        security_group: lb_sg,
        certificate: certificate,
        target_port: 8080,
        access_logs: access_logs,
    }
    fargate_service api {
        cluster: shared,
        subnets: network.private,
        security_group: app_sg,
        load_balancer: web,
        image: "example/app:1.0",
        port: 8080,
        execution_role: execution,
        task_role: runtime,
        logs: app_logs,
        database: db,
        database_user: "app",
    }
    fargate_service worker {
        cluster: shared,
        subnets: network.private,
        security_group: worker_sg,
        image: "example/app:1.0",
        command: ["python", "-m", "worker"],
        environment: { QUEUE: "payments", DB_ENDPOINT: db.endpoint() },
        secrets: { PAYMENTS_KEY: payments_key, DB_SECRET: db },
        execution_role: execution,
        task_role: runtime,
        logs: app_logs,
    }
}

fn main() {
    let built = Shop::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let resources = template.document()["Resources"].as_object().expect("resources");
    let clusters = resources
        .values()
        .filter(|r| r["Type"] == "AWS::ECS::Cluster")
        .count();
    assert_eq!(clusters, 1, "the two services share one cluster");
    let container = &resources["WorkerTask"]["Properties"]["ContainerDefinitions"][0];
    assert_eq!(container["Command"], serde_json::json!(["python", "-m", "worker"]));
    assert_eq!(container["Environment"][0]["Name"], "QUEUE");
    assert_eq!(container["Secrets"][0]["ValueFrom"], serde_json::json!({ "Ref": "PaymentsKey" }));
    assert_eq!(
        container["Secrets"][1]["ValueFrom"],
        serde_json::json!({ "Fn::GetAtt": ["DbCluster", "MasterUserSecret.SecretArn"] })
    );
    for service in ["ApiService", "WorkerService"] {
        assert_eq!(resources[service]["Properties"]["Cluster"], serde_json::json!({ "Ref": "Shared" }));
    }
}
