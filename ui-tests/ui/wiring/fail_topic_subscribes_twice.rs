//! A topic subscribes each function or queue once: the same subscriber written twice is
//! an error at the second, wherever it stands; a function and a queue of one name each
//! are fine.

use infra_macros::stack;

stack! {
    pub stack Notices { region: "eu-west-2" }

    key notice_key { description: "Notices", allow_logs: true }
    queue audit { key: notice_key }
    function mailer {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        key: notice_key,
    }
    topic notices {
        key: notice_key,
        subscribers: [function(mailer), queue(audit), function(mailer)],
    }
}

fn main() {}
