//! `aurora` with `engine: "postgresql"`: the engine, version, parameter family, port,
//! exported logs and TLS parameter follow the engine, the service's group reaches the
//! database on 5432, and cfn-lint accepts the template.

use infra_macros::stack;
use infra_runtime::StackConfig;
use serde_json::json;

stack! {
    pub stack Shop {
        name: "Shop",
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
    security_group db_sg in network { ingress: [5432 from app_sg] }
    bucket access_logs { encryption: s3_managed, load_balancer_logs: true }
    aurora db {
        engine: "postgresql",
        subnets: network.database,
        security_group: db_sg,
        key: data_key,
        log_retention_days: 365,
    }
    role execution { assumed_by: ecs_tasks, grants: [write_logs(app_logs)] }
    role runtime { assumed_by: ecs_tasks, grants: [connect(db, "app")] }
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

#[test]
fn a_postgresql_cluster_follows_its_engine() {
    let config = StackConfig::new("dev", Shop::REGION);
    let template = Shop::new(&config).stack.synth().expect("synthesizes");
    let r = &template.document()["Resources"];
    let cluster = &r["DbCluster"]["Properties"];
    assert_eq!(cluster["Engine"], "aurora-postgresql");
    assert_eq!(cluster["Port"], 5432);
    assert_eq!(
        cluster["EnableCloudwatchLogsExports"],
        json!(["postgresql"])
    );
    assert_eq!(
        r["DbInstance1"]["Properties"]["Engine"],
        "aurora-postgresql"
    );
    let parameters = &r["DbParameters"]["Properties"];
    assert_eq!(parameters["Family"], "aurora-postgresql16");
    assert_eq!(parameters["Parameters"], json!({ "rds.force_ssl": "1" }));
    assert_eq!(r["DbPostgresqlLogs"]["Type"], "AWS::Logs::LogGroup");
    assert_eq!(r["DbSgFromAppSg5432"]["Properties"]["FromPort"], 5432);

    tests::assert_lints_clean(&template, "shop");
}
