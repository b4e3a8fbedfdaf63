//! Result files (`synth --out`, `deploy --outputs-file`) written so that nothing is lost
//! or overwritten by surprise: the destination is checked before any work starts, the
//! text goes to a temporary file with a random name created exclusively in the same
//! directory, and that file is renamed over the destination. A rename never follows a
//! link (a link at the destination is replaced, not written through), and anything at
//! the destination that is not a regular file or a link (a directory, a device, a pipe)
//! is refused.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Says whether `path` can take a file, before the work that produces it: its directory
/// exists and is writable, and nothing but a regular file or a link is there.
pub fn check_destination(path: &Path, what: &str) -> Result<(), String> {
    let dir = directory(path, what)?;
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
    tempfile::Builder::new()
        .prefix(".stacks-check-")
        .tempfile_in(&dir)
        .map(drop)
        .map_err(|e| format!("cannot write {what} in {}: {e}", dir.display()))
}

/// Writes `text` to `path` through a fresh temporary file in its directory.
pub fn write(path: &Path, text: &str, what: &str) -> Result<(), String> {
    check_destination(path, what)?;
    let dir = directory(path, what)?;
    let fail = |e: std::io::Error| format!("cannot write {what} to {}: {e}", path.display());
    let mut file = tempfile::Builder::new()
        .prefix(".stacks-")
        .tempfile_in(&dir)
        .map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.as_file()
        .set_permissions(permissions(path))
        .map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
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

/// The existing file's permissions, or read-write for the owner and readable by others.
fn permissions(path: &Path) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => meta.permissions(),
        _ => std::fs::Permissions::from_mode(0o644),
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
    fn writes_replace_links_and_refuse_devices() {
        let dir = tempfile::tempdir().expect("temp dir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").expect("victim");
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink(&victim, &link).expect("link");
        write(&link, "new", "the template").expect("writes");
        assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep");
        assert_eq!(std::fs::read_to_string(&link).expect("out"), "new");
        assert!(
            !std::fs::symlink_metadata(&link)
                .expect("out")
                .file_type()
                .is_symlink()
        );

        let error = write(Path::new("/dev/null"), "x", "the template").expect_err("refused");
        assert!(error.contains("a device"), "{error}");
        let error = write(dir.path(), "x", "the template").expect_err("refused");
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
}
