//! The generator of `infra-runtime`'s typed resource model.
//!
//! Input: the CloudFormation registry schemas in `codegen/schemas/` (copied from the
//! pinned `cfn-lint` package by `scripts/fetch-schemas`) for the types listed in
//! `codegen/types.txt`, plus the hand-kept tables in [`config`].
//! Output: `infra-runtime/src/aws/**.rs`, one module per service and one per resource
//! type, formatted by rustfmt. [`generate`] is pure apart from reading the schemas and
//! running rustfmt, so [`stale_files`] can tell whether the committed output is current.

pub mod config;
mod emit;
pub mod naming;
mod resolve;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use quote::quote;

/// A generator failure, with what to do about it.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Where the generated model lives, relative to the workspace root.
pub const OUTPUT_DIR: &str = "infra-runtime/src/aws";

/// The resource types listed in `codegen/types.txt`.
pub fn type_list(root: &Path) -> Result<Vec<String>, Error> {
    let path = root.join("codegen/types.txt");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

fn schema_file(root: &Path, type_name: &str) -> PathBuf {
    root.join("codegen/schemas").join(format!(
        "{}.json",
        type_name.replace("::", "-").to_lowercase()
    ))
}

/// Every generated file, by path relative to the workspace root.
pub fn generate(root: &Path) -> Result<BTreeMap<PathBuf, String>, Error> {
    let type_names = type_list(root)?;
    let types: BTreeMap<String, (String, String)> = type_names
        .iter()
        .map(|t| {
            let (service, _, struct_name) = naming::type_names(t);
            (t.clone(), (service, struct_name))
        })
        .collect();
    for (t, _, _) in config::IDENTITIES {
        if !types.contains_key(*t) {
            return Err(Error(format!(
                "config::IDENTITIES names {t}, which codegen/types.txt does not list"
            )));
        }
    }
    let mut unused_overrides: BTreeSet<(String, String)> = config::OVERRIDES
        .iter()
        .map(|(t, p, _)| (t.to_string(), p.to_string()))
        .collect();
    let mut unions = BTreeMap::new();
    let mut services: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut files = BTreeMap::new();
    let out = Path::new(OUTPUT_DIR);

    for type_name in &type_names {
        let path = schema_file(root, type_name);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error(format!(
                "cannot read the schema of {type_name} at {}: {e}; run scripts/fetch-schemas",
                path.display()
            ))
        })?;
        let schema: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))?;
        let mut ctx = resolve::Context {
            types: &types,
            unused_overrides: &mut unused_overrides,
            unions: &mut unions,
        };
        let model = resolve::resolve(type_name, &schema, &mut ctx)?;
        let body = emit::resource_module(&model)?;
        let doc = format!(
            " `{type_name}`: the property struct [`{}`], its nested types and enums, and",
            model.struct_name
        );
        let doc2 = format!(
            " what a [`Handle<{}>`](crate::Handle) can read from it.",
            model.struct_name
        );
        files.insert(
            out.join(&model.service)
                .join(format!("{}.rs", model.module)),
            render(quote! { #![doc = #doc] #![doc = #doc2] #body })?,
        );
        services
            .entry(model.service.clone())
            .or_default()
            .push((model.module, model.struct_name));
    }
    if let Some((t, p)) = unused_overrides.iter().next() {
        return Err(Error(format!(
            "config::OVERRIDES names `{p}` of {t}, which is not a string property in its schema"
        )));
    }
    for (service, resources) in &services {
        let body = emit::service_module(resources);
        let doc = format!(" The `{service}` service's resource types.");
        files.insert(
            out.join(service).join("mod.rs"),
            render(quote! { #![doc = #doc] #body })?,
        );
    }
    let body = emit::root_module(&services, &unions);
    let root_doc = quote! {
        #![doc = " The typed resource model, one module per AWS service and one per resource type,"]
        #![doc = " generated from AWS's CloudFormation registry schemas (see `codegen/schemas/SOURCE`)."]
        #![allow(clippy::doc_markdown, clippy::doc_lazy_continuation, clippy::too_long_first_doc_paragraph)]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(rustdoc::invalid_rust_codeblocks, rustdoc::unescaped_backticks)]
    };
    files.insert(out.join("mod.rs"), render(quote! { #root_doc #body })?);
    files.insert(PathBuf::from(REGIONS_FILE), regions(root)?);
    Ok(files)
}

/// Where the pinned registry's region list is generated (in the crate both the checker and
/// the runtime read).
pub const REGIONS_FILE: &str = "infra-facts/src/regions.rs";

/// `infra-facts/src/regions.rs` from `codegen/schemas/REGIONS` (one region per line).
fn regions(root: &Path) -> Result<String, Error> {
    let path = root.join("codegen/schemas/REGIONS");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error(format!(
            "cannot read {}: {e}; run scripts/fetch-schemas",
            path.display()
        ))
    })?;
    let mut names: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    render(quote! {
        #![doc = " The regions of the pinned CloudFormation registry (see `codegen/schemas/SOURCE`)."]
        /// Every region the registry has a provider list for, sorted.
        pub const REGIONS: &[&str] = &[#(#names),*];
    })
}

fn render(tokens: proc_macro2::TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error(format!("the generator produced invalid Rust: {e}")))?;
    let pretty = prettyplease::unparse(&file);
    Ok(format!("{}{}", emit::HEADER, rustfmt(&pretty)?))
}

fn rustfmt(source: &str) -> Result<String, Error> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error(format!(
                "cannot run rustfmt: {e}; install it with `rustup component add rustfmt`"
            ))
        })?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Error("rustfmt has no stdin".into()))?;
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| Error(format!("rustfmt failed: {e}")))?;
    match writer.join() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(Error(format!("cannot send generated code to rustfmt: {e}"))),
        Err(_) => return Err(Error("the thread feeding rustfmt panicked".into())),
    }
    if !output.status.success() {
        return Err(Error(format!(
            "rustfmt rejected generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    String::from_utf8(output.stdout).map_err(|e| Error(format!("rustfmt wrote invalid UTF-8: {e}")))
}

/// Files under the output folder that differ from what the generator makes now, or that
/// it would not make at all.
pub fn stale_files(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let files = generate(root)?;
    let mut stale: Vec<PathBuf> = files
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(path, _)| path.clone())
        .collect();
    for existing in rust_files(&root.join(OUTPUT_DIR)) {
        let relative = existing
            .strip_prefix(root)
            .unwrap_or(&existing)
            .to_path_buf();
        if !files.contains_key(&relative) {
            stale.push(relative);
        }
    }
    Ok(stale)
}

/// Writes the generated files and removes generated files that are no longer made.
pub fn write(root: &Path) -> Result<usize, Error> {
    let files = generate(root)?;
    for existing in rust_files(&root.join(OUTPUT_DIR)) {
        let relative = existing
            .strip_prefix(root)
            .unwrap_or(&existing)
            .to_path_buf();
        if !files.contains_key(&relative) {
            std::fs::remove_file(&existing)
                .map_err(|e| Error(format!("cannot remove {}: {e}", existing.display())))?;
        }
    }
    for (path, text) in &files {
        let full = root.join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(&full, text)
            .map_err(|e| Error(format!("cannot write {}: {e}", full.display())))?;
    }
    Ok(files.len())
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}
