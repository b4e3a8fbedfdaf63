//! `infra new DIR`: makes a crate of your own with an app of stacks, ready to build,
//! synthesize and deploy on the local endpoint.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use infra_cli::new_app::{Source, create};

/// Starts an app of stacks of your own.
#[derive(Parser)]
#[command(name = "infra", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Makes a new app in DIR: a Cargo package whose binary lists two stacks (a network,
    /// and a job queue importing its VPC) and hands the command line to `infra_cli::App`.
    ///
    /// Then: `cd DIR && cargo run -- list`, `cargo run -- synth --stack jobs`, and
    /// `cargo run -- deploy --all --local --yes` against the local endpoint.
    New {
        /// The directory to make (it must not exist, or be empty).
        dir: PathBuf,
        /// The package's name; the directory's name without it.
        #[arg(long)]
        name: Option<String>,
        /// Depend on a checkout of this project at PATH (by default the checkout this
        /// command was built from).
        #[arg(long, value_name = "PATH", conflicts_with = "git")]
        path: Option<PathBuf>,
        /// Depend on this project by git, from URL.
        #[arg(long, value_name = "URL")]
        git: Option<String>,
        /// With --git: the revision, tag or branch to take.
        #[arg(long, value_name = "REV", requires = "git")]
        rev: Option<String>,
    },
}

fn main() -> ExitCode {
    let Command::New {
        dir,
        name,
        path,
        git,
        rev,
    } = Cli::parse().command;
    let source = match git {
        Some(url) => Source::Git { url, rev },
        None => {
            let root = path.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
            Source::Path(root.canonicalize().unwrap_or(root))
        }
    };
    match create(&dir, name.as_deref(), &source) {
        Ok(written) => {
            for path in written {
                println!("created {}", path.display());
            }
            eprintln!("next: cd {} && cargo run -- list", dir.display());
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("error: {problem}");
            ExitCode::from(1)
        }
    }
}
