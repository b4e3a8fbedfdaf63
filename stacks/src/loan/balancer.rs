//! The load balancer: internet-facing, TLS, forwarding to the tasks on 8080.

use infra_macros::component;
use infra_runtime::aws::certificatemanager::Certificate;
use infra_runtime::construct::Network;
use infra_runtime::facts::{BucketHandle, LogDelivery, S3ManagedKeys};
use infra_runtime::{Arn, Value};

use super::security::SecurityGroups;

component! {
    /// HTTPS from the internet to the application's tasks.
    pub component Balancing {}

    /// The VPC whose public tier it lives in.
    input network: &Network;
    /// The groups; the load balancer's is `alb_sg`.
    input groups: &SecurityGroups;
    /// The certificate of the HTTPS listener.
    input certificate: Value<Arn<Certificate>>;
    /// Serve plain HTTP on port 80 instead of redirecting it.
    input allow_plain_http: bool;
    /// Where access logs go: a bucket ELB can write to, as its type says.
    input access_logs: &BucketHandle<S3ManagedKeys, LogDelivery>;

    pub load_balancer web {
        internet_facing: true,
        subnets: network.public,
        security_group: groups.alb_sg,
        certificate: certificate,
        allow_plain_http: allow_plain_http,
        target_port: 8080,
        health_check: "/health",
        access_logs: access_logs,
        deletion_protection: config.is_production(),
    }
}
