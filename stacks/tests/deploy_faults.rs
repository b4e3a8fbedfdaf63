//! Deploying through a faulty network: a proxy between the CLI and the local endpoint
//! answers some requests with throttling errors and 5xx responses, delays others, and
//! drops connections; and the endpoint is killed and restarted in the middle of a deploy.
//! The deploy either completes or stops with one clear line, and a rerun converges.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Endpoint, json, text};

/// What the proxy does to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    Pass,
    Throttle,
    Unavailable,
    Slow,
    Drop,
}

/// Every seventh request is throttled, every seventh (offset) gets a 503, one is delayed and
/// one has its connection dropped before it reaches the endpoint; the rest pass.
fn schedule(n: usize) -> Fault {
    match n % 7 {
        1 => Fault::Throttle,
        3 => Fault::Unavailable,
        4 => Fault::Slow,
        6 => Fault::Drop,
        _ => Fault::Pass,
    }
}

struct Proxy {
    port: u16,
    counts: Arc<[AtomicUsize; 5]>,
}

impl Proxy {
    fn start(upstream: u16) -> Self {
        Self::start_with(upstream, schedule)
    }

    /// A proxy whose `plan` decides what happens to the n-th request.
    fn start_with(upstream: u16, plan: fn(usize) -> Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let counts: Arc<[AtomicUsize; 5]> = Arc::new(Default::default());
        let seen = Arc::new(AtomicUsize::new(0));
        let shared = counts.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (counts, seen) = (shared.clone(), seen.clone());
                std::thread::spawn(move || {
                    let _ = handle(stream, upstream, &counts, &seen, plan);
                });
            }
        });
        Self { port, counts }
    }

    fn count(&self, fault: Fault) -> usize {
        self.counts[fault as usize].load(Ordering::Relaxed)
    }
}

fn handle(
    mut client: TcpStream,
    upstream: u16,
    counts: &[AtomicUsize; 5],
    seen: &AtomicUsize,
    plan: fn(usize) -> Fault,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    // One HTTP/1.1 request per connection (every response says `Connection: close`):
    // head, then a body of Content-Length bytes.
    {
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let end = line == "\r\n";
            if !line.to_ascii_lowercase().starts_with("connection:") {
                head.push(line);
            }
            if end {
                break;
            }
        }
        let length = head
            .iter()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let fault = plan(seen.fetch_add(1, Ordering::Relaxed));
        counts[fault as usize].fetch_add(1, Ordering::Relaxed);
        let canned = |status: &str, code: &str| {
            let xml = format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected by the test proxy</Message></Error><RequestId>proxy</RequestId></ErrorResponse>"
            );
            format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                xml.len()
            )
        };
        match fault {
            Fault::Drop => return Ok(()),
            Fault::Throttle => {
                client.write_all(canned("400 Bad Request", "Throttling").as_bytes())?;
                return Ok(());
            }
            Fault::Unavailable => {
                client.write_all(
                    canned("503 Service Unavailable", "ServiceUnavailable").as_bytes(),
                )?;
                return Ok(());
            }
            Fault::Slow => std::thread::sleep(Duration::from_millis(1500)),
            Fault::Pass => {}
        }
        let mut server = TcpStream::connect(("127.0.0.1", upstream))?;
        let insert = head.len().saturating_sub(1);
        head.insert(insert, "Connection: close\r\n".to_owned());
        server.write_all(head.concat().as_bytes())?;
        server.write_all(&body)?;
        let mut response = Vec::new();
        server.read_to_end(&mut response)?;
        client.write_all(&response)?;
    }
    Ok(())
}

#[test]
fn a_deploy_through_throttling_errors_and_dropped_connections_completes() {
    let local = Endpoint::new();
    local
        .endpoint
        .ensure_running(&mut |_| {})
        .expect("the local endpoint starts");
    let proxy = Proxy::start(local.port);
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let deploy = |args: &[&str]| {
        local
            .command("faults")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .args([
                "deploy",
                "--yes",
                "--output",
                "json",
                "--endpoint-url",
                &url,
                "--nat-gateways",
                "0",
                "--restrict-default-group=false",
            ])
            .args([
                "--parameter",
                "CertificateArn=arn:aws:acm:eu-west-2:000000000000:certificate/test",
            ])
            .args(args)
            .output()
            .expect("stacks runs")
    };
    let created = deploy(&[]);
    assert_eq!(
        json(&created)["status"],
        "CREATE_COMPLETE",
        "{}",
        text(&created)
    );
    for fault in [
        Fault::Throttle,
        Fault::Unavailable,
        Fault::Slow,
        Fault::Drop,
    ] {
        assert!(proxy.count(fault) > 0, "the proxy injected {fault:?}");
    }
    let again = deploy(&[]);
    assert_eq!(json(&again)["status"], "NO_CHANGES", "{}", text(&again));
}

