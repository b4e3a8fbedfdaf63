//! The repository's app: the loan-processing platform, the stacks beside it, and the
//! list the `stacks` binary runs the command line over.

pub mod audit;
pub mod loan;
pub mod orders;
pub mod sample;

/// The app: its stacks, the loan platform first (the one commands use without `--stack`).
pub fn app() -> infra_cli::App {
    infra_cli::App::new("stacks")
        .stack::<loan::LoanStack>()
        .stack::<audit::AuditStack>()
        .stack::<sample::SampleStack>()
        .stack::<orders::OrdersStack>()
}
