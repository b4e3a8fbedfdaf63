//! The resource graph of a synthesized template: an edge from each resource to every
//! resource it references (`Ref`, `Fn::GetAtt`, `${…}` in `Fn::Sub`, `DependsOn`), as
//! Graphviz DOT or Mermaid.

use std::collections::BTreeSet;

use serde_json::Value;

/// `(from, to)` pairs, or `(id, type)` pairs.
pub type Pairs = Vec<(String, String)>;

/// `(from, to)` edges and `(id, type)` nodes of a template document.
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
    for (id, resource) in resources {
        let mut targets = BTreeSet::new();
        collect(&resource["Properties"], &mut targets);
        match &resource["DependsOn"] {
            Value::String(d) => {
                targets.insert(d.clone());
            }
            Value::Array(ds) => {
                targets.extend(ds.iter().filter_map(|d| d.as_str().map(str::to_owned)))
            }
            _ => {}
        }
        for target in targets {
            if target != *id && resources.contains_key(&target) {
                edges.insert((id.clone(), target));
            }
        }
    }
    (edges.into_iter().collect(), nodes)
}

fn collect(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("Ref") {
                out.insert(target.clone());
            }
            if let Some(Value::Array(parts)) = map.get("Fn::GetAtt")
                && let Some(Value::String(target)) = parts.first()
            {
                out.insert(target.clone());
            }
            if let Some(sub) = map.get("Fn::Sub") {
                let text = match sub {
                    Value::String(s) => Some(s.as_str()),
                    Value::Array(parts) => parts.first().and_then(Value::as_str),
                    _ => None,
                };
                for name in text.into_iter().flat_map(|t| t.split("${").skip(1)) {
                    if let Some(end) = name.find('}') {
                        out.insert(name[..end].split('.').next().unwrap_or_default().to_owned());
                    }
                }
            }
            map.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
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
