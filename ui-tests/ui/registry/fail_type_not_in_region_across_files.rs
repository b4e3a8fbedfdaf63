//! A component of another file with a raw type that only some regions offer
//! (`parts/costs.rs`): a stack in a region without it is an error at the component's
//! type, naming the resource and the regions that offer it; a stack in a region with it
//! compiles. A component that builds it passes the need on to its own stack.

#[path = "parts/costs.rs"]
mod costs;

use costs::Costs;
use infra_macros::{component, stack};

component! {
    pub component Finance {}
    construct costs: Costs {}
}

stack! {
    pub stack London { region: "eu-west-2" }
    construct costs: Costs {}
    construct finance: Finance {}
}

stack! {
    pub stack Virginia { region: "us-east-1" }
    construct costs: Costs {}
    construct finance: Finance {}
}

fn main() {}
