//! Bad input is refused before any API call, with one line that says what is accepted;
//! result files are written without following links or replacing what is not a file;
//! `--output json` prints exactly one JSON document on standard output, errors included.
//!
//! Commands that would talk to AWS are pointed at a closed loopback port: an input error
//! must come first, so the endpoint's error never shows.

use std::process::{Command, Output};

mod common;

fn stacks() -> Command {
    common::bare_command()
}

/// A command that would fail on the endpoint if it ever got that far.
fn offline(args: &[&str]) -> Command {
    let mut command = stacks();
    command
        .args(args)
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test");
    command
}

/// Standard error of a refused input: exit 1, one line, starting with `prefix`.
fn refused(out: Output, prefix: &str) -> String {
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(prefix),
        "expected `{prefix}…`, found {stderr}"
    );
    stderr
}

fn run(command: &mut Command) -> Output {
    command.output().expect("runs")
}

#[test]
fn environment_suffixes_are_checked_before_synthesis() {
    for (suffix, problem) in [
        ("", "is empty"),
        ("PROD", "has uppercase letters"),
        ("pr 42", "has characters other than"),
        ("a/b", "has characters other than"),
        ("dév", "has characters other than"),
        (&"a".repeat(200), "is longer than 20 characters"),
    ] {
        let out = run(stacks().arg("synth").env("ENVIRONMENT_SUFFIX", suffix));
        let line = refused(out, "error: ENVIRONMENT_SUFFIX `");
        assert!(line.contains(problem), "{suffix:?}: {line}");
        assert!(line.contains("e.g. `dev`"), "{line}");
    }
}

#[test]
fn settings_flags_are_checked_before_any_call() {
    // A setting reaches the construct, which checks it like a literal; synthesis reports
    // it with the line that declared the service.
    for (image, problem) in [("", "is empty"), ("nginx:latest", "is `latest`")] {
        let out = run(&mut offline(&["diff", "--image", image]));
        let stderr = String::from_utf8(out.stderr).expect("UTF-8");
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("`App` has the image `{image}`, which {problem}")),
            "{stderr}"
        );
        assert!(
            stderr.contains("an image is `[registry[:port]/]repository:tag`, pinned to a version"),
            "{stderr}"
        );
        assert!(
            stderr.contains("(declared at stacks/src/loan/compute.rs:"),
            "{stderr}"
        );
    }
    // A setting the chosen stack does not have is refused, naming what it has.
    let line = refused(
        run(&mut offline(&[
            "--stack",
            "sample",
            "diff",
            "--nat-gateways",
            "0",
        ])),
        "error: --nat-gateways: stack `sample` has no such setting; it takes no settings",
    );
    assert!(!line.contains("127.0.0.1"), "{line}");
    // The VPC has three zones: 0, 1 or 3 NAT gateways. Synthesis refuses 7 with the line
    // that declared the VPC, before anything is sent.
    let out = run(&mut offline(&["diff", "--nat-gateways", "7"]));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`Network` has 7 NAT gateways, but a VPC with 3 public subnets takes 0, 1 or 3 (declared at stacks/src/loan/network.rs:"),
        "{stderr}"
    );
    assert!(!stderr.contains("127.0.0.1:9"), "{stderr}");
}

#[test]
fn parameters_are_known_non_empty_and_given_once() {
    refused(
        run(&mut offline(&[
            "diff",
            "--parameter",
            "CertificatArn=arn:x",
        ])),
        "error: --parameter CertificatArn: the stack has no parameter `CertificatArn`; did you mean `CertificateArn`?",
    );
    refused(
        run(&mut offline(&["diff", "--parameter", "CertificateArn="])),
        "error: --parameter CertificateArn= has no value",
    );
    refused(
        run(&mut offline(&[
            "deploy",
            "--parameter",
            "CertificateArn=a",
            "--parameter",
            "CertificateArn=b",
        ])),
        "error: --parameter CertificateArn is given twice",
    );
}

#[test]
fn the_outputs_file_is_checked_before_anything_is_deployed() {
    refused(
        run(&mut offline(&[
            "deploy",
            "--yes",
            "--outputs-file",
            "/nonexistent-dir/outputs.json",
        ])),
        "error: cannot write the outputs to /nonexistent-dir/outputs.json: the directory /nonexistent-dir does not exist",
    );
    refused(
        run(&mut offline(&["deploy", "--yes", "--outputs-file", "/tmp"])),
        "error: cannot write the outputs to /tmp: it is a directory",
    );
}

#[test]
fn synth_out_replaces_a_planted_link_and_refuses_a_device() {
    let dir = tempfile::tempdir().expect("temp dir");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").expect("victim");
    let out_path = dir.path().join("template.json");
    std::os::unix::fs::symlink(&victim, &out_path).expect("planted link");
    let out = run(stacks().args(["synth", "--out"]).arg(&out_path));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "precious"
    );
    let meta = std::fs::symlink_metadata(&out_path).expect("written");
    assert!(
        meta.file_type().is_file(),
        "the link itself is replaced by the file"
    );
    assert!(
        std::fs::read_to_string(&out_path)
            .expect("template")
            .starts_with('{')
    );
    // A device is written to, never replaced.
    let out = run(stacks().args(["synth", "--out", "/dev/null"]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let null = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &null.file_type()
    ));
}

