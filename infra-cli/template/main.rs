//! The team's infrastructure: a network stack and a queue stack that imports from it.

use infra_macros::stack;

stack! {
    /// The network the team's services run in.
    pub stack NetworkStack { name: "TeamNetwork", region: "eu-west-2" }

    /// How many NAT gateways the private subnets share.
    pub settings NetworkSettings { nat_gateways: u8 = 1 }

    key logs_key { description: "Flow logs", rotation: true, allow_logs: true }
    log_group flow_logs { retention_days: 365, key: logs_key }
    vpc network {
        cidr: "10.8.0.0/16",
        public: ["10.8.1.0/24", "10.8.2.0/24"],
        private: ["10.8.11.0/24", "10.8.12.0/24"],
        nat_gateways: settings.nat_gateways,
        flow_logs: flow_logs,
    }

    /// Typed and exported: stacks that import it get an `Id<ec2::Vpc>`.
    output vpc_id: Id<ec2::Vpc> { value: network.vpc_id(), description: "The VPC" }
}

stack! {
    /// Background jobs, in the network stack's VPC.
    pub stack JobsStack { name: "TeamJobs", region: "eu-west-2" }

    import net: NetworkStack;

    key jobs_key { description: "Job queue", rotation: true }
    #[deletion_policy(Retain)]
    resource jobs: sqs::Queue { kms_master_key_id: Some(jobs_key.arn().into()) }
    resource workers: ec2::SecurityGroup {
        group_description: "Job workers".into(),
        vpc_id: Some(net.vpc_id.clone()),
    }

    output jobs_url { value: jobs.queue_url(), description: "The job queue" }
}

fn main() -> std::process::ExitCode {
    infra_cli::App::new("{name}")
        .stack::<NetworkStack>()
        .stack::<JobsStack>()
        .run()
}
