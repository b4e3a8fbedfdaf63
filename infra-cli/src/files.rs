//! Result files (`synth --out`, `deploy --outputs-file`) written so that nothing is lost
//! or overwritten by surprise: the destination is checked before any work starts, the
//! text goes to a temporary file with a random name created exclusively in the same
//! directory, and that file is renamed over the destination. A rename never follows a
//! link (a link at the destination is replaced, not written through). A stream is
//! written to, never replaced: one of this process's descriptors (`/dev/stdout`, through
//! any links), a pipe or a character device (`/dev/null`, a terminal). Anything else
//! that is not a regular file (a directory, a block device, a socket) is refused. New
//! files get the umask's mode; what is private (the outputs) is never wider than 0600.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Who may read a result file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone the umask lets read it (a template).
    Shared,
    /// Only its owner (outputs, which can name what an attacker looks for).
    Owner,
}

impl Audience {
    /// The widest mode a file for this audience gets.
    fn widest(self) -> u32 {
        match self {
            Self::Shared => 0o666,
            Self::Owner => 0o600,
        }
    }
}

/// Where a result goes.
enum Destination {
    /// A file, replaced through a temporary file in this directory.
    File(PathBuf),
    /// A stream, written to as it is.
    Stream,
}

/// Says whether `path` can take a file, before the work that produces it: its directory
/// exists and is writable and nothing but a regular file or a link is there, or it is a
/// stream.
pub fn check_destination(path: &Path, what: &str) -> Result<(), String> {
    match destination(path, what)? {
        Destination::Stream => Ok(()),
        Destination::File(dir) => tempfile::Builder::new()
            .prefix(".stacks-check-")
            .tempfile_in(&dir)
            .map(drop)
            .map_err(|e| format!("cannot write {what} in {}: {}", dir.display(), reason(&e))),
    }
}

/// The system's words for `error`, without the name of the temporary file it was met on
/// (which the user never chose and which no longer exists).
/// `tempfile` words its errors "{the system's} at path {the file's:?}".
fn reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.split_once(" at path \"") {
        Some((system, _)) if error.get_ref().is_some() => system.to_owned(),
        _ => text,
    }
}

/// Writes `text` to `path`: through a fresh temporary file in its directory, or straight
/// to a stream.
pub fn write(path: &Path, text: &str, what: &str, audience: Audience) -> Result<(), String> {
    write_bytes(path, text.as_bytes(), what, audience)
}

/// Whether `path` is a stream (written to as it is) rather than a file.
pub fn is_stream(path: &Path) -> bool {
    matches!(destination(path, ""), Ok(Destination::Stream))
}

/// Writes `bytes` to `path` as [`write()`] writes text.
pub fn write_bytes(
    path: &Path,
    bytes: &[u8],
    what: &str,
    audience: Audience,
) -> Result<(), String> {
    let fail =
        |e: std::io::Error| format!("cannot write {what} to {}: {}", path.display(), reason(&e));
    let dir = match destination(path, what)? {
        Destination::Stream => {
            let mut stream = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(fail)?;
            return stream.write_all(bytes).map_err(fail);
        }
        Destination::File(dir) => dir,
    };
    let mut file = tempfile::Builder::new()
        .prefix(".stacks-")
        .permissions(std::fs::Permissions::from_mode(audience.widest()))
        .tempfile_in(&dir)
        .map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    if let Some(mode) = existing_mode(path) {
        let mode = mode & audience.widest();
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(fail)?;
    }
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// What `path` is as a destination.
fn destination(path: &Path, what: &str) -> Result<Destination, String> {
    use std::os::unix::fs::FileTypeExt;
    if is_own_descriptor(path) {
        return Ok(Destination::Stream);
    }
    if let Ok(meta) = std::fs::metadata(path) {
        let kind = meta.file_type();
        if kind.is_fifo() || kind.is_char_device() {
            return Ok(Destination::Stream);
        }
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let kind = meta.file_type();
        if !(kind.is_file() || kind.is_symlink()) {
            return Err(format!(
                "cannot write {what} to {}: it is {}, not a regular file; choose a file path",
                path.display(),
                describe(&kind)
            ));
        }
    }
    directory(path, what).map(Destination::File)
}

/// Whether `path`, through any links, is one of this process's descriptors
/// (`/dev/stdout` is a link to `/proc/self/fd/1`).
fn is_own_descriptor(path: &Path) -> bool {
    let own = PathBuf::from(format!("/proc/{}/fd", std::process::id()));
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        if ["/proc/self/fd", "/proc/thread-self/fd", "/dev/fd"]
            .iter()
            .any(|fds| current.starts_with(fds))
            || current.starts_with(&own)
        {
            return true;
        }
        match std::fs::read_link(&current) {
            Ok(next) if next.is_absolute() => current = next,
            Ok(next) => {
                current = current
                    .parent()
                    .map_or_else(|| next.clone(), |dir| dir.join(&next));
            }
            Err(_) => return false,
        }
    }
    false
}

