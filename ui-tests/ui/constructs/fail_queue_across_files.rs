//! A queue of another file's component offers `send` and `consume` (and its access levels):
//! a verb of another resource, or a queue where a log group belongs, is an error at the
//! token.

#[path = "parts/orders.rs"]
mod orders;

use infra_macros::stack;
use orders::Orders;

stack! {
    pub stack Shop { region: "eu-west-2" }

    construct orders: Orders {}
    role checkout { assumed_by: lambda, grants: [publish(orders.placed), write_logs(orders.placed)] }
}

fn main() {}
