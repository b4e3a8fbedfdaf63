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
pub mod iam;
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

/// The resource types the registry schemas in `codegen/schemas/` describe, sorted: every
/// type `scripts/fetch-schemas` found in any region of the pinned registry.
pub fn type_list(root: &Path) -> Result<Vec<String>, Error> {
    let dir = root.join("codegen/schemas");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Error(format!(
            "cannot read {}: {e}; run scripts/fetch-schemas",
            dir.display()
        ))
    })?;
    let mut types = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
        let schema: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))?;
        let name = schema["typeName"]
            .as_str()
            .ok_or_else(|| Error(format!("{} has no typeName", path.display())))?;
        types.push(name.to_owned());
    }
    types.sort();
    Ok(types)
}

fn schema_file(root: &Path, type_name: &str) -> PathBuf {
    root.join("codegen/schemas").join(format!(
        "{}.json",
        type_name.replace("::", "-").to_lowercase()
    ))
}

/// What the generator makes.
pub struct Generated {
    /// Every generated file, by path relative to the workspace root.
    pub files: BTreeMap<PathBuf, String>,
    /// Properties kept as JSON because their schema has no faithful Rust shape
    /// (`Type.Path: why`).
    pub degraded: Vec<String>,
}

/// Generates the model from the schemas.
pub fn generate(root: &Path) -> Result<Generated, Error> {
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
                "config::IDENTITIES names {t}, which no schema in codegen/schemas describes"
            )));
        }
    }
    let mut unused_overrides: BTreeSet<(String, String)> = config::OVERRIDES
        .iter()
        .map(|(t, p, _)| (t.to_string(), p.to_string()))
        .collect();
    let mut unions = BTreeMap::new();
    let mut degraded = Vec::new();
    let mut collected = Collected::new();
    for type_name in &type_names {
        let schema = read_schema(root, type_name)?;
        let mut ctx = resolve::Context {
            types: &types,
            unused_overrides: &mut unused_overrides,
            unions: &mut unions,
            degraded: &mut degraded,
        };
        let model = resolve::resolve(type_name, &schema, &mut ctx)?;
        let text = type_module(type_name, &model)?;
        collected.add(type_name, model, text);
    }
    if let Some((t, p)) = unused_overrides.iter().next() {
        return Err(Error(format!(
            "config::OVERRIDES names `{p}` of {t}, which is not a string property in its schema"
        )));
    }
    let mut files = collected.shared_files(root, &unions, &types, &type_names)?;
    files.insert(PathBuf::from(DEGRADED_FILE), degraded_list(&degraded));
    Ok(Generated { files, degraded })
}

fn read_schema(root: &Path, type_name: &str) -> Result<serde_json::Value, Error> {
    let path = schema_file(root, type_name);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error(format!(
            "cannot read the schema of {type_name} at {}: {e}; run scripts/fetch-schemas",
            path.display()
        ))
    })?;
    serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// `aws/<service>/<resource>.rs`, formatted.
fn type_module(type_name: &str, model: &resolve::ResourceModel) -> Result<String, Error> {
    let name = &model.struct_name;
    let doc = format!(
        " `{type_name}`: the resource type [`{name}`], what a [`Handle<{name}>`](crate::Handle) reads"
    );
    let doc2 =
        " from it, and the macros that define its property module where a stack declares one.";
    let items = emit::resource_items(model);
    let head = unparse(quote! { #![doc = #doc] #![doc = #doc2] #items })?;
    let properties = dollar_crate(&unparse(emit::property_items(model)?)?);
    let module = emit::module_ident(model);
    let service = &model.service;
    let define = emit::properties_macro(service, &model.module);
    let declare = emit::declare_macro(service, &model.module);
    let feature = naming::feature(service, &model.module);
    let text = format!(
        "{head}
/// Defines `pub mod {module}`, the property struct of `{type_name}` and its nested types, where
/// it is invoked.
#[doc(hidden)]
#[macro_export]
macro_rules! {define} {{
    () => {{
        pub mod {module} {{
{properties}
        }}
    }};
}}

/// The type's property module where a stack declares one: the runtime's own, compiled with the
/// `{feature}` feature.
#[cfg(feature = \"{feature}\")]
#[doc(hidden)]
#[macro_export]
macro_rules! {declare} {{
    () => {{
        pub use $crate::aws::{service}::{module};
    }};
}}

/// The type's property module where a stack declares one: defined there, as the runtime
/// compiles it only with the `{feature}` feature.
#[cfg(not(feature = \"{feature}\"))]
#[doc(hidden)]
#[macro_export]
macro_rules! {declare} {{
    () => {{
        $crate::{define}! {{}}
    }};
}}

#[doc(hidden)]
pub use crate::{declare} as {name};
"
    );
    Ok(format!("{}{}", emit::HEADER, rustfmt(&text)?))
}

/// `crate::` paths as `$crate::`, for items a macro of the crate defines in another.
fn dollar_crate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        out.push_str(&rest[..at]);
        if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            out.push('$');
        }
        out.push_str("crate::");
        rest = &rest[at + "crate::".len()..];
    }
    out.push_str(rest);
    out
}

