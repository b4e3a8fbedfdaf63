//! An IAM action checked in the file that declares it: a component's role in
//! `iam_parts/mod.rs` names `sqs:ReceiveMesage`, and the stack that uses the component
//! does not build, with the error at the action's literal.

#[path = "iam_parts/mod.rs"]
mod iam_parts;

use iam_parts::Worker;
use infra_macros::stack;

stack! {
    pub stack Jobs { region: "eu-west-2" }

    construct worker: Worker {}
}

fn main() {}
