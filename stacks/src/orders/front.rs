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

    /// Takes an order and starts its fulfilment; its role and log group are derived.
    function intake {
        code: "functions/intake",
        handler: "app.handler",
        memory: 256,
        timeout_seconds: 10,
        environment: { FULFILMENT: fulfilment.fulfil.arn() },
        key: data.orders_key,
        dead_letters: data.failed_orders,
        reserved_concurrency: 20,
        grants: [start(fulfilment.fulfil)],
    }
    log_group api_logs { retention_days: 365, key: data.orders_key }
    pub http_api shop { routes: [post("/orders", intake)], logs: api_logs }
}
