//! The workflow an order goes through once taken: a function checks it and shapes the
//! record, and the state machine stores that record in the orders table.

use infra_macros::component;

use super::data::OrderData;

component! {
    /// Checks and stores each order, as a Step Functions workflow.
    pub component Fulfilment {}

    /// Where orders are stored.
    input data: &OrderData;

    /// What the check function logs, kept a year.
    log_group check_logs { retention_days: 365, key: data.orders_key }
    /// What the check function runs as.
    role check_role { assumed_by: lambda, grants: [write_logs(check_logs), use_key(data.orders_key)] }
    /// Refuses an order that cannot be fulfilled; shapes the record of one that can.
    function check {
        code: "functions/check",
        handler: "app.handler",
        timeout_seconds: 10,
        role: check_role,
        logs: check_logs,
        key: data.orders_key,
        reserved_concurrency: 20,
    }
    /// Every execution, with its data, kept a year.
    log_group fulfil_logs { retention_days: 365, key: data.orders_key }
    /// Check, then store.
    pub state_machine fulfil {
        steps: [invoke(check), put_item(data.orders, "$.item")],
        logs: fulfil_logs,
    }
}
