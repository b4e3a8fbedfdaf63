//! A FIFO queue hands a function ten messages at a time at most: a larger batch is an
//! error at the batch size (a standard queue takes up to 10,000, with a window to gather
//! them in).

use infra_macros::stack;

stack! {
    pub stack Ledger { region: "eu-west-2" }

    queue entries { fifo: true, visibility_timeout_seconds: 120 }
    queue events { visibility_timeout_seconds: 120 }

    function posting {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        timeout_seconds: 20,
        queue: entries,
        batch_size: 50,
        grants: [consume(entries)],
    }
    function audit {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        timeout_seconds: 20,
        queue: events,
        batch_size: 50,
        grants: [consume(events)],
    }
}

fn main() {}
