//! A declaration whose logical id is one a construct derives for a resource of its own:
//! `worker_logs` beside `function worker` without `logs` (both `WorkerLogs`), `worker_role`
//! beside it without `role`, and `jobs_dead_letters` beside `queue jobs`. Each is an
//! error at the declaration, with the owner named; `report_logs`, which `report` takes
//! as its `logs`, is fine.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }

    key jobs_key { description: "Jobs", allow_logs: true }
    log_group worker_logs { retention_days: 365, key: jobs_key }
    role worker_role { assumed_by: lambda, grants: [write_logs(worker_logs)] }
    function worker {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        key: jobs_key,
    }
    log_group report_logs { retention_days: 365, key: jobs_key }
    function report {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        key: jobs_key,
        logs: report_logs,
    }
    queue jobs { key: jobs_key }
    queue jobs_dead_letters { key: jobs_key }
}

fn main() {}
