//! What the command line shows while it works: on a terminal, status verbs right-aligned
//! in 12 columns, colour (unless `NO_COLOR`) and a spinner line that clears itself; in a
//! pipe or CI, plain timestamped lines. Progress goes to standard error, so standard output
//! stays for results (templates, outputs, JSON).

use std::io::{BufRead, IsTerminal, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use infra_runtime::deploy::{Action, Plan, Replacement, ResourceEvent, Ui};

/// The terminal (or not) the command runs in.
#[derive(Debug)]
pub struct Shell {
    tty: bool,
    color: bool,
    stdin_tty: bool,
    frame: usize,
    /// The last question was interrupted by Ctrl-C.
    interrupted: bool,
}

impl Shell {
    /// Detects the terminal; colour only on one and never with `NO_COLOR`.
    pub fn detect() -> Self {
        let tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            tty,
            color: tty && !no_color,
            stdin_tty: std::io::stdin().is_terminal(),
            frame: 0,
            interrupted: false,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// `error: message`, the prefix in bold red on a colour terminal.
    pub fn error(&self, message: &str) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "{} {message}",
            self.paint("1;31", "error:")
        );
    }

    /// One line: `   Verb message` on a terminal, `[hh:mm:ss] verb message` elsewhere.
    pub fn line(&mut self, verb: &str, message: &str, tone: Tone) {
        let mut err = std::io::stderr().lock();
        if self.tty {
            let code = match tone {
                Tone::Good => "1;32",
                Tone::Bad => "1;31",
                Tone::Note => "1;36",
                Tone::Warn => "1;33",
            };
            let _ = writeln!(
                err,
                "\r\x1b[2K{} {message}",
                self.paint(code, &format!("{verb:>12}"))
            );
        } else {
            let _ = writeln!(err, "[{}] {verb} {message}", clock());
        }
    }
}

/// How a line is coloured.
#[derive(Debug, Clone, Copy)]
pub enum Tone {
    /// Done, created.
    Good,
    /// Failed.
    Bad,
    /// Information.
    Note,
    /// Needs attention.
    Warn,
}

/// `hh:mm:ss` UTC.
fn clock() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

impl Ui for Shell {
    fn status(&mut self, message: &str) {
        self.line("Info", message, Tone::Note);
    }

    fn resource_event(&mut self, event: &ResourceEvent) {
        let tone = if event.is_failure() || event.status.contains("ROLLBACK") {
            Tone::Bad
        } else if event.status.ends_with("_COMPLETE") {
            Tone::Good
        } else {
            Tone::Note
        };
        let verb = event
            .status
            .split('_')
            .next()
            .map(capitalize)
            .unwrap_or_default();
        let state = event.status.to_lowercase().replace('_', " ");
        let reason = event
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        self.line(
            &verb,
            &format!(
                "{} ({}) {state}{reason}",
                event.logical_id, event.resource_type
            ),
            tone,
        );
    }

    fn plan(&mut self, plan: &Plan) {
        if plan.is_empty() {
            self.line("Plan", "no changes", Tone::Note);
            return;
        }
        for change in &plan.changes {
            let tone = match (change.action, change.replacement) {
                (Action::Add, _) => Tone::Good,
                (Action::Remove, _) | (Action::Modify, Replacement::Yes) => Tone::Bad,
                (Action::Modify, _) => Tone::Warn,
                (Action::Other, _) => Tone::Note,
            };
            let mut text = change.describe();
            if change.security {
                text.push_str(&format!(" {}", self.paint("1;33", "[security]")));
            }
            text.push_str(&change.source_suffix());
            self.line(change.verb(), &text, tone);
        }
        self.line("Plan", &plan.summary(), Tone::Note);
    }

    fn waiting(&mut self, status: &str) {
        // A spinner line that the next line overwrites; nothing in a pipe.
        if self.tty {
            const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            self.frame = (self.frame + 1) % FRAMES.len();
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\r\x1b[2K{:>12} {}",
                FRAMES[self.frame],
                status.to_lowercase().replace('_', " ")
            );
            let _ = err.flush();
        }
    }

    fn confirm(&mut self, question: &str) -> bool {
        if !self.stdin_tty {
            self.line(
                "Refused",
                &format!(
                    "{question} (no terminal to ask on; pass --yes to proceed without asking)"
                ),
                Tone::Warn,
            );
            return false;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "{} {question} [y/N] ",
            self.paint("1;33", &format!("{:>12}", "Confirm"))
        );
        let _ = err.flush();
        drop(err);
        let answer = read_answer();
        self.interrupted = answer.is_none();
        if self.interrupted {
            let _ = writeln!(std::io::stderr().lock());
        }
        matches!(
            answer.as_deref().map(str::trim),
            Some("y" | "Y" | "yes" | "Yes")
        )
    }

    fn interrupted(&mut self) -> bool {
        self.interrupted
    }

    fn ask_text(&mut self, question: &str) -> Option<String> {
        if !self.stdin_tty {
            return None;
        }
        let _ = write!(
            std::io::stderr().lock(),
            "{} {question} ",
            self.paint("1;33", &format!("{:>12}", "Confirm"))
        );
        let answer = read_answer();
        self.interrupted = answer.is_none();
        answer
    }
}

/// A line from standard input (empty at its end), or `None` when Ctrl-C (or SIGTERM or
/// SIGHUP) comes first. The line is read on a thread of its own, so that a signal is
/// noticed while the reader waits; the run has already taken these signals over, so the
/// process is not killed by them.
fn read_answer() -> Option<String> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::{RecvTimeoutError, channel};

    let interrupted = Arc::new(AtomicBool::new(false));
    let hooks: Vec<_> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter_map(|signal| signal_hook::flag::register(signal, interrupted.clone()).ok())
        .collect();
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        // At the end of input the line stays empty: a "no".
        let _ = std::io::stdin().lock().read_line(&mut line);
        let _ = sender.send(line);
    });
    let answer = loop {
        if interrupted.load(Ordering::SeqCst) {
            break None;
        }
        match receiver.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(line) => break Some(line),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break Some(String::new()),
        }
    };
    for hook in hooks {
        signal_hook::low_level::unregister(hook);
    }
    answer
}

fn capitalize(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}
