//! Compliance across files, for a load balancer: `parts/groups.rs` opens `alb_sg` to the
//! internet, which only an internet-facing load balancer may use; an internal one given
//! that group stops the build at the group (a const evaluation), as a database does.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Inside { region: "eu-west-2" }

    construct platform: Platform {}

    load_balancer internal {
        internet_facing: false,
        subnets: platform.net.network.private,
        security_group: platform.groups.alb_sg,
        allow_plain_http: true,
        target_port: 8080,
    }
}

fn main() {}
