//! Every constructor the macro accepts for a field written as calls (the verbs of
//! `infra_dsl::kind::CallType`) is one the runtime has: each is called here, so a verb
//! the macro lists and the runtime lacks is rustc's error in this case.

use infra_macros::stack;

stack! {
    pub stack Verbs { region: "eu-west-2" }

    key data_key { description: "Verbs", rotation: true, allow_logs: true }
    table by_text { partition_key: string("id"), sort_key: number("at") }
    table by_bytes { partition_key: binary("id") }
    queue jobs {}
    log_group api_logs { retention_days: 365 }
    log_group flow_logs { retention_days: 365 }
    log_group handler_logs { retention_days: 365 }
    role handler_role { assumed_by: lambda, grants: [write_logs(handler_logs)] }
    function handler {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        role: handler_role,
        logs: handler_logs,
    }
    topic news { key: data_key, subscribers: [function(handler), queue(jobs)] }
    http_api api {
        routes: [
            get("/a", handler),
            post("/a", handler),
            put("/a", handler),
            patch("/a", handler),
            delete("/a", handler),
            any("/b", handler),
        ],
        logs: api_logs,
    }
    state_machine flow {
        steps: [invoke(handler), put_item(by_text, "$.item"), send(jobs), publish(news)],
        logs: flow_logs,
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Verbs::new(&config);
    built.stack.synth().expect("the stack synthesizes");
}
