//! Grants across files: `parts/roles.rs` declares what each role may do. A service
//! whose execution role may not write its log group or read one of its secrets, and whose
//! task role connects to the database as another user, is an error at the role, at the
//! secret and at the user.

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

    fargate_service app {
        subnets: net.network.private,
        security_group: groups.app_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: roles.execution_role,
        task_role: roles.task_role,
        logs: storage.audit_logs,
        secrets: { API_KEY: storage.api_key, REPORT_KEY: storage.report_key },
        database: data.database,
        database_user: "reporting",
    }
}

fn main() {}
