//! What the end-to-end tests share: a local endpoint of their own on a free port (stopped
//! when dropped) and the `stacks` binary pointed at it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use infra_cli::local::LocalEndpoint;
use serde_json::Value;

/// The binary with none of the variables that configure stacks and AWS access.
pub fn bare_command() -> Command {
    bare(env!("CARGO_BIN_EXE_stacks"))
}

/// `binary` with none of the variables that configure stacks and AWS access.
pub fn bare(binary: &str) -> Command {
    let mut command = Command::new(binary);
    for variable in [
        "ENVIRONMENT_SUFFIX",
        "AWS_REGION",
        "REPOSITORY",
        "COMMIT_AUTHOR",
        "PR_NUMBER",
        "TEAM",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "NO_COLOR",
    ] {
        command.env_remove(variable);
    }
    command
}

/// A local endpoint of the test's own.
pub struct Endpoint {
    pub endpoint: LocalEndpoint,
    pub root: PathBuf,
    pub port: u16,
}

impl Endpoint {
    pub fn new() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/localstack");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        Self {
            endpoint: LocalEndpoint::new(&root, port),
            root,
            port,
        }
    }

    pub fn stacks(&self, args: &[&str]) -> Output {
        self.stacks_for("e2e", args)
    }

    pub fn stacks_for(&self, suffix: &str, args: &[&str]) -> Output {
        self.command(suffix)
            .args(args)
            .output()
            .expect("stacks runs")
    }

    /// The serverless app's binary with the test's environment, run with `args`.
    pub fn serverless_for(&self, suffix: &str, args: &[&str]) -> Output {
        self.with_environment(bare(env!("CARGO_BIN_EXE_serverless")), suffix)
            .args(args)
            .output()
            .expect("serverless runs")
    }

    /// The reference app's binary with the test's environment, run with `args`.
    pub fn reference_for(&self, suffix: &str, args: &[&str]) -> Output {
        self.with_environment(bare(env!("CARGO_BIN_EXE_reference")), suffix)
            .args(args)
            .output()
            .expect("reference runs")
    }

    /// The binary with the test's environment, not yet run.
    pub fn command(&self, suffix: &str) -> Command {
        self.with_environment(bare_command(), suffix)
    }

    fn with_environment(&self, mut command: Command, suffix: &str) -> Command {
        command
            .env("ENVIRONMENT_SUFFIX", suffix)
            .env("INFRA_LOCAL_DIR", &self.root)
            .env("INFRA_LOCAL_PORT", self.port.to_string());
        command
    }

    /// Runs Python with boto3 (from the endpoint's own environment) against the endpoint.
    pub fn python(&self, script: &str) -> String {
        let output = Command::new(self.root.join("venv/bin/python"))
            .arg("-c")
            .arg(script)
            .env("ENDPOINT", self.endpoint.url())
            .output()
            .expect("python runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        let _ = self.endpoint.stop();
    }
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", text(output));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", text(output)))
}
