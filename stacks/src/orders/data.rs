//! What the order workflow keeps: the orders table, the queue of intake invocations that
//! failed, and the key both are encrypted with.

use infra_macros::component;

component! {
    /// The orders and the key they are kept under.
    pub component OrderData {}

    /// Encrypts the table, the queue and every log group of the workflow.
    pub key orders_key { description: "Order workflow", allow_logs: true }
    /// Orders by id.
    pub table orders { partition_key: string("order_id"), key: orders_key }
    /// Intake invocations that failed after Lambda's retries.
    pub queue failed_orders { key: orders_key }
}
