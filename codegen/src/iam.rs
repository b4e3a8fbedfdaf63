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

/// CloudFormation types the reference names otherwise than by their own name, even
/// relaxed (plural, or a `Resource` or `Id` suffix): their resource type, `prefix:type`.
pub const ALIASES: &[(&str, &str)] = &[
    (
        "AWS::CloudFront::CloudFrontOriginAccessIdentity",
        "cloudfront:origin-access-identity",
    ),
    ("AWS::CloudWatch::CompositeAlarm", "cloudwatch:alarm"),
    (
        "AWS::Connect::UserHierarchyGroup",
        "connect:hierarchy-group",
    ),
    ("AWS::DLM::LifecyclePolicy", "dlm:policy"),
    ("AWS::EC2::EC2Fleet", "ec2:fleet"),
    ("AWS::EC2::FlowLog", "ec2:vpc-flow-log"),
    ("AWS::EC2::Host", "ec2:dedicated-host"),
    ("AWS::EC2::SpotFleet", "ec2:spot-fleet-request"),
    ("AWS::ECR::PublicRepository", "ecr-public:repository"),
    ("AWS::ElastiCache::CacheCluster", "elasticache:cluster"),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "elasticloadbalancing:listener/app",
    ),
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "elasticloadbalancing:listener-rule/app",
    ),
    ("AWS::Events::Rule", "events:rule-on-default-event-bus"),
    ("AWS::HealthLake::FHIRDatastore", "healthlake:datastore"),
    ("AWS::IAM::ManagedPolicy", "iam:policy"),
    ("AWS::IoT::TopicRule", "iot:rule"),
    ("AWS::Kinesis::StreamConsumer", "kinesis:consumer"),
    ("AWS::Lambda::Alias", "lambda:function alias"),
    ("AWS::Lambda::Version", "lambda:function version"),
    ("AWS::Logs::LogAnomalyDetector", "logs:anomaly-detector"),
    (
        "AWS::NetworkManager::ConnectAttachment",
        "networkmanager:attachment",
    ),
    (
        "AWS::NetworkManager::SiteToSiteVpnAttachment",
        "networkmanager:attachment",
    ),
    (
        "AWS::NetworkManager::TransitGatewayPeering",
        "networkmanager:peering",
    ),
    (
        "AWS::NetworkManager::VpcAttachment",
        "networkmanager:attachment",
    ),
    ("AWS::RDS::DBCluster", "rds:cluster"),
    ("AWS::RDS::DBClusterEndpoint", "rds:cluster-endpoint"),
    ("AWS::RDS::DBClusterParameterGroup", "rds:cluster-pg"),
    ("AWS::RDS::DBInstance", "rds:db"),
    ("AWS::RDS::DBParameterGroup", "rds:pg"),
    ("AWS::RDS::DBProxy", "rds:proxy"),
    ("AWS::RDS::DBProxyEndpoint", "rds:proxy-endpoint"),
    ("AWS::RDS::DBProxyTargetGroup", "rds:target-group"),
    ("AWS::RDS::DBSubnetGroup", "rds:subgrp"),
    ("AWS::RDS::EventSubscription", "rds:es"),
    ("AWS::RDS::OptionGroup", "rds:og"),
    (
        "AWS::Redshift::ClusterParameterGroup",
        "redshift:parametergroup",
    ),
    (
        "AWS::Redshift::ClusterSecurityGroup",
        "redshift:securitygroup",
    ),
    ("AWS::Redshift::ClusterSubnetGroup", "redshift:subnetgroup"),
    ("AWS::S3Express::DirectoryBucket", "s3express:bucket"),
    (
        "AWS::S3ObjectLambda::AccessPoint",
        "s3-object-lambda:objectlambdaaccesspoint",
    ),
    ("AWS::SES::EmailIdentity", "ses:identity"),
    ("AWS::SSM::MaintenanceWindowTarget", "ssm:windowtarget"),
    ("AWS::SSM::MaintenanceWindowTask", "ssm:windowtask"),
    (
        "AWS::SageMaker::TrialComponent",
        "sagemaker:experiment-trial-component",
    ),
    (
        "AWS::ServiceDiscovery::HttpNamespace",
        "servicediscovery:namespace",
    ),
    (
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        "servicediscovery:namespace",
    ),
    (
        "AWS::ServiceDiscovery::PublicDnsNamespace",
        "servicediscovery:namespace",
    ),
    ("AWS::StorageGateway::NFSFileShare", "storagegateway:share"),
    ("AWS::StorageGateway::SMBFileShare", "storagegateway:share"),
];

/// Types whose raw handles offer the verbs of the construct built on them
/// (`write_logs` on a log group, `read` of a bucket's objects, `use_key`, `read_secret`),
/// with the access levels beneath them (`built_in` in the table), rather than access
/// levels alone (`raw`).
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

