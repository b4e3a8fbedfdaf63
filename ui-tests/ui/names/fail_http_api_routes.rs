//! An HTTP API's routes: a path without its `/`, a greedy parameter before the end, the
//! same route twice, a method that is not one, a route to something that is not a
//! function, routes that are not a list of calls.

use infra_macros::stack;

stack! {
    pub stack Shop { region: "eu-west-2" }

    log_group fn_logs { retention_days: 365 }
    role fn_role { assumed_by: lambda, grants: [write_logs(fn_logs)] }
    function intake {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        role: fn_role,
        logs: fn_logs,
    }
    http_api shop {
        routes: [
            post("orders", intake),
            get("/files/{path+}/meta", intake),
            post("/orders", intake),
            post("/orders", intake),
            fetch("/orders", intake),
            get("/logs", fn_logs),
        ],
        logs: fn_logs,
    }
    http_api other { routes: intake, logs: fn_logs }
}

fn main() {}
