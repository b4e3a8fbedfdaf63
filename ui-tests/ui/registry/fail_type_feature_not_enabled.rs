//! A type of the model whose Cargo feature the crate does not enable: rustc says which
//! feature gates it (this crate enables only a few types beside the constructs).

use infra_macros::stack;

stack! {
    pub stack Tables { region: "eu-west-2", name: "Tables" }
    resource orders: dynamodb::GlobalTable {
        attribute_definitions: Vec::new(),
        key_schema: Vec::new(),
        replicas: Vec::new(),
    }
}

fn main() {}
