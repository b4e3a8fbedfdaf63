//! Synthesis: a [`Stack`] becomes a CloudFormation template.
//!
//! Pure and deterministic: the same stack always gives byte-identical, compact JSON with
//! sorted keys. Every problem is collected before anything is returned; a stack that
//! synthesizes has unique valid names, every required property, only references to
//! things it declares, no dependency cycle, and fits CloudFormation's quotas.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::Location;

use serde_json::{Map, json};

use crate::Json;
use crate::error::{Hint, SynthError, SynthErrors, closest};
use crate::limits;
use crate::stack::{ResourceEntry, Stack};
use crate::value::pseudo;

/// The `Metadata` key under which each resource records the source line that declared it.
pub const SOURCE_METADATA_KEY: &str = "infra:source";

/// A synthesized template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    document: Json,
    body: String,
    assets: Vec<crate::asset::Asset>,
}

impl Template {
    /// The compact JSON body, as sent to CloudFormation.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The code assets the template names, which must be uploaded before it is deployed.
    pub fn assets(&self) -> &[crate::asset::Asset] {
        &self.assets
    }

    /// The same document, indented for people.
    pub fn pretty(&self) -> String {
        // Serializing a `serde_json::Value` cannot fail.
        serde_json::to_string_pretty(&self.document).unwrap_or_default()
    }

    /// The parsed document.
    pub fn document(&self) -> &Json {
        &self.document
    }

