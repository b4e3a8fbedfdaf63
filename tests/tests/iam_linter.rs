//! Least privilege judged from outside: parliament, an IAM policy linter, reports nothing
//! on the identity policies of every stack of the repository's apps (the loan platform
//! and the stacks beside it, the serverless app, the reference app).
//!
//! A linter reads policies, not templates, so each policy's intrinsics are first made
//! into the strings AWS would see: an ARN a template reads (`Fn::GetAtt`, `Fn::Sub`,
//! `Fn::ImportValue` of another stack's export) becomes an ARN of the format AWS's
//! authorization reference gives the resource's type, so that parliament can tell
//! whether each action applies to the resource it is given.

use std::collections::BTreeMap;

use infra_facts::iam::reference::example_arn;
use infra_runtime::StackConfig;
use serde_json::{Value as Json, json};

const ACCOUNT: &str = "123456789012";

/// One synthesized stack: its region and template.
struct Built {
    name: String,
    region: String,
    template: Json,
}

impl Built {
    fn resources(&self) -> &Json {
        &self.template["Resources"]
    }

    /// What `{"Ref": id}` gives: pseudo parameters, a parameter's stand-in, a resource's
    /// id, which for types whose `Ref` is their ARN is that ARN.
    fn reference(&self, id: &str) -> String {
        match id {
            "AWS::Partition" => "aws".to_owned(),
            "AWS::Region" => self.region.clone(),
            "AWS::AccountId" => ACCOUNT.to_owned(),
            "AWS::StackName" => self.name.clone(),
            "AWS::URLSuffix" => "amazonaws.com".to_owned(),
            _ => {
                let type_name = self.resources()[id]["Type"].as_str().unwrap_or_default();
                let ref_is_arn = [
                    "AWS::IAM::ManagedPolicy",
                    "AWS::SecretsManager::Secret",
                    "AWS::SNS::Topic",
                    "AWS::StepFunctions::StateMachine",
                ];
                if ref_is_arn.contains(&type_name) {
                    self.arn(id)
                } else {
                    id.to_lowercase()
                }
            }
        }
    }

    /// The ARN of a resource of the template, in its type's format.
    fn arn(&self, id: &str) -> String {
        let type_name = self.resources()[id]["Type"].as_str().unwrap_or_default();
        example_arn(type_name, |variable| match variable {
            "Partition" => "aws".to_owned(),
            "Region" => self.region.clone(),
            "Account" => ACCOUNT.to_owned(),
            _ => id.to_lowercase(),
        })
        .unwrap_or_else(|| panic!("{}: no ARN format for {id} ({type_name})", self.name))
    }

    fn get_att(&self, id: &str, attribute: &str) -> String {
        if attribute.ends_with("Arn") {
            self.arn(id)
        } else {
            format!("{}-{}", id.to_lowercase(), attribute.to_lowercase())
        }
    }

