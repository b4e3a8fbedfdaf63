//! `cargo run -p stacks -- <command>`; see `--help`.

use std::process::ExitCode;

use clap::Parser;
use stacks::cli::{Cli, run};
use stacks::ui::Shell;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            Shell::detect().error(&failure.message);
            ExitCode::from(failure.code)
        }
    }
}
