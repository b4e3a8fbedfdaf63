//! `cargo run -p stacks -- <command>`; see `--help`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use stacks::cli::{Cli, Failure, OutputFormat, run, wants_json};
use stacks::ui::Shell;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() && wants_json(&args) => {
            let message = error.render().to_string();
            let failure = Failure {
                message: message.trim_start_matches("error: ").trim_end().to_owned(),
                code: 2,
            };
            return fail(&failure, true);
        }
        Err(error) => error.exit(),
    };
    let json = cli.global.output == OutputFormat::Json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(&failure, json),
    }
}

/// One clear line on standard error and, with `--output json`, the error as the one JSON
/// document on standard output.
fn fail(failure: &Failure, json: bool) -> ExitCode {
    Shell::detect().error(&failure.message);
    if json {
        let _ = writeln!(std::io::stdout().lock(), "{}", failure.to_json());
    }
    ExitCode::from(failure.code)
}
