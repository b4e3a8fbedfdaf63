//! A state machine wired to declarations of other files: a log group where a function
//! belongs and a role where its log group belongs, each an error at the name that
//! reaches across.

#[path = "parts/mod.rs"]
mod parts;

use infra_macros::stack;
use parts::platform::Platform;

stack! {
    pub stack Assembled { region: "eu-west-2" }

    construct platform: Platform {}

    state_machine fulfil {
        steps: [invoke(platform.storage.app_logs)],
        logs: platform.roles.task_role,
    }
}

fn main() {}
