//! Trust from the resource: a role named at a property through which a service assumes
//! it (a function's `Role`, a state machine's `RoleArn`, a task definition's
//! `TaskRoleArn`; `infra_facts::iam::ROLE_PROPERTIES`) must be one whose trust policy
//! lets that service assume it. Judged on the built template, whatever declared the
//! resource and the role (a construct, a raw resource, plain Rust); `stack!` reports a
//! role of the stack written at the property at compile time first. A role of another
//! stack, or a trust policy that is not written out, is not judged.

use std::collections::BTreeMap;

use crate::Json;

/// Every role given to a service that may not assume it: `(logical id of the resource
/// that gives it, problem)`.
pub(crate) fn untrusted(resources: &BTreeMap<String, Json>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (id, resource) in resources {
        let type_name = resource["Type"].as_str().unwrap_or_default();
        let given = infra_facts::iam::ROLE_PROPERTIES
            .iter()
            .filter(|(t, _, _)| *t == type_name);
        for (_, path, stem) in given {
            let Some(service) = infra_facts::iam::service_of_stem(stem) else {
                continue;
            };
            for value in at_path(&resource["Properties"], path) {
                let Some(role) = role_named(resources, value) else {
                    continue;
                };
                let trust = &resources[role]["Properties"]["AssumeRolePolicyDocument"];
                if trust["Statement"].is_array() && !trusts(trust, service) {
                    found.push((
                        id.clone(),
                        format!(
                            "gives the role `{role}` to {service} in `{path}`, which the role's trust policy does not let assume it; trust `{service}` where the role is declared"
                        ),
                    ));
                }
            }
        }
    }
    found
}

/// The values at a `.`-separated path, `[]` standing for each element of a list.
fn at_path<'a>(value: &'a Json, path: &str) -> Vec<&'a Json> {
    let mut values = vec![value];
    for step in path.split('.') {
        let (key, each) = step
            .strip_suffix("[]")
            .map_or((step, false), |key| (key, true));
        values = values
            .into_iter()
            .map(|v| &v[key])
            .flat_map(|v| match (each, v) {
                (true, Json::Array(items)) => items.iter().collect(),
                (false, v) if !v.is_null() => vec![v],
                _ => Vec::new(),
            })
            .collect();
    }
    values
}

/// The role of this template a value names: `Fn::GetAtt [Role, Arn]` or `Ref` (a name).
fn role_named<'a>(resources: &BTreeMap<String, Json>, value: &'a Json) -> Option<&'a str> {
    let id = value["Fn::GetAtt"][0]
        .as_str()
        .filter(|_| value["Fn::GetAtt"][1] == "Arn")
        .or_else(|| value["Ref"].as_str())?;
    (resources.get(id)?["Type"] == "AWS::IAM::Role").then_some(id)
}

/// Whether a trust policy lets `service` assume the role.
fn trusts(document: &Json, service: &str) -> bool {
    document["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["Effect"] == "Allow")
        .any(|s| match &s["Principal"]["Service"] {
            Json::String(one) => one == service,
            Json::Array(many) => many.iter().any(|m| m == service),
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_element_of_a_list_is_judged() {
        let resources: BTreeMap<String, Json> = [
            (
                "Runner".to_owned(),
                json!({"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]
                }}}),
            ),
            (
                "Nightly".to_owned(),
                json!({"Type": "AWS::Events::Rule", "Properties": {"Targets": [
                    {"Arn": "x"},
                    {"Arn": "y", "RoleArn": {"Fn::GetAtt": ["Runner", "Arn"]}}
                ]}}),
            ),
        ]
        .into_iter()
        .collect();
        let found = untrusted(&resources);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "Nightly");
        assert!(
            found[0]
                .1
                .contains("events.amazonaws.com in `Targets[].RoleArn`")
        );
    }
}
