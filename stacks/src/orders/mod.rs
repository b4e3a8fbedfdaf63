//! The order workflow: an HTTP API whose `POST /orders` invokes an intake function
//! (`stacks/functions/intake`), which starts a Step Functions workflow that checks the
//! order with a second function (`stacks/functions/check`) and stores it in a DynamoDB
//! table. Failed intake invocations land in a dead-letter queue; everything is encrypted
//! with one key of the stack. Three components, one file each: the data, the fulfilment
//! workflow, and the front. Deploying it uploads both functions' code to the asset
//! bucket (`serverless bootstrap` creates that once per account and region).

mod data;
mod front;
mod fulfilment;

use infra_macros::stack;

pub use data::OrderData;
pub use front::Front;
pub use fulfilment::Fulfilment;

stack! {
    /// The order workflow (`Orders<suffix>`).
    pub stack OrdersStack {
        name: "Orders",
        description: "Order workflow: an HTTP API, an intake function, a Step Functions workflow and the orders table",
        region: "eu-west-2",
        tags: { CostCenter: "commerce" },
    }

    construct data: OrderData {}
    construct fulfilment: Fulfilment { data: &data }
    construct front: Front { data: &data, fulfilment: &fulfilment }

    /// Where clients send orders.
    output api_url { value: front.shop.url(), description: "The order API's URL" }
}
