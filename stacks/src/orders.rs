//! The order workflow's front: an HTTP API whose `POST /orders` invokes a Lambda function
//! (its code is `stacks/functions/intake`) that stores each order in a DynamoDB table;
//! the function has its own encrypted log group and a dead-letter queue. Deploying it
//! uploads the code to the asset bucket (`stacks bootstrap` creates that once per account
//! and region).

use infra_macros::stack;

stack! {
    /// Order intake (`Orders<suffix>`).
    pub stack OrdersStack {
        name: "Orders",
        description: "Order intake: an HTTP API, a function and the orders table",
        region: "eu-west-2",
        tags: { CostCenter: "commerce" },
    }

    /// Encrypts the table, the logs and the dead-letter queue.
    key orders_key { description: "Order intake", allow_logs: true }
    /// Orders by id, each with the second it was placed.
    table orders { partition_key: string("order_id"), key: orders_key }
    /// What the intake function logs, kept a year.
    log_group intake_logs { retention_days: 365, key: orders_key }
    /// Every request the API answers, kept a year.
    log_group api_logs { retention_days: 365, key: orders_key }
    /// Invocations the function failed on after Lambda's retries.
    queue failed_orders { key: orders_key }
    /// What the intake function runs as.
    role intake_role {
        assumed_by: lambda,
        grants: [write_logs(intake_logs), send(failed_orders), write(orders), use_key(orders_key)],
    }
    /// Checks an order and stores it.
    function intake {
        code: "functions/intake",
        handler: "app.handler",
        memory: 256,
        timeout_seconds: 10,
        role: intake_role,
        logs: intake_logs,
        environment: { ORDERS_TABLE: orders.name() },
        key: orders_key,
        dead_letters: failed_orders,
        reserved_concurrency: 20,
    }
    /// The API clients post orders to (IAM-signed requests).
    http_api shop { routes: [post("/orders", intake)], logs: api_logs }

    /// Where clients send orders.
    output api_url { value: shop.url(), description: "The order API's URL" }
}
