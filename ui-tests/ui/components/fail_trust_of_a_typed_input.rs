//! A role given as a component's input says whom it trusts in its type: a function given
//! an input typed as a role ECS tasks assume is an error at the input, as a declared role
//! of another file is.

use infra_macros::component;
use infra_runtime::facts::{RoleHandle, Unread, principal::EcsTasksPrincipal};

component! {
    /// A function run with a role the caller gives.
    pub component Runner {}

    input role: &RoleHandle<EcsTasksPrincipal, Unread>;

    function run { code: inline("def handler(event, context): pass"), handler: "index.handler", role: role }
}

fn main() {}
