//! `infra new`: a crate of the user's own with an app of two stacks (a network, and a job
//! queue importing its VPC), as `docs/own-app.md` shows it, depending on this repository
//! by path or by git.

use std::path::{Path, PathBuf};

/// The template's manifest: `{name}` and `{dependencies}` are filled in.
const MANIFEST: &str = include_str!("../template/Cargo.toml");
/// The template's `src/main.rs`: `{name}` is filled in.
const MAIN: &str = include_str!("../template/main.rs");
/// The template's `.gitignore`.
const GITIGNORE: &str = include_str!("../template/gitignore");

/// Where the new crate takes the project's crates from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A checkout of the repository: its root directory.
    Path(PathBuf),
    /// The repository by git, at a branch, tag or revision if given.
    Git {
        /// Its URL.
        url: String,
        /// `rev = "…"`, if given.
        rev: Option<String>,
    },
}

impl Source {
    /// The `[dependencies]` lines of the three crates.
    fn dependencies(&self) -> String {
        ["infra-cli", "infra-macros", "infra-runtime"]
            .iter()
            .map(|name| match self {
                Source::Path(root) => {
                    let path = root.join(name);
                    let path = path.to_string_lossy().replace('\\', "/");
                    format!("{name} = {{ path = \"{path}\" }}")
                }
                Source::Git { url, rev } => {
                    let rev = rev
                        .as_ref()
                        .map(|r| format!(", rev = \"{r}\""))
                        .unwrap_or_default();
                    format!("{name} = {{ git = \"{url}\"{rev} }}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The files of a new app called `name` (a Cargo package name), relative to its
/// directory.
pub fn files(name: &str, source: &Source) -> Vec<(&'static str, String)> {
    vec![
        (
            "Cargo.toml",
            MANIFEST
                .replace("{name}", name)
                .replace("{dependencies}", &source.dependencies()),
        ),
        ("src/main.rs", MAIN.replace("{name}", name)),
        (".gitignore", GITIGNORE.to_owned()),
    ]
}

/// Why `name` is not a package name Cargo takes, if it is not.
pub fn name_problem(name: &str) -> Option<String> {
    let first = name.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return Some(format!(
            "`{name}` is not a package name: it must start with a letter"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!(
            "`{name}` is not a package name: `{c}` is not a letter, digit, `-` or `_`"
        ));
    }
    None
}

/// Makes the app in `dir` (which must not exist, or be empty), named after the
/// directory unless `name` says otherwise; on failure nothing is left of what it made.
pub fn create(dir: &Path, name: Option<&str>, source: &Source) -> Result<Vec<PathBuf>, String> {
    let name = match name {
        Some(name) => name.to_owned(),
        None => dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                format!(
                    "{} names no directory; give the app's directory",
                    dir.display()
                )
            })?,
    };
    if name.is_empty() {
        return Err("the app's name is empty; give --name".to_owned());
    }
    if let Some(problem) = name_problem(&name) {
        return Err(format!("{problem}; give another with --name"));
    }
    if let Source::Path(root) = source
        && !root.join("infra-cli/Cargo.toml").is_file()
    {
        return Err(format!(
            "{} is not a checkout of this project (it has no infra-cli/Cargo.toml); give --path the repository's root",
            root.display()
        ));
    }
    let existed = dir.exists();
    if existed
        && std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty; nothing was written. Give a new directory",
            dir.display()
        ));
    }
    let written = write_all(dir, &files(&name, source));
    if written.is_err() {
        // Nothing half-made is left behind.
        if existed {
            let _ = std::fs::remove_dir_all(dir.join("src"));
            for (path, _) in files(&name, source) {
                let _ = std::fs::remove_file(dir.join(path));
            }
        } else {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    written
}

fn write_all(dir: &Path, files: &[(&str, String)]) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cargo_takes() {
        assert_eq!(name_problem("team-infra"), None);
        assert_eq!(name_problem("team_infra2"), None);
        assert!(name_problem("2fast").is_some_and(|p| p.contains("start with a letter")));
        assert!(name_problem("my app").is_some_and(|p| p.contains("` ` is not")));
    }

    #[test]
    fn a_git_source_names_the_repository_and_revision() {
        let source = Source::Git {
            url: "https://example.org/infra.git".to_owned(),
            rev: Some("abc123".to_owned()),
        };
        let manifest = &files("ops", &source)[0].1;
        assert!(
            manifest.contains(
                "infra-runtime = { git = \"https://example.org/infra.git\", rev = \"abc123\" }"
            ),
            "{manifest}"
        );
        assert!(manifest.contains("name = \"ops\""), "{manifest}");
    }
}
