//! A standard topic delivers to standard queues only: a FIFO queue among its subscribers
//! is an error at that queue's name, wherever it stands in the list; a standard queue
//! beside it is fine.

use infra_macros::stack;

stack! {
    pub stack Notices { region: "eu-west-2" }

    key notice_key { description: "Notices", allow_logs: true }
    queue ledger { key: notice_key, fifo: true }
    queue audit { key: notice_key }
    function mailer {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        key: notice_key,
    }
    topic notices {
        key: notice_key,
        subscribers: [function(mailer), queue(audit), queue(ledger)],
    }
}

fn main() {}
