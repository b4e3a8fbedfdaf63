//! AWS's Service Authorization Reference, pinned (`codegen/iam/SOURCE`) and generated into
//! `reference.txt` by `cargo run -p codegen`: every action of every service with its
//! access level and the resource types it applies to, and every resource type's ARN
//! format. The text is compiled in and indexed once per process on first use.

use std::sync::OnceLock;

/// The generated table: `service:Action<TAB>Level<TAB>type,type*` lines, then
/// `resource<TAB>service:type<TAB>arn` lines, then `type<TAB>AWS::Svc::Type<TAB>svc:type`
/// lines.
const TABLE: &str = include_str!("reference.txt");

/// How much an action can do, as the reference classes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Lists resources (`s3:ListBucket`).
    List,
    /// Reads (`s3:GetObject`).
    Read,
    /// Writes (`s3:PutObject`).
    Write,
    /// Changes who may do what (`iam:PutRolePolicy`).
    PermissionsManagement,
    /// Tags (`s3:PutObjectTagging`).
    Tagging,
}

impl Level {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "List" => Self::List,
            "Read" => Self::Read,
            "Write" => Self::Write,
            "Permissions management" => Self::PermissionsManagement,
            "Tagging" => Self::Tagging,
            _ => return None,
        })
    }
}

/// One action of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    /// `service:Action`, as the reference spells it.
    pub name: &'static str,
    /// Its access level.
    pub level: Level,
    types: &'static str,
}

impl Action {
    /// Its service prefix (`s3`).
    pub fn service(&self) -> &'static str {
        self.name.split_once(':').map_or(self.name, |(s, _)| s)
    }

    /// The resource types it applies to, each with whether it is required.
    pub fn resource_types(&self) -> impl Iterator<Item = (&'static str, bool)> + '_ {
        self.types
            .split(',')
            .filter(|t| !t.is_empty())
            .map(|t| match t.strip_suffix('*') {
                Some(required) => (required, true),
                None => (t, false),
            })
    }

    /// Whether AWS defines it on no resource type, so that its resource is `*`.
    pub fn takes_no_resource(&self) -> bool {
        self.types.is_empty()
    }
}

struct Index {
    /// Every action, with its name lowercased (IAM matches action names without case).
    actions: Vec<(String, Action)>,
    /// The ARN format of each `service:type`.
    arns: Vec<(&'static str, &'static str)>,
    /// The `service:type` of each CloudFormation type the generator matched.
    types: Vec<(&'static str, &'static str)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut actions = Vec::new();
        let mut arns = Vec::new();
        let mut types = Vec::new();
        for line in TABLE.lines() {
            let mut fields = line.split('\t');
            let (Some(first), Some(second), Some(third)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            if first == "resource" {
                arns.push((second, third));
            } else if first == "type" {
                types.push((second, third));
            } else if let Some(level) = Level::parse(second) {
                let action = Action {
                    name: first,
                    level,
                    types: third,
                };
                actions.push((first.to_ascii_lowercase(), action));
            }
        }
        actions.sort_by(|a, b| a.0.cmp(&b.0));
        arns.sort_unstable();
        types.sort_unstable();
        Index {
            actions,
            arns,
            types,
        }
    })
}

/// The action named `name` (`s3:GetObject`, any case), if the reference has it.
pub fn action(name: &str) -> Option<Action> {
    let actions = &index().actions;
    let lower = name.to_ascii_lowercase();
    actions
        .binary_search_by(|(key, _)| key.as_str().cmp(&lower))
        .ok()
        .map(|i| actions[i].1)
}

/// Whether the reference has a service with this prefix (`s3`, any case).
pub fn has_service(prefix: &str) -> bool {
    let lower = format!("{}:", prefix.to_ascii_lowercase());
    let actions = &index().actions;
    let i = actions.partition_point(|(key, _)| key.as_str() < lower.as_str());
    actions
        .get(i)
        .is_some_and(|(key, _)| key.starts_with(&lower))
}

/// The actions a pattern names: `s3:Get*`, `s3:?etObject`, `s3:GetObject` (any case).
pub fn matching(pattern: &str) -> impl Iterator<Item = Action> + '_ {
    let lower = pattern.to_ascii_lowercase();
    index()
        .actions
        .iter()
        .filter(move |(key, _)| glob(lower.as_bytes(), key.as_bytes()))
        .map(|(_, action)| *action)
}

/// The actions of access level `level` that apply to the resource type `iam_type`
/// (`sqs:queue`), in the reference's order: what an access-level grant on a resource of
/// that type allows.
pub fn actions_on(iam_type: &str, level: Level) -> Vec<&'static str> {
    let Some((service, resource_type)) = iam_type.split_once(':') else {
        return Vec::new();
    };
    let mut names: Vec<&'static str> = index()
        .actions
        .iter()
        .map(|(_, action)| action)
        .filter(|a| a.level == level && a.service() == service)
        .filter(|a| a.resource_types().any(|(t, _)| t == resource_type))
        .map(|a| a.name)
        .collect();
    names.sort_unstable();
    names
}

