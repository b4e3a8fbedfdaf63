//! A real local CloudFormation endpoint: LocalStack, run on the host from PyPI (no Docker).
//!
//! First use creates a virtual environment under `<root>/venv` with pinned packages (it
//! needs Python 3.12 or newer; pyenv's interpreters are found too). Each endpoint instance
//! (one per port) keeps its log and process id under `<root>/<port>/`, listens on
//! 127.0.0.1 only, and is reused by later commands until `local stop`; its stacks live in
//! its memory and end with it. The root is decided at run time
//! ([`LocalEndpoint::from_env`]).
//!
//! The tool owns what it starts and acts on nothing else: starting takes a lock, so two
//! commands at once start one endpoint; the pid file records the process's start time, so
//! `local stop` signals that process and never one that reused its pid; an endpoint is
//! used only when the process the pid file names is alive and answers, so a stranger on
//! the port gets no API call; and no file of the instance is opened through a link.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The packages the endpoint runs on, every one pinned with the hashes of its files
/// (`infra-cli/local/requirements.lock`, made by `scripts/lock-local-endpoint` from
/// `requirements.in`): pip installs exactly these or nothing.
pub const LOCK: &str = include_str!("../local/requirements.lock");

/// The default port.
pub const DEFAULT_PORT: u16 = 4566;

/// How long each start may take before the endpoint is restarted. A start takes a few
/// seconds; under load the emulator's gateway sometimes never binds its port (it gives
/// up waiting for it after 15 s and serves nothing), and only a new process recovers.
/// Each attempt waits longer, so a merely slow machine still gets its endpoint.
const START_ATTEMPTS: [Duration; 3] = [
    Duration::from_secs(30),
    Duration::from_secs(60),
    Duration::from_secs(90),
];

/// One local endpoint instance.
#[derive(Debug, Clone)]
pub struct LocalEndpoint {
    root: PathBuf,
    port: u16,
    attempts: Vec<Duration>,
}

impl LocalEndpoint {
    /// The instance on `port`, with files under `root`.
    pub fn new(root: impl Into<PathBuf>, port: u16) -> Self {
        Self {
            root: root.into(),
            port,
            attempts: START_ATTEMPTS.to_vec(),
        }
    }

