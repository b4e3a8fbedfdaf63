//! A function that derives its role and log group: grants beside a role of its own
//! belong on that role, and the key of a derived log group must let CloudWatch Logs
//! use it.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    key env_key { description: "Function environments", allow_logs: false }
    queue jobs {}
    role worker_role { assumed_by: lambda }

    function worker {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: worker_role,
        grants: [consume(jobs)],
    }
    function intake {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        key: env_key,
        grants: [send(jobs)],
    }
}

fn main() {}
