//! Tables DynamoDB refuses, each at the literal: a sort key of the partition key's
//! attribute, a key attribute without a name, and one side of provisioned capacity.
//! Both sides, or neither, are fine.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    table orders { partition_key: string("order_id"), sort_key: number("order_id") }
    table anonymous { partition_key: string("") }
    table counters { partition_key: string("id"), write_capacity: 5 }
    table provisioned { partition_key: string("id"), read_capacity: 5, write_capacity: 5 }
    table on_demand { partition_key: string("id"), sort_key: string("at") }
}

fn main() {}