    /// The instance the command line uses: `INFRA_LOCAL_PORT` or 4566, with its files
    /// under `INFRA_LOCAL_DIR`, or else the user's cache directory
    /// (`~/.cache/infra-stacks/localstack` on Linux), so that every binary of every
    /// checkout finds, reuses and stops the same endpoint.
    pub fn from_env() -> Result<Self, String> {
        let port = match std::env::var("INFRA_LOCAL_PORT") {
            Err(std::env::VarError::NotPresent) => DEFAULT_PORT,
            Ok(text) if text.is_empty() => DEFAULT_PORT,
            Ok(text) => parse_port(&text)?,
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(
                    "INFRA_LOCAL_PORT is not UTF-8: set it to a number from 1 to 65535".to_owned(),
                );
            }
        };
        let root = match std::env::var_os("INFRA_LOCAL_DIR").filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => dirs::cache_dir()
                .ok_or("there is no cache directory for the local endpoint's files (HOME is unset): set INFRA_LOCAL_DIR to a directory")?
                .join("infra-stacks")
                .join("localstack"),
        };
        Ok(Self::new(root, port))
    }

    /// Where the endpoint keeps its files.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn instance_dir(&self) -> PathBuf {
        self.root.join(self.port.to_string())
    }

    fn venv(&self) -> PathBuf {
        self.root.join("venv")
    }

    /// Where the endpoint writes its log.
    pub fn log_path(&self) -> PathBuf {
        self.instance_dir().join("localstack.log")
    }

    fn pid_path(&self) -> PathBuf {
        self.instance_dir().join("pid")
    }

    /// Whether the endpoint this tool started answers on the port with CloudFormation
    /// available.
    pub fn is_healthy(&self) -> bool {
        self.owned().is_some() && answers(self.port)
    }

    /// The process the pid file names, if it is alive and is the endpoint that was
    /// started: a pid and a start time name one process for as long as the machine runs,
    /// so a process that reused the pid never passes.
    fn owned(&self) -> Option<u32> {
        let text = read_no_follow(&self.pid_path())?;
        let mut fields = text.split_whitespace();
        let pid: u32 = fields.next()?.parse().ok().filter(|pid| *pid > 1)?;
        let started: u64 = fields.next()?.parse().ok()?;
        (running_since(pid)? == started).then_some(pid)
    }

    /// Starts the endpoint unless it already runs, installing it on first use. Two
    /// commands at once start one endpoint: the second waits for the first and uses it.
    /// A process not started by this tool that answers on the port is refused.
    pub fn ensure_running(&self, say: &mut dyn FnMut(&str)) -> Result<(), String> {
        let dir = self.instance_dir();
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let lock = create_no_follow(&dir.join("start.lock"), false)?;
        lock.lock()
            .map_err(|e| format!("cannot take the endpoint's start lock: {e}"))?;
        if self.is_healthy() {
            say(&format!("using the local endpoint at {}", self.url()));
            return Ok(());
        }
        if self.port_taken() {
            return Err(format!(
                "something this tool did not start listens on 127.0.0.1:{}; stop it, or set INFRA_LOCAL_PORT to a free port",
                self.port
            ));
        }
        let python = self.provision(say)?;
        self.start_answering(&python, say)
    }

    /// Starts the endpoint and waits until it answers, restarting a process that is alive
    /// but still deaf when its attempt's time is up.
    fn start_answering(&self, python: &Path, say: &mut dyn FnMut(&str)) -> Result<(), String> {
        for (attempt, timeout) in self.attempts.iter().enumerate() {
            if attempt > 0 {
                say(&format!(
                    "the local endpoint did not answer within {}s; restarting it",
                    timeout_secs(self.attempts[attempt - 1])
                ));
                self.stop()?;
            }
            self.start(python, say)?;
            if let Health::Answers = self.wait_healthy(*timeout)? {
                return Ok(());
            }
        }
        self.stop()?;
        Err(format!(
            "the local endpoint did not answer in {} starts over {}s; see {}",
            self.attempts.len(),
            timeout_secs(self.attempts.iter().sum()),
            self.log_path().display()
        ))
    }

    /// Whether anything accepts connections on the port.
    fn port_taken(&self) -> bool {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        TcpStream::connect_timeout(&address, Duration::from_millis(300)).is_ok()
    }

    /// Creates the virtual environment and installs the pinned packages, once.
    fn provision(&self, say: &mut dyn FnMut(&str)) -> Result<PathBuf, String> {
        // Several commands (or tests) may start at once: one installs, the others wait.
        std::fs::create_dir_all(&self.root)
            .map_err(|e| format!("cannot create {}: {e}", self.root.display()))?;
        let lock = create_no_follow(&self.root.join("install.lock"), false)?;
        lock.lock()
            .map_err(|e| format!("cannot take the install lock: {e}"))?;
        let venv = self.venv();
        let python = venv.join("bin/python");
        let marker = venv.join("installed.txt");
        let wanted = LOCK;
        if python.is_file() && std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
            return Ok(python);
        }
        let base = find_python()?;
        say(&format!(
            "installing the local endpoint (LocalStack, from PyPI) into {} with {}",
            venv.display(),
            base.display()
        ));
        std::fs::create_dir_all(&self.root)
            .map_err(|e| format!("cannot create {}: {e}", self.root.display()))?;
        run(
            Command::new(&base).arg("-m").arg("venv").arg(&venv),
            "create the virtual environment",
        )?;
        let lock = self.root.join("requirements.lock");
        create_no_follow(&lock, true)?
            .write_all(LOCK.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", lock.display()))?;
        run(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    // Compiling every module up front took half the install (30 s against
                    // 14 s here); Python compiles the few the endpoint imports as it does.
                    "--no-compile",
                    "--disable-pip-version-check",
                    "--require-hashes",
                    "-r",
                ])
                .arg(&lock),
            "install LocalStack",
        )?;
        // Python 3.12 lacks `warnings.deprecated`, which LocalStack imports.
        let shim = "import warnings\nif not hasattr(warnings, 'deprecated'):\n    from typing_extensions import deprecated\n    warnings.deprecated = deprecated\n";
        let site = Command::new(&python)
            .args([
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
        let site = PathBuf::from(String::from_utf8_lossy(&site.stdout).trim());
        std::fs::write(site.join("sitecustomize.py"), shim)
            .map_err(|e| format!("cannot write the Python 3.12 shim: {e}"))?;
        std::fs::write(&marker, wanted)
            .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
        Ok(python)
    }

    fn start(&self, python: &Path, say: &mut dyn FnMut(&str)) -> Result<(), String> {
        use std::os::unix::process::CommandExt;
        let dir = self.instance_dir();
        std::fs::create_dir_all(dir.join("state"))
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let log = create_no_follow(&self.log_path(), true)?;
        let log_err = log.try_clone().map_err(|e| e.to_string())?;
        say(&format!(
            "starting the local endpoint on {} (log: {})",
            self.url(),
            self.log_path().display()
        ));
        let child = Command::new(python)
            .args(["-m", "localstack.runtime.main"])
            .env("GATEWAY_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("GATEWAY_SERVER", "hypercorn")
            .env("DNS_ADDRESS", "0")
            .env("DISABLE_EVENTS", "1")
            .env("SKIP_SSL_CERT_DOWNLOAD", "1")
            .env("FILESYSTEM_ROOT", dir.join("state"))
            .env("LOCALSTACK_VOLUME_DIR", dir.join("state/volume"))
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            // Its own process group: Ctrl-C in the terminal that started it does not stop it.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start the local endpoint: {e}"))?;
        let started = running_since(child.id())
            .ok_or("the local endpoint exited as it started; see its log".to_owned())?;
        let mut pid_file = create_no_follow(&self.pid_path(), true)?;
        writeln!(pid_file, "{} {started}", child.id())
            .map_err(|e| format!("cannot write the pid file: {e}"))?;
        Ok(())
    }

    /// Waits up to `timeout` for the started endpoint to answer; an error if it exits.
    fn wait_healthy(&self, timeout: Duration) -> Result<Health, String> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.is_healthy() {
                return Ok(Health::Answers);
            }
            if self.owned().is_none() {
                return Err(format!(
                    "the local endpoint exited while starting; see {}",
                    self.log_path().display()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Ok(Health::Deaf)
    }

    /// Stops the endpoint this tool started and the processes it started: TERM, then
    /// KILL after a 10-second grace period, then waits (up to 5 seconds) until the port
    /// is free, so that a start right after finds it so. `Ok(false)` when none was running; a pid file that names another process
    /// (the endpoint died and its pid was reused) is removed without a signal.
    pub fn stop(&self) -> Result<bool, String> {
        let Some(pid) = self.owned() else {
            let _ = std::fs::remove_file(self.pid_path());
            return Ok(false);
        };
        // The endpoint's workers too, each known by its pid and start time, so that none
        // outlives it holding the port; a pid reused since is never signalled.
        let family: Vec<(u32, u64)> = std::iter::once(pid)
            .chain(descendants(pid))
            .filter_map(|p| Some((p, running_since(p)?)))
            .collect();
        let living = || -> Vec<u32> {
            family
                .iter()
                .filter(|(p, started)| running_since(*p) == Some(*started))
                .map(|(p, _)| *p)
                .collect()
        };
        // Signal each process itself, never a negative (process-group) id: the `kill` of
        // procps-ng 4.0.2 misreads `kill -TERM -<pgid>` and signals far more than the group.
        let signal = |name: &str, pids: &[u32]| {
            if pids.is_empty() {
                return;
            }
            let _ = Command::new("kill")
                .arg(name)
                .args(pids.iter().map(u32::to_string))
                .stderr(Stdio::null())
                .status();
        };
        signal("-TERM", &living());
        let deadline = Instant::now() + Duration::from_secs(10);
        while !living().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        signal("-KILL", &living());
        // The port is free once the last of them is gone.
        let deadline = Instant::now() + Duration::from_secs(5);
        while (!living().is_empty() || self.port_taken()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = std::fs::remove_file(self.pid_path());
        Ok(true)
    }
}

/// Every process descending from `pid` (`/proc/<pid>/task/*/children`), children first.
fn descendants(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut queue = vec![pid];
    while let Some(parent) = queue.pop() {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{parent}/task")) else {
            continue;
        };
        for task in tasks.flatten() {
            let children =
                std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            for child in children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok())
            {
                if !found.contains(&child) && found.len() < 4096 {
                    found.push(child);
                    queue.push(child);
                }
            }
        }
    }
    found
}

/// `INFRA_LOCAL_PORT`'s value as a port.
fn parse_port(text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|port| *port > 0)
        .ok_or_else(|| {
            format!("INFRA_LOCAL_PORT is `{text}`, not a port: set it to a number from 1 to 65535, or unset it for {DEFAULT_PORT}")
        })
}

/// Opens a file of the instance for writing, creating it, never through a link
/// (`O_NOFOLLOW`); `truncate` empties it.
fn create_no_follow(path: &Path, truncate: bool) -> Result<std::fs::File, String> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(truncate)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            if link {
                format!("{} is a link; the local endpoint's files are never opened through one: remove it", path.display())
            } else {
                format!("cannot open {}: {e}", path.display())
            }
        })
}

