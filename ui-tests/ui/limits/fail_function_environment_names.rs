//! Environment variables Lambda refuses in a function's configuration, each at its name:
//! ones Lambda sets itself, and names outside its pattern (a letter, then one or more
//! letters, digits or `_`), in a stack and in a component.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    queue jobs {}
    function worker {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        environment: {
            QUEUE_URL: jobs.url(),
            AWS_REGION: "eu-west-2",
            _SECRET: "x",
            A: "1",
            r#type: "order",
        },
    }
}

mod billing {
    use infra_macros::component;

    component! {
        pub component Billing {}

        function invoicer {
            code: inline("def handler(event, context):\n    return event\n"),
            handler: "index.handler",
            environment: { AWS_LAMBDA_FUNCTION_NAME: "invoicer" },
        }
    }
}

fn main() {}
