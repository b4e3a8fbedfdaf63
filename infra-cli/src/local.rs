//! A real local CloudFormation endpoint: LocalStack, run on the host from PyPI (no Docker).
//!
//! First use creates a virtual environment under `<root>/venv` with pinned packages (it
//! needs Python 3.12 or newer; pyenv's interpreters are found too). Each endpoint instance
//! (one per port) keeps its state, log and process id under `<root>/<port>/`, listens on
//! 127.0.0.1 only, and is reused by later commands until `local stop`. The root is
//! decided at run time ([`LocalEndpoint::from_env`]).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The packages the endpoint runs on; the pins are the ones measured to start here.
pub const PACKAGES: &[&str] = &[
    "localstack-core[runtime]==2026.3.0",
    "cbor2<6",
    "pyopenssl<25",
    "cryptography<45",
    "service_identity",
    "typing_extensions",
];

/// The default port.
pub const DEFAULT_PORT: u16 = 4566;

/// One local endpoint instance.
#[derive(Debug, Clone)]
pub struct LocalEndpoint {
    root: PathBuf,
    port: u16,
}

impl LocalEndpoint {
    /// The instance on `port`, with files under `root`.
    pub fn new(root: impl Into<PathBuf>, port: u16) -> Self {
        Self {
            root: root.into(),
            port,
        }
    }

    /// The instance the command line uses: `INFRA_LOCAL_PORT` or 4566, with its files
    /// under `INFRA_LOCAL_DIR`, or else the user's cache directory
    /// (`~/.cache/infra-stacks/localstack` on Linux), so that every binary of every
    /// checkout finds, reuses and stops the same endpoint.
    pub fn from_env() -> Result<Self, String> {
        let port = std::env::var("INFRA_LOCAL_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(DEFAULT_PORT);
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

    /// Whether an endpoint answers on the port with CloudFormation available.
    pub fn is_healthy(&self) -> bool {
        health(self.port).is_some_and(|body| body.contains("\"cloudformation\""))
    }

    /// Starts the endpoint unless it already runs, installing it on first use.
    pub fn ensure_running(&self, say: &mut dyn FnMut(&str)) -> Result<(), String> {
        if self.is_healthy() {
            say(&format!("using the local endpoint at {}", self.url()));
            return Ok(());
        }
        let python = self.provision(say)?;
        self.start(&python, say)?;
        self.wait_healthy(Duration::from_secs(90))
    }

    /// Creates the virtual environment and installs the pinned packages, once.
    fn provision(&self, say: &mut dyn FnMut(&str)) -> Result<PathBuf, String> {
        // Several commands (or tests) may start at once: one installs, the others wait.
        std::fs::create_dir_all(&self.root)
            .map_err(|e| format!("cannot create {}: {e}", self.root.display()))?;
        let lock = std::fs::File::create(self.root.join("install.lock"))
            .map_err(|e| format!("cannot create the install lock: {e}"))?;
        lock.lock()
            .map_err(|e| format!("cannot take the install lock: {e}"))?;
        let venv = self.venv();
        let python = venv.join("bin/python");
        let marker = venv.join("installed.txt");
        let wanted = PACKAGES.join("\n");
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
        run(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .args(PACKAGES),
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
        let log = std::fs::File::create(self.log_path())
            .map_err(|e| format!("cannot create the endpoint's log: {e}"))?;
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
        std::fs::write(self.pid_path(), child.id().to_string())
            .map_err(|e| format!("cannot write the pid file: {e}"))?;
        Ok(())
    }

    fn wait_healthy(&self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.is_healthy() {
                return Ok(());
            }
            if let Some(pid) = self.pid()
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                return Err(format!(
                    "the local endpoint exited while starting; see {}",
                    self.log_path().display()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!(
            "the local endpoint did not answer within {}s; see {}",
            timeout.as_secs(),
            self.log_path().display()
        ))
    }

    fn pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.pid_path())
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Stops the endpoint this project started: TERM, then KILL after a 10-second grace
    /// period. `Ok(false)` when none was running.
    pub fn stop(&self) -> Result<bool, String> {
        let Some(pid) = self.pid().filter(|pid| *pid > 1) else {
            return Ok(false);
        };
        let alive = || Path::new(&format!("/proc/{pid}")).exists();
        // Signal the process itself, never a negative (process-group) id: the `kill` of
        // procps-ng 4.0.2 misreads `kill -TERM -<pgid>` and signals far more than the group.
        let signal = |name: &str| {
            let _ = Command::new("kill")
                .args([name, &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        };
        if alive() {
            signal("-TERM");
            let deadline = Instant::now() + Duration::from_secs(10);
            while alive() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
            }
            if alive() {
                signal("-KILL");
            }
        }
        let _ = std::fs::remove_file(self.pid_path());
        Ok(true)
    }
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
