//! A component checks its raw resources like a stack: a property CloudFormation requires
//! left out is a compile error in the component's file.

use infra_macros::component;

component! {
    /// Jobs that run on a schedule.
    pub component Jobs {}

    resource job: lambda::Function {
        handler: Some("index.handler".into()),
        runtime: Some(function::Runtime::Python313.into()),
    }
}

fn main() {}
