//! The repository's apps: the loan-processing platform and the stacks beside it (the
//! `stacks` binary), and the serverless stacks (the `serverless` binary).

pub mod archive;
pub mod audit;
pub mod kubernetes;
pub mod loan;
pub mod orders;
pub mod reference;
pub mod sample;
pub mod serverless;

/// The app: its stacks, the loan platform first (the one commands use without `--stack`).
pub fn app() -> infra_cli::App {
    infra_cli::App::new("stacks")
        .stack::<loan::LoanStack>()
        .stack::<audit::AuditStack>()
        .stack::<sample::SampleStack>()
}
