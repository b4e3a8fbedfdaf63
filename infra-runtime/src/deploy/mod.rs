//! Deploying a synthesized template with CloudFormation change sets: plan, show, confirm,
//! execute, follow this operation's events, report.
//!
//! Apart from synthesis, and async: the engine talks to CloudFormation (and S3 for
//! templates over the inline limit) in AWS's query protocol, signed with `aws-sigv4`,
//! with the SDK's standard retries for throttling and transient errors. It knows nothing of terminals: what happens is
//! sent to a [`Ui`] (progress lines, questions), so the command line can draw spinners and
//! tests can script the answers.

mod assets;
mod calls;
mod change_set;
mod cloudformation;
mod connect;
mod deployable;
mod destroy;
mod engine;
mod error;
mod events;
mod http;
mod imports;
mod objects;
mod plan;
mod proxy;
mod query;
mod report;
mod status;

pub use assets::Uploaded;
pub use calls::{Answer, Sending, Transport, endpoint_url_problem};
pub use cloudformation::CloudFormation;
pub use connect::{ApiCallCounter, Target, connect};
pub use deployable::{Deployable, Drift};
pub use destroy::{End, Fate};
pub use engine::{DeployOptions, DeployOutcome, Engine, StackState};
pub use error::DeployError;
pub use events::ResourceEvent;
pub use http::Https;
pub use imports::BrokenImport;
pub use objects::{ObjectStore, bucket_name_problem};
pub use plan::{Action, Plan, PlannedChange, Replacement};
pub use query::Form;
pub use status::StackStatus;

/// What the engine tells the user, and asks.
pub trait Ui {
    /// A step of the operation ("creating change set", "waiting for …").
    fn status(&mut self, message: &str);
    /// A resource's new status during execution.
    fn resource_event(&mut self, event: &ResourceEvent);
    /// The change set, before it is executed.
    fn plan(&mut self, plan: &Plan);
    /// A yes/no question; `false` when nobody can answer.
    fn confirm(&mut self, question: &str) -> bool;
    /// Whether the last question was interrupted (Ctrl-C) rather than answered.
    fn interrupted(&mut self) -> bool {
        false
    }
    /// Asks for a line of text (a stack's name, to confirm destroying it); `None` when
    /// nobody can answer.
    fn ask_text(&mut self, question: &str) -> Option<String> {
        let _ = question;
        None
    }
    /// A poll found nothing new; the stack's status is `status` (a terminal can spin).
    fn waiting(&mut self, status: &str) {
        let _ = status;
    }
}

/// Runs `future` to its end on a runtime of its own (the unit tests' calls).
#[cfg(test)]
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}
