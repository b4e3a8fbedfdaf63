//! Two runs on one stack against the local endpoint: a run waiting at its prompt while
//! another creates the stack, then declined, deletes only its own change set and leaves
//! the other run's stack alone; Ctrl-C at the prompt of a new stack cleans up this run's
//! change set and the empty stack it made, executes nothing, and exits 130.
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
fn declining_after_another_run_created_the_stack_leaves_that_stack_alone() {
    let local = Endpoint::new();
    let mut waiting = OnTerminal::start(&local, "race", "--stack sample deploy --local");
    waiting.wait_for("[y/N]", Duration::from_secs(600));

    let other = local.stacks_for("race", &["--stack", "sample", "deploy", "--local", "--yes"]);
    assert!(other.status.success(), "{}", text(&other));

    waiting.type_keys("n\n");
    let (code, said) = waiting.finish();
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("is left as it is"),
        "the declined run says it left the other run's stack: {said}"
    );
    let outputs = local.stacks_for("race", &["--stack", "sample", "outputs", "--local"]);
    assert!(
        outputs.status.success(),
        "the stack the other run created still exists: {}",
        text(&outputs)
    );
    let destroyed = local.stacks_for(
        "race",
        &["--stack", "sample", "destroy", "--local", "--yes"],
    );
    assert!(destroyed.status.success(), "{}", text(&destroyed));
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
