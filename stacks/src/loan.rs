//! The secure loan-processing platform: a three-zone VPC with public, private and
//! database tiers; an internet-facing load balancer with TLS; a Fargate service on port
//! 8080 that scales between 2 and 10 tasks; an Aurora MySQL Serverless v2 cluster with
//! IAM authentication; KMS encryption, 365-day logs and least-privilege roles.
//!
//! Every wiring mistake here (a database in the wrong tier, a port the chain does not
//! admit, a role ECS cannot assume) is a compile error at the token at fault.

use infra_macros::stack;

stack! {
    /// The loan-processing platform, one stack per environment (`TapStack<suffix>`).
    pub stack LoanStack {
        name: "TapStack",
        description: "Secure loan-processing platform: ALB, ECS Fargate, Aurora MySQL Serverless v2",
        region: "eu-west-2",
        tags: { CostCenter: "fintech-infrastructure", ComplianceLevel: "high" },
        required_tags: [Environment, CostCenter, ComplianceLevel],
    }

    /// What changes between environments without changing the stack's shape.
    pub settings LoanSettings {
        /// NAT gateways: 1 (one shared, the cheapest), 3 (one per zone), or 0 (no
        /// outbound internet from private subnets; what a local emulator supports).
        nat_gateways: u8 = 1,
        /// The application image, pinned. It listens on 8080 and answers `/health`.
        image: String = "nginxinc/nginx-unprivileged:1.27.3-alpine".to_owned(),
        /// Serve plain HTTP on port 80 instead of redirecting it to HTTPS.
        allow_plain_http: bool = false,
        /// Close the VPC's default security group (a custom resource run by a Lambda
        /// function; a local emulator without Lambda leaves it as EC2 creates it).
        restrict_default_group: bool = true,
    }

    /// The ACM certificate of the HTTPS listener.
    parameter certificate_arn: Arn<certificatemanager::Certificate> {
        description: "ARN of the ACM certificate for the load balancer's HTTPS listener",
    }

    /// Encrypts the database, its secret and the log groups.
    key data_key {
        description: "Loan platform data: Aurora storage, its secret, CloudWatch Logs",
        rotation: true,
        allow_logs: true,
    }

    /// VPC flow logs, all traffic.
    log_group flow_logs { retention_days: 365, key: data_key }
    /// The application's container output.
    log_group app_logs { retention_days: 365, key: data_key }

    vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
        database: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
        nat_gateways: settings.nat_gateways,
        flow_logs: flow_logs,
        restrict_default_group: settings.restrict_default_group,
    }

    security_group alb_sg in network {
        description: "Load balancer: HTTPS and HTTP from the internet",
        ingress: [443 from internet, 80 from internet],
    }
    security_group app_sg in network {
        description: "Application tasks: 8080 from the load balancer",
        ingress: [8080 from alb_sg],
        // The image, CloudWatch Logs and the other AWS APIs, over HTTPS through the NAT
        // gateway; MySQL to the database follows from `db_sg`'s ingress.
        egress: [443 to internet],
    }
    security_group db_sg in network {
        description: "Aurora: MySQL from the application tasks",
        ingress: [3306 from app_sg],
    }

    /// Load-balancer access logs: S3-managed encryption, which is what ELB can write to.
    bucket alb_logs {
        encryption: s3_managed,
        versioning: true,
        glacier_after_days: 90,
        load_balancer_logs: true,
    }

    aurora database {
        subnets: network.database,
        security_group: db_sg,
        key: data_key,
        port: 3306,
        min_capacity: 0.5,
        max_capacity: 4,
        backup_days: 7,
        database_name: "loans",
        deletion_protection: config.is_production(),
        final_snapshot: config.is_production(),
        log_retention_days: 365,
    }

    /// Starts tasks: writes their logs (the image is public, so no registry grant).
    role execution_role {
        description: "ECS task execution role of the loan application",
        assumed_by: ecs_tasks,
        grants: [write_logs(app_logs)],
    }
    /// What the application itself may do: connect to the database as `loan_app`.
    role task_role {
        description: "ECS task role of the loan application",
        assumed_by: ecs_tasks,
        grants: [connect(database, "loan_app")],
    }

    load_balancer web {
        internet_facing: true,
        subnets: network.public,
        security_group: alb_sg,
        certificate: certificate_arn,
        allow_plain_http: settings.allow_plain_http,
        target_port: 8080,
        health_check: "/health",
        access_logs: alb_logs,
        deletion_protection: config.is_production(),
    }

    fargate_service app {
        subnets: network.private,
        security_group: app_sg,
        load_balancer: web,
        image: &settings.image,
        port: 8080,
        cpu: 512,
        memory: 1024,
        desired: 2,
        min: 2,
        max: 10,
        cpu_target: 70,
        memory_target: 80,
        execution_role: execution_role,
        task_role: task_role,
        logs: app_logs,
        database: database,
        database_user: "loan_app",
        container_insights: true,
    }

    /// Exported: the audit trail's stack imports it.
    output vpc_id: Id<ec2::Vpc> { value: network.vpc_id(), description: "The VPC's id" }
    output alb_dns_name { value: web.dns_name(), description: "The load balancer's DNS name" }
    output cluster_arn { value: app.cluster.arn(), description: "The ECS cluster's ARN" }
    output database_endpoint { value: database.endpoint(), description: "The Aurora writer endpoint" }
}

/// The loan stack for the environment described by the process's variables.
pub fn loan_stack_from_env() -> Result<infra_runtime::Built<LoanStack>, infra_runtime::ConfigError>
{
    Ok(LoanStack::new(
        &LoanStack::config_from_env()?,
        &LoanSettings::default(),
    ))
}