/// A file's text, unless it is a link.
fn read_no_follow(path: &Path) -> Option<String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .ok()?;
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    Some(text)
}

/// When the process started, in clock ticks since boot (`/proc/<pid>/stat`'s 22nd
/// field), if it is running (not a zombie that has exited): with the pid, what tells a
/// process from a later one that reused its pid.
fn running_since(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (2nd field) is in parentheses and may hold spaces.
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?;
    if matches!(state, "Z" | "X" | "x") {
        return None;
    }
    fields.nth(18)?.parse().ok()
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot {what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot {what}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The newest Python 3.12+ among `INFRA_PYTHON`, `python3.13`/`python3.12` on `PATH` and
/// pyenv's versions.
fn find_python() -> Result<PathBuf, String> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("INFRA_PYTHON") {
        candidates.push(p.into());
    }
    candidates.extend(["python3.13", "python3.12", "python3"].map(PathBuf::from));
    let pyenv_root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| {
            let out = Command::new("pyenv").arg("root").output().ok()?;
            Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        });
    if let Some(root) = pyenv_root
        && let Ok(entries) = std::fs::read_dir(root.join("versions"))
    {
        let mut versions: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path().join("bin/python3"))
            .collect();
        versions.sort();
        versions.reverse();
        candidates.extend(versions);
    }
    for candidate in candidates {
        let Ok(out) = Command::new(&candidate)
            .args([
                "-c",
                "import sys; print(sys.version_info[0], sys.version_info[1])",
            ])
            .output()
        else {
            continue;
        };
        let version = String::from_utf8_lossy(&out.stdout);
        let mut parts = version
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok());
        if let (Some(3), Some(minor)) = (parts.next(), parts.next())
            && minor >= 12
        {
            return Ok(candidate);
        }
    }
    Err("the local endpoint needs Python 3.12 or newer: install one (pyenv install 3.13) or set INFRA_PYTHON".to_owned())
}

