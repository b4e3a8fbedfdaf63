//! A function's wiring and numbers, each mistake at its token: a role ECS assumes, a
//! role that may not write the function's logs, send to its dead-letter queue nor use
//! the key of its environment, a
//! runtime Lambda no longer creates, memory and timeout out of range, a code directory
//! that is not there, `inline` without its source.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    key env_key { description: "Function environments" }
    log_group api_logs { retention_days: 365 }
    queue failed {}
    role task { assumed_by: ecs_tasks, grants: [write_logs(api_logs)] }
    role quiet { assumed_by: lambda }

    function api {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: task,
        logs: api_logs,
    }
    function worker {
        code: inline("exports.handler = async () => 1;"),
        handler: "index.handler",
        runtime: "nodejs16.x",
        memory: 64,
        timeout_seconds: 901,
        role: quiet,
        logs: api_logs,
        dead_letters: failed,
    }
    function packaged {
        code: "functions/missing",
        handler: "app.handler",
        role: quiet,
        logs: api_logs,
        key: env_key,
    }
    function empty { code: inline(), handler: "app.handler", runtime: "python3.1", role: quiet, logs: api_logs }
}

fn main() {}
