//! The `stacks` command line: argument types (their doc comments are the help text) and
//! the commands they run.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use infra_runtime::Stack;

/// Synthesizes the project's CloudFormation stacks.
#[derive(Debug, Parser)]
#[command(name = "stacks", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a stack's CloudFormation template, or write it to a file.
    ///
    /// Synthesis is deterministic: the same code gives byte-identical output. Every problem
    /// (a missing required property, a reference to nothing, a CloudFormation quota) is
    /// reported at once, and nothing is written unless the template is valid.
    Synth {
        /// Which stack to synthesize.
        #[arg(long, value_enum, default_value_t = StackName::Loan)]
        stack: StackName,
        /// Write the template to this file instead of standard output.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Indent the JSON for reading (the default is the compact form CloudFormation receives).
        #[arg(long)]
        pretty: bool,
    },
}

/// The stacks this binary knows.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StackName {
    /// The loan-processing platform (`src/loan.rs`), configured from `ENVIRONMENT_SUFFIX`,
    /// `AWS_REGION`, `REPOSITORY`, `COMMIT_AUTHOR`, `PR_NUMBER` and `TEAM`.
    Loan,
    /// A VPC, two subnets, a security group, a role and a KMS-encrypted bucket.
    Sample,
}

impl StackName {
    fn build(self) -> Stack {
        match self {
            StackName::Loan => crate::loan::loan_stack_from_env().stack,
            StackName::Sample => crate::sample::sample_stack(),
        }
    }
}

/// Runs a parsed command line; the error is what to print, one problem per line.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Synth { stack, out, pretty } => synth(stack, out.as_deref(), pretty),
    }
}

fn synth(stack: StackName, out: Option<&Path>, pretty: bool) -> Result<(), String> {
    let template = stack
        .build()
        .synth()
        .map_err(|e| e.to_string().trim_end().to_owned())?;
    let mut text = if pretty {
        template.pretty()
    } else {
        template.body().to_owned()
    };
    text.push('\n');
    match out {
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the template to standard output: {e}")),
        Some(path) => write_atomically(path, &text),
    }
}

/// Writes through a temporary file beside `path`, so a failure never leaves half a template.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let file_name = path
        .file_name()
        .ok_or_else(|| format!("`{}` is not a file path", path.display()))?;
    let tmp = path.with_file_name(format!(".{}.tmp", file_name.to_string_lossy()));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write the template to {}: {e}", path.display())
        })
}