/// The directory a file path is in (`.` for a bare name).
fn directory(path: &Path, what: &str) -> Result<PathBuf, String> {
    if path.file_name().is_none() {
        return Err(format!(
            "cannot write {what} to {}: it is not a file path",
            path.display()
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(format!(
            "cannot write {what} to {}: the directory {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    Ok(dir)
}

/// The mode of the regular file at `path`, if one is there (a link is not followed).
fn existing_mode(path: &Path) -> Option<u32> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Some(meta.permissions().mode() & 0o7777),
        _ => None,
    }
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a directory"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_fifo() {
        "a pipe"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_links_and_refuse_what_is_not_a_file_or_stream() {
        let dir = tempfile::tempdir().expect("temp dir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").expect("victim");
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink(&victim, &link).expect("link");
        write(&link, "new", "the template", Audience::Shared).expect("writes");
        assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep");
        assert_eq!(std::fs::read_to_string(&link).expect("out"), "new");
        assert!(
            !std::fs::symlink_metadata(&link)
                .expect("out")
                .file_type()
                .is_symlink()
        );

        let error = write(dir.path(), "x", "the template", Audience::Shared).expect_err("refused");
        assert!(
            error.contains("a directory") || error.contains("not a file path"),
            "{error}"
        );
        let missing = dir.path().join("no/such/dir/out.json");
        let error = check_destination(&missing, "the outputs").expect_err("refused");
        assert!(error.contains("does not exist"), "{error}");
        // Nothing but the written file and the victim is left in the directory.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_descriptor_of_this_process_is_written_through_never_replaced() {
        use std::os::fd::AsRawFd;
        let dir = tempfile::tempdir().expect("temp dir");
        // What `/dev/stdout` is when standard output goes to a file: a link to one of the
        // process's descriptors, here one of our own.
        let sink_path = dir.path().join("sink");
        let sink = std::fs::File::create(&sink_path).expect("sink");
        let stdout_like = dir.path().join("stdout");
        let fd = format!("/proc/self/fd/{}", sink.as_raw_fd());
        std::os::unix::fs::symlink(&fd, &stdout_like).expect("link");
        write(&stdout_like, "{}\n", "the outputs", Audience::Owner).expect("writes");
        assert_eq!(std::fs::read_to_string(&sink_path).expect("sink"), "{}\n");
        let link = std::fs::symlink_metadata(&stdout_like).expect("link");
        assert!(link.file_type().is_symlink(), "the link is not replaced");
        // A character device is written to as well, and stays what it is.
        write(
            Path::new("/dev/null"),
            "x",
            "the template",
            Audience::Shared,
        )
        .expect("writes");
        let null = std::fs::metadata("/dev/null").expect("null");
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(
            &null.file_type()
        ));
    }

    #[test]
    fn new_files_take_the_umask_and_outputs_stay_private() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mode = |p: &Path| std::fs::metadata(p).expect("file").permissions().mode() & 0o777;
        let outputs = dir.path().join("outputs.json");
        write(&outputs, "{}", "the outputs", Audience::Owner).expect("writes");
        assert_eq!(mode(&outputs), 0o600);
        // An existing outputs file readable by others is narrowed, not kept as it was.
        std::fs::set_permissions(&outputs, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write(&outputs, "{}", "the outputs", Audience::Owner).expect("writes");
        assert_eq!(mode(&outputs), 0o600);
        // A template gets 0666 less the umask (read from the process, not assumed).
        let template = dir.path().join("template.json");
        write(&template, "{}", "the template", Audience::Shared).expect("writes");
        assert_eq!(mode(&template), 0o666 & !umask());
    }

    /// The process's umask, as the kernel reports it.
    fn umask() -> u32 {
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        let line = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .expect("Umask line");
        u32::from_str_radix(line.trim(), 8).expect("octal")
    }
}