/// What a started endpoint did within its attempt's time.
enum Health {
    Answers,
    Deaf,
}

/// A duration in whole seconds, rounded up, for messages.
fn timeout_secs(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// Whether the port answers the health check with CloudFormation available.
fn answers(port: u16) -> bool {
    health(port).is_some_and(|body| body.contains("\"cloudformation\""))
}

/// `GET /_localstack/health`, with a short timeout; the body on a 200.
fn health(port: u16) -> Option<String> {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_millis(300)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET /_localstack/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.starts_with("HTTP/1.").then_some(())?;
    response
        .split_whitespace()
        .nth(1)
        .filter(|code| *code == "200")?;
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance() -> (tempfile::TempDir, LocalEndpoint) {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let endpoint = LocalEndpoint::new(dir.path(), port);
        std::fs::create_dir_all(endpoint.instance_dir()).expect("instance dir");
        (dir, endpoint)
    }

    #[test]
    fn every_package_of_the_lock_is_pinned_with_its_hashes() {
        // A requirement starts at the line's beginning; its hashes follow, indented.
        let mut requirements: Vec<(&str, usize)> = Vec::new();
        for line in LOCK.lines() {
            if line.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                requirements.push((line, 0));
            } else if line.contains("--hash=sha256:")
                && let Some(last) = requirements.last_mut()
            {
                last.1 += 1;
            }
        }
        for (requirement, hashes) in &requirements {
            assert!(requirement.contains("=="), "not pinned: {requirement}");
            assert!(*hashes > 0, "no hash: {requirement}");
        }
        let packages = requirements.len();
        assert!(packages > 50, "{packages} packages");
        assert!(LOCK.contains("localstack-core==2026.3.0"));
        assert!(!LOCK.contains("--find-links") && !LOCK.contains("--index-url"));
    }

    #[test]
    fn a_port_that_is_not_one_is_refused() {
        assert_eq!(parse_port("4567"), Ok(4567));
        for bad in ["abc", "0", "65536", "-1", "45 66"] {
            let error = parse_port(bad).expect_err(bad);
            assert!(
                error.starts_with(&format!("INFRA_LOCAL_PORT is `{bad}`, not a port")),
                "{error}"
            );
        }
    }

    #[test]
    fn stop_never_signals_a_process_that_reused_the_pid() {
        let (_dir, endpoint) = instance();
        let mut bystander = Command::new("sleep").arg("30").spawn().expect("sleep runs");
        let pid = bystander.id();
        let started = running_since(pid).expect("its start time");
        // The pid file names the pid with another start time: the process it recorded
        // is gone and the pid was reused. Nothing is signalled; the stale file goes.
        for recorded in [started + 1, started.saturating_sub(1)] {
            std::fs::write(endpoint.pid_path(), format!("{pid} {recorded}\n")).expect("pid file");
            assert_eq!(endpoint.stop(), Ok(false));
            assert!(!endpoint.pid_path().exists(), "the stale pid file goes");
            assert_eq!(bystander.try_wait().expect("waits"), None, "still running");
        }
        // An old pid file without a start time is not trusted either.
        std::fs::write(endpoint.pid_path(), format!("{pid}\n")).expect("pid file");
        assert_eq!(endpoint.stop(), Ok(false));
        assert_eq!(bystander.try_wait().expect("waits"), None, "still running");
        // The process it did start is stopped.
        std::fs::write(endpoint.pid_path(), format!("{pid} {started}\n")).expect("pid file");
        assert_eq!(endpoint.stop(), Ok(true));
        let status = bystander.wait().expect("ended");
        assert!(!status.success(), "ended by a signal: {status:?}");
    }

    #[test]
    fn stop_returns_once_the_port_is_free_even_from_an_endpoint_deaf_to_term() {
        let (_dir, endpoint) = instance();
        // An endpoint that ignores TERM and holds the port, with a worker of its own.
        let script = format!(
            "import os, signal, socket, time\n\
             signal.signal(signal.SIGTERM, signal.SIG_IGN)\n\
             s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
             s.bind(('127.0.0.1', {})); s.listen()\n\
             if os.fork() == 0:\n    signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)\n\
             time.sleep(60)\n",
            endpoint.port
        );
        let mut deaf = Command::new("python3")
            .args(["-c", &script])
            .spawn()
            .expect("python runs");
        let pid = deaf.id();
        let deadline = Instant::now() + Duration::from_secs(10);
        let ready = || endpoint.port_taken() && !descendants(pid).is_empty();
        while !ready() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let worker = descendants(pid);
        assert_eq!(worker.len(), 1, "the endpoint and its worker run");
        let started = running_since(pid).expect("its start time");
        std::fs::write(endpoint.pid_path(), format!("{pid} {started}\n")).expect("pid file");
        assert_eq!(endpoint.stop(), Ok(true));
        assert!(!endpoint.port_taken(), "the port is free when stop returns");
        assert!(running_since(worker[0]).is_none(), "the worker is gone too");
        let _ = deaf.wait();
    }

    #[test]
    fn a_stranger_answering_on_the_port_gets_no_call() {
        let (_dir, endpoint) = instance();
        let listener = std::net::TcpListener::bind(("127.0.0.1", endpoint.port)).expect("port");
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut stream = stream;
                let mut buffer = [0u8; 1024];
                let _ = stream.read(&mut buffer);
                let _ = stream.write_all(
                    b"HTTP/1.0 200 OK\r\n\r\n{\"services\": {\"cloudformation\": \"running\"}}",
                );
            }
        });
        assert!(answers(endpoint.port), "it looks like an endpoint");
        assert!(
            !endpoint.is_healthy(),
            "but it is not the one this tool started"
        );
        let error = endpoint.ensure_running(&mut |_| {}).expect_err("refused");
        assert!(
            error.starts_with("something this tool did not start listens on 127.0.0.1:"),
            "{error}"
        );
    }

    #[test]
    fn no_file_of_the_instance_is_opened_through_a_link() {
        let (dir, endpoint) = instance();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").expect("victim");
        for name in ["start.lock", "localstack.log", "pid"] {
            let path = endpoint.instance_dir().join(name);
            std::os::unix::fs::symlink(&victim, &path).expect("link");
            let error = create_no_follow(&path, true).expect_err("refused");
            assert!(error.contains("is a link"), "{error}");
            std::fs::remove_file(&path).expect("unlink");
        }
        assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep");
        std::os::unix::fs::symlink(&victim, endpoint.pid_path()).expect("link");
        assert_eq!(read_no_follow(&endpoint.pid_path()), None);
    }

    /// A stand-in for the emulator's Python: its first `starts_deaf` starts hang without
    /// opening the port; later ones answer the health check as the endpoint does.
    fn stand_in(dir: &Path, starts_deaf: usize) -> PathBuf {
        let server = "import http.server, os\n\
            host, port = os.environ['GATEWAY_LISTEN'].rsplit(':', 1)\n\
            class Health(http.server.BaseHTTPRequestHandler):\n    \
                def do_GET(self):\n        \
                    body = b'{\"services\": {\"cloudformation\": \"available\"}}'\n        \
                    self.send_response(200); self.end_headers(); self.wfile.write(body)\n    \
                def log_message(self, *args): pass\n\
            http.server.HTTPServer((host, int(port)), Health).serve_forever()\n";
        std::fs::write(dir.join("health.py"), server).expect("server");
        let script = format!(
            "#!/bin/sh\n\
             echo start >> starts\n\
             if [ \"$(wc -l < starts)\" -le {starts_deaf} ]; then exec sleep 60; fi\n\
             exec python3 {}\n",
            dir.join("health.py").display()
        );
        let path = dir.join("python");
        std::fs::write(&path, script).expect("stand-in");
        let mut permissions = std::fs::metadata(&path).expect("stand-in").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&path, permissions).expect("executable");
        path
    }

    #[test]
    fn an_endpoint_that_never_opens_its_port_is_restarted() {
        let (dir, mut endpoint) = instance();
        endpoint.attempts = vec![Duration::from_secs(1), Duration::from_secs(20)];
        let python = stand_in(dir.path(), 1);
        let mut said = Vec::new();
        let started = endpoint.start_answering(&python, &mut |line| said.push(line.to_owned()));
        assert_eq!(started, Ok(()), "{said:?}");
        assert!(endpoint.is_healthy());
        assert!(
            said.iter()
                .any(|line| line == "the local endpoint did not answer within 1s; restarting it"),
            "{said:?}"
        );
        let starts = std::fs::read_to_string(endpoint.instance_dir().join("starts"));
        assert_eq!(starts.expect("starts").lines().count(), 2);
        assert_eq!(endpoint.stop(), Ok(true));
    }

    #[test]
    fn an_endpoint_deaf_at_every_start_is_an_error_and_is_stopped() {
        let (dir, mut endpoint) = instance();
        endpoint.attempts = vec![Duration::from_millis(500), Duration::from_millis(500)];
        let python = stand_in(dir.path(), 2);
        let error = endpoint
            .start_answering(&python, &mut |_| {})
            .expect_err("never answers");
        assert!(
            error.starts_with("the local endpoint did not answer in 2 starts over 1s; see "),
            "{error}"
        );
        assert_eq!(endpoint.owned(), None, "nothing is left running");
    }
}
