//! The workflow's front: an HTTP API whose `POST /orders` invokes the intake function,
//! which starts the fulfilment workflow for each well-formed order.

use infra_macros::component;

use super::data::OrderData;
use super::fulfilment::Fulfilment;

component! {
    /// The API clients post orders to (IAM-signed requests).
    pub component Front {}

    /// The key and the dead-letter queue.
    input data: &OrderData;
    /// The workflow each order starts.
    input fulfilment: &Fulfilment;

    /// What the intake function logs, kept a year.
    log_group intake_logs { retention_days: 365, key: data.orders_key }
    /// Every request the API answers, kept a year.
    log_group api_logs { retention_days: 365, key: data.orders_key }
    /// What the intake function runs as.
    role intake_role {
        assumed_by: lambda,
        grants: [
            write_logs(intake_logs),
            send(data.failed_orders),
            start(fulfilment.fulfil),
            use_key(data.orders_key),
        ],
    }
    /// Takes an order and starts its fulfilment.
    function intake {
        code: "functions/intake",
        handler: "app.handler",
        memory: 256,
        timeout_seconds: 10,
        role: intake_role,
        logs: intake_logs,
        environment: { FULFILMENT: fulfilment.fulfil.arn() },
        key: data.orders_key,
        dead_letters: data.failed_orders,
        reserved_concurrency: 20,
    }
    /// `POST /orders`.
    pub http_api shop { routes: [post("/orders", intake)], logs: api_logs }
}
