//! A grant names a declaration (of the stack, an input, a construct's handle or an
//! import's output), not an expression computed in place.

use infra_macros::stack;

stack! {
    pub stack Readers { region: "eu-west-2" }

    bucket reports { encryption: s3_managed }
    role reader { assumed_by: ec2, grants: [read(reports), read(reports.clone())] }
}

fn main() {}
