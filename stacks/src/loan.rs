//! The secure loan-processing platform: a three-zone VPC with public, private and
//! database tiers; an internet-facing load balancer with TLS; a Fargate service on port
//! 8080 that scales between 2 and 10 tasks; an Aurora MySQL Serverless v2 cluster with
//! IAM authentication; KMS encryption, 365-day logs and least-privilege roles.
//!
//! The platform is assembled here from seven components, one file each under `loan/`,
//! as the seed splits it: storage and keys, networking, security groups, the database,
//! IAM, the load balancer and ECS. Every wiring mistake (a database in the wrong tier, a
//! port the chain does not admit, a role ECS cannot assume) is a compile error at the
//! token at fault, in whichever file it is.

mod balancer;
mod compute;
mod database;
mod iam;
mod network;
mod security;
mod storage;

use infra_macros::stack;

pub use balancer::Balancing;
pub use compute::Compute;
pub use database::Data;
pub use iam::Roles;
pub use network::Networking;
pub use security::SecurityGroups;
pub use storage::Storage;

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
        /// way out of the private subnets: for an emulator reached by `--endpoint-url`,
        /// which has no Elastic IPs; on AWS the tasks could not start, as a note says).
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

    // The components, as the seed splits the platform. `#[unprefixed]` keeps each
    // resource's logical id as it was when the stack was one file, so that splitting it
    // replaces nothing in a deployed stack.
    #[unprefixed]
    construct storage: Storage {}
    #[unprefixed]
    construct networking: Networking {
        nat_gateways: settings.nat_gateways,
        restrict_default_group: settings.restrict_default_group,
        flow_logs: &storage.flow_logs,
    }
    #[unprefixed]
    construct groups: SecurityGroups { network: &networking.network }
    #[unprefixed]
    construct data: Data {
        network: &networking.network,
        groups: &groups,
        key: &storage.data_key,
    }
    #[unprefixed]
    construct roles: Roles { storage: &storage, data: &data }
    #[unprefixed]
    construct balancing: Balancing {
        network: &networking.network,
        groups: &groups,
        certificate: certificate_arn.clone(),
        allow_plain_http: settings.allow_plain_http,
        access_logs: &storage.alb_logs,
    }
    #[unprefixed]
    construct compute: Compute {
        network: &networking.network,
        groups: &groups,
        balancing: &balancing,
        roles: &roles,
        storage: &storage,
        data: &data,
        image: &settings.image,
    }

    /// Exported: the audit trail's stack imports it.
    output vpc_id: Id<ec2::Vpc> { value: networking.network.vpc_id(), description: "The VPC's id" }
    output alb_dns_name { value: balancing.web.dns_name(), description: "The load balancer's DNS name" }
    output cluster_arn { value: compute.app.cluster.arn(), description: "The ECS cluster's ARN" }
    output database_endpoint { value: data.database.endpoint(), description: "The Aurora writer endpoint" }
}

/// The loan stack for the environment described by the process's variables.
pub fn loan_stack_from_env() -> Result<infra_runtime::Built<LoanStack>, infra_runtime::ConfigError>
{
    Ok(LoanStack::new(
        &LoanStack::config_from_env()?,
        &LoanSettings::default(),
    ))
}
