//! What can go wrong while deploying, each with the one line a user needs.

use thiserror::Error;

use super::proxy::{PROXY, ProxyFailure};

/// A deploy, diff, destroy or read that could not be carried out.
#[derive(Debug, Error)]
pub enum DeployError {
    /// No credentials in the standard chain.
    #[error(
        "no AWS credentials found: set AWS_PROFILE (or pass --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; for the local endpoint use --local"
    )]
    NoCredentials,
    /// The profile named on the command line or in `AWS_PROFILE` is in neither of the
    /// shared config files: the chain would go on without it, to other credentials.
    #[error(
        "profile `{profile}` ({origin}) is not defined in {files}{}",
        known_profiles(profile, known)
    )]
    NoSuchProfile {
        /// The profile named.
        profile: String,
        /// Where it was named (`--profile`, `AWS_PROFILE`).
        origin: &'static str,
        /// The files read, as the user would look for them.
        files: String,
        /// The profiles those files define.
        known: Vec<String>,
    },
    /// No region anywhere.
    #[error("no AWS region: set AWS_REGION or pass --region")]
    NoRegion,
    /// An AWS API call failed after its retries.
    #[error("{operation}: {code}: {message}")]
    Api {
        /// The operation (`CreateChangeSet`).
        operation: &'static str,
        /// The error code (`ValidationError`).
        code: String,
        /// AWS's message, or the transport's.
        message: String,
    },
    /// The endpoint could not be reached (refused, unresolvable, timed out) after the
    /// retries.
    #[error(
        "cannot reach {service} ({operation}): {reason}{}",
        unreachable_hint(reason)
    )]
    Unreachable {
        /// The service (`CloudFormation`, `S3`).
        service: &'static str,
        /// The operation (`DescribeStacks`).
        operation: &'static str,
        /// The innermost cause (`Connection refused (os error 111)`).
        reason: String,
    },
    /// The template is over the inline limit and there is no bucket to upload it to.
    #[error(
        "the template is {size} bytes, over CloudFormation's 51,200-byte inline limit: pass --template-bucket <bucket> to deploy it through S3"
    )]
    TemplateTooLarge {
        /// The template's size.
        size: usize,
    },
    /// The change set could not be created (other than "no changes").
    #[error("the change set failed: {0}")]
    ChangeSetFailed(String),
    /// The stack is busy and the caller asked not to wait.
    #[error(
        "stack {stack} is {status}: another operation is in progress (run again without --no-wait to wait for it)"
    )]
    Busy {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
    },
    /// The stack is in a state the user declined to leave.
    #[error("stack {stack} is {status}; {what}")]
    Blocked {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
        /// What the user can do.
        what: String,
    },
    /// The stack does not exist.
    #[error("stack {0} does not exist")]
    NoSuchStack(String),
    /// The operation ended in a failed or rolled-back state.
    #[error("{0}")]
    Failed(String),
    /// The user declined; what this run created was cleaned up, as said.
    #[error("cancelled: {0}")]
    Declined(String),
    /// Another run is deploying the same stack and planned first.
    #[error(
        "another run is deploying stack {stack} (its change set {theirs} came first); nothing was executed: {cleanup}. Run again when it has finished"
    )]
    AnotherRun {
        /// The stack.
        stack: String,
        /// The other run's change set.
        theirs: String,
        /// What this run cleaned up.
        cleanup: String,
    },
    /// Another run changed the stack between this run's plan and its execution.
    #[error(
        "stack {stack} was changed by another run while this one planned (it is {status} now); nothing was executed: {cleanup}. Run again to plan against what is there now"
    )]
    Concurrent {
        /// The stack.
        stack: String,
        /// Its status now.
        status: String,
        /// What this run cleaned up.
        cleanup: String,
    },
    /// The stack changed between the listing a destroy showed and its deletion.
    #[error(
        "stack {stack} changed while the list was read (it is {now}); nothing was deleted. Run destroy again to list what is there now"
    )]
    ChangedSinceListed {
        /// The stack.
        stack: String,
        /// What it is now.
        now: String,
    },
    /// The change would break another stack's import, which CloudFormation refuses half
    /// way through; nothing was executed.
    #[error(
        "stack {stack}: {broken}; CloudFormation refuses to change an export in use, so nothing was executed: {cleanup}. Change the importing stack first, then deploy again"
    )]
    BreaksImport {
        /// The stack.
        stack: String,
        /// The first import it breaks (all of them were said).
        broken: super::BrokenImport,
        /// What this run cleaned up.
        cleanup: String,
    },
    /// An error after this run created a change set, which was then cleaned up.
    #[error("{error}; {cleanup}")]
    CleanedUp {
        /// What went wrong.
        error: Box<DeployError>,
        /// What this run cleaned up.
        cleanup: String,
    },
    /// Interrupted by a signal (SIGINT, SIGTERM, SIGHUP); what was said about the stack.
    #[error("interrupted: {0}")]
    Interrupted(String),
    /// Anything local (writing the outputs file, say).
    #[error("{0}")]
    Local(String),
}

impl DeployError {
    /// This error, once what the run created was cleaned up as `cleanup` says: an
    /// interrupt says it executed nothing, any other error carries the cleanup along.
    pub(crate) fn after_cleanup(self, cleanup: String) -> Self {
        match self {
            Self::Interrupted(_) => Self::Interrupted(format!("nothing was executed: {cleanup}")),
            Self::ChangeSetFailed(reason) => Self::ChangeSetFailed(format!("{reason} ({cleanup})")),
            other => Self::CleanedUp {
                error: Box::new(other),
                cleanup,
            },
        }
    }

    /// Whether the error says the stack does not exist.
    pub(crate) fn is_missing_stack(&self) -> bool {
        matches!(self, Self::Api { code, message, .. } if code == "ValidationError" && message.contains("does not exist"))
    }
}

/// The last error in a chain of sources: for a failed connection, the operating system's
/// words rather than every layer's wrapping.
pub(super) fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    loop {
        // The proxy's own words, which name it and say what to do, end the search.
        if let Some(failure) = cause.downcast_ref::<ProxyFailure>() {
            return failure.to_string();
        }
        match cause.source() {
            Some(source) => cause = source,
            None => break,
        }
    }
    let text = cause.to_string();
    if text.is_empty() || std::ptr::addr_eq(cause, error) {
        "the request timed out or the connection failed".to_owned()
    } else {
        text
    }
}

/// The profiles there are, the likeliest meant first, or how to write the one named.
fn known_profiles(profile: &str, known: &[String]) -> String {
    if known.is_empty() {
        return format!(
            ", which define no profile: `aws configure --profile {profile}` writes one"
        );
    }
    let hint = crate::error::closest(profile, known.iter().map(String::as_str));
    match hint.0 {
        Some(_) => format!("{hint} (defined: {})", known.join(", ")),
        None => format!("; defined: {}", known.join(", ")),
    }
}

/// What to check when a service cannot be reached, unless the proxy was the cause.
fn unreachable_hint(reason: &str) -> &'static str {
    if reason.starts_with(PROXY) {
        ""
    } else {
        "; check the network, --region and --endpoint-url (`stacks local start` starts the local endpoint)"
    }
}
