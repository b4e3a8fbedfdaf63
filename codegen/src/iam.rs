//! The authorization reference as `infra-facts` reads it: from the pinned
//! `codegen/iam/iam-definition.json` (see `codegen/iam/SOURCE`), one line per action,
//! sorted, so that a lookup is a binary search over text compiled into the crate:
//!
//! ```text
//! s3:GetObject<TAB>Read<TAB>object*,accesspointobject
//! ```
//!
//! one line per resource type with its ARN format (`resource<TAB>s3:bucket<TAB>arn:…`), and
//! one per CloudFormation type with the reference's resource type of it
//! (`type<TAB>AWS::SQS::Queue<TAB>sqs:queue`).
//! A resource type marked `*` is required: the action needs a resource of that type.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::Error;

/// Where the table is generated.
pub const REFERENCE_FILE: &str = "infra-facts/src/iam/reference.txt";

/// The table's text, from the pinned reference (`services`, read by [`definition`]) and
/// its resource types matched to CloudFormation's (`iam`).
pub fn reference(
    root: &Path,
    services: &Definition,
    type_names: &[String],
    iam: &IamTypes,
) -> Result<String, Error> {
    let path = root.join("codegen/iam/iam-definition.json");
    let mut actions = Vec::new();
    let mut resources = Vec::new();
    for (prefix, service) in services {
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
    let mut types: Vec<String> = type_names
        .iter()
        .filter_map(|t| Some(format!("type\t{t}\t{}", iam.of(t)?)))
        .collect();
    // Byte order, which the lookup's binary search relies on.
    actions.sort();
    resources.sort();
    types.sort();
    let mut out = String::new();
    for line in actions.iter().chain(&resources).chain(&types) {
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

/// Where the table of resource types the reference names is generated.
pub const AUTHORIZED_FILE: &str = "infra-runtime/src/aws/authorized.rs";

/// CloudFormation service namespaces whose IAM prefix is neither their name in lower
/// case nor that name with the reference's dashes (`SSMContacts` is `ssm-contacts`
/// without being listed): the prefixes tried, in order.
pub const PREFIXES: &[(&str, &[&str])] = &[
    ("AmazonMQ", &["mq"]),
    ("ApiGatewayV2", &["apigateway"]),
    ("CertificateManager", &["acm"]),
    ("Cognito", &["cognito-idp", "cognito-identity"]),
    ("CustomerProfiles", &["profile"]),
    ("EFS", &["elasticfilesystem"]),
    ("ElasticLoadBalancing", &["elasticloadbalancing"]),
    ("ElasticLoadBalancingV2", &["elasticloadbalancing"]),
    ("Elasticsearch", &["es"]),
    ("EMR", &["elasticmapreduce"]),
    ("EventSchemas", &["schemas"]),
    ("EventsV2", &["events"]),
    ("InspectorV2", &["inspector2"]),
    ("KinesisAnalyticsV2", &["kinesisanalytics"]),
    ("KinesisFirehose", &["firehose"]),
    ("Location", &["geo"]),
    ("Macie", &["macie2"]),
    ("MSK", &["kafka"]),
    ("OpenSearchServerless", &["aoss"]),
    ("OpenSearchService", &["es"]),
    ("Pinpoint", &["mobiletargeting"]),
    (
        "Route53RecoveryControl",
        &["route53-recovery-control-config"],
    ),
    ("ServiceCatalogAppRegistry", &["servicecatalog"]),
    ("StepFunctions", &["states"]),
];

/// Types whose raw handles offer the verbs of the construct built on them
/// (`write_logs` on a log group, `read` of a bucket's objects, `use_key`, `read_secret`)
/// rather than access levels.
pub const CONSTRUCT_VERBS: &[&str] = &[
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::S3::Bucket",
    "AWS::SecretsManager::Secret",
];

/// The access levels, as the reference spells them, and the trait of `infra-runtime` a
/// type offering the level implements.
const LEVELS: [(&str, &str); 5] = [
    ("List", "OffersList"),
    ("Read", "OffersRead"),
    ("Write", "OffersWrite"),
    ("Permissions management", "OffersPermissionsManagement"),
    ("Tagging", "OffersTagging"),
];

/// A CloudFormation type whose handle can read its ARN: `(type, feature, Rust path
/// `service::Type`, the attribute holding the ARN or `None` when `Ref` returns it)`.
pub type ArnSource = (String, String, String, Option<String>);

/// The reference's resource types, matched to CloudFormation's.
pub struct IamTypes {
    /// Per service prefix, its resource types by normalized name.
    types: BTreeMap<String, BTreeMap<String, String>>,
    /// Per `service:type`, the access levels some action of it has on that type.
    levels: BTreeMap<String, BTreeSet<&'static str>>,
}

impl IamTypes {
    /// Reads them from the pinned reference.
    pub fn load(root: &Path) -> Result<Self, Error> {
        Self::from_definition(&definition(root)?)
    }

    /// Matches them in the pinned reference as [`definition`] read it.
    pub fn from_definition(services: &Definition) -> Result<Self, Error> {
        let mut types: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut levels: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
        for (prefix, service) in services {
            for kind in service["resources"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|r| r.0)
            {
                let by_name = types.entry(prefix.clone()).or_default();
                by_name
                    .entry(normalized(kind))
                    .or_insert_with(|| kind.clone());
            }
            for action in service["actions"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|a| a.1)
            {
                let level = action["access_level"].as_str().unwrap_or_default();
                let Some(&(_, name)) = LEVELS.iter().find(|(l, _)| *l == level) else {
                    continue;
                };
                for kind in action["resource_types"].as_array().into_iter().flatten() {
                    let kind = kind.as_str().unwrap_or_default().trim_end_matches('*');
                    levels
                        .entry(format!("{prefix}:{kind}"))
                        .or_default()
                        .insert(name);
                }
            }
        }
        for (_, prefixes) in PREFIXES {
            if let Some(p) = prefixes.iter().find(|p| !types.contains_key(**p)) {
                return Err(Error(format!(
                    "iam::PREFIXES names `{p}`, which the pinned reference has no resource type of"
                )));
            }
        }
        Ok(Self { types, levels })
    }

    /// The reference's resource type of a CloudFormation type (`AWS::SQS::Queue` →
    /// `sqs:queue`): a type of the service's prefix whose name is the same without case
    /// or separators.
    pub fn of(&self, type_name: &str) -> Option<String> {
        let mut parts = type_name.split("::").skip(1);
        let (service, name) = (parts.next()?, parts.next()?);
        let listed = PREFIXES.iter().find(|(s, _)| *s == service);
        let lower = service.to_lowercase();
        let mut prefixes: Vec<&str> =
            listed.map_or_else(|| vec![lower.as_str()], |(_, p)| p.to_vec());
        let wanted = normalized(service);
        prefixes.extend(
            self.types
                .keys()
                .map(String::as_str)
                .filter(|p| normalized(p) == wanted),
        );
        prefixes.into_iter().find_map(|prefix| {
            let kind = self.types.get(prefix)?.get(&normalized(name))?;
            Some(format!("{prefix}:{kind}"))
        })
    }
}

/// The pinned reference as JSON: each service prefix and its `actions` and `resources`.
pub type Definition = serde_json::Map<String, serde_json::Value>;

/// Reads the pinned reference, `codegen/iam/iam-definition.json`.
pub fn definition(root: &Path) -> Result<Definition, Error> {
    let path = root.join("codegen/iam/iam-definition.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error(format!(
            "cannot read {}: {e}; run scripts/pin-iam-reference",
            path.display()
        ))
    })?;
    serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// Lower case, letters and digits only: `log-group` and `LogGroup` are one name.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `aws/authorized.rs`: every type of the model with an ARN whose resource type the
/// reference names, with the access levels its actions have on it.
pub fn authorized(iam: &IamTypes, sources: &[ArnSource]) -> Result<String, Error> {
    let mut out = String::from(AUTHORIZED_HEADER);
    let mut count = 0;
    for (type_name, feature, path, attribute) in sources {
        if CONSTRUCT_VERBS.contains(&type_name.as_str()) {
            continue;
        }
        let Some(iam_type) = iam.of(type_name) else {
            continue;
        };
        let Some(levels) = iam.levels.get(&iam_type) else {
            continue; // no action applies to it: nothing to grant
        };
        let via = match attribute {
            Some(a) => format!("get_att(\"{a}\")"),
            None => "reference()".to_owned(),
        };
        let levels: Vec<&str> = LEVELS
            .iter()
            .map(|l| l.1)
            .filter(|l| levels.contains(l))
            .collect();
        let _ = writeln!(
            out,
            "    \"{feature}\" {path} => \"{iam_type}\", {via}, [{}];",
            levels.join(" ")
        );
        count += 1;
    }
    out.push_str("}\n");
    Ok(out.replace("{count}", &count.to_string()))
}

const AUTHORIZED_HEADER: &str = "\
// @generated by `cargo run -p codegen` from codegen/iam/iam-definition.json and the schemas.
// Do not edit: change the generator (codegen/src/iam.rs) or the pinned data and run it again.

//! The {count} resource types of the model whose ARN a handle reads and whose resource type
//! AWS's authorization reference names (`AWS::SQS::Queue` is `sqs:queue`), with the access
//! levels its actions have on it: a role may be granted each level on a raw resource of
//! these types (`read(queue)`), see [`crate::construct::AccessVerbs`].

crate::construct::authorized! {
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudformation_types_are_matched_to_the_references_resource_types() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let iam = IamTypes::load(&root).expect("the pinned reference");
        let of = |t: &str| iam.of(t);
        assert_eq!(of("AWS::SQS::Queue").as_deref(), Some("sqs:queue"));
        assert_eq!(of("AWS::Logs::LogGroup").as_deref(), Some("logs:log-group"));
        assert_eq!(
            of("AWS::StepFunctions::StateMachine").as_deref(),
            Some("states:statemachine"),
            "a prefix of the table"
        );
        assert_eq!(
            of("AWS::SSMContacts::Contact").as_deref(),
            Some("ssm-contacts:contact"),
            "a prefix with the reference's dashes"
        );
        assert_eq!(
            of("AWS::Cognito::IdentityPool").as_deref(),
            Some("cognito-identity:identitypool")
        );
        assert_eq!(of("AWS::EC2::Route"), None, "no resource type of that name");
        assert_eq!(of("AWS::Nothing::Queue"), None);
        let levels = &iam.levels["sqs:queue"];
        assert!(levels.contains("OffersRead") && !levels.contains("OffersList"));
    }
}
