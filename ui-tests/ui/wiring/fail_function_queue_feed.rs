//! A queue feeding a function: it must hide a received message at least as long as the
//! function runs (30 seconds by default is less than 60), and the function's role must
//! consume from it.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    log_group worker_logs { retention_days: 365 }
    queue jobs {}
    queue slow { visibility_timeout_seconds: 360 }
    role worker_role { assumed_by: lambda, grants: [write_logs(worker_logs), consume(slow)] }

    function worker {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        timeout_seconds: 60,
        role: worker_role,
        logs: worker_logs,
        queue: jobs,
        batch_size: 0,
    }
    function patient {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        timeout_seconds: 60,
        role: worker_role,
        logs: worker_logs,
        queue: slow,
    }
}

fn main() {}
