//! The workflow an order goes through once taken: a function checks it and shapes the
//! record, and the state machine stores that record in the orders table.

use infra_macros::component;

use super::data::OrderData;

component! {
    /// Checks and stores each order, as a Step Functions workflow.
    pub component Fulfilment {}

    /// Where orders are stored.
    input data: &OrderData;

    /// Checks an order and shapes its record.
    function check {
        code: "functions/check",
        handler: "app.handler",
        timeout_seconds: 10,
        key: data.orders_key,
        reserved_concurrency: 20,
    }
    log_group fulfil_logs { retention_days: 365, key: data.orders_key }
    /// Check, then store.
    pub state_machine fulfil {
        steps: [invoke(check), put_item(data.orders, "$.item")],
        logs: fulfil_logs,
    }
}
