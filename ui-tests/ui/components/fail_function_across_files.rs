//! A function wired to roles, logs and a VPC of other files: a role ECS assumes, a log
//! group its role may not write, and the public tier, each an error at the name that
//! reaches across.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    function api {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: platform.roles.task_role,
        logs: platform.storage.app_logs,
    }
    function audit {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: platform.roles.function_role,
        logs: platform.storage.audit_logs,
    }
    function placed {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: platform.roles.function_role,
        logs: platform.storage.app_logs,
        subnets: platform.net.network.public,
        security_group: platform.groups.app_sg,
    }
    function fine {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: platform.roles.function_role,
        logs: platform.storage.app_logs,
    }
}

fn main() {}
