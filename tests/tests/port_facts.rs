//! Ports known only when the stack is built (settings) are `AnyPort` to the types, which
//! every group admits, so the stack compiles; synthesis then judges the chain on the
//! complete template: the service's group admits the load balancer's on the container's
//! port, and the database's admits the service's on the database's port, each refused
//! with the service's line when no rule does.

use infra_macros::stack;
use infra_runtime::StackConfig;

stack! {
    pub stack Shop { name: "Shop", region: "eu-west-2" }

    /// Ports chosen per environment.
    pub settings Ports {
        /// The database's port.
        db_port: u16 = 3306,
        /// The container's port.
        app_port: u16 = 8080,
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
    aurora db {
        subnets: network.database,
        security_group: db_sg,
        key: data_key,
        port: settings.db_port,
        log_retention_days: 365,
    }
    role execution { assumed_by: ecs_tasks, grants: [write_logs(app_logs)] }
    role runtime { assumed_by: ecs_tasks, grants: [connect(db, "app")] }
    load_balancer web {
        internet_facing: true,
        subnets: network.public,
        security_group: lb_sg,
        certificate: certificate,
        target_port: settings.app_port,
        access_logs: access_logs,
    }
    fargate_service app {
        subnets: network.private,
        security_group: app_sg,
        load_balancer: web,
        image: "example/app:1.0",
        port: settings.app_port,
        execution_role: execution,
        task_role: runtime,
        logs: app_logs,
        database: db,
    }
}

fn synth(ports: &Ports) -> Result<infra_runtime::Template, infra_runtime::SynthErrors> {
    let config = StackConfig::new("dev", Shop::REGION);
    Shop::new(&config, ports).stack.synth()
}

#[test]
fn ports_the_rules_admit_synthesize() {
    synth(&Ports::default()).expect("3306 and 8080 are admitted");
}

#[test]
fn ports_from_settings_the_rules_do_not_admit_are_refused_with_the_services_line() {
    let said = synth(&Ports {
        db_port: 3307,
        app_port: 8081,
    })
    .expect_err("refused")
    .to_string();
    assert!(
        said.contains(
            "`App` connects to its database on TCP 3307, but `DbSg` admits no TCP 3307 from `AppSg`"
        ),
        "{said}"
    );
    assert!(
        said.contains("`App` receives its load balancer's traffic on TCP 8081, but `AppSg` admits no TCP 8081 from `LbSg`"),
        "{said}"
    );
    assert!(
        said.contains("port_facts.rs:"),
        "at the service's line: {said}"
    );
}