/// A CloudFormation type of the model: `(type, Rust path `service::Type`, how a handle
/// reads its ARN)`.
pub type ArnSource = (String, String, ArnVia);

/// How a handle reads a resource's ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnVia {
    /// `Fn::GetAtt` of this attribute.
    GetAtt(String),
    /// `Ref`.
    Ref,
    /// From the reference's ARN format of the type, whose one variable is the resource's
    /// primary identifier `name`, read by `Fn::GetAtt` of `attribute`, or by `Ref` when it
    /// is `None` (the schemas' identifier is what `Ref` returns).
    Identifier {
        name: String,
        attribute: Option<String>,
    },
}

/// The reference's resource types, matched to CloudFormation's.
pub struct IamTypes {
    /// Per service prefix, its resource types by normalized name.
    types: BTreeMap<String, BTreeMap<String, String>>,
    /// Per service prefix, its resource types by [`relaxed`] name.
    relaxed: BTreeMap<String, BTreeMap<String, String>>,
    /// Per `service:type`, the access levels some action of it has on that type.
    levels: BTreeMap<String, BTreeSet<&'static str>>,
    /// Per `service:type`, its ARN format (`arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`).
    arns: BTreeMap<String, String>,
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
        let mut arns = BTreeMap::new();
        let mut relaxed_types: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (prefix, service) in services {
            for (kind, arn) in service["resources"].as_object().into_iter().flatten() {
                let by_name = types.entry(prefix.clone()).or_default();
                by_name
                    .entry(normalized(kind))
                    .or_insert_with(|| kind.clone());
                let by_relaxed = relaxed_types.entry(prefix.clone()).or_default();
                for name in relaxed(kind) {
                    by_relaxed.entry(name).or_insert_with(|| kind.clone());
                }
                let arn = arn.as_str().unwrap_or_default().to_owned();
                arns.insert(format!("{prefix}:{kind}"), arn);
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
        if let Some((_, t)) = ALIASES.iter().find(|(_, t)| !arns.contains_key(*t)) {
            return Err(Error(format!(
                "iam::ALIASES names `{t}`, which is not a resource type of the pinned reference"
            )));
        }
        Ok(Self {
            types,
            relaxed: relaxed_types,
            levels,
            arns,
        })
    }

    /// The reference's resource type of a CloudFormation type (`AWS::SQS::Queue` →
    /// `sqs:queue`): the one [`ALIASES`] gives, else a type of the service's prefix whose
    /// name is the same without case or separators, else the same relaxed
    /// (`amplify:branches` is `AWS::Amplify::Branch`).
    pub fn of(&self, type_name: &str) -> Option<String> {
        if let Some((_, alias)) = ALIASES.iter().find(|(t, _)| *t == type_name) {
            return Some((*alias).to_owned());
        }
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
        let name = normalized(name);
        let find = |table: &BTreeMap<String, BTreeMap<String, String>>| {
            prefixes.iter().find_map(|prefix| {
                let kind = table.get(*prefix)?.get(&name)?;
                Some(format!("{prefix}:{kind}"))
            })
        };
        find(&self.types).or_else(|| find(&self.relaxed))
    }
}

impl IamTypes {
    /// The `Fn::Sub` template of the ARN of a resource of `type_name` (reference type
    /// `iam_type`) whose primary identifier is the property `name`: the reference's ARN
    /// format when its one variable is that identifier (`${InternetGatewayId}`, or
    /// `${WorkGroupName}` for a work group's `Name`) standing as a whole segment, with
    /// `${self}` (or `${self.<attribute>}`) for the resource and pseudo parameters for the
    /// partition, region and account.
    fn arn_template(
        &self,
        iam_type: &str,
        type_name: &str,
        name: &str,
        attribute: Option<&str>,
    ) -> Option<String> {
        let format = self.arns.get(iam_type)?;
        let mut variables = format
            .split("${")
            .skip(1)
            .filter_map(|v| v.split_once('}').map(|v| v.0))
            .filter(|v| !matches!(*v, "Partition" | "Region" | "Account"));
        let variable = variables.next()?;
        let short = type_name.rsplit("::").next().unwrap_or_default();
        let same = normalized(variable) == normalized(name)
            || normalized(variable) == normalized(&format!("{short}{name}"));
        if variables.next().is_some() || !same {
            return None;
        }
        let placeholder = format!("${{{variable}}}");
        let (before, after) = format.split_once(&placeholder)?;
        let whole =
            before.ends_with(['/', ':']) && (after.is_empty() || after.starts_with(['/', ':']));
        if !whole || format.contains('*') {
            return None;
        }
        let resource = match attribute {
            Some(a) => format!("${{self.{a}}}"),
            None => "${self}".to_owned(),
        };
        Some(
            format
                .replace(&placeholder, &resource)
                .replace("${Partition}", "${AWS::Partition}")
                .replace("${Region}", "${AWS::Region}")
                .replace("${Account}", "${AWS::AccountId}"),
        )
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

/// The names a CloudFormation type may match a reference's resource type by when no
/// name matches exactly: without a `Resource` or `Id` suffix (`ComponentResource`,
/// `workspaceid`), and in the singular (`branches`, `data-sets`, `policies`).
fn relaxed(kind: &str) -> Vec<String> {
    let name = normalized(kind);
    let mut names = Vec::new();
    for suffix in ["resource", "id"] {
        if let Some(stem) = name.strip_suffix(suffix).filter(|s| s.len() > 3) {
            names.push(stem.to_owned());
        }
    }
    if name.len() > 4 {
        if let Some(stem) = name.strip_suffix("ies") {
            names.push(format!("{stem}y"));
        }
        for suffix in ["es", "s"] {
            if let Some(stem) = name.strip_suffix(suffix) {
                names.push(stem.to_owned());
            }
        }
    }
    names
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
    for (type_name, path, attribute) in sources {
        let Some(iam_type) = iam.of(type_name) else {
            continue;
        };
        let Some(levels) = iam.levels.get(&iam_type) else {
            continue; // no action applies to it: nothing to grant
        };
        let via = match attribute {
            ArnVia::GetAtt(a) => format!("get_att(\"{a}\")"),
            ArnVia::Ref => "reference()".to_owned(),
            ArnVia::Identifier { name, attribute } => {
                let Some(template) =
                    iam.arn_template(&iam_type, type_name, name, attribute.as_deref())
                else {
                    continue; // the ARN is not the identifier in a fixed frame
                };
                format!("substituted(\"{template}\")")
            }
        };
        let levels: Vec<&str> = LEVELS
            .iter()
            .map(|l| l.1)
            .filter(|l| levels.contains(l))
            .collect();
        let whose = if CONSTRUCT_VERBS.contains(&type_name.as_str()) {
            "built_in"
        } else {
            "raw"
        };
        let _ = writeln!(
            out,
            "    {whose} {path} => \"{iam_type}\", {via}, [{}];",
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

//! The {count} resource types of the model whose resource type AWS's authorization reference
//! names (`AWS::SQS::Queue` is `sqs:queue`) and whose ARN a handle reads (an attribute, or
//! the one identifier `Ref` returns framed by the reference's ARN format), with the access
//! levels its actions have on it: a role may be granted each level on a resource of these
//! types (`read(queue)`), see [`crate::construct::AccessLevels`]. A `built_in` type's
//! handles offer its construct's verbs first (`read` of a bucket is its objects').

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
        assert_eq!(
            of("AWS::Amplify::Branch").as_deref(),
            Some("amplify:branches"),
            "a plural"
        );
        assert_eq!(
            of("AWS::WorkSpaces::Directory").as_deref(),
            Some("workspaces:directoryid"),
            "an `Id` suffix"
        );
        assert_eq!(
            of("AWS::RDS::DBCluster").as_deref(),
            Some("rds:cluster"),
            "an alias"
        );
        assert_eq!(of("AWS::EC2::Route"), None, "no resource type of that name");
        assert_eq!(of("AWS::Nothing::Queue"), None);
        let levels = &iam.levels["sqs:queue"];
        assert!(levels.contains("OffersRead") && !levels.contains("OffersList"));
    }

    #[test]
    fn an_arn_is_framed_from_the_identifier_only_when_it_is_the_formats_one_variable() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let iam = IamTypes::load(&root).expect("the pinned reference");
        let frame = |iam_type: &str, type_name: &str, name: &str, attribute: Option<&str>| {
            iam.arn_template(iam_type, type_name, name, attribute)
        };
        assert_eq!(
            frame(
                "ec2:internet-gateway",
                "AWS::EC2::InternetGateway",
                "InternetGatewayId",
                None
            )
            .as_deref(),
            Some(
                "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:internet-gateway/${self}"
            )
        );
        assert_eq!(
            frame("athena:workgroup", "AWS::Athena::WorkGroup", "Name", None).as_deref(),
            Some("arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${self}"),
            "`Name` of a work group is the format's `WorkGroupName`"
        );
        let group = frame(
            "ec2:security-group",
            "AWS::EC2::SecurityGroup",
            "Id",
            Some("GroupId"),
        );
        let group = group.expect("a security group is framed by its `GroupId`");
        assert!(group.ends_with("security-group/${self.GroupId}"));
        assert_eq!(
            frame("budgets:budget", "AWS::Budgets::Budget", "Id", None),
            None,
            "the format names the budget by its name, not its id"
        );
        assert_eq!(
            frame(
                "organizations:organization",
                "AWS::Organizations::Organization",
                "Id",
                None
            ),
            None,
            "`o-${{OrganizationId}}`: the variable is not a whole segment"
        );
        assert_eq!(
            frame(
                "cloudformation:stack",
                "AWS::CloudFormation::Stack",
                "StackId",
                None
            ),
            None,
            "two variables"
        );
    }
}
