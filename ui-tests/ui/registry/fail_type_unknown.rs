//! A type the model's service does not have: the macro's error at the type, with the
//! nearest of the service's types.

use infra_macros::stack;

stack! {
    pub stack Tables { region: "eu-west-2", name: "Tables" }
    resource orders: dynamodb::GlobalTabel {
        billing_mode: Some("PAY_PER_REQUEST".into()),
    }
}

fn main() {}
