//! Compliance over every resource of a template, however it was declared (a construct, a
//! raw resource of the model, plain Rust): data at rest encrypted, logs kept a year, keys
//! rotating, no wildcard IAM actions or resources, and only a public load balancer's
//! security group open to the internet.
//!
//! Synthesis reports each finding with the line that declared the resource. `stack!`
//! reports the literal cases at compile time first (`infra-dsl`'s `check/compliance.rs`);
//! what reaches synthesis is what only the built stack knows (settings, plain Rust).
//! A value written as an intrinsic (`Ref` of a parameter) is not judged.

use infra_facts::iam::StatementResource;
use std::collections::{BTreeMap, BTreeSet};

use crate::Json;

/// The shortest log retention compliance accepts, in days (one fact, in `infra-facts`).
const MIN_LOG_RETENTION_DAYS: i64 = infra_facts::limits::MIN_COMPLIANT_RETENTION_DAYS as i64;

/// What the rules know about the whole template.
struct Context {
    /// Security groups (logical ids) of internet-facing load balancers.
    public_groups: BTreeSet<String>,
    /// Each resource's type, by logical id.
    types: BTreeMap<String, String>,
}

type Rule = fn(&Json, &Context) -> Option<String>;

/// The rules, by resource type (and the identity-policy rule for the IAM types
/// `infra_facts::iam` lists).
const RULES: &[(&str, Rule)] = &[
    ("AWS::S3::Bucket", bucket),
    ("AWS::EC2::Volume", volume),
    ("AWS::RDS::DBCluster", database),
    ("AWS::RDS::DBInstance", database_instance),
    ("AWS::SQS::Queue", queue),
    ("AWS::Logs::LogGroup", log_group),
    ("AWS::KMS::Key", key),
    ("AWS::EC2::SecurityGroupIngress", ingress_rule),
];

