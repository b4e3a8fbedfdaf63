//! A component has no region of its own, so it compiles with a raw type that only some
//! regions offer; a `stack!` judges it against its region at compile time
//! (`fail_type_not_in_region_across_files.rs`). A stack of plain Rust, whose region is a
//! value, fails synthesis, naming the resource, the regions that offer it and the
//! component's line. The same component in a region that offers the type synthesizes.

#[path = "parts/costs.rs"]
mod costs;

use costs::{Costs, CostsSpec};
use infra_macros::stack;

stack! {
    pub stack Virginia { region: "us-east-1" }
    construct costs: Costs {}
}

fn main() {
    let mut london = infra_runtime::Stack::new();
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut scope = infra_runtime::construct::Scope::new(&mut london, &config, "London");
    let _costs = <Costs as infra_runtime::Construct>::build(&mut scope, "Costs", CostsSpec {});
    let error = london.synth().expect_err("eu-west-2 offers no cost reports").to_string();
    assert!(
        error.contains("resource `CostsReport` is a `AWS::CUR::ReportDefinition`, which eu-west-2, the stack's region, does not offer"),
        "{error}"
    );
    assert!(error.contains("us-east-1"), "{error}");
    assert!(error.contains("parts/costs.rs:10"), "{error}");

    let virginia = Virginia::new(&infra_runtime::StackConfig::new("qa", "us-east-1"));
    virginia.stack.synth().expect("us-east-1 offers cost reports");
}
