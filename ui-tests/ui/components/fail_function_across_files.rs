//! A function wired to roles and logs of other files: a role ECS assumes, and a log
//! group its role may not write, each an error at the name that reaches across.

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
    function fine {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: platform.roles.function_role,
        logs: platform.storage.app_logs,
    }
}

fn main() {}
