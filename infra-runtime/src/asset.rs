//! Code assets: a directory packed the same way every time (a zip whose bytes depend only
//! on the files' paths, contents and executable bits), named by its SHA-256, so that a
//! deploy uploads only what changed and a template names exactly the code it runs.
//!
//! A stack with assets takes the parameter [`BUCKET_PARAMETER`]: the bucket they are
//! uploaded to, which deploy fills in (`bootstrap` creates it once per account and
//! region).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use infra_facts::limits::lambda;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

/// The stack parameter naming the bucket a stack's assets are uploaded to.
pub const BUCKET_PARAMETER: &str = "AssetBucket";

/// The stack `bootstrap` deploys, once per account and region: the asset bucket.
pub const BOOTSTRAP_STACK: &str = "InfraBootstrap";

/// The bootstrap stack's output naming the bucket.
pub const BUCKET_OUTPUT: &str = "AssetBucket";

/// A directory packed for upload.
#[derive(Clone, PartialEq, Eq)]
pub struct Asset {
    source: PathBuf,
    hash: String,
    bytes: Vec<u8>,
}

impl fmt::Debug for Asset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Asset")
            .field("source", &self.source)
            .field("hash", &self.hash)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// Why a directory cannot be packed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetError {
    /// The directory is not there (or cannot be read).
    #[error("the code directory `{path}` cannot be read: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// What the system said.
        reason: String,
    },
    /// The directory holds no file.
    #[error("the code directory `{0}` holds no file")]
    Empty(String),
    /// A link to a directory, which a package would copy in full or loop on.
    #[error(
        "`{0}` links to a directory; a code package holds files and directories, not links to directories"
    )]
    LinkedDirectory(String),
    /// More than Lambda unpacks.
    #[error("the code in `{path}` is {size} bytes unpacked, but Lambda takes at most {max} bytes")]
    TooLarge {
        /// The directory.
        path: String,
        /// Its files' total size.
        size: u64,
        /// Lambda's limit.
        max: u64,
    },
}

impl Asset {
    /// Packs every file under `dir` (links to files are read as files).
    pub fn from_directory(dir: &Path) -> Result<Self, AssetError> {
        let files = files_under(dir)?;
        if files.is_empty() {
            return Err(AssetError::Empty(dir.display().to_string()));
        }
        let size: u64 = files.iter().map(|f| f.size).sum();
        if size > lambda::MAX_UNZIPPED_BYTES {
            return Err(AssetError::TooLarge {
                path: dir.display().to_string(),
                size,
                max: lambda::MAX_UNZIPPED_BYTES,
            });
        }
        let bytes = pack(dir, &files)?;
        let hash = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            source: dir.to_owned(),
            hash,
            bytes,
        })
    }

    /// The directory it was packed from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The SHA-256 of the package, in hex.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The object key it is uploaded under: `assets/<sha256>.zip`.
    pub fn key(&self) -> String {
        format!("assets/{}.zip", self.hash)
    }

    /// The package.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A file to pack: its path inside the package and its facts.
struct File {
    name: String,
    path: PathBuf,
    size: u64,
    executable: bool,
}

/// Every file under `dir`, ordered by its name in the package.
fn files_under(dir: &Path) -> Result<Vec<File>, AssetError> {
    let unreadable = |path: &Path, e: std::io::Error| AssetError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let mut files = Vec::new();
    let mut pending = vec![(dir.to_owned(), String::new())];
    while let Some((path, prefix)) = pending.pop() {
        let entries = std::fs::read_dir(&path).map_err(|e| unreadable(&path, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| unreadable(&path, e))?;
            let path = entry.path();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let linked = entry.file_type().is_ok_and(|t| t.is_symlink());
            let meta = std::fs::metadata(&path).map_err(|e| unreadable(&path, e))?;
            if meta.is_dir() && linked {
                return Err(AssetError::LinkedDirectory(path.display().to_string()));
            }
            if meta.is_dir() {
                pending.push((path, format!("{name}/")));
            } else if meta.is_file() {
                files.push(File {
                    name,
                    path,
                    size: meta.len(),
                    executable: is_executable(&meta),
                });
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

/// The zip: entries in name order, every timestamp the format's earliest, modes 0755 or
/// 0644, deflated.
fn pack(dir: &Path, files: &[File]) -> Result<Vec<u8>, AssetError> {
    let failed = |reason: String| AssetError::Unreadable {
        path: dir.display().to_string(),
        reason,
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for file in files {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(if file.executable { 0o755 } else { 0o644 });
        let contents = std::fs::read(&file.path).map_err(|e| AssetError::Unreadable {
            path: file.path.display().to_string(),
            reason: e.to_string(),
        })?;
        zip.start_file(file.name.as_str(), options)
            .and_then(|()| zip.write_all(&contents).map_err(Into::into))
            .map_err(|e| failed(e.to_string()))?;
    }
    let cursor = zip.finish().map_err(|e| failed(e.to_string()))?;
    Ok(cursor.into_inner())
}

/// The stack `bootstrap` deploys once per account and region: the private, encrypted,
/// TLS-only bucket code assets are uploaded to (kept when the stack is deleted), its
/// name the output deploy reads.
#[cfg(feature = "constructs")]
pub fn bootstrap_stack(config: &crate::StackConfig) -> crate::Stack {
    use crate::construct::{BucketSpec, Scope, bucket};
    let mut stack = crate::Stack::new();
    stack.description("Code assets of the stacks of this account and region");
    let mut scope = Scope::new(&mut stack, config, BOOTSTRAP_STACK);
    let assets = bucket(&mut scope, "Assets", BucketSpec::default());
    stack.output(
        BUCKET_OUTPUT,
        crate::Output::new(assets.name()).description("The bucket code assets are uploaded to"),
    );
    stack
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path, files: &[(&str, &str)]) {
        for (name, contents) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
            std::fs::write(path, contents).expect("written");
        }
    }

    #[test]
    fn the_same_files_pack_to_the_same_bytes_whatever_their_times_and_order() {
        let base = std::env::temp_dir().join(format!("asset-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        tree(&a, &[("app.py", "print(1)"), ("lib/util.py", "x = 1")]);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        tree(&b, &[("lib/util.py", "x = 1"), ("app.py", "print(1)")]);
        let (first, second) = (
            Asset::from_directory(&a).expect("packs"),
            Asset::from_directory(&b).expect("packs"),
        );
        assert_eq!(first.bytes(), second.bytes());
        assert_eq!(first.key(), format!("assets/{}.zip", first.hash()));
        assert_eq!(first.hash().len(), 64);

        tree(&b, &[("app.py", "print(2)")]);
        let changed = Asset::from_directory(&b).expect("packs");
        assert_ne!(
            changed.hash(),
            first.hash(),
            "a changed file changes the name"
        );
        std::fs::remove_dir_all(&base).ok();
    }

    #[test]
    fn a_missing_or_empty_directory_is_refused() {
        let base = std::env::temp_dir().join(format!("asset-empty-{}", std::process::id()));
        std::fs::create_dir_all(base.join("only/dirs")).expect("dirs");
        assert_eq!(
            Asset::from_directory(&base),
            Err(AssetError::Empty(base.display().to_string()))
        );
        let missing = base.join("nothing");
        assert!(matches!(
            Asset::from_directory(&missing),
            Err(AssetError::Unreadable { .. })
        ));
        std::fs::remove_dir_all(&base).ok();
    }
}