/// Every finding: `(logical id, resource type, problem)`.
pub(crate) fn findings(resources: &BTreeMap<String, Json>) -> Vec<(String, String, String)> {
    let context = Context {
        public_groups: public_load_balancer_groups(resources),
        types: resources
            .iter()
            .map(|(id, r)| {
                (
                    id.clone(),
                    r["Type"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
    };
    let mut found = Vec::new();
    for (id, resource) in resources {
        let type_name = resource["Type"].as_str().unwrap_or_default();
        let properties = &resource["Properties"];
        let iam: Option<Rule> = if infra_facts::iam::POLICY_TYPES.contains(&type_name) {
            Some(policy)
        } else if infra_facts::iam::INLINE_POLICY_TYPES.contains(&type_name) {
            Some(inline_policies)
        } else if resource_policy_of(type_name).is_some() {
            Some(resource_policy)
        } else {
            None
        };
        let rules = RULES
            .iter()
            .filter(|(t, _)| *t == type_name)
            .map(|(_, r)| r);
        for rule in rules.chain(iam.as_ref()) {
            if let Some(problem) = rule(properties, &context) {
                found.push((id.clone(), type_name.to_owned(), problem));
            }
        }
        if type_name == "AWS::EC2::SecurityGroup"
            && !context.public_groups.contains(id)
            && let Some(port) = open_port(&properties["SecurityGroupIngress"])
        {
            found.push((
                id.clone(),
                type_name.to_owned(),
                format!(
                    "opens {port} to the internet, but only a public load balancer's group may be"
                ),
            ));
        }
    }
    found
}

/// Whether a property is the literal `false` (or left out, when `missing_is_false`).
fn is_false(value: &Json, missing_is_false: bool) -> bool {
    match value {
        Json::Null => missing_is_false,
        Json::Bool(b) => !b,
        Json::String(s) => s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

fn bucket(p: &Json, _: &Context) -> Option<String> {
    p["BucketEncryption"].is_null().then(|| {
        "is not encrypted at rest: set `bucket_encryption` (SSE-S3 or a KMS key)".to_owned()
    })
}

fn volume(p: &Json, _: &Context) -> Option<String> {
    is_false(&p["Encrypted"], true).then(|| "is not encrypted: set `encrypted` to true".to_owned())
}

fn database(p: &Json, _: &Context) -> Option<String> {
    is_false(&p["StorageEncrypted"], true)
        .then(|| "stores data unencrypted: set `storage_encrypted` to true".to_owned())
}

/// An instance of a cluster takes the cluster's encryption.
fn database_instance(p: &Json, c: &Context) -> Option<String> {
    if p["DBClusterIdentifier"].is_null() {
        database(p, c)
    } else {
        None
    }
}

fn queue(p: &Json, _: &Context) -> Option<String> {
    let kms = !p["KmsMasterKeyId"].is_null();
    let managed =
        !p["SqsManagedSseEnabled"].is_null() && !is_false(&p["SqsManagedSseEnabled"], true);
    (!kms && !managed).then(|| {
        "is not encrypted: set `kms_master_key_id` (a key of the stack) or `sqs_managed_sse_enabled` to true".to_owned()
    })
}

fn log_group(p: &Json, _: &Context) -> Option<String> {
    match &p["RetentionInDays"] {
        Json::Null => Some(format!(
            "keeps its events forever without a stated retention: set `retention_in_days` to {MIN_LOG_RETENTION_DAYS} or more"
        )),
        Json::Number(n) if n.as_i64().is_some_and(|d| d < MIN_LOG_RETENTION_DAYS) => Some(format!(
            "keeps its events {n} days, under the {MIN_LOG_RETENTION_DAYS} compliance requires"
        )),
        _ => None,
    }
}

/// Symmetric keys rotate; asymmetric and HMAC keys cannot.
fn key(p: &Json, _: &Context) -> Option<String> {
    let symmetric = p["KeySpec"]
        .as_str()
        .is_none_or(|spec| spec == "SYMMETRIC_DEFAULT");
    (symmetric && is_false(&p["EnableKeyRotation"], true))
        .then(|| "does not rotate: set `enable_key_rotation` to true".to_owned())
}

fn inline_policies(p: &Json, c: &Context) -> Option<String> {
    p["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|inline| policy(inline, c))
}

/// The first problem of an `Allow` statement as `infra_facts::iam::judge_statement`
/// finds it (the judgement `stack!` applies to literals): an action by wildcard or that
/// AWS does not define, a resource that names no particular resource where an action
/// needs one, a literal ARN of a type the actions do not apply to.
fn policy(p: &Json, c: &Context) -> Option<String> {
    let statements = allow_statements(&p["PolicyDocument"]).unwrap_or_default();
    statements.into_iter().find_map(|s| {
        let actions: Vec<&str> = values(&s["Action"])
            .into_iter()
            .filter_map(Json::as_str)
            .collect();
        let resources: Vec<StatementResource<'_>> = values(&s["Resource"])
            .into_iter()
            .map(|r| statement_resource(r, c))
            .collect();
        infra_facts::iam::judge_statement(&actions, &resources)
            .into_iter()
            .next()
            .map(|f| format!("in its policy: {}; {}", f.problem, f.help))
    })
}

/// The property of a resource type that holds its resource policy (`KeyPolicy`).
fn resource_policy_of(type_name: &str) -> Option<&'static str> {
    infra_facts::iam::RESOURCE_POLICY_TYPES
        .iter()
        .find(|(t, _)| *t == type_name)
        .map(|(_, property)| *property)
}

/// The first problem of an `Allow` statement of a resource policy (a key's, a bucket's,
/// a queue's, a topic's) as `infra_facts::iam::judge_resource_statement` finds it: an
/// action AWS does not define, a pattern that matches none, an ARN of a type the actions
/// do not apply to.
fn resource_policy(p: &Json, c: &Context) -> Option<String> {
    let document = ["KeyPolicy", "PolicyDocument"]
        .iter()
        .map(|key| &p[*key])
        .find(|d| !d.is_null())?;
    let statements = allow_statements(document).unwrap_or_default();
    statements.into_iter().find_map(|s| {
        let actions: Vec<&str> = values(&s["Action"])
            .into_iter()
            .filter_map(Json::as_str)
            .collect();
        let resources: Vec<StatementResource<'_>> = values(&s["Resource"])
            .into_iter()
            .map(|r| statement_resource(r, c))
            .collect();
        infra_facts::iam::judge_resource_statement(&actions, &resources)
            .into_iter()
            .next()
            .map(|f| format!("in its resource policy: {}; {}", f.problem, f.help))
    })
}

/// A statement's resource as the judge sees it: a literal, the ARN of a resource of the
/// template (`Fn::GetAtt` of its `Arn` or `<Type>Arn`, `DBClusterArn`), or unknown.
fn statement_resource<'a>(resource: &'a Json, c: &'a Context) -> StatementResource<'a> {
    if let Some(text) = resource.as_str() {
        return StatementResource::Literal(text);
    }
    let att = &resource["Fn::GetAtt"];
    let (Some(id), Some(attribute)) = (att[0].as_str(), att[1].as_str()) else {
        return StatementResource::Unknown;
    };
    match c.types.get(id) {
        Some(type_name) => {
            let own = type_name.rsplit("::").next().unwrap_or_default();
            let is_arn = attribute == "Arn"
                || attribute
                    .strip_suffix("Arn")
                    .is_some_and(|stem| stem == own);
            if is_arn {
                StatementResource::OfType(type_name)
            } else {
                StatementResource::Unknown
            }
        }
        None => StatementResource::Unknown,
    }
}

/// The `Allow` statements of a policy document, whose `Statement` is a list or one
/// object; `None` when it is not written out (an intrinsic).
pub(crate) fn allow_statements(document: &Json) -> Option<Vec<&Json>> {
    let all: Vec<&Json> = match &document["Statement"] {
        Json::Array(list) => list.iter().collect(),
        single @ Json::Object(_) => vec![single],
        _ => return None,
    };
    Some(all.into_iter().filter(|s| s["Effect"] == "Allow").collect())
}

/// A statement's `Action` or `Resource`, one value or a list, as a list.
pub(crate) fn values(value: &Json) -> Vec<&Json> {
    match value {
        Json::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// The first rule of `rules` open to the whole internet, as `port N`.
fn open_port(rules: &Json) -> Option<String> {
    rules.as_array().into_iter().flatten().find_map(|rule| {
        let open = rule["CidrIp"] == "0.0.0.0/0" || rule["CidrIpv6"] == "::/0";
        open.then(|| format!("port {}", rule["FromPort"]))
    })
}

/// A separate ingress rule opens its group to the internet.
fn ingress_rule(p: &Json, c: &Context) -> Option<String> {
    let group = p["GroupId"]["Fn::GetAtt"][0]
        .as_str()
        .or_else(|| p["GroupId"]["Ref"].as_str())?;
    if c.public_groups.contains(group) {
        return None;
    }
    open_port(&Json::Array(vec![p.clone()])).map(|port| {
        format!("opens {port} of group `{group}` to the internet, but only a public load balancer's group may be")
    })
}

/// Groups (logical ids) that internet-facing load balancers use.
fn public_load_balancer_groups(resources: &BTreeMap<String, Json>) -> BTreeSet<String> {
    let mut groups = BTreeSet::new();
    for resource in resources.values() {
        if resource["Type"] != "AWS::ElasticLoadBalancingV2::LoadBalancer" {
            continue;
        }
        let p = &resource["Properties"];
        if p["Scheme"].as_str().is_some_and(|s| s == "internal") {
            continue;
        }
        for group in p["SecurityGroups"].as_array().into_iter().flatten() {
            if let Some(id) = group["Fn::GetAtt"][0]
                .as_str()
                .or_else(|| group["Ref"].as_str())
            {
                groups.insert(id.to_owned());
            }
        }
    }
    groups
}