/// What the pass over the types gathers for the files made from all of them together.
struct Collected {
    /// Each type's required fields, by type name.
    required: BTreeMap<String, Vec<String>>,
    /// Each service's modules.
    services: BTreeMap<String, Vec<emit::ModuleEntry>>,
    /// Each type whose ARN its handle reads, and how.
    arns: Vec<iam::ArnSource>,
    files: BTreeMap<PathBuf, String>,
}

impl Collected {
    fn new() -> Self {
        Self {
            required: BTreeMap::new(),
            services: BTreeMap::new(),
            arns: Vec::new(),
            files: BTreeMap::new(),
        }
    }

    /// Records one type's module (`text`) and what the shared files need from it.
    fn add(&mut self, type_name: &str, model: resolve::ResourceModel, text: String) {
        let required = model.fields.iter().filter(|f| f.required);
        self.required.insert(
            type_name.to_owned(),
            required.map(|f| f.rust_name.clone()).collect(),
        );
        let feature = naming::feature(&model.service, &model.module);
        let path = Path::new(OUTPUT_DIR)
            .join(&model.service)
            .join(format!("{}.rs", model.module));
        self.files.insert(path, text);
        if let Some(attribute) = arn_source(&model) {
            let path = format!("{}::{}", model.service, model.struct_name);
            let source = (model.type_name.clone(), path, attribute);
            self.arns.push(source);
        }
        self.services.entry(model.service).or_default().push((
            model.module,
            model.struct_name,
            feature,
        ));
    }

