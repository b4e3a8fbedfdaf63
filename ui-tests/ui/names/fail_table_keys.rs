//! A table's keys are typed calls: a key type that is not one, a key that is not a call.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    table orders { partition_key: text("order_id"), sort_key: "placed_at" }
    table counters { partition_key: string("id"), read_capacity: 0 }
}

fn main() {}
