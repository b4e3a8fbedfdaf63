//! The `stacks` binary, end to end.

use std::process::Command;

mod common;

/// The binary with none of the variables that configure the loan stack.
fn stacks() -> Command {
    common::bare_command()
}

fn default_loan_stack() -> infra_runtime::Stack {
    let config = infra_runtime::StackConfig::from_lookup(stacks::loan::LoanStack::REGION, |_| None)
        .expect("the default configuration");
    stacks::loan::LoanStack::new(&config, &stacks::loan::LoanSettings::default()).stack
}

#[test]
fn synth_prints_the_compact_template_and_exits_zero() {
    let out = stacks().arg("synth").output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let expected = default_loan_stack().synth().expect("synthesizes");
    assert_eq!(text, format!("{}\n", expected.body()));
}

#[test]
fn synth_reads_the_environment_suffix_and_default_tags() {
    let out = stacks()
        .arg("synth")
        .env("ENVIRONMENT_SUFFIX", "pr77")
        .env("TEAM", "lending")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let template: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let tags = template["Resources"]["NetworkVpc"]["Properties"]["Tags"]
        .as_array()
        .expect("tags")
        .clone();
    let tag = |key: &str| {
        tags.iter()
            .find(|t| t["Key"] == key)
            .map(|t| t["Value"].clone())
    };
    assert_eq!(tag("Environment"), Some("pr77".into()));
    assert_eq!(tag("Team"), Some("lending".into()));
    assert_eq!(tag("Name"), Some("network-pr77".into()));
    assert_eq!(tag("CostCenter"), Some("fintech-infrastructure".into()));
}

