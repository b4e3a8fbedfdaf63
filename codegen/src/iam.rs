//! The authorization reference as `infra-facts` reads it: from the pinned
//! `codegen/iam/iam-definition.json` (see `codegen/iam/SOURCE`), one line per action,
//! sorted, so that a lookup is a binary search over text compiled into the crate:
//!
//! ```text
//! s3:GetObject<TAB>Read<TAB>object*,accesspointobject
//! ```
//!
//! and one line per resource type with its ARN format (`resource<TAB>s3:bucket<TAB>arn:…`).
//! A resource type marked `*` is required: the action needs a resource of that type.

use std::fmt::Write as _;
use std::path::Path;

use crate::Error;

/// Where the table is generated.
pub const REFERENCE_FILE: &str = "infra-facts/src/iam/reference.txt";

/// The table's text.
pub fn reference(root: &Path) -> Result<String, Error> {
    let path = root.join("codegen/iam/iam-definition.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error(format!(
            "cannot read {}: {e}; run scripts/pin-iam-reference",
            path.display()
        ))
    })?;
    let services: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))?;
    let mut actions = Vec::new();
    let mut resources = Vec::new();
    for (prefix, service) in &services {
        for (name, action) in service["actions"].as_object().into_iter().flatten() {
            let level = action["access_level"].as_str().unwrap_or_default();
            let types: Vec<&str> = action["resource_types"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str())
                .collect();
            check_field(&path, prefix, name)?;
            actions.push(format!("{prefix}:{name}\t{level}\t{}", types.join(",")));
        }
        for (kind, arn) in service["resources"].as_object().into_iter().flatten() {
            let arn = arn.as_str().unwrap_or_default();
            check_field(&path, prefix, arn)?;
            resources.push(format!("resource\t{prefix}:{kind}\t{arn}"));
        }
    }
    // Byte order, which the lookup's binary search relies on.
    actions.sort();
    resources.sort();
    let mut out = String::new();
    for line in actions.iter().chain(&resources) {
        let _ = writeln!(out, "{line}");
    }
    Ok(out)
}

/// A field that would break the table's lines.
fn check_field(path: &Path, prefix: &str, field: &str) -> Result<(), Error> {
    if field.contains(['\t', '\n']) || prefix.contains(['\t', '\n', ':']) {
        return Err(Error(format!(
            "{}: `{prefix}`/`{field}` holds a tab, a newline or a colon",
            path.display()
        )));
    }
    Ok(())
}
