//! Zones across files: `zones/mod.rs` declares a VPC whose tiers have one subnet each;
//! a database and a load balancer placed in them from this file are errors at the tier.

#[path = "zones/mod.rs"]
mod zones;

use infra_macros::stack;
use zones::SmallNetwork;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct net: SmallNetwork {}

    key data_key { description: "Data", allow_logs: true }
    security_group db_sg in net.network { description: "Database" }
    security_group lb_sg in net.network { ingress: [443 from internet] }
    aurora db { subnets: net.network.database, security_group: db_sg, key: data_key }
    load_balancer web {
        internet_facing: true,
        subnets: net.network.public,
        security_group: lb_sg,
        allow_plain_http: true,
    }
}

fn main() {}