    /// `Fn::Sub`'s text with its variables (`${AWS::Region}`, `${Bucket.Arn}`, `${Id}`
    /// of `vars`) filled.
    fn sub(&self, text: &str, vars: &Json, exports: &Exports) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let end = start + rest[start..].find('}').expect("a closed variable");
            out.push_str(&rest[..start]);
            let name = &rest[start + 2..end];
            let value = match (vars.get(name), name.split_once('.')) {
                (Some(v), _) => self
                    .concrete(v, exports)
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                (None, Some((id, attribute))) => self.get_att(id, attribute),
                (None, None) => self.reference(name),
            };
            out.push_str(&value);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The value with every intrinsic replaced by the string AWS would see.
    fn concrete(&self, value: &Json, exports: &Exports) -> Json {
        let Json::Object(map) = value else {
            return match value {
                Json::Array(items) => items.iter().map(|v| self.concrete(v, exports)).collect(),
                _ => value.clone(),
            };
        };
        if let Some(id) = map.get("Ref").and_then(Json::as_str) {
            return self.reference(id).into();
        }
        if let Some(att) = map.get("Fn::GetAtt") {
            let (id, attribute) = (att[0].as_str().unwrap_or_default(), att[1].as_str());
            return self.get_att(id, attribute.unwrap_or_default()).into();
        }
        if let Some(sub) = map.get("Fn::Sub") {
            return match sub {
                Json::String(text) => self.sub(text, &json!({}), exports),
                _ => self.sub(sub[0].as_str().unwrap_or_default(), &sub[1], exports),
            }
            .into();
        }
        if let Some(join) = map.get("Fn::Join") {
            let parts = self.concrete(&join[1], exports);
            let parts: Vec<&str> = parts
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .collect();
            return parts.join(join[0].as_str().unwrap_or_default()).into();
        }
        if let Some(name) = map.get("Fn::ImportValue") {
            let name = self.concrete(name, exports);
            let name = name.as_str().unwrap_or_default();
            return exports
                .get(name)
                .unwrap_or_else(|| panic!("{}: imports {name}, which no stack exports", self.name))
                .clone();
        }
        map.iter()
            .map(|(k, v)| (k.clone(), self.concrete(v, exports)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    }

    /// Every identity policy document: roles' inline policies, managed policies, and
    /// the role, user and group policies.
    fn identity_policies(&self) -> Vec<(String, Json)> {
        let mut documents = Vec::new();
        for (id, resource) in self.resources().as_object().into_iter().flatten() {
            let properties = &resource["Properties"];
            match resource["Type"].as_str().unwrap_or_default() {
                "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                    for (i, policy) in properties["Policies"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                    {
                        documents.push((format!("{id}-{i}"), policy["PolicyDocument"].clone()));
                    }
                }
                "AWS::IAM::ManagedPolicy"
                | "AWS::IAM::Policy"
                | "AWS::IAM::RolePolicy"
                | "AWS::IAM::UserPolicy"
                | "AWS::IAM::GroupPolicy" => {
                    documents.push((id.clone(), properties["PolicyDocument"].clone()));
                }
                _ => {}
            }
        }
        documents
    }
}

/// Every export of the stacks built so far, by name, as AWS would see its value.
type Exports = BTreeMap<String, Json>;

fn build(app: &infra_cli::App) -> Vec<Built> {
    app.stacks()
        .iter()
        .map(|entry| {
            let region = entry.region;
            let config =
                StackConfig::from_lookup(region, |_| None).expect("the default configuration");
            let stack = entry.build(&config, &[]).expect("the settings' defaults");
            let template = stack.synth().expect("synthesizes");
            Built {
                name: entry.stack_name(&config),
                region: region.to_owned(),
                template: template.document().clone(),
            }
        })
        .collect()
}

#[test]
fn parliament_reports_nothing_on_the_identity_policies_of_every_stack() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut written = 0;
    for app in [
        stacks::app(),
        stacks::serverless::app(),
        stacks::reference::app(),
    ] {
        // An app lists a stack after those it imports from, so exports are known first.
        let mut exports = Exports::new();
        for built in build(&app) {
            for output in built.template["Outputs"]
                .as_object()
                .into_iter()
                .flat_map(|o| o.values())
            {
                if let Some(name) = built.concrete(&output["Export"]["Name"], &exports).as_str() {
                    let value = built.concrete(&output["Value"], &exports);
                    exports.insert(name.to_owned(), value);
                }
            }
            for (id, document) in built.identity_policies() {
                let document = built.concrete(&document, &exports);
                let path = dir.path().join(format!("{}-{id}.json", built.name));
                std::fs::write(&path, document.to_string()).expect("write the policy");
                written += 1;
            }
        }
    }
    assert!(
        written >= 10,
        "the apps' stacks hold {written} identity policies"
    );
    let findings = tests::parliament_directory(dir.path()).expect("parliament runs");
    assert!(findings.is_empty(), "parliament: {findings:#?}");
}