#[test]
fn images_regions_parameter_values_and_variables_are_checked_before_any_call() {
    for (image, problem) in [
        ("🚀:1.0", "has characters an image reference cannot"),
        ("Team/App:1.0", "has a repository path that is not"),
        ("bad_host:x/app:1.0", "has a registry that is not"),
        ("team//app:1.0", "has a repository path that is not"),
        ("app:-1", "has a tag that is not"),
    ] {
        let out = run(&mut offline(&["diff", "--image", image]));
        let stderr = String::from_utf8(out.stderr).expect("UTF-8");
        assert_eq!(out.status.code(), Some(1), "{image}: {stderr}");
        assert!(stderr.contains(problem), "{image}: {stderr}");
        assert!(!stderr.contains("127.0.0.1:9"), "{stderr}");
    }
    refused(
        run(&mut offline(&["diff", "--region", "mars-1"])),
        "error: --region mars-1: not a region of the pinned registry",
    );
    let line = refused(
        run(&mut offline(&["diff", "--region", "eu-west-22"])),
        "error: --region eu-west-22: not a region",
    );
    assert!(line.contains("did you mean `eu-west-2`?"), "{line}");
    refused(
        run(&mut offline(&[
            "diff",
            "--parameter",
            "CertificateArn=not-an-arn",
        ])),
        "error: --parameter CertificateArn: `not-an-arn` is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)",
    );
    let huge = format!(
        "CertificateArn=arn:aws:acm:eu-west-2:123456789012:certificate/{}",
        "a".repeat(5000)
    );
    let line = refused(
        run(&mut offline(&["diff", "--parameter", &huge])),
        "error: --parameter CertificateArn: `arn:aws:acm:",
    );
    assert!(
        line.contains("over CloudFormation's 4096-byte limit"),
        "{line}"
    );
    refused(
        run(stacks()
            .args(["local", "status"])
            .env("INFRA_LOCAL_PORT", "abc")),
        "error: INFRA_LOCAL_PORT is `abc`, not a port",
    );
    let not_utf8 = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"dev\xff");
    refused(
        run(stacks().arg("synth").env("TEAM", not_utf8)),
        "error: TEAM is set but is not UTF-8 text",
    );
}

/// Standard output of a run with `--output json`: exactly one JSON document.
fn one_document(out: &Output) -> serde_json::Value {
    let text = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    let mut documents = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
    let first = documents
        .next()
        .unwrap_or_else(|| panic!("no JSON on standard output: {text:?}"))
        .unwrap_or_else(|e| panic!("not JSON: {e}: {text:?}"));
    assert!(
        documents.next().is_none(),
        "more than one document: {text:?}"
    );
    first
}

#[test]
fn json_output_is_one_document_for_every_command_and_error() {
    let graph = one_document(&run(stacks().args(["--output", "json", "graph"])));
    assert!(
        graph["edges"].as_array().is_some_and(|e| e
            .iter()
            .any(|e| e["from"] == "AlbSg" && e["to"] == "NetworkVpc")),
        "{graph}"
    );
    assert!(
        graph["nodes"].as_array().is_some_and(|n| !n.is_empty()),
        "{graph}"
    );

    let status = one_document(&run(stacks()
        .args(["--output", "json", "local", "status"])
        .env("INFRA_LOCAL_PORT", "9")));
    assert_eq!(status["running"], false, "{status}");
    assert_eq!(status["url"], "http://127.0.0.1:9", "{status}");

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.json");
    let written = one_document(&run(stacks()
        .args(["--output", "json", "synth", "--out"])
        .arg(&path)));
    assert_eq!(written["template"], path.display().to_string(), "{written}");

    let out = run(stacks()
        .args(["--output", "json", "synth"])
        .env("ENVIRONMENT_SUFFIX", "PROD"));
    assert_eq!(out.status.code(), Some(1));
    let error = one_document(&out);
    assert_eq!(error["error"]["exit_code"], 1, "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("ENVIRONMENT_SUFFIX")),
        "{error}"
    );

    let out = run(stacks().args(["--output", "json", "no-such-command"]));
    assert_eq!(out.status.code(), Some(2));
    let error = one_document(&out);
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("unrecognized subcommand")),
        "{error}"
    );
}

#[test]
fn an_aws_region_the_stack_does_not_declare_is_said_not_to_apply() {
    let out = run(offline(&["diff"]).env("AWS_REGION", "us-east-1"));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.contains("AWS_REGION=us-east-1 does not apply: stack `loan` declares eu-west-2 (pass --region to deploy it elsewhere)"),
        "{stderr}"
    );
    // The declared region is the one used: the same region set says nothing.
    let out = run(offline(&["diff"]).env("AWS_REGION", "eu-west-2"));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(!stderr.contains("does not apply"), "{stderr}");
}

#[test]
fn a_setting_whose_value_does_not_parse_is_a_command_line_error() {
    let out = run(&mut offline(&["diff", "--nat-gateways", "two"]));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("nat"), "{stderr}");
}