#[test]
fn synth_sample_selects_the_other_stack() {
    let out = stacks()
        .args(["synth", "--stack", "sample"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = stacks::sample::sample_stack().synth().expect("synthesizes");
    assert_eq!(
        String::from_utf8(out.stdout).expect("UTF-8"),
        format!("{}\n", expected.body())
    );
}

#[test]
fn synth_out_writes_the_file_and_nothing_to_stdout() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("template.json");
    let out = stacks()
        .args(["synth", "--pretty", "--out"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&path).expect("file written");
    let parsed: serde_json::Value = serde_json::from_str(&written).expect("valid JSON");
    assert_eq!(parsed["Resources"]["NetworkVpc"]["Type"], "AWS::EC2::VPC");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left behind: {leftovers:?}"
    );
}

#[test]
fn synth_out_dev_stdout_writes_to_the_stream_and_leaves_the_link() {
    let before = std::fs::read_link("/dev/stdout").expect("/dev/stdout is a link");
    let out = stacks()
        .args(["synth", "--out", "/dev/stdout"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the template");
    assert_eq!(parsed["Resources"]["NetworkVpc"]["Type"], "AWS::EC2::VPC");
    assert_eq!(
        std::fs::read_link("/dev/stdout").expect("still a link"),
        before,
        "/dev/stdout is not replaced"
    );
}

#[test]
fn an_unwritable_out_path_is_one_clear_line_and_exit_one() {
    let out = stacks()
        .args(["synth", "--out", "/nonexistent-dir/template.json"])
        .output()
        .expect("runs");
    let stderr = one_error_line(out);
    assert!(
        stderr.starts_with("error: cannot write the template to /nonexistent-dir/template.json:"),
        "{stderr}"
    );
}

#[test]
fn a_directory_that_takes_no_files_is_named_without_the_probes_temporary_name() {
    // /proc exists, but no file can be created in it.
    let out = stacks()
        .args(["synth", "--out", "/proc/template.json"])
        .output()
        .expect("runs");
    let stderr = one_error_line(out);
    assert!(
        stderr.starts_with("error: cannot write the template in /proc: "),
        "{stderr}"
    );
    assert!(!stderr.contains("at path"), "{stderr}");
    assert!(!stderr.contains(".stacks-check-"), "{stderr}");
}

#[test]
fn the_help_examples_are_commands_that_parse() {
    let out = stacks().arg("--help").output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let examples: Vec<&str> = text
        .split("Examples:\n")
        .nth(1)
        .expect("an Examples section")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(examples.len() >= 5, "{text}");
    for example in examples {
        // The command is what comes before the description's run of spaces; variables
        // set in front of it are the environment, not arguments.
        let command = example.trim().split("  ").next().unwrap_or_default();
        let words: Vec<&str> = command
            .split_whitespace()
            .filter(|w| !w.contains('='))
            .collect();
        assert_eq!(words.first(), Some(&"stacks"), "{example}");
        let words: Vec<std::ffi::OsString> = words.iter().map(Into::into).collect();
        if let Err(error) = infra_cli::cli::parse(&stacks::app(), &words) {
            panic!("`{command}` does not parse: {error}");
        }
    }
}

#[test]
fn help_explains_synth() {
    let out = stacks().args(["synth", "--help"]).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("deterministic"), "{text}");
    assert!(text.contains("--out <PATH>"), "{text}");
}

/// `command` in an environment without AWS credentials of any kind.
fn credential_free(mut command: Command, name: &str) -> Command {
    // An empty home of its own, kept under the target directory and reused by every run.
    let home = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("nohome-{name}"));
    std::fs::create_dir_all(&home).expect("temp home");
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
}

fn without_credentials(name: &str) -> Command {
    credential_free(stacks(), name)
}

/// Standard error of a run that failed as a user error should: exit 1, one line.
fn one_error_line(out: std::process::Output) -> String {
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn missing_credentials_are_one_line_with_the_fix() {
    let out = without_credentials("line")
        .args(["outputs"])
        .output()
        .expect("runs");
    let stderr = one_error_line(out);
    assert!(
        stderr.starts_with("error: no AWS credentials found: set AWS_PROFILE"),
        "{stderr}"
    );
}

#[test]
fn a_profile_the_config_files_do_not_define_is_one_line_naming_the_ones_they_do() {
    let home = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profiles-home");
    std::fs::create_dir_all(home.join(".aws")).expect("home");
    std::fs::write(
        home.join(".aws/config"),
        "[profile dev]\nregion = eu-west-2\n[profile prod]\nregion = eu-west-2\n",
    )
    .expect("config");
    // Keys in the environment: without the check, the chain would deploy with them.
    let run = |args: &[&str], profile: Option<&str>| {
        let mut command = without_credentials("profiles");
        command
            .env("HOME", &home)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .args(args);
        if let Some(profile) = profile {
            command.env("AWS_PROFILE", profile);
        }
        one_error_line(command.output().expect("runs"))
    };
    let typo = run(&["--profile", "deb", "outputs"], None);
    assert!(
        typo.starts_with("error: profile `deb` (--profile) is not defined in "),
        "{typo}"
    );
    assert!(
        typo.contains("did you mean `dev`? (defined: dev, prod)"),
        "{typo}"
    );
    let from_env = run(&["outputs"], Some("staging"));
    assert!(
        from_env.starts_with("error: profile `staging` (AWS_PROFILE) is not defined in "),
        "{from_env}"
    );
    assert!(from_env.ends_with("; defined: dev, prod\n"), "{from_env}");
}

#[test]
fn an_endpoint_url_that_is_not_an_http_url_is_refused_before_any_call() {
    for (url, says) in [
        ("ftp://127.0.0.1", "expected an http:// or https:// URL"),
        ("127.0.0.1:4566", "expected an http:// or https:// URL"),
        ("http://[::1", "`[::1` lacks its closing `]`"),
        ("http://127.0.0.1:456600", "`456600` is not a port"),
        ("https://:443/", "`:443` is not a host"),
        ("http://local host", "a URL holds no ' '"),
    ] {
        let out = without_credentials("endpoint-url")
            .args(["outputs", "--endpoint-url", url])
            .output()
            .expect("runs");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8");
        assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!(
                "error: invalid value '{url}' for '--endpoint-url <URL>': "
            )),
            "{first}"
        );
        assert!(first.contains(says), "{url}: {first}");
    }
}

#[test]
fn an_endpoint_from_the_environment_that_is_not_a_url_is_one_line_naming_the_variable() {
    for (variable, service) in [
        ("AWS_ENDPOINT_URL_CLOUDFORMATION", "CloudFormation"),
        ("AWS_ENDPOINT_URL_S3", "S3"),
    ] {
        let out = without_credentials("endpoint-variable")
            .args(["outputs", "--region", "eu-west-2"])
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env(variable, "notaurl")
            .output()
            .expect("runs");
        let stderr = one_error_line(out);
        assert_eq!(
            stderr.trim_end(),
            format!(
                "error: the {service} endpoint `notaurl` (from {}, AWS_ENDPOINT_URL or a profile's endpoint_url) is not usable: expected an http:// or https:// URL (e.g. http://127.0.0.1:4566)",
                variable
            )
        );
    }
}

