//! The command line of an app of stacks. A user's own binary lists its stacks and hands
//! over to [`App::run`]:
//!
//! ```no_run
//! # struct NetworkStack;
//! # impl infra_runtime::AppStack for NetworkStack {
//! #     const KEY: &'static str = "network";
//! #     const NAME: &'static str = "Network";
//! #     const REGION: &'static str = "eu-west-2";
//! #     type Settings = ();
//! #     fn build(_: &infra_runtime::StackConfig, _: &()) -> infra_runtime::Stack {
//! #         infra_runtime::Stack::new()
//! #     }
//! # }
//! fn main() -> std::process::ExitCode {
//!     infra_cli::App::new("my-app").stack::<NetworkStack>().run()
//! }
//! ```

pub mod app;
pub mod cli;
pub mod files;
pub mod graph;
pub mod local;
pub mod new_app;
mod signals;
pub mod ui;

pub use app::App;
