//! Runs on one stack against the local endpoint: a run waiting at its prompt holds off a
//! second run (which refuses in one line, executing nothing) and, declined, removes its
//! change set and the empty stack it made; two runs started at once execute once and
//! leave nothing outside the stack; Ctrl-C at the prompt of a new stack cleans up this
//! run's change set and the empty stack, executes nothing, and exits 130. A production
//! stack gets termination protection at deploy, and `--yes` alone does not destroy it.
//!
//! The waiting run sits on a pseudo-terminal (script(1)), where it asks and where Ctrl-C
//! is a keystroke.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use common::{Endpoint, text};

/// A run of `stacks` on a pseudo-terminal, its output gathered as it comes.
struct OnTerminal {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl OnTerminal {
    fn start(local: &Endpoint, suffix: &str, args: &str) -> Self {
        let binary = env!("CARGO_BIN_EXE_stacks");
        let template = local.command(suffix);
        let mut script = Command::new("script");
        script
            .args(["-qec", &format!("'{binary}' {args}"), "/dev/null"])
            .envs(template.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for removed in template.get_envs().filter(|(_, v)| v.is_none()) {
            script.env_remove(removed.0);
        }
        script.env("TERM", "dumb").env("NO_COLOR", "1");
        let mut child = script.spawn().expect("script(1) from util-linux runs");
        let output = Arc::new(Mutex::new(String::new()));
        let mut stdout = child.stdout.take().expect("stdout");
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Self { child, output }
    }

    fn wait_for(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while !self.output.lock().expect("lock").contains(text) {
            assert!(
                Instant::now() < deadline,
                "no `{text}` within {limit:?}: {}",
                self.output.lock().expect("lock")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn type_keys(&mut self, keys: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        stdin.write_all(keys.as_bytes()).expect("typed");
        stdin.flush().expect("flushed");
    }

    /// The exit code and everything it printed.
    fn finish(mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + Duration::from_secs(120);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                break status;
            }
            assert!(Instant::now() < deadline, "the run did not end");
            std::thread::sleep(Duration::from_millis(100));
        };
        std::thread::sleep(Duration::from_millis(200));
        let output = self.output.lock().expect("lock").clone();
        (status.code(), output)
    }
}

#[test]
fn a_run_waiting_at_its_prompt_holds_off_a_second_run_and_declining_leaves_nothing() {
    let local = Endpoint::new();
    let mut waiting = OnTerminal::start(&local, "race", "--stack sample deploy --local");
    waiting.wait_for("[y/N]", Duration::from_secs(600));

    // The second run planned after the first: it refuses, executing nothing, and
    // removes only its own change set.
    let second = local.stacks_for("race", &["--stack", "sample", "deploy", "--local", "--yes"]);
    assert_eq!(second.status.code(), Some(1), "{}", text(&second));
    let line = text(&second);
    assert!(
        line.contains("error: another run is deploying stack Samplerace")
            && line.contains("nothing was executed"),
        "{line}"
    );
    assert!(!line.contains("executing change set"), "{line}");

    waiting.type_keys("n\n");
    let (code, said) = waiting.finish();
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("and so is the empty stack"), "{said}");
    let outputs = local.stacks_for("race", &["--stack", "sample", "outputs", "--local"]);
    assert!(
        text(&outputs).contains("does not exist"),
        "{}",
        text(&outputs)
    );
    assert_eq!(vpcs(&local), 0, "nothing was created outside a stack");
}

/// VPCs on the endpoint other than its default one.
fn vpcs(local: &Endpoint) -> usize {
    let out = local.python(
        "import boto3, os\n\
         ec2 = boto3.client('ec2', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         print(len([v for v in ec2.describe_vpcs()['Vpcs'] if not v.get('IsDefault')]))",
    );
    out.trim().parse().expect("a count")
}

#[test]
fn two_runs_at_once_execute_once_and_orphan_nothing() {
    let local = Endpoint::new();
    let started = local.stacks_for("both", &["local", "start"]);
    assert!(started.status.success(), "{}", text(&started));
    let run = || {
        let mut command = local.command("both");
        command.args(["--stack", "sample", "deploy", "--local", "--yes"]);
        command.spawn_output()
    };
    let (first, second) = std::thread::scope(|scope| {
        let a = scope.spawn(run);
        let b = scope.spawn(run);
        (a.join().expect("first"), b.join().expect("second"))
    });
    let runs = [&first, &second];
    let executed = runs
        .iter()
        .filter(|o| text(o).contains("executing change set"))
        .count();
    assert_eq!(executed, 1, "{}\n---\n{}", text(&first), text(&second));
    for out in runs {
        let said = text(out);
        // A run that planned second refuses; one that planned while the other was already
        // executing finds the stack changed; one whose create was overtaken finds nothing
        // left to change. Either way it executes nothing.
        let refused = (said.contains("error: another run is deploying stack")
            || said.contains("was changed by another run while this one planned"))
            && said.contains("nothing was executed");
        assert!(
            out.status.success() || (refused && said.matches("error: ").count() == 1),
            "each run succeeds or refuses in one line: {said}"
        );
        // And the two overlapped: each refused because of the other, or planned a create
        // (found no stack, or only the other's empty one). Run one after the other, the
        // second would plan an update and succeed with nothing to change.
        assert!(
            refused || said.contains("(create)"),
            "each run planned before the other's stack existed: {said}"
        );
    }
    assert_eq!(vpcs(&local), 1, "one stack's VPC, none outside it");
    let destroyed = local.stacks_for(
        "both",
        &["--stack", "sample", "destroy", "--local", "--yes"],
    );
    assert!(destroyed.status.success(), "{}", text(&destroyed));
    assert_eq!(vpcs(&local), 0);
}

/// Runs a command to the end, its output captured.
trait SpawnOutput {
    fn spawn_output(&mut self) -> std::process::Output;
}

impl SpawnOutput for Command {
    fn spawn_output(&mut self) -> std::process::Output {
        self.output().expect("stacks runs")
    }
}

#[test]
fn ctrl_c_at_the_prompt_cleans_up_this_runs_change_set_and_empty_stack() {
    let local = Endpoint::new();
    let mut waiting = OnTerminal::start(&local, "ctrlc", "--stack sample deploy --local");
    waiting.wait_for("[y/N]", Duration::from_secs(600));
    waiting.type_keys("\u{3}");
    let (code, said) = waiting.finish();
    assert_eq!(code, Some(130), "{said}");
    assert!(said.contains("nothing was executed"), "{said}");
    assert!(
        said.contains("and so is the empty stack"),
        "the empty stack this run made is deleted: {said}"
    );
    let outputs = local.stacks_for("ctrlc", &["--stack", "sample", "outputs", "--local"]);
    assert!(
        text(&outputs).contains("does not exist"),
        "nothing is left behind: {}",
        text(&outputs)
    );
}

/// Sends `signal` to the run under script(1): the descendant of script running our
/// binary, whether or not the shell script(1) starts replaced itself with it.
fn signal_run(waiting: &OnTerminal, signal: &str) {
    let binary = std::fs::canonicalize(env!("CARGO_BIN_EXE_stacks")).expect("the binary");
    let mut pending = vec![waiting.child.id().to_string()];
    let run = loop {
        let pid = pending.pop().expect("script(1) runs the binary");
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
        if exe.as_deref() == Some(binary.as_path()) {
            break pid;
        }
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        pending.extend(children.split_whitespace().map(str::to_owned));
    };
    let sent = Command::new("kill")
        .args([signal, &run])
        .status()
        .expect("kill runs");
    assert!(sent.success());
}

#[test]
fn sigterm_or_sighup_at_the_prompt_clean_up_as_ctrl_c_does() {
    let local = Endpoint::new();
    for (signal, suffix) in [("-TERM", "term"), ("-HUP", "hup")] {
        let waiting = OnTerminal::start(&local, suffix, "--stack sample deploy --local");
        waiting.wait_for("[y/N]", Duration::from_secs(600));
        signal_run(&waiting, signal);
        let (code, said) = waiting.finish();
        assert_eq!(code, Some(130), "{signal}: {said}");
        assert!(
            said.contains("nothing was executed") && said.contains("and so is the empty stack"),
            "{signal}: {said}"
        );
        let outputs = local.stacks_for(suffix, &["--stack", "sample", "outputs", "--local"]);
        assert!(
            text(&outputs).contains("does not exist"),
            "{signal}: nothing is left behind: {}",
            text(&outputs)
        );
    }
}

#[test]
fn a_production_stack_is_protected_and_needs_its_name_to_be_destroyed() {
    let local = Endpoint::new();
    let deployed = local.stacks_for("prod", &["--stack", "sample", "deploy", "--local", "--yes"]);
    assert!(deployed.status.success(), "{}", text(&deployed));
    assert!(
        text(&deployed).contains("termination protection is on for stack Sampleprod"),
        "{}",
        text(&deployed)
    );
    let refused = local.stacks_for(
        "prod",
        &["--stack", "sample", "destroy", "--local", "--yes"],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("turn termination protection off first"),
        "{}",
        text(&refused)
    );

    local.python(
        "import boto3, os\n\
         cfn = boto3.client('cloudformation', endpoint_url=os.environ['ENDPOINT'], region_name='eu-west-2', aws_access_key_id='test', aws_secret_access_key='test')\n\
         cfn.update_termination_protection(StackName='Sampleprod', EnableTerminationProtection=False)",
    );
    let unnamed = local.stacks_for(
        "prod",
        &["--stack", "sample", "destroy", "--local", "--yes"],
    );
    assert_eq!(unnamed.status.code(), Some(1), "{}", text(&unnamed));
    assert!(
        text(&unnamed).contains("pass --confirm-stack Sampleprod"),
        "--yes alone does not destroy production: {}",
        text(&unnamed)
    );
    let named = local.stacks_for(
        "prod",
        &[
            "--stack",
            "sample",
            "destroy",
            "--local",
            "--yes",
            "--confirm-stack",
            "Sampleprod",
        ],
    );
    assert!(named.status.success(), "{}", text(&named));
}
