use infra_macros::component;
use infra_runtime::construct::Network;

component! {
    /// The chain internet -> load balancer -> tasks -> database, and a group for
    /// workers that nothing admits.
    pub component Groups {}

    input network: &Network;

    pub security_group alb_sg in network { ingress: [443 from internet, 80 from internet] }
    pub security_group app_sg in network { ingress: [8080 from alb_sg], egress: [443 to internet] }
    pub security_group worker_sg in network { egress: [443 to internet] }
    pub security_group db_sg in network { ingress: [3306 from app_sg] }
}
