//! Numbers SQS does not take, each at its literal: a visibility timeout over 12 hours, a
//! dead-letter queue no message could reach, a retention over 14 days, a delay over 15
//! minutes.

use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }
    key data_key { description: "Queues" }
    queue jobs {
        key: data_key,
        visibility_timeout_seconds: 43_201,
        max_receives: 0,
        retention_days: 15,
    }
    queue slow { delay_seconds: 901 }
    queue fine { visibility_timeout_seconds: 43_200, max_receives: 1000, retention_days: 1 }
}

fn main() {}