/// The action of `service` nearest to `name` by edit distance, to suggest.
pub fn nearest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let service = lower.split_once(':').map_or("", |(s, _)| s);
    index()
        .actions
        .iter()
        .filter(|(key, _)| {
            service.is_empty() || key.split_once(':').is_some_and(|(s, _)| s == service)
        })
        .map(|(key, action)| (distance(&lower, key), action.name))
        .filter(|(d, _)| *d <= lower.len() / 3 + 1)
        .min()
        .map(|(_, name)| name)
}

/// The ARN format of a resource type (`s3`, `bucket`).
pub fn arn_format(service: &str, resource_type: &str) -> Option<&'static str> {
    let key = format!("{service}:{resource_type}");
    let arns = &index().arns;
    arns.binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
        .ok()
        .map(|i| arns[i].1)
}

/// The reference's resource type (`sqs:queue`) of a CloudFormation type
/// (`AWS::SQS::Queue`), when the generator matched one: a type of the service's prefix
/// with the same name without case or separators (`codegen/src/iam.rs`).
pub fn iam_type(type_name: &str) -> Option<&'static str> {
    let types = &index().types;
    types
        .binary_search_by(|(k, _)| (*k).cmp(type_name))
        .ok()
        .map(|i| types[i].1)
}

/// An ARN of a resource of a CloudFormation type, as its IAM resource type formats it,
/// each variable filled by `fill` (`Partition`, `Region`, `Account`, `QueueName`, …):
/// what an outside judge puts where a template computes an ARN.
pub fn example_arn(type_name: &str, fill: impl Fn(&str) -> String) -> Option<String> {
    let (service, resource_type) = iam_type(type_name)?.split_once(':')?;
    let format = arn_format(service, resource_type)?;
    let mut out = String::new();
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        let end = rest[start..].find('}')? + start;
        out.push_str(&rest[..start]);
        out.push_str(&fill(&rest[start + 2..end]));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// IAM's glob: `*` any run of characters, `?` any one.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => glob(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => glob(&pattern[1..], &text[1..]),
        _ => false,
    }
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_found_with_their_level_and_resource_types() {
        let get = action("s3:GetObject").expect("s3:GetObject");
        assert_eq!(get.level, Level::Read);
        assert!(get.resource_types().any(|(t, _)| t == "object"));
        let send = action("sqs:SendMessage").expect("sqs:SendMessage");
        assert_eq!(send.resource_types().collect::<Vec<_>>(), [("queue", true)]);
        assert_eq!(
            action("S3:getobject"),
            Some(get),
            "IAM matches without case"
        );
        let traces = action("xray:PutTraceSegments").expect("xray");
        assert!(traces.takes_no_resource());
        assert!(action("logs:CreateLogDelivery").is_some_and(|a| a.takes_no_resource()));
        assert!(action("s3:GetObjekt").is_none());
        assert!(has_service("sqs") && !has_service("sqz"));
        assert_eq!(nearest("s3:GetObjekt"), Some("s3:GetObject"));
        assert_eq!(nearest("sqs:SendMesage"), Some("sqs:SendMessage"));
        assert!(matching("sqs:Send*").any(|a| a.name == "sqs:SendMessage"));
        assert_eq!(matching("sqs:Nothing*").count(), 0);
        assert_eq!(
            arn_format("sqs", "queue"),
            Some("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}")
        );
    }

    #[test]
    fn actions_on_a_resource_type_are_those_of_its_service_and_level_that_apply_to_it() {
        let read = actions_on("sqs:queue", Level::Read);
        assert!(read.contains(&"sqs:ReceiveMessage") && read.contains(&"sqs:GetQueueAttributes"));
        assert!(!read.contains(&"sqs:ListQueues"), "applies to no resource");
        assert!(!read.contains(&"sqs:SendMessage"), "a write");
        let write = actions_on("sqs:queue", Level::Write);
        assert!(write.contains(&"sqs:SendMessage") && write.contains(&"sqs:DeleteMessage"));
        let tables = actions_on("dynamodb:table", Level::Read);
        assert!(tables.contains(&"dynamodb:GetItem") && tables.contains(&"dynamodb:Query"));
        assert!(tables.iter().all(|a| a.starts_with("dynamodb:")));
        assert!(actions_on("sqs:queue", Level::List).is_empty());
        assert!(actions_on("sqs:nothing", Level::Read).is_empty());
        assert!(actions_on("queue", Level::Read).is_empty());
        assert_eq!(iam_type("AWS::SQS::Queue"), Some("sqs:queue"));
        assert_eq!(iam_type("AWS::S3::Bucket"), Some("s3:bucket"));
        assert_eq!(iam_type("AWS::EC2::Route"), None);
        let arn = example_arn("AWS::SQS::Queue", |v| v.to_lowercase());
        assert_eq!(
            arn.as_deref(),
            Some("arn:partition:sqs:region:account:queuename")
        );
    }

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        let actions = &index().actions;
        assert!(actions.len() > 20_000, "{}", actions.len());
        assert!(actions.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
