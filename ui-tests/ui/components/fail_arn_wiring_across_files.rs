//! ARN wiring across files: `parts/storage.rs` declares the keys and buckets. A log
//! group encrypted with a key CloudWatch Logs may not use, access logs sent to a
//! KMS-encrypted bucket, and a grant that names a bucket where a log group belongs are
//! each an error at the handle named.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::data::Data;
use parts::edge::Edge;
use parts::groups::Groups;
use parts::network::Networking;
use parts::roles::Roles;
use parts::storage::Storage;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct storage: Storage {}
    construct net: Networking {}
    construct groups: Groups { network: &net.network }
    construct data: Data { network: &net.network, groups: &groups, key: &storage.data_key }
    construct roles: Roles { storage: &storage, data: &data }
    construct edge: Edge { network: &net.network, groups: &groups, access_logs: &storage.access_logs }

    log_group audit_logs { retention_days: 365, key: storage.plain_key }

    load_balancer internal {
        internet_facing: true,
        subnets: net.network.public,
        security_group: groups.alb_sg,
        allow_plain_http: true,
        access_logs: storage.records,
    }

    role writer {
        assumed_by: ecs_tasks,
        grants: [write_logs(storage.records)],
    }
}

fn main() {}
