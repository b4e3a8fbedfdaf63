//! Security groups: the chain internet -> load balancer -> tasks -> database.

use infra_macros::component;
use infra_runtime::construct::Network;

component! {
    /// Each hop admits only the one before it, on the one port it serves.
    pub component SecurityGroups {}

    /// The VPC the groups belong to.
    input network: &Network;

    pub security_group alb_sg in network {
        description: "Load balancer: HTTPS and HTTP from the internet",
        ingress: [443 from internet, 80 from internet],
    }
    pub security_group app_sg in network {
        description: "Application tasks: 8080 from the load balancer",
        ingress: [8080 from alb_sg],
        // The image, CloudWatch Logs and the other AWS APIs, over HTTPS through the NAT
        // gateway; MySQL to the database follows from `db_sg`'s ingress.
        egress: [443 to internet],
    }
    pub security_group db_sg in network {
        description: "Aurora: MySQL from the application tasks",
        ingress: [3306 from app_sg],
    }
}