#[test]
fn a_template_bucket_that_is_not_a_buckets_name_is_refused_before_any_call() {
    // `x:1@example.net#.s3.…` would be a URL whose host is example.net.
    let bucket = "x:1@example.net#";
    let out = without_credentials("template-bucket")
        .args(["deploy", "--yes", "--template-bucket", bucket])
        .output()
        .expect("runs");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.lines().next().unwrap_or_default(),
        format!(
            "error: invalid value '{bucket}' for '--template-bucket <BUCKET>': ':' is none of the letters, digits, dots and hyphens a bucket's name is made of"
        )
    );
}

#[test]
fn an_escape_sequence_from_the_endpoint_never_reaches_the_terminal() {
    // An output whose value would set the terminal's title and clear its screen.
    let url = answering(
        "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>TapStackdev</StackName><StackStatus>CREATE_COMPLETE</StackStatus><Outputs><member><OutputKey>Url</OutputKey><OutputValue>a&#x1b;]0;owned&#7;&#x1b;[2Jb</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>",
    );
    let out = without_credentials("escape")
        .args(["outputs", "--endpoint-url", &url])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout, "Url = a\u{fffd}]0;owned\u{fffd}\u{fffd}[2Jb\n");
}

#[test]
fn graph_draws_references_as_dot_and_mermaid() {
    let dot = stacks().args(["graph"]).output().expect("runs");
    assert!(dot.status.success());
    let dot = String::from_utf8(dot.stdout).expect("UTF-8");
    assert!(dot.starts_with("digraph stack {"), "{dot}");
    assert!(dot.contains("\"NetworkPublicSubnet1\" -> \"NetworkVpc\";"));
    assert!(dot.contains("\"AppSgFromAlbSg8080\" -> \"AlbSg\";"));
    let mermaid = stacks()
        .args(["graph", "--format", "mermaid"])
        .output()
        .expect("runs");
    let mermaid = String::from_utf8(mermaid.stdout).expect("UTF-8");
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(
        mermaid.contains("  DatabaseCluster --> DataKey\n"),
        "{mermaid}"
    );
}

#[test]
fn an_unreachable_endpoint_is_one_line_naming_the_cause() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = without_credentials("unreachable")
        .args(["deploy", "--yes", "--endpoint-url", &url])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .expect("runs");
    let stderr = one_error_line(out);
    assert!(
        stderr.starts_with("error: cannot reach CloudFormation (DescribeStacks): "),
        "{stderr}"
    );
    assert!(
        stderr.to_lowercase().contains("connection refused"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("DispatchFailure"),
        "no SDK internals: {stderr}"
    );
}

/// An endpoint that answers every request with `body`, for as many requests as come.
fn answering(body: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten().take(20) {
            let mut head = [0u8; 8192];
            let _ = stream.read(&mut head);
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

#[test]
fn an_endpoint_that_is_not_cloudformation_is_one_line_and_nothing_waits_on_it() {
    // A web server that answers every request with a page of its own.
    let url = answering("<html><body>It works</body></html>");
    let mut child = without_credentials("not-cloudformation")
        .args(["deploy", "--yes", "--endpoint-url", &url])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    // Read as an empty answer, the page made a deploy that polled for ever.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().expect("waits").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the deploy was still running after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let stderr = one_error_line(child.wait_with_output().expect("output"));
    assert_eq!(
        stderr.trim_end(),
        "error: DescribeStacks: MalformedAnswer: the endpoint answered `<html>` where CloudFormation answers `<DescribeStacksResponse>`; is it CloudFormation's?"
    );
}

/// A proxy that reads the head of each connection's first request and answers 403,
/// sending each head on `heads`.
fn forbidding_proxy() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (heads, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = std::io::BufReader::new(stream.try_clone().expect("clone"));
            let mut head = String::new();
            while reader.read_line(&mut head).unwrap_or(0) > 2 && !head.ends_with("\r\n\r\n") {}
            let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
            let _ = heads.send(head);
        }
    });
    (url, received)
}

