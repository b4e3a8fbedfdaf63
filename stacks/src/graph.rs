//! The resource graph of a synthesized template: an edge from each resource to every
//! resource it references (`Ref`, `Fn::GetAtt`, `${…}` in `Fn::Sub`, `DependsOn`), as
//! Graphviz DOT or Mermaid.

use std::collections::BTreeSet;

use serde_json::Value;

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
