//! The command line's own overhead on a deploy, against the local endpoint: the time from
//! the stack reaching its terminal state (the endpoint's timestamp of the stack's final
//! event) to the `stacks` process exiting, and the API calls per deploy. Each run toggles
//! one setting, so each is a real one-resource update. Not a timed test: it prints medians.
//!
//! `cargo bench -p stacks --bench deploy [-- RUNS]`

use std::path::PathBuf;
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use infra_cli::local::LocalEndpoint;

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(9);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/localstack");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(4610);
    let endpoint = LocalEndpoint::new(&root, port);
    if let Err(error) = endpoint.ensure_running(&mut |m| eprintln!("{m}")) {
        eprintln!("cannot start the local endpoint: {error}");
        std::process::exit(1);
    }
    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/stacks");
    let binary = if binary.is_file() {
        binary
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/stacks")
    };
    eprintln!("measuring {} against {}", binary.display(), endpoint.url());

    let deploy = |plain: bool| {
        let mut command = Command::new(&binary);
        command
            .env("ENVIRONMENT_SUFFIX", "bench")
            .env("INFRA_LOCAL_DIR", &root)
            .env("INFRA_LOCAL_PORT", port.to_string())
            .args(["deploy", "--local", "--yes", "--output", "json"]);
        if plain {
            command.arg("--allow-plain-http");
        }
        let started = Instant::now();
        let output = command.output().expect("stacks runs");
        let exited = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or_default();
        let result: serde_json::Value =
            serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
                panic!("deploy failed: {}", String::from_utf8_lossy(&output.stderr));
            });
        (result, exited, started.elapsed().as_secs_f64())
    };
    // The stack's final event, as the endpoint timestamps it.
    let terminal_at = || -> f64 {
        let script = "import boto3, os\ncf = boto3.client('cloudformation', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\nfor e in cf.describe_stack_events(StackName='TapStackbench')['StackEvents']:\n    if e['LogicalResourceId'] == 'TapStackbench' and e['ResourceStatus'].endswith('_COMPLETE'):\n        print(e['Timestamp'].timestamp()); break\n";
        let out = Command::new(root.join("venv/bin/python"))
            .arg("-c")
            .arg(script)
            .env("ENDPOINT", endpoint.url())
            .output()
            .expect("python runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(f64::NAN)
    };

    let (created, _, create_secs) = deploy(false);
    eprintln!(
        "create: {} in {create_secs:.1} s, {} API calls",
        created["status"], created["api_calls"]
    );
    let mut overheads = Vec::new();
    let mut calls = Vec::new();
    let mut totals = Vec::new();
    for i in 0..runs {
        let (result, exited, total) = deploy(i % 2 == 0);
        assert_eq!(result["status"], "UPDATE_COMPLETE", "{result}");
        let overhead = exited - terminal_at();
        eprintln!(
            "run {}: terminal state to exit {:.0} ms, {} API calls, {:.2} s in all",
            i + 1,
            overhead * 1000.0,
            result["api_calls"],
            total
        );
        overheads.push(overhead * 1000.0);
        calls.push(result["api_calls"].as_f64().unwrap_or(f64::NAN));
        totals.push(total);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "deploy (one-resource update), median of {runs}: terminal state to exit {:.0} ms; {:.0} API calls; {:.2} s per deploy",
        median(&mut overheads),
        median(&mut calls),
        median(&mut totals)
    );
    let _ = endpoint.stop();
}