#[test]
fn calls_to_aws_go_through_the_environments_proxy() {
    let (proxy, heads) = forbidding_proxy();
    let out = without_credentials("proxied")
        .args(["deploy", "--yes", "--region", "eu-west-2"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("HTTPS_PROXY", &proxy)
        .output()
        .expect("runs");
    let stderr = one_error_line(out);
    assert!(
        stderr.starts_with("error: cannot reach CloudFormation (DescribeStacks): the proxy that HTTPS_PROXY or ALL_PROXY names refused the connection"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("--endpoint-url"),
        "the proxy, not the endpoint: {stderr}"
    );
    let head = heads.try_recv().expect("the proxy was asked");
    assert!(
        head.starts_with("CONNECT cloudformation.eu-west-2.amazonaws.com:443 HTTP/1.1"),
        "{head}"
    );
}

#[test]
fn a_local_endpoint_is_never_reached_through_a_proxy() {
    let (proxy, heads) = forbidding_proxy();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let out = without_credentials("local-unproxied")
        .args([
            "deploy",
            "--yes",
            "--endpoint-url",
            &format!("http://127.0.0.1:{port}"),
        ])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("HTTP_PROXY", &proxy)
        .env("ALL_PROXY", &proxy)
        .output()
        .expect("runs");
    let stderr = one_error_line(out);
    assert!(
        stderr.to_lowercase().contains("connection refused"),
        "{stderr}"
    );
    assert!(heads.try_recv().is_err(), "the proxy was asked");
}

#[test]
fn local_and_an_endpoint_url_conflict_before_anything_starts() {
    let dir = std::env::temp_dir().join(format!("stacks-conflict-{}", std::process::id()));
    let out = stacks()
        .args(["deploy", "--local", "--endpoint-url", "http://127.0.0.1:9"])
        .env("INFRA_LOCAL_DIR", &dir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.contains("'--local' cannot be used with '--endpoint-url <URL>'"),
        "{stderr}"
    );
    assert!(!dir.exists(), "nothing was set up for a local endpoint");
}

/// `stacks outputs` without credentials, its standard error as a terminal shows it:
/// script(1) runs the command on a pseudo-terminal and copies what it printed.
fn on_a_terminal(no_color: bool) -> String {
    let binary = env!("CARGO_BIN_EXE_stacks");
    let mut script = Command::new("script");
    script.args(["-qec", &format!("'{binary}' outputs"), "/dev/null"]);
    let mut script = credential_free(script, if no_color { "tty-plain" } else { "tty" });
    script.env("TERM", "xterm");
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let out = script.output().expect("script(1) from util-linux runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn errors_are_red_on_a_terminal_and_plain_with_no_color_or_in_a_pipe() {
    let colored = on_a_terminal(false);
    assert!(
        colored.contains("\x1b[1;31merror:\x1b[0m no AWS credentials found"),
        "{colored:?}"
    );
    let plain = on_a_terminal(true);
    assert!(
        plain.starts_with("error: no AWS credentials found"),
        "{plain:?}"
    );
    assert!(!plain.contains('\x1b'), "NO_COLOR: {plain:?}");
    let piped = without_credentials("pipe")
        .args(["outputs"])
        .output()
        .expect("runs");
    assert!(
        !String::from_utf8_lossy(&piped.stderr).contains('\x1b'),
        "a pipe gets no colour"
    );
}

#[test]
fn synth_out_writes_each_code_asset_beside_the_template_under_the_key_it_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("orders.json");
    let serverless = || common::bare(env!("CARGO_BIN_EXE_serverless"));
    let out = serverless()
        .args(["synth", "--stack", "orders", "--output", "json", "--out"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let packed = infra_runtime::asset::Asset::from_directory(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("functions/intake"),
    )
    .expect("the intake code packs");
    let written = dir.path().join(packed.key());
    assert_eq!(
        std::fs::read(&written).expect("the asset is written"),
        packed.bytes(),
        "the same bytes as packing the directory again"
    );
    let template: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("template")).expect("JSON");
    assert_eq!(
        template["Resources"]["FrontIntake"]["Properties"]["Code"]["S3Key"],
        packed.key()
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let listed: Vec<&str> = report["assets"]
        .as_array()
        .expect("the assets written")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert_eq!(listed.len(), 2, "the intake and check code: {listed:?}");
    assert!(
        listed.contains(&written.to_string_lossy().as_ref()),
        "{listed:?}"
    );

    let printed = serverless()
        .args(["synth", "--stack", "orders"])
        .output()
        .expect("runs");
    assert!(printed.status.success());
    assert!(
        String::from_utf8_lossy(&printed.stderr)
            .contains("2 code asset(s) are not written: give --out <file>"),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
}
