//! ARN wiring across files: `parts/storage.rs` declares the keys and buckets. A log
//! group encrypted with a key CloudWatch Logs may not use, access logs sent to a
//! KMS-encrypted bucket, and a grant that names a bucket where a log group belongs are
//! each an error at the handle named.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    log_group audit_logs { retention_days: 365, key: platform.storage.plain_key }

    load_balancer internal {
        internet_facing: true,
        subnets: platform.net.network.public,
        security_group: platform.groups.alb_sg,
        allow_plain_http: true,
        access_logs: platform.storage.records,
    }

    role writer {
        assumed_by: ecs_tasks,
        grants: [write_logs(platform.storage.records)],
    }
}

fn main() {}
