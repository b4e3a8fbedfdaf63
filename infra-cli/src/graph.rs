//! The resource graph of a synthesized template: an edge from each resource to every
//! resource it references (`Ref`, `Fn::GetAtt`, `${…}` in `Fn::Sub`, `DependsOn`), as
//! Graphviz DOT or Mermaid.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::app::{App, StackEntry};
use crate::cli::{GraphFormat, OutputFormat};

/// `(from, to)` pairs, or `(id, type)` pairs.
pub type Pairs = Vec<(String, String)>;

/// `(from, to)` edges and `(id, type)` nodes of a template document; the edges come from
/// the same walk of references synthesis uses.
pub fn edges(template: &Value) -> (Pairs, Pairs) {
    let Some(resources) = template["Resources"].as_object() else {
        return (Vec::new(), Vec::new());
    };
    let nodes = resources
        .iter()
        .map(|(id, r)| {
            (
                id.clone(),
                r["Type"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut edges = BTreeSet::new();
    for (from, targets) in infra_runtime::synth::resource_dependencies(template) {
        for to in targets {
            if to != from && resources.contains_key(&to) {
                edges.insert((from.clone(), to));
            }
        }
    }
    (edges.into_iter().collect(), nodes)
}

/// The graph as one JSON document: `{"nodes": [{"id", "type"}], "edges": [{"from", "to"}]}`.
pub fn json(template: &Value) -> Value {
    let (edges, nodes) = edges(template);
    serde_json::json!({
        "nodes": nodes.iter().map(|(id, ty)| serde_json::json!({ "id": id, "type": ty })).collect::<Vec<_>>(),
        "edges": edges.iter().map(|(from, to)| serde_json::json!({ "from": from, "to": to })).collect::<Vec<_>>(),
    })
}

/// Graphviz DOT.
pub fn dot(template: &Value) -> String {
    let (edges, nodes) = edges(template);
    let mut out = String::from(
        "digraph stack {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (id, type_name) in nodes {
        out.push_str(&format!("  \"{id}\" [label=\"{id}\\n{type_name}\"];\n"));
    }
    for (from, to) in edges {
        out.push_str(&format!("  \"{from}\" -> \"{to}\";\n"));
    }
    out.push_str("}\n");
    out
}

/// Mermaid flowchart.
pub fn mermaid(template: &Value) -> String {
    let (edges, nodes) = edges(template);
    let mut out = String::from("flowchart LR\n");
    for (id, type_name) in nodes {
        out.push_str(&format!("  {id}[\"{id}<br/>{type_name}\"]\n"));
    }
    for (from, to) in edges {
        out.push_str(&format!("  {from} --> {to}\n"));
    }
    out
}

/// The exports each stack imports, read from its template's `Fn::ImportValue`s.
fn imported_exports(document: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(name)) = map.get("Fn::ImportValue") {
                    found.insert(name.clone());
                }
                map.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    walk(document, &mut found);
    found
}

/// The exports a template declares: export name to output key.
fn declared_exports(document: &Value) -> Vec<(String, String)> {
    document["Outputs"]
        .as_object()
        .map(|outputs| {
            outputs
                .iter()
                .filter_map(|(key, o)| {
                    Some((o["Export"]["Name"].as_str()?.to_owned(), key.clone()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The app's stacks and the references between them: an edge from each importing stack
/// to the stack that exports, labelled with the exports it imports.
pub fn stacks(
    built: &[(StackEntry, String, Value)],
    format: GraphFormat,
    output: OutputFormat,
) -> String {
    let mut references: Vec<(String, String, Vec<String>)> = Vec::new();
    for (entry, _, document) in built {
        let imported = imported_exports(document);
        for (other, _, exporter) in built {
            let used: Vec<String> = declared_exports(exporter)
                .into_iter()
                .filter(|(name, _)| imported.contains(name))
                .map(|(_, key)| key)
                .collect();
            if !used.is_empty() {
                references.push((entry.key.to_owned(), other.key.to_owned(), used));
            }
        }
    }
    match (output, format) {
        (OutputFormat::Json, _) => format!(
            "{}\n",
            serde_json::json!({
                "stacks": built.iter().map(|(e, name, _)| serde_json::json!({ "key": e.key, "name": name, "region": e.region })).collect::<Vec<_>>(),
                "references": references.iter().map(|(from, to, outputs)| serde_json::json!({ "from": from, "to": to, "outputs": outputs })).collect::<Vec<_>>(),
            })
        ),
        (OutputFormat::Text, GraphFormat::Dot) => {
            let mut out = String::from(
                "digraph app {\n  rankdir=LR;\n  node [shape=box3d, fontname=\"Helvetica\"];\n",
            );
            for (entry, name, _) in built {
                out.push_str(&format!(
                    "  \"{}\" [label=\"{}\\n{name} ({})\"];\n",
                    entry.key, entry.key, entry.region
                ));
            }
            for (from, to, outputs) in &references {
                out.push_str(&format!(
                    "  \"{from}\" -> \"{to}\" [label=\"{}\"];\n",
                    outputs.join("\\n")
                ));
            }
            out.push_str("}\n");
            out
        }
        (OutputFormat::Text, GraphFormat::Mermaid) => {
            let mut out = String::from("flowchart LR\n");
            for (entry, name, _) in built {
                out.push_str(&format!(
                    "  {}[[\"{}<br/>{name} ({})\"]]\n",
                    node(entry.key),
                    entry.key,
                    entry.region
                ));
            }
            for (from, to, outputs) in &references {
                out.push_str(&format!(
                    "  {} -->|{}| {}\n",
                    node(from),
                    outputs.join(", "),
                    node(to)
                ));
            }
            out
        }
    }
}

/// A Mermaid node id for a stack key (hyphens are not allowed there).
fn node(key: &str) -> String {
    key.replace('-', "_")
}

/// `list`: each stack's key, CloudFormation name prefix, region, imports and settings.
pub fn list(app: &App, output: OutputFormat) -> String {
    if output == OutputFormat::Json {
        let stacks: Vec<Value> = app
            .stacks()
            .iter()
            .map(|s| {
                serde_json::json!({
                    "key": s.key, "name": s.name, "region": s.region, "about": s.about,
                    "imports": s.imports,
                    "settings": s.settings.iter().map(|f| serde_json::json!({ "flag": format!("--{}", f.flag()), "type": f.ty, "default": f.default })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return format!("{}\n", Value::Array(stacks));
    }
    let mut out = String::new();
    for s in app.stacks() {
        out.push_str(&format!(
            "{:<12} {:<16} {:<14} {}\n",
            s.key, s.name, s.region, s.about
        ));
        if !s.imports.is_empty() {
            out.push_str(&format!(
                "{:<12} imports from {}\n",
                "",
                s.imports.join(", ")
            ));
        }
        for f in s.settings {
            out.push_str(&format!(
                "{:<12} --{} <{}> (default {})\n",
                "",
                f.flag(),
                f.ty,
                f.default
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn edges_follow_refs_getatts_subs_and_depends_on() {
        let template = json!({ "Resources": {
            "Vpc": { "Type": "AWS::EC2::VPC" },
            "Subnet": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" } } },
            "Role": { "Type": "AWS::IAM::Role", "Properties": { "X": { "Fn::Sub": "${Subnet}/${AWS::Region}" } }, "DependsOn": "Vpc" },
            "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "VpcId": { "Fn::GetAtt": ["Vpc", "VpcId"] } } }
        }});
        let (edges, nodes) = super::edges(&template);
        assert_eq!(nodes.len(), 4);
        let pairs: Vec<(&str, &str)> = edges
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Role", "Subnet"),
                ("Role", "Vpc"),
                ("Sg", "Vpc"),
                ("Subnet", "Vpc")
            ]
        );
        assert!(super::dot(&template).contains("\"Subnet\" -> \"Vpc\";"));
        assert!(super::mermaid(&template).contains("  Subnet --> Vpc\n"));
    }
}
