//! Declarations named like the expansion's own locals and fields (`stack`, `scope`,
//! `handles`, `key`, `value`, `outputs`) compile and stay reachable; values known only at
//! run time are never judged against a default; parameters and outputs take every field
//! the language gives them.

use infra_macros::stack;

stack! {
    pub stack Names {
        region: "eu-west-2",
        tags: { CostCenter: "names" },
        required_tags: [Environment, CostCenter],
    }
    pub settings NamesSettings {
        max: u16 = 4,
        cpu: u32 = 1024,
        nat: u8 = 0,
    }
    parameter certificate: Arn<certificatemanager::Certificate> {
        description: "TLS certificate",
        no_echo: true,
        allowed_pattern: "arn:aws:acm:.*",
        min_length: 20,
        max_length: 2048,
    }
    parameter mode: String { description: "Mode", default: "a", allowed_values: ["a", "b"] }
    key scope { description: "Data", allow_logs: true }
    log_group value { retention_days: 365, key: scope }
    vpc stack {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        database: ["10.0.21.0/24", "10.0.22.0/24"],
        nat_gateways: settings.nat,
    }
    security_group handles in stack { ingress: [443 from internet] }
    security_group key in stack { ingress: [8080 from handles] }
    security_group outputs in stack { ingress: [3306 from key] }
    bucket access_logs { encryption: s3_managed, load_balancer_logs: true }
    aurora db { subnets: stack.database, security_group: outputs, key: scope }
    role execution { assumed_by: ecs_tasks, grants: [write_logs(value)] }
    role runtime { assumed_by: ecs_tasks, grants: [connect(db, "app")] }
    load_balancer web {
        internet_facing: true,
        subnets: stack.public,
        security_group: handles,
        certificate: certificate,
        target_port: 8080,
        access_logs: access_logs,
    }
    fargate_service app {
        subnets: stack.private,
        security_group: key,
        load_balancer: web,
        image: "example/app:1.0",
        cpu: settings.cpu,
        memory: 4096,
        desired: 2,
        min: 1,
        max: settings.max,
        execution_role: execution,
        task_role: runtime,
        logs: value,
        database: db,
    }
    output url { value: web.dns_name(), description: "The URL", export: "names-url" }
}

fn main() {
    let config = infra_runtime::StackConfig::new("dev", Names::REGION);
    let built = Names::new(&config, &NamesSettings::default());
    let _: &infra_runtime::construct::Network = &built.handles.stack;
    let _: &infra_runtime::Handle<infra_runtime::aws::kms::Key> = &built.scope;
    let _: &infra_runtime::Handle<infra_runtime::aws::ec2::SecurityGroup> = &built.handles.handles;
    let template = built.stack.synth().expect("synthesizes");
    let body = template.body();
    assert!(body.contains(r#""NoEcho":true"#), "{body}");
    assert!(body.contains(r#""AllowedValues":["a","b"]"#), "{body}");
    assert!(body.contains(r#""MinLength":20"#), "{body}");
    assert!(body.contains(r#""Export":{"Name":"names-url"}"#), "{body}");

    // Settings the runtime rejects are reported by synthesis, with the declaring line.
    let wrong = NamesSettings { nat: 5, cpu: 300, ..NamesSettings::default() };
    let errors = Names::new(&config, &wrong).into_stack().synth().expect_err("rejected").to_string();
    assert!(errors.contains("has 5 NAT gateways"), "{errors}");
    assert!(errors.contains("300 CPU units"), "{errors}");
}
