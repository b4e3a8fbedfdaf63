//! A function placed in the VPC's public subnets: it runs in private ones.

use infra_macros::stack;

stack! {
    pub stack Placed { region: "eu-west-2" }

    vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        nat_gateways: 1,
    }
    security_group fn_sg in network { egress: [443 to internet] }
    log_group fn_logs { retention_days: 365 }
    role fn_role { assumed_by: lambda, grants: [write_logs(fn_logs)] }
    function worker {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        role: fn_role,
        logs: fn_logs,
        subnets: network.public,
        security_group: fn_sg,
    }
}

fn main() {}
