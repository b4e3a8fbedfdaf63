//! Exports other stacks import, and the planned changes that would break them: an export
//! whose output the template drops, or whose value comes from a resource the change set
//! replaces or removes. CloudFormation refuses to change an export in use, so such a
//! deploy would fail half way; it is said before anything runs, naming the importer.

use serde_json::Value as Json;

use super::engine::Engine;
use super::plan::{Action, Plan, Replacement};
use super::{DeployError, Deployable};

/// An export that a deployed stack imports, and the planned change that breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenImport {
    /// The export's name.
    pub export: String,
    /// The stack that imports it.
    pub importer: String,
    /// What the change does to it.
    pub why: String,
}

impl std::fmt::Display for BrokenImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "export {} is imported by stack {}, and {}",
            self.export, self.importer, self.why
        )
    }
}

impl Engine {
    /// The imports of other stacks that `plan` breaks.
    pub(super) async fn broken_imports(
        &self,
        deployable: &Deployable,
        plan: &Plan,
    ) -> Result<Vec<BrokenImport>, DeployError> {
        let Some(deployed) = self.describe().await? else {
            return Ok(Vec::new());
        };
        let outputs = &deployable.template.document()["Outputs"];
        let mut broken = Vec::new();
        for (key, export) in deployed.exports {
            let Some(why) = breaking_change(&outputs[&key], &key, plan) else {
                continue;
            };
            for importer in self.importers_of(&export).await? {
                broken.push(BrokenImport {
                    export: export.clone(),
                    importer,
                    why: why.clone(),
                });
            }
        }
        Ok(broken)
    }
}

/// What the plan does to the export of output `key` (`output` as the new template has
/// it), if it changes or drops it.
fn breaking_change(output: &Json, key: &str, plan: &Plan) -> Option<String> {
    if output.is_null() || output["Export"].is_null() {
        return Some(format!("the template no longer exports output {key}"));
    }
    let mut ids = Vec::new();
    referenced(&output["Value"], &mut ids);
    plan.changes.iter().find_map(|change| {
        if !ids.contains(&change.logical_id.as_str()) {
            return None;
        }
        let what = match (change.action, change.replacement) {
            (Action::Remove, _) => "removes",
            (Action::Modify, Replacement::Yes) => "replaces",
            (Action::Modify, Replacement::Conditional) => "may replace",
            _ => return None,
        };
        Some(format!(
            "the change {what} {} ({}), whose value output {key} exports",
            change.logical_id, change.resource_type
        ))
    })
}

/// The logical ids a value refers to (`Ref`, `Fn::GetAtt`, and `Fn::Sub`'s `${Id}`).
fn referenced<'a>(value: &'a Json, ids: &mut Vec<&'a str>) {
    match value {
        Json::Object(map) => {
            if let Some(Json::String(id)) = map.get("Ref") {
                ids.push(id);
            }
            if let Some(Json::String(id)) = map.get("Fn::GetAtt").and_then(|a| a.get(0)) {
                ids.push(id);
            }
            if let Some(Json::String(id)) = map.get("Fn::GetAtt")
                && let Some((id, _)) = id.split_once('.')
            {
                ids.push(id);
            }
            let sub = map.get("Fn::Sub").map(|s| s.get(0).unwrap_or(s));
            if let Some(Json::String(text)) = sub {
                ids.extend(text.split("${").skip(1).filter_map(|rest| {
                    let name = rest.split('}').next()?;
                    Some(name.split('.').next().unwrap_or(name))
                }));
            }
            map.values().for_each(|v| referenced(v, ids));
        }
        Json::Array(items) => items.iter().for_each(|v| referenced(v, ids)),
        _ => {}
    }
}