    /// The template's parameters, by name, and whether each has a default.
    pub fn parameters(&self) -> Vec<(&str, bool)> {
        self.document["Parameters"]
            .as_object()
            .map(|p| {
                p.iter()
                    .map(|(name, declared)| (name.as_str(), declared.get("Default").is_some()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Size of the body in bytes.
    pub fn size(&self) -> usize {
        self.body.len()
    }

    /// Fails when the body is too large to pass inline, saying to deploy it through S3.
    pub fn check_inline_body(&self) -> Result<(), SynthError> {
        if self.size() > limits::MAX_INLINE_BODY_BYTES {
            return Err(SynthError::InlineBodyTooLarge { size: self.size() });
        }
        Ok(())
    }
}

fn at(location: &Location<'_>) -> String {
    format!("{}:{}", location.file(), location.line())
}

/// The same JSON with every object's keys in sorted order, whichever map `serde_json` was
/// built with (another crate in a build can turn on its `preserve_order` feature, and then
/// objects keep insertion order): synthesis must not depend on that.
fn sorted(value: Json) -> Json {
    match value {
        Json::Object(map) => {
            let mut entries: Vec<(String, Json)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

impl Stack {
    /// Synthesizes the template, or reports every problem found.
    pub fn synth(&self) -> Result<Template, SynthErrors> {
        let mut errors = self.rejected.clone();
        check_names(self, &mut errors);
        check_counts(self, &mut errors);
        check_regions(self, &mut errors);
        let resources = self.resource_documents(&mut errors);
        check_references(self, &resources, &mut errors);
        self.check_compliance(&resources, &mut errors);
        self.check_trust(&resources, &mut errors);
        #[cfg(feature = "constructs")]
        for admission in &self.admissions {
            if let Some(problem) = admission.problem(&resources) {
                errors.push(SynthError::InvalidValue {
                    construct: admission.construct.clone(),
                    problem,
                    at: admission.at.clone(),
                });
            }
        }
        if errors.is_empty() {
            check_cycles(&resources, &mut errors);
        }
        if !errors.is_empty() {
            return Err(SynthErrors(errors));
        }
        let document = sorted(self.document(resources));
        let body = serde_json::to_string(&document).unwrap_or_default();
        if body.len() > limits::MAX_S3_BODY_BYTES {
            return Err(SynthErrors(vec![SynthError::TemplateTooLarge {
                size: body.len(),
            }]));
        }
        Ok(Template {
            document,
            body,
            assets: self.assets.clone(),
        })
    }

    /// Roles given to a service that may not assume them (`trust`).
    fn check_trust(&self, resources: &BTreeMap<String, Json>, errors: &mut Vec<SynthError>) {
        for (logical_id, problem) in crate::trust::untrusted(resources) {
            let at = self
                .resource(&logical_id)
                .map_or_else(String::new, |r| at(r.source()));
            errors.push(SynthError::InvalidValue {
                construct: logical_id,
                problem,
                at,
            });
        }
    }

    fn check_compliance(&self, resources: &BTreeMap<String, Json>, errors: &mut Vec<SynthError>) {
        for (logical_id, type_name, problem) in crate::compliance::findings(resources) {
            let at = self
                .resource(&logical_id)
                .map_or_else(String::new, |r| at(r.source()));
            errors.push(SynthError::Noncompliant {
                logical_id,
                type_name,
                problem,
                at,
            });
        }
    }

    fn resource_documents(&self, errors: &mut Vec<SynthError>) -> BTreeMap<String, Json> {
        let mut out = BTreeMap::new();
        for r in &self.resources {
            for property in &r.missing_required {
                errors.push(SynthError::MissingRequired {
                    logical_id: r.logical_id.clone(),
                    type_name: r.type_name.to_owned(),
                    property: property.clone(),
                    at: at(r.source),
                });
            }
            match &r.properties {
                Ok(properties) => {
                    check_lengths(r, properties, errors);
                    check_function_environment(r, properties, errors);
                    out.insert(
                        r.logical_id.clone(),
                        self.resource_document(r, properties.clone()),
                    );
                }
                Err(message) => errors.push(SynthError::Serialization {
                    logical_id: r.logical_id.clone(),
                    message: message.clone(),
                }),
            }
        }
        out
    }

    fn resource_document(&self, r: &ResourceEntry, mut properties: Json) -> Json {
        if r.taggable && !self.default_tags.is_empty() {
            apply_default_tags(&mut properties, &self.default_tags);
        }
        let mut doc = Map::new();
        doc.insert("Type".into(), json!(r.type_name));
        if properties.as_object().is_some_and(|p| !p.is_empty()) {
            doc.insert("Properties".into(), properties);
        }
        let o = &r.options;
        if !o.depends_on.is_empty() {
            let unique: BTreeSet<&String> = o.depends_on.iter().collect();
            doc.insert("DependsOn".into(), json!(unique));
        }
        if let Some(p) = o.deletion_policy {
            doc.insert("DeletionPolicy".into(), json!(p));
        }
        if let Some(p) = o.update_replace_policy {
            doc.insert("UpdateReplacePolicy".into(), json!(p));
        }
        if let Some(c) = &o.condition {
            doc.insert("Condition".into(), json!(c));
        }
        let mut metadata: Map<String, Json> = o
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !self.omit_source_locations {
            metadata.insert(SOURCE_METADATA_KEY.into(), json!(at(r.source)));
        }
        if !metadata.is_empty() {
            doc.insert("Metadata".into(), Json::Object(metadata));
        }
        Json::Object(doc)
    }

    fn document(&self, resources: BTreeMap<String, Json>) -> Json {
        let mut doc = Map::new();
        doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        if let Some(d) = &self.description {
            doc.insert("Description".into(), json!(d));
        }
        if !self.parameters.is_empty() {
            let params: Map<String, Json> = self
                .parameters
                .iter()
                .map(|p| (p.name.clone(), p.body.clone()))
                .collect();
            doc.insert("Parameters".into(), Json::Object(params));
        }
        if !self.conditions.is_empty() {
            let conds: Map<String, Json> = self
                .conditions
                .iter()
                .map(|c| (c.name.clone(), c.body.clone()))
                .collect();
            doc.insert("Conditions".into(), Json::Object(conds));
        }
        doc.insert("Resources".into(), json!(resources));
        if !self.outputs.is_empty() {
            let outputs: Map<String, Json> = self
                .outputs
                .iter()
                .map(|o| {
                    let mut body = Map::new();
                    body.insert("Value".into(), o.output.value.to_json());
                    if let Some(d) = &o.output.description {
                        body.insert("Description".into(), json!(d));
                    }
                    if let Some(e) = &o.output.export_name {
                        body.insert("Export".into(), json!({ "Name": e.to_json() }));
                    }
                    if let Some(c) = &o.output.condition {
                        body.insert("Condition".into(), json!(c));
                    }
                    (o.name.clone(), Json::Object(body))
                })
                .collect();
            doc.insert("Outputs".into(), Json::Object(outputs));
        }
        Json::Object(doc)
    }
}

/// How much of a value a length error quotes.
const QUOTED_CHARS: usize = 120;

/// Each literal string the schema bounds, at any depth, is within its length (a physical name
/// built from a long stack name, a description): CloudFormation would refuse it.
fn check_lengths(r: &ResourceEntry, properties: &Json, errors: &mut Vec<SynthError>) {
    for &(path, least, most) in r.lengths {
        let mut found = Vec::new();
        strings_at(properties, path, String::new(), &mut found);
        for (shown_path, value) in found {
            let length = value.chars().count();
            if (least..=most).contains(&length) {
                continue;
            }
            let bound = if length > most {
                format!("longer than the {most} `{}` allows", r.type_name)
            } else {
                format!("shorter than the {least} `{}` needs", r.type_name)
            };
            // A long value (a definition, a policy) is quoted by its start only.
            let shown: String = match value.char_indices().nth(QUOTED_CHARS) {
                Some((end, _)) => format!("{}…", &value[..end]),
                None => value.to_owned(),
            };
            errors.push(SynthError::InvalidValue {
                construct: r.logical_id.clone(),
                problem: format!(
                    "sets `{shown_path}` to `{shown}`, {length} characters, {bound}: change it, or the names it is built from"
                ),
                at: at(r.source),
            });
        }
    }
}

/// A function's environment is within Lambda's size, counting each name and each literal
/// value (a reference's value is not known before deploy, and counts as nothing).
fn check_function_environment(r: &ResourceEntry, properties: &Json, errors: &mut Vec<SynthError>) {
    if r.type_name != "AWS::Lambda::Function" {
        return;
    }
    let Some(variables) = properties["Environment"]["Variables"].as_object() else {
        return;
    };
    let bytes = variables
        .iter()
        .map(|(name, value)| name.len() + value.as_str().map_or(0, str::len))
        .sum();
    if let Some(problem) = infra_facts::limits::lambda::environment_size_problem(bytes) {
        errors.push(SynthError::InvalidValue {
            construct: r.logical_id.clone(),
            problem,
            at: at(r.source),
        });
    }
}

/// The literal strings at `path` below `value` (`Tags/*/Value`: each item's `Value` of
/// the list `Tags`), each with where it is as a user reads it (`Tags[2].Value`). An
/// intrinsic (`Ref`, `Fn::Sub`) holds no literal and is passed over.
fn strings_at<'v>(value: &'v Json, path: &str, at: String, found: &mut Vec<(String, &'v str)>) {
    let (head, rest) = match path.split_once('/') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let children: Vec<(String, &Json)> = match (head, value) {
        ("*", Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (format!("{at}[{i}]"), item))
            .collect(),
        (key, Json::Object(fields)) => fields
            .get(key)
            .map(|field| {
                let joined = if at.is_empty() {
                    key.to_owned()
                } else {
                    format!("{at}.{key}")
                };
                (joined, field)
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    for (child_at, child) in children {
        match (rest, child) {
            (None, Json::String(text)) => found.push((child_at, text)),
            (Some(rest), _) => strings_at(child, rest, child_at, found),
            _ => {}
        }
    }
}

/// Adds every default tag the resource does not set itself; tags end sorted by key.
fn apply_default_tags(properties: &mut Json, defaults: &BTreeMap<String, crate::Value<String>>) {
    let Some(props) = properties.as_object_mut() else {
        return;
    };
    let own = match props.remove("Tags") {
        Some(Json::Array(tags)) => tags,
        _ => Vec::new(),
    };
    let mut by_key: BTreeMap<String, Json> = defaults
        .iter()
        .map(|(k, v)| (k.clone(), json!({ "Key": k, "Value": v.to_json() })))
        .collect();
    let mut computed_keys = Vec::new();
    for tag in own {
        match tag.get("Key").and_then(Json::as_str) {
            Some(key) => {
                by_key.insert(key.to_owned(), tag);
            }
            None => computed_keys.push(tag),
        }
    }
    let mut tags: Vec<Json> = by_key.into_values().collect();
    tags.extend(computed_keys);
    props.insert("Tags".into(), Json::Array(tags));
}

fn valid_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        Err("it is empty")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        Err("only ASCII letters and digits are allowed")
    } else if name.chars().count() > limits::MAX_NAME_CHARS {
        Err("it is longer than 255 characters")
    } else {
        Ok(())
    }
}

fn check_names(stack: &Stack, errors: &mut Vec<SynthError>) {
    // Resources and parameters share one namespace: `Ref` can name either.
    let mut seen: HashMap<&str, String> = HashMap::new();
    let declared = stack
        .resources
        .iter()
        .map(|r| ("resource", r.logical_id.as_str(), at(r.source)))
        .chain(
            stack
                .parameters
                .iter()
                .map(|p| ("parameter", p.name.as_str(), at(p.source))),
        )
        .chain(
            stack
                .outputs
                .iter()
                .map(|o| ("output", o.name.as_str(), at(o.source))),
        );
    let mut output_names: HashMap<&str, String> = HashMap::new();
    for (what, name, location) in declared {
        if let Err(reason) = valid_name(name) {
            errors.push(SynthError::InvalidName {
                what,
                name: name.to_owned(),
                reason,
                at: location.clone(),
            });
        }
        let table = if what == "output" {
            &mut output_names
        } else {
            &mut seen
        };
        if let Some(first) = table.get(name) {
            errors.push(SynthError::Duplicate {
                what,
                name: name.to_owned(),
                first: first.clone(),
                second: location,
            });
        } else {
            table.insert(name, location);
        }
    }
    let mut conditions: HashMap<&str, String> = HashMap::new();
    for c in &stack.conditions {
        let location = at(c.source);
        if let Err(reason) = valid_name(&c.name) {
            errors.push(SynthError::InvalidName {
                what: "condition",
                name: c.name.clone(),
                reason,
                at: location.clone(),
            });
        }
        match conditions.get(c.name.as_str()) {
            Some(first) => errors.push(SynthError::Duplicate {
                what: "condition",
                name: c.name.clone(),
                first: first.clone(),
                second: location,
            }),
            None => {
                conditions.insert(&c.name, location);
            }
        }
    }
    if let Some(d) = &stack.description
        && d.len() > limits::MAX_DESCRIPTION_BYTES
    {
        errors.push(SynthError::DescriptionTooLong { size: d.len() });
    }
}

/// Every resource type is offered in the stack's region, when the stack knows its region:
/// a component, or a plain-Rust stack, may add a raw type that `stack!` saw only by path.
fn check_regions(stack: &Stack, errors: &mut Vec<SynthError>) {
    let Some(region) = stack
        .region
        .as_deref()
        .filter(|r| infra_facts::is_region(r))
    else {
        return;
    };
    for entry in &stack.resources {
        let Some(found) = infra_facts::model_type_named(entry.type_name) else {
            continue;
        };
        if !found.offered_in(region) {
            errors.push(SynthError::NotOffered {
                logical_id: entry.logical_id.clone(),
                type_name: entry.type_name.to_owned(),
                region: region.to_owned(),
                offered: found.regions().collect::<Vec<_>>().join(", "),
                at: format!("{}:{}", entry.source.file(), entry.source.line()),
            });
        }
    }
}

fn check_counts(stack: &Stack, errors: &mut Vec<SynthError>) {
    let counts = [
        ("resources", stack.resources.len(), limits::MAX_RESOURCES),
        ("parameters", stack.parameters.len(), limits::MAX_PARAMETERS),
        ("outputs", stack.outputs.len(), limits::MAX_OUTPUTS),
    ];
    for (what, count, limit) in counts {
        if count > limit {
            errors.push(SynthError::TooMany { what, count, limit });
        }
    }
}

/// A reference found inside a resource or output.
#[derive(Debug)]
enum Reference {
    Ref(String),
    GetAtt(String, String),
    Sub(String, Option<String>),
    Condition(String),
}

/// Collects the references of a JSON value, skipping `Fn::Sub` variables bound locally.
fn collect_references(value: &Json, out: &mut Vec<Reference>) {
    match value {
        Json::Array(items) => items.iter().for_each(|i| collect_references(i, out)),
        Json::Object(map) => {
            if map.len() == 1 {
                let (key, arg) = map
                    .iter()
                    .next()
                    .map(|(k, v)| (k.as_str(), v))
                    .unwrap_or(("", value));
                match (key, arg) {
                    ("Ref", Json::String(target)) => {
                        return out.push(Reference::Ref(target.clone()));
                    }
                    ("Fn::GetAtt", Json::Array(parts)) if parts.len() == 2 => {
                        if let (Some(t), Some(a)) = (parts[0].as_str(), parts[1].as_str()) {
                            return out.push(Reference::GetAtt(t.to_owned(), a.to_owned()));
                        }
                    }
                    ("Fn::GetAtt", Json::String(dotted)) => {
                        if let Some((t, a)) = dotted.split_once('.') {
                            return out.push(Reference::GetAtt(t.to_owned(), a.to_owned()));
                        }
                    }
                    ("Fn::Sub", Json::String(template)) => {
                        return sub_variables(template, &BTreeSet::new(), out);
                    }
                    ("Fn::Sub", Json::Array(parts)) if parts.len() == 2 => {
                        let bound: BTreeSet<&str> = parts[1]
                            .as_object()
                            .map(|m| m.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        if let Some(template) = parts[0].as_str() {
                            sub_variables(template, &bound, out);
                        }
                        return collect_references(&parts[1], out);
                    }
                    ("Fn::If", Json::Array(parts)) if parts.len() == 3 => {
                        if let Some(c) = parts[0].as_str() {
                            out.push(Reference::Condition(c.to_owned()));
                        }
                        return parts[1..].iter().for_each(|p| collect_references(p, out));
                    }
                    ("Condition", Json::String(c)) => {
                        return out.push(Reference::Condition(c.clone()));
                    }
                    _ => {}
                }
            }
            map.values().for_each(|v| collect_references(v, out));
        }
        _ => {}
    }
}

/// The `${Name}` and `${Name.Attribute}` variables of an `Fn::Sub` template.
fn sub_variables(template: &str, bound: &BTreeSet<&str>, out: &mut Vec<Reference>) {
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let var = &rest[..end];
        rest = &rest[end + 1..];
        if var.starts_with('!') || bound.contains(var) {
            continue;
        }
        match var.split_once('.') {
            Some((t, a)) if !bound.contains(t) => {
                out.push(Reference::Sub(t.to_owned(), Some(a.to_owned())))
            }
            Some(_) => {}
            None => out.push(Reference::Sub(var.to_owned(), None)),
        }
    }
}

/// What a template's references may name: its resources (with their attributes), its
/// parameters and its conditions.
struct Referable<'a> {
    by_id: HashMap<&'a str, &'a ResourceEntry>,
    params: BTreeSet<&'a str>,
    conditions: BTreeSet<&'a str>,
}

impl<'a> Referable<'a> {
    fn of(stack: &'a Stack) -> Self {
        Self {
            by_id: stack
                .resources
                .iter()
                .map(|r| (r.logical_id.as_str(), r))
                .collect(),
            params: stack.parameters.iter().map(|p| p.name.as_str()).collect(),
            conditions: stack.conditions.iter().map(|c| c.name.as_str()).collect(),
        }
    }

    /// Every reference in `value` that names nothing it may name, said as from `from`.
    fn check(&self, from: &str, value: &Json, errors: &mut Vec<SynthError>) {
        let mut refs = Vec::new();
        collect_references(value, &mut refs);
        errors.extend(refs.into_iter().filter_map(|r| self.judge(from, r)));
    }

    /// The error of one reference, if it names nothing it may name.
    fn judge(&self, from: &str, reference: Reference) -> Option<SynthError> {
        let dangling = |target: &str, via: &'static str, expected: &'static str, hint: Hint| {
            SynthError::Dangling {
                from: from.to_owned(),
                target: target.to_owned(),
                via,
                expected,
                hint,
            }
        };
        let resources = || self.by_id.keys().copied();
        let is_sub = matches!(reference, Reference::Sub(..));
        match reference {
            Reference::Ref(t) | Reference::Sub(t, None) => {
                let via = if is_sub { "`Fn::Sub`" } else { "`Ref`" };
                let t = t.as_str();
                let known = self.by_id.contains_key(t) || self.params.contains(t);
                (!known && !pseudo::is_pseudo(t)).then(|| {
                    let hint = closest(t, resources().chain(self.params.iter().copied()));
                    dangling(t, via, "resource or parameter", hint)
                })
            }
            Reference::GetAtt(t, a) | Reference::Sub(t, Some(a)) => {
                match self.by_id.get(t.as_str()) {
                    None => Some(dangling(
                        &t,
                        "`Fn::GetAtt`",
                        "resource",
                        closest(&t, resources()),
                    )),
                    Some(r) if !r.attributes.contains(&a.as_str()) => {
                        Some(SynthError::UnknownAttribute {
                            from: from.to_owned(),
                            target: t,
                            attribute: a,
                            type_name: r.type_name.to_owned(),
                            available: r.attributes.join(", "),
                        })
                    }
                    Some(_) => None,
                }
            }
            Reference::Condition(c) => (!self.conditions.contains(c.as_str())).then(|| {
                let hint = closest(&c, self.conditions.iter().copied());
                dangling(&c, "a condition", "condition", hint)
            }),
        }
    }

    /// Every `DependsOn` of a resource names a resource.
    fn check_depends_on(&self, id: &str, doc: &Json, errors: &mut Vec<SynthError>) {
        let targets = doc
            .get("DependsOn")
            .and_then(Json::as_array)
            .into_iter()
            .flatten();
        for target in targets {
            let t = target.as_str().unwrap_or_default();
            if !self.by_id.contains_key(t) {
                errors.push(SynthError::Dangling {
                    from: format!("resource `{id}`"),
                    target: t.to_owned(),
                    via: "`DependsOn`",
                    expected: "resource",
                    hint: closest(t, self.by_id.keys().copied()),
                });
            }
        }
    }
}

fn check_references(
    stack: &Stack,
    resources: &BTreeMap<String, Json>,
    errors: &mut Vec<SynthError>,
) {
    let referable = Referable::of(stack);
    for (id, doc) in resources {
        let from = format!("resource `{id}`");
        referable.check(&from, doc, errors);
        // The resource's own `Condition` is a key among others, not an intrinsic.
        if let Some(c) = doc.get("Condition") {
            referable.check(&from, &json!({ "Condition": c }), errors);
        }
        referable.check_depends_on(id, doc, errors);
    }
    for o in &stack.outputs {
        let from = format!("output `{}`", o.name);
        referable.check(&from, &o.output.value.to_json(), errors);
        if let Some(e) = &o.output.export_name {
            referable.check(&from, &e.to_json(), errors);
        }
        if let Some(c) = &o.output.condition {
            referable.check(&from, &json!({ "Condition": c }), errors);
        }
    }
    for c in &stack.conditions {
        referable.check(&format!("condition `{}`", c.name), &c.body, errors);
    }
}

/// The resources each resource depends on, through references and `DependsOn`.
pub(crate) fn dependencies(resources: &BTreeMap<String, Json>) -> BTreeMap<&str, BTreeSet<String>> {
    resources
        .iter()
        .map(|(id, doc)| {
            let mut refs = Vec::new();
            collect_references(doc, &mut refs);
            let mut deps: BTreeSet<String> = refs
                .into_iter()
                .filter_map(|r| match r {
                    Reference::Ref(t) | Reference::Sub(t, _) | Reference::GetAtt(t, _) => Some(t),
                    Reference::Condition(_) => None,
                })
                .filter(|t| resources.contains_key(t))
                .collect();
            match doc.get("DependsOn") {
                Some(Json::String(d)) => {
                    deps.insert(d.clone());
                }
                Some(Json::Array(ds)) => {
                    deps.extend(ds.iter().filter_map(|d| d.as_str().map(str::to_owned)));
                }
                _ => {}
            }
            (id.as_str(), deps)
        })
        .collect()
}

/// What each resource of a template document references (`Ref`, `Fn::GetAtt`, the
/// variables of `Fn::Sub`, `DependsOn`), among the template's resources: the walk
/// synthesis orders and checks cycles with, for tools that draw the graph.
pub fn resource_dependencies(document: &Json) -> BTreeMap<String, BTreeSet<String>> {
    let resources: BTreeMap<String, Json> = document["Resources"]
        .as_object()
        .map(|r| r.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    dependencies(&resources)
        .into_iter()
        .map(|(id, deps)| (id.to_owned(), deps))
        .collect()
}

fn check_cycles(resources: &BTreeMap<String, Json>, errors: &mut Vec<SynthError>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    let graph = dependencies(resources);
    let mut marks: HashMap<&str, Mark> = HashMap::new();
    // Iterative depth-first search, so that a long chain cannot overflow the stack.
    for &start in graph.keys() {
        if marks.contains_key(start) {
            continue;
        }
        let mut path: Vec<&str> = vec![start];
        let mut pending: Vec<Vec<&str>> =
            vec![graph[start].iter().map(String::as_str).rev().collect()];
        marks.insert(start, Mark::Visiting);
        while let Some(next) = pending.last_mut() {
            match next.pop() {
                Some(dep) => match marks.get(dep) {
                    Some(Mark::Done) => {}
                    Some(Mark::Visiting) => {
                        let from = path.iter().position(|&p| p == dep).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            path[from..].iter().map(|s| s.to_string()).collect();
                        cycle.push(dep.to_owned());
                        errors.push(SynthError::Cycle(cycle));
                        return;
                    }
                    None => {
                        marks.insert(dep, Mark::Visiting);
                        path.push(dep);
                        let deps = graph
                            .get(dep)
                            .map(|d| d.iter().map(String::as_str).rev().collect())
                            .unwrap_or_default();
                        pending.push(deps);
                    }
                },
                None => {
                    pending.pop();
                    if let Some(done) = path.pop() {
                        marks.insert(done, Mark::Done);
                    }
                }
            }
        }
    }
}