#[test]
fn an_endpoint_restarted_mid_deploy_ends_clearly_and_a_rerun_converges() {
    let local = Endpoint::new();
    local
        .endpoint
        .ensure_running(&mut |_| {})
        .expect("the local endpoint starts");
    let mut child = local
        .command("restart")
        .args(["deploy", "--local", "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stacks starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    // Kill the endpoint as soon as the change set is executing.
    for line in lines.by_ref() {
        let line = line.expect("a line");
        let executing = line.contains("executing change set");
        seen.push(line);
        if executing {
            let before = endpoint_pid(&local);
            assert_eq!(local.endpoint.stop(), Ok(true), "the endpoint was running");
            local
                .endpoint
                .ensure_running(&mut |_| {})
                .expect("starts again");
            let after = endpoint_pid(&local);
            assert!(
                before.is_some() && after.is_some() && before != after,
                "the endpoint really restarted: {before:?} then {after:?}"
            );
            break;
        }
    }
    seen.extend(lines.map_while(Result::ok));
    let status = child.wait().expect("exits");
    let output = seen.join("\n");
    if !status.success() {
        let errors: Vec<&String> = seen.iter().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(errors.len(), 1, "one clear line: {output}");
        assert_eq!(status.code(), Some(1), "{output}");
    }
    let rerun = local.stacks_for(
        "restart",
        &["deploy", "--local", "--yes", "--output", "json"],
    );
    let status = json(&rerun)["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        status == "CREATE_COMPLETE" || status == "NO_CHANGES",
        "{status}: {}",
        text(&rerun)
    );
    // Converged: the stack now matches the template, so one more run changes nothing.
    let again = local.stacks_for(
        "restart",
        &["deploy", "--local", "--yes", "--output", "json"],
    );
    assert_eq!(json(&again)["status"], "NO_CHANGES", "{}", text(&again));
}

/// The process id the local endpoint recorded when it started (before its start time).
fn endpoint_pid(local: &Endpoint) -> Option<u32> {
    std::fs::read_to_string(local.root.join(local.port.to_string()).join("pid"))
        .ok()
        .and_then(|p| p.split_whitespace().next()?.parse().ok())
}

#[test]
fn ctrl_c_leaves_the_stack_running_says_so_and_a_rerun_finishes() {
    let local = Endpoint::new();
    local
        .endpoint
        .ensure_running(&mut |_| {})
        .expect("the local endpoint starts");
    // Every request a little slow, so that the deploy is still following when interrupted.
    let proxy = Proxy::start_with(local.port, |_| Fault::Slow);
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let mut child = local
        .command("interrupt")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .args([
            "deploy",
            "--yes",
            "--endpoint-url",
            &url,
            "--nat-gateways",
            "0",
            "--restrict-default-group=false",
        ])
        .args([
            "--parameter",
            "CertificateArn=arn:aws:acm:eu-west-2:000000000000:certificate/test",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stacks starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("a line");
        let executing = line.contains("executing change set");
        seen.push(line);
        if executing {
            // SIGINT to the process itself, as a terminal's Ctrl-C would send it.
            let status = std::process::Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
            assert!(status.is_ok_and(|s| s.success()));
            break;
        }
    }
    seen.extend(lines.map_while(Result::ok));
    let status = child.wait().expect("exits");
    let output = seen.join("\n");
    assert_eq!(status.code(), Some(130), "{output}");
    let last = seen
        .iter()
        .rev()
        .find(|l| l.starts_with("error: "))
        .expect("an error line");
    assert!(
        last.starts_with("error: interrupted: stack TapStackinterrupt is "),
        "{last}"
    );
    assert!(
        last.contains("CloudFormation carries on without us"),
        "{last}"
    );
    assert!(
        !output.contains('\x1b'),
        "no colour when standard error is not a terminal"
    );
    // CloudFormation did carry on: the stack is being created or done, not rolled back or
    // deleted, and the status the line named is one it passed through.
    let named = last
        .trim_start_matches("error: interrupted: stack TapStackinterrupt is ")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let live = local.python(
        "import boto3, os\n\
         cfn = boto3.client('cloudformation', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         print(cfn.describe_stacks(StackName='TapStackinterrupt')['Stacks'][0]['StackStatus'])",
    );
    let live = live.trim();
    assert!(
        ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"].contains(&live),
        "the interrupted stack is {live}"
    );
    assert!(
        named == "CREATE_IN_PROGRESS" || named == live,
        "the line said {named}, the stack is {live}"
    );

    // The same command again (without the slow proxy) waits for or finishes the stack.
    let rerun = local.stacks_for(
        "interrupt",
        &["deploy", "--local", "--yes", "--output", "json"],
    );
    let status = json(&rerun)["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        ["CREATE_COMPLETE", "NO_CHANGES", "UPDATE_COMPLETE"].contains(&status.as_str()),
        "{status}: {}",
        text(&rerun)
    );
}