    /// Every file: the types' modules, the service and root modules, the manifest's
    /// features, the region and availability tables, and the IAM reference.
    fn shared_files(
        mut self,
        root: &Path,
        unions: &BTreeMap<String, resolve::Union>,
        types: &BTreeMap<String, (String, String)>,
        type_names: &[String],
    ) -> Result<BTreeMap<PathBuf, String>, Error> {
        let out = Path::new(OUTPUT_DIR);
        for (service, resources) in &self.services {
            let body = emit::service_module(service, resources);
            let doc = format!(" The `{service}` service's resource types.");
            self.files.insert(
                out.join(service).join("mod.rs"),
                render(quote! { #![doc = #doc] #body })?,
            );
        }
        let body = emit::root_module(&self.services, unions);
        let root_doc = quote! {
            #![doc = " The typed resource model, one module per AWS service and one per resource type,"]
            #![doc = " generated from AWS's CloudFormation registry schemas (see `codegen/schemas/SOURCE`)."]
            #![allow(clippy::doc_markdown, clippy::doc_lazy_continuation, clippy::too_long_first_doc_paragraph)]
            #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
            #![allow(rustdoc::invalid_rust_codeblocks, rustdoc::unescaped_backticks)]
        };
        self.files
            .insert(out.join("mod.rs"), render(quote! { #root_doc #body })?);
        self.files.insert(
            PathBuf::from(MANIFEST),
            manifest_with_features(root, &self.services)?,
        );
        self.files
            .insert(PathBuf::from(REGIONS_FILE), regions(root)?);
        self.files.insert(
            PathBuf::from(AVAILABILITY_FILE),
            availability(root, types, &self.required)?,
        );
        // The reference is read once: its table and the types matched to CloudFormation's.
        let definition = iam::definition(root)?;
        let iam_types = iam::IamTypes::from_definition(&definition)?;
        self.files.insert(
            PathBuf::from(iam::REFERENCE_FILE),
            iam::reference(root, &definition, type_names, &iam_types)?,
        );
        self.files.insert(
            PathBuf::from(iam::AUTHORIZED_FILE),
            iam::authorized(&iam_types, &self.arns)?,
        );
        Ok(self.files)
    }
}

/// How a handle of the type reads its ARN, `None` when it cannot. An ARN identity of
/// [`config::IDENTITIES`] says it, else an attribute `Arn` or `<Type>Arn` (`TopicArn`),
/// else the type's one primary identifier (by its identity of `IDENTITIES`, or `Ref`),
/// which the reference's ARN format of the type may frame.
fn arn_source(model: &resolve::ResourceModel) -> Option<iam::ArnVia> {
    let identity = |kind| model.identities.iter().find(|i| i.kind == kind);
    if let Some(identity) = identity(config::Kind::Arn) {
        return Some(match identity.via {
            config::Via::Ref => iam::ArnVia::Ref,
            config::Via::GetAtt(attribute) => iam::ArnVia::GetAtt(attribute.to_owned()),
        });
    }
    let name = model.type_name.rsplit("::").next().unwrap_or_default();
    let own = format!("{name}Arn");
    if let Some(a) = model
        .attributes
        .iter()
        .find(|a| a.getatt == "Arn" || a.getatt == own)
    {
        return Some(iam::ArnVia::GetAtt(a.getatt.clone()));
    }
    let [identifier] = model.primary_identifier.as_slice() else {
        return None;
    };
    let attribute = match identity(config::Kind::Id).map(|i| i.via) {
        Some(config::Via::GetAtt(a)) => Some(a.to_owned()),
        _ => None,
    };
    Some(iam::ArnVia::Identifier {
        name: identifier.clone(),
        attribute,
    })
}

/// The model crate's manifest, whose service features the generator writes.
pub const MANIFEST: &str = "infra-runtime/Cargo.toml";

const FEATURES_BEGIN: &str = "# BEGIN service features, generated by `cargo run -p codegen`";
const FEATURES_END: &str = "# END service features";

/// The manifest with its generated section replaced: one feature per resource type
/// (`ec2-vpc`), which needs no other (a type's module names other types by their
/// always-compiled names); one per service (`ec2`), enabling all of its types; and
/// `all-services`.
fn manifest_with_features(
    root: &Path,
    services: &BTreeMap<String, Vec<emit::ModuleEntry>>,
) -> Result<String, Error> {
    let path = root.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
    let (Some(begin), Some(end)) = (text.find(FEATURES_BEGIN), text.find(FEATURES_END)) else {
        return Err(Error(format!(
            "{} lacks the lines `{FEATURES_BEGIN}` and `{FEATURES_END}` between which the service features go",
            path.display()
        )));
    };
    let line = |name: &str, items: &mut dyn Iterator<Item = &String>| {
        let items: Vec<String> = items.map(|n| format!("\"{n}\"")).collect();
        format!("{name} = [{}]\n", items.join(", "))
    };
    let mut section = format!("{FEATURES_BEGIN}\n");
    for (service, entries) in services {
        section.push_str(&line(service, &mut entries.iter().map(|(_, _, f)| f)));
    }
    let features: BTreeSet<&String> = services.values().flatten().map(|(_, _, f)| f).collect();
    for feature in features {
        section.push_str(&line(feature, &mut std::iter::empty()));
    }
    section.push_str(&line("all-services", &mut services.keys()));
    Ok(format!("{}{section}{}", &text[..begin], &text[end..]))
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

/// Where the properties kept as JSON are listed, by reason.
pub const DEGRADED_FILE: &str = "codegen/DEGRADED.md";

fn degraded_list(degraded: &[String]) -> String {
    let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for entry in degraded {
        let (property, reason) = entry.rsplit_once(": ").unwrap_or((entry, "unknown"));
        by_reason.entry(reason).or_default().push(property);
    }
    let mut out = format!(
        "# Properties kept as JSON\n\nGenerated by `cargo run -p codegen`: the {} properties whose schema has no\nfaithful Rust shape, typed `Value<Json>`, by reason.\n",
        degraded.len()
    );
    for (reason, properties) in by_reason {
        out.push_str(&format!("\n## {reason} ({})\n\n", properties.len()));
        for property in properties {
            out.push_str(&format!("- `{property}`\n"));
        }
    }
    out
}

/// Where the table of which regions offer which types is generated.
pub const AVAILABILITY_FILE: &str = "infra-facts/src/availability.rs";

/// `infra-facts/src/availability.rs` from `codegen/schemas/AVAILABILITY` (`Type *` or
/// `Type region …` per line): each type's model path, name and regions as a bit set over
/// the sorted region list.
fn availability(
    root: &Path,
    types: &BTreeMap<String, (String, String)>,
    required: &BTreeMap<String, Vec<String>>,
) -> Result<String, Error> {
    let read = |name: &str| {
        let path = root.join("codegen/schemas").join(name);
        std::fs::read_to_string(&path).map_err(|e| {
            Error(format!(
                "cannot read {}: {e}; run scripts/fetch-schemas",
                path.display()
            ))
        })
    };
    let regions: Vec<String> = read("REGIONS")?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if regions.len() > 64 {
        return Err(Error(format!(
            "{} regions do not fit the availability table's 64-bit sets",
            regions.len()
        )));
    }
    let mut rows = Vec::new();
    for line in read("AVAILABILITY")?
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let mut words = line.split_whitespace();
        let type_name = words.next().unwrap_or_default();
        let Some((service, struct_name)) = types.get(type_name) else {
            return Err(Error(format!(
                "codegen/schemas/AVAILABILITY names {type_name}, which has no schema"
            )));
        };
        let mut mask = 0u64;
        for region in words {
            mask |= match (region, regions.iter().position(|r| r == region)) {
                ("*", _) => u64::MAX >> (64 - regions.len()),
                (_, Some(i)) => 1 << i,
                (_, None) => {
                    return Err(Error(format!(
                        "codegen/schemas/AVAILABILITY: {type_name} is offered in {region}, which REGIONS lacks"
                    )));
                }
            };
        }
        rows.push((
            format!("{service}::{struct_name}"),
            type_name.to_owned(),
            mask,
        ));
    }
    rows.sort();
    let rows = rows.iter().map(|(path, type_name, mask)| {
        let fields = required
            .get(type_name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let module = naming::field(&naming::type_names(type_name).1);
        quote!((#path, #type_name, #module, #mask, &[#(#fields),*]))
    });
    render(quote! {
        #![doc = " Where each resource type of the pinned registry is offered (see `codegen/schemas/SOURCE`)."]
        /// Every resource type of the model, sorted by path: its path under the model
        /// (`sqs::Queue`), its CloudFormation name, its property module (`queue`), the regions
        /// that offer it as a bit set over [`crate::regions::REGIONS`] (bit `i` for the
        /// `i`-th region), and the fields of its property struct that CloudFormation requires.
        #[allow(clippy::type_complexity)]
        pub const OFFERED: &[(&str, &str, &str, u64, &[&str])] = &[#(#rows),*];
    })
}

fn render(tokens: proc_macro2::TokenStream) -> Result<String, Error> {
    Ok(format!("{}{}", emit::HEADER, rustfmt(&unparse(tokens)?)?))
}

fn unparse(tokens: proc_macro2::TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error(format!("the generator produced invalid Rust: {e}")))?;
    Ok(prettyplease::unparse(&file))
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
    Ok(stale_among(root, &generate(root)?.files))
}

/// The files under the output folder that differ from `files` (what the generator
/// makes), or that it would not make at all.
pub fn stale_among(root: &Path, files: &BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
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
    stale
}

/// Writes the generated files and removes generated files that are no longer made.
pub fn write(root: &Path) -> Result<Generated, Error> {
    let generated = generate(root)?;
    let files = &generated.files;
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
    for (path, text) in files {
        let full = root.join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(&full, text)
            .map_err(|e| Error(format!("cannot write {}: {e}", full.display())))?;
    }
    Ok(generated)
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
