use infra_macros::component;
use infra_runtime::construct::Network;
use infra_runtime::facts::{BucketHandle, LogDelivery, S3ManagedKeys};

use super::groups::Groups;

component! {
    /// An internet-facing load balancer forwarding to 8080.
    pub component Edge {}

    input network: &Network;
    input groups: &Groups;
    input access_logs: &BucketHandle<S3ManagedKeys, LogDelivery>;

    pub load_balancer web {
        internet_facing: true,
        subnets: network.public,
        security_group: groups.alb_sg,
        allow_plain_http: true,
        target_port: 8080,
        access_logs: access_logs,
    }
}
