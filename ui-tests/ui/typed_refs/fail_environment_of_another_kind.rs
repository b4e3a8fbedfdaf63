//! A function's environment as a struct of typed variables: a table's name where the
//! queue's URL belongs, and a queue's ARN where its URL belongs, are each an error at the
//! value; a variable Lambda sets itself is an error at its field, as in a map.

use infra_macros::{Environment, stack};
use infra_runtime::aws::{dynamodb, sqs};
use infra_runtime::{Name, Url, Value};

#[derive(Clone, Environment)]
pub struct WorkerEnvironment {
    jobs: Value<Url<sqs::Queue>>,
    orders: Value<Name<dynamodb::Table>>,
}

#[derive(Clone, Environment)]
pub struct RegionalEnvironment {
    aws_region: Value<String>,
}

stack! {
    pub stack Orders { region: "eu-west-2" }

    queue jobs { visibility_timeout_seconds: 60 }
    table orders { partition_key: string("id") }

    function worker {
        code: inline("def handler(event, context): pass"),
        handler: "index.handler",
        environment: WorkerEnvironment { jobs: orders.name(), orders: orders.name() },
    }
    function mixed_up {
        code: inline("def handler(event, context): pass"),
        handler: "index.handler",
        environment: WorkerEnvironment { jobs: jobs.arn(), orders: orders.name() },
    }
    function regional {
        code: inline("def handler(event, context): pass"),
        handler: "index.handler",
        environment: RegionalEnvironment { aws_region: "eu-west-2".into() },
    }
}

fn main() {}
