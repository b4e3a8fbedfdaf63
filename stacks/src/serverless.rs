//! The serverless app beside the loan platform (the `serverless` binary): a function
//! with its code, and the order workflow's front on an HTTP API and a table. Its code is
//! uploaded to the asset bucket `serverless bootstrap` creates once per account and
//! region. The local endpoint creates neither Lambda functions nor DynamoDB tables (a
//! deploy with `--local` says so first); synthesis and AWS have both.

use infra_macros::stack;

stack! {
    /// A function whose code is `stacks/functions/hello` (`Hello<suffix>`).
    pub stack HelloStack {
        name: "Hello",
        description: "A function with its code, its logs and its role",
        region: "eu-west-2",
    }

    /// What the function logs, kept a year.
    log_group hello_logs { retention_days: 365 }
    /// What it runs as.
    role hello_role { assumed_by: lambda, grants: [write_logs(hello_logs)] }
    /// Answers with what it was given.
    function hello {
        code: "functions/hello",
        handler: "app.handler",
        role: hello_role,
        logs: hello_logs,
        reserved_concurrency: 5,
    }

    /// The function, for callers in other stacks.
    output hello_arn { value: hello.arn(), description: "The function's ARN" }
}

/// The app: the hello function first (the one commands use without `--stack`), then the
/// order intake.
pub fn app() -> infra_cli::App {
    infra_cli::App::new("serverless")
        .stack::<HelloStack>()
        .stack::<crate::orders::OrdersStack>()
}
