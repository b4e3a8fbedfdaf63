//! Grants across files: `parts/roles.rs` declares what each role may do. A service
//! whose execution role may not write its log group or read one of its secrets, and whose
//! task role connects to the database as another user, is an error at the role, at the
//! secret and at the user.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    fargate_service app {
        subnets: platform.net.network.private,
        security_group: platform.groups.app_sg,
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        execution_role: platform.roles.execution_role,
        task_role: platform.roles.task_role,
        logs: platform.storage.audit_logs,
        secrets: { API_KEY: platform.storage.api_key, REPORT_KEY: platform.storage.report_key },
        database: platform.data.database,
        database_user: "reporting",
    }
}

fn main() {}
