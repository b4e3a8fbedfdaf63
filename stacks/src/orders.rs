//! The first step of an order workflow: a Lambda function whose code is
//! `stacks/functions/intake`, its own encrypted log group, and a dead-letter queue for
//! the events it fails on. Deploying it uploads the code to the asset bucket
//! (`stacks bootstrap` creates that once per account and region).

use infra_macros::stack;

stack! {
    /// Order intake (`Orders<suffix>`).
    pub stack OrdersStack {
        name: "Orders",
        description: "Order intake: a function, its logs and its dead-letter queue",
        region: "eu-west-2",
        tags: { CostCenter: "commerce" },
    }

    /// Encrypts the logs and the dead-letter queue.
    key orders_key { description: "Order intake", allow_logs: true }
    /// What the intake function logs, kept a year.
    log_group intake_logs { retention_days: 365, key: orders_key }
    /// Order events the function failed on after Lambda's retries.
    queue failed_orders { key: orders_key }
    /// What the intake function runs as.
    role intake_role {
        assumed_by: lambda,
        grants: [write_logs(intake_logs), send(failed_orders)],
    }
    /// Checks and records an order event.
    function intake {
        code: "functions/intake",
        handler: "app.handler",
        memory: 256,
        timeout_seconds: 10,
        role: intake_role,
        logs: intake_logs,
        dead_letters: failed_orders,
    }

    /// The function, for callers in other stacks.
    output intake_arn { value: intake.arn(), description: "The intake function's ARN" }
}
