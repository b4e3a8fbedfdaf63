//! Grants: what a role may do, offered by the resources it is on.
//!
//! A resource a role can be given access to implements [`Grantable`]: its `Verbs` type has
//! one method per verb, each returning the [`Grant`] (IAM actions on the resource's ARNs)
//! that verb means. `grants: [send(jobs)]` in a `role` is
//! `Grantable::verbs(&jobs).send()`, so a verb the resource does not offer is rustc's
//! "no method named `send`" at the verb, with the verbs it does offer a method call away
//! in the editor. The built-in constructs offer their verbs this way, and so can any
//! construct of another crate:
//!
//! ```
//! use infra_runtime::construct::{Grant, Grantable};
//! use infra_runtime::intrinsic::sub_with;
//! use infra_runtime::{Handle, aws::s3::Bucket};
//!
//! /// A bucket that records are only ever added to.
//! pub struct Archive { pub bucket: Handle<Bucket> }
//!
//! /// The verbs of an `Archive`: `append`.
//! pub struct ArchiveVerbs<'a>(&'a Archive);
//!
//! impl ArchiveVerbs<'_> {
//!     /// Add records; never read or delete them.
//!     pub fn append(&self) -> Grant {
//!         let objects = sub_with("${Arn}/*", [("Arn", self.0.bucket.arn().erase())]);
//!         Grant::new("AppendRecords", &["s3:PutObject"], [objects.into()])
//!     }
//! }
//!
//! impl Grantable for Archive {
//!     type Verbs<'a> = ArchiveVerbs<'a>;
//!     fn verbs(&self) -> ArchiveVerbs<'_> { ArchiveVerbs(self) }
//! }
//! ```
//!
//! A role then writes `grants: [append(archive)]`, and `append(other_bucket)` is an error
//! at `append`: a plain bucket offers `read` and `write`.
//!
//! `allow([actions], [arns])` is the one grant that is not a verb: exactly the actions
//! written, on exactly the resources written.

use serde_json::json;

use crate::{Json, Value};

/// A permission on resources of the stack: IAM statements of the role's policy, one for
/// the verb's actions on its resource and one for each set of actions added on other
/// resources (its key's), so that no action is allowed on a resource it does not apply to.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    sid: &'static str,
    /// `(actions, resources)` of each statement, the verb's own first.
    parts: Vec<(Vec<Json>, Vec<Json>)>,
    /// A resource of the stack, by logical id, and the actions on the keys of the stack
    /// its properties name.
    keys_of: Option<(String, &'static [&'static str])>,
}

impl Grant {
    /// `actions` on `resources`, as the statement `<sid><n>` (`SendJobs1`): what a verb
    /// of a construct returns. The statement ids of one role are numbered in order.
    pub fn new(
        sid: &'static str,
        actions: &[&str],
        resources: impl IntoIterator<Item = IamResource>,
    ) -> Self {
        Self {
            sid,
            parts: vec![part(actions, resources)],
            keys_of: None,
        }
    }

    /// Exactly these actions on exactly these resources: ARNs written out, or typed ARNs
    /// of the stack's own resources (`queue.arn()`), so least privilege never needs a
    /// hard-coded account id (`stack!` refuses wildcards in literals).
    pub fn allow(actions: &[&str], resources: &[IamResource]) -> Self {
        Self::new("Allow", actions, resources.iter().cloned())
    }

    /// The same grant with more actions on more resources (a key's, say, when the
    /// resource is encrypted with it), in a statement of their own; with no resources,
    /// the grant unchanged.
    #[must_use]
    pub fn and(
        mut self,
        actions: &[&str],
        resources: impl IntoIterator<Item = IamResource>,
    ) -> Self {
        let (actions, resources) = part(actions, resources);
        if !resources.is_empty() {
            self.parts.push((actions, resources));
        }
        self
    }

    /// The same grant with `actions` on every key of the stack that the properties of
    /// the resource `logical_id` name (`KmsMasterKeyId: key.arn()`): the keys a
    /// resource is encrypted with are found when the role is built.
    #[must_use]
    pub fn and_keys_of(mut self, logical_id: &str, actions: &'static [&'static str]) -> Self {
        if !actions.is_empty() {
            self.keys_of = Some((logical_id.to_owned(), actions));
        }
        self
    }

    /// The actions, as written, of every statement.
    pub fn actions(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .flat_map(|(actions, _)| actions)
            .filter_map(Json::as_str)
    }

    /// The statements, numbered `index + 1` among the role's grants (`Send1`, then
    /// `Send1Part2` for the next), with the actions on the keys of `stack` the resource
    /// is encrypted with.
    pub(crate) fn statements(&self, stack: &crate::Stack, index: usize) -> Vec<Json> {
        let mut grant = self.clone();
        if let Some((id, actions)) = &self.keys_of {
            let keys = keys_named_by(stack, id)
                .into_iter()
                .map(|key| IamResource(json!({ "Fn::GetAtt": [key, "Arn"] })));
            grant = grant.and(actions, keys.collect::<Vec<_>>());
        }
        let sid = format!("{}{}", grant.sid, index + 1);
        grant
            .parts
            .iter()
            .enumerate()
            .map(|(k, (actions, resources))| {
                let sid = if k == 0 {
                    sid.clone()
                } else {
                    format!("{sid}Part{}", k + 1)
                };
                json!({ "Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources })
            })
            .collect()
    }
}

fn part(
    actions: &[&str],
    resources: impl IntoIterator<Item = IamResource>,
) -> (Vec<Json>, Vec<Json>) {
    (
        actions.iter().map(|a| Json::from(*a)).collect(),
        resources.into_iter().map(|r| r.0).collect(),
    )
}

/// The statements of a role's grants, numbered in order.
pub(crate) fn statements(grants: &[Grant], stack: &crate::Stack) -> Vec<Json> {
    grants
        .iter()
        .enumerate()
        .flat_map(|(i, grant)| grant.statements(stack, i))
        .collect()
}

/// The KMS keys of `stack` that the properties of its resource `logical_id` refer to
/// (by `Ref` or `Fn::GetAtt`), each once, in the order met.
fn keys_named_by(stack: &crate::Stack, logical_id: &str) -> Vec<String> {
    fn walk(value: &Json, stack: &crate::Stack, keys: &mut Vec<String>) {
        let named = value["Ref"]
            .as_str()
            .or_else(|| value["Fn::GetAtt"][0].as_str());
        if let Some(id) = named
            && stack
                .resource(id)
                .is_some_and(|r| r.type_name == "AWS::KMS::Key")
            && !keys.iter().any(|k| k == id)
        {
            keys.push(id.to_owned());
        }
        match value {
            Json::Array(items) => items.iter().for_each(|v| walk(v, stack, keys)),
            Json::Object(map) => map.values().for_each(|v| walk(v, stack, keys)),
            _ => {}
        }
    }
    let mut keys = Vec::new();
    if let Some(Ok(properties)) = stack.resource(logical_id).map(|r| r.properties.as_ref()) {
        walk(properties, stack, &mut keys);
    }
    keys
}

/// A resource of an IAM statement: an ARN literal, any typed ARN, or any value that
/// evaluates to one (`Fn::Sub` around an ARN).
#[derive(Debug, Clone, PartialEq)]
pub struct IamResource(Json);

impl From<&str> for IamResource {
    fn from(arn: &str) -> Self {
        Self(Json::from(arn))
    }
}

impl From<String> for IamResource {
    fn from(arn: String) -> Self {
        Self(Json::from(arn))
    }
}

impl<T> From<Value<crate::Arn<T>>> for IamResource {
    fn from(arn: Value<crate::Arn<T>>) -> Self {
        Self(arn.to_json())
    }
}

impl From<Value<String>> for IamResource {
    fn from(arn: Value<String>) -> Self {
        Self(arn.to_json())
    }
}

/// A resource a role can be granted access to: each method of `Verbs` is a verb a
/// `role`'s `grants` may name (`write_logs(group)` is `group.verbs().write_logs()`).
#[diagnostic::on_unimplemented(
    message = "a role cannot be granted access to `{Self}`",
    label = "this offers no grant verbs",
    note = "grants are on resources that implement `infra_runtime::construct::Grantable` (log groups, buckets, keys, secrets, databases, and constructs that offer verbs); `allow([actions], [arns])` grants anything else"
)]
pub trait Grantable {
    /// The verbs: a type with one method per verb, each returning a [`Grant`].
    type Verbs<'a>
    where
        Self: 'a;

    /// The verbs on this resource.
    fn verbs(&self) -> Self::Verbs<'_>;
}

impl<T: Grantable + ?Sized> Grantable for &T {
    type Verbs<'a>
        = T::Verbs<'a>
    where
        Self: 'a;

    fn verbs(&self) -> Self::Verbs<'_> {
        T::verbs(self)
    }
}

/// The built-in constructs' verbs as functions, for plain-Rust stacks
/// (`grant::builtin::write_logs(&logs)`) and for the editor, which completes a verb
/// inside `grants: [ … ]` from here before its resource is written.
pub mod builtin {
    pub use super::super::access::{list, manage_permissions, tag};
    pub use super::super::database::connect;
    pub use super::super::eks_cluster::describe;
    pub use super::super::function::invoke;
    pub use super::super::queue::{consume, send};
    pub use super::super::secrets::read_secret;
    pub use super::super::state_machine::start;
    pub use super::super::storage::{read, use_key, write, write_logs};
    pub use super::super::topic::publish;
}

/// What the policies of a role allow: every `Allow` statement of its inline policies, of
/// the customer-managed policies it names by `Ref`, and of the policies that name it.
/// `None` when the role is not a resource of this stack, or a document is not written
/// out (an intrinsic): then nothing is judged.
pub(crate) fn allowed_by(stack: &crate::Stack, role: &str) -> Option<Vec<Json>> {
    let properties = |id: &str| {
        stack
            .resource(id)
            .and_then(|e| e.properties.as_ref().ok())
            .cloned()
    };
    let role_properties = properties(role)?;
    let mut documents: Vec<Json> = role_properties["Policies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["PolicyDocument"].clone())
        .collect();
    for arn in role_properties["ManagedPolicyArns"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(policy) = arn["Ref"].as_str().and_then(properties) {
            documents.push(policy["PolicyDocument"].clone());
        }
    }
    let names_role = |p: &Json| {
        p["Roles"]
            .as_array()
            .is_some_and(|roles| roles.iter().any(|r| r["Ref"] == role))
            || p["RoleName"]["Ref"] == role
    };
    for entry in &stack.resources {
        if let Ok(p) = &entry.properties
            && infra_facts::iam::POLICY_TYPES.contains(&entry.type_name)
            && names_role(p)
        {
            documents.push(p["PolicyDocument"].clone());
        }
    }
    let mut statements = Vec::new();
    for document in &documents {
        statements.extend(
            crate::compliance::allow_statements(document)?
                .into_iter()
                .cloned(),
        );
    }
    Some(statements)
}

impl Grant {
    /// Whether `statements` allow every action of this grant on every resource of it,
    /// each pair by some statement (an action may be allowed by a wildcard there;
    /// compliance judges that).
    pub(crate) fn is_allowed_by(&self, statements: &[Json]) -> bool {
        use crate::compliance::values;
        let allows = |statement: &Json, action: &str, resource: &Json| {
            values(&statement["Action"])
                .into_iter()
                .filter_map(Json::as_str)
                .any(|allowed| matches_wildcard(allowed, action))
                && values(&statement["Resource"]).contains(&resource)
        };
        self.parts.iter().all(|(actions, resources)| {
            actions.iter().filter_map(Json::as_str).all(|action| {
                resources
                    .iter()
                    .all(|resource| statements.iter().any(|s| allows(s, action, resource)))
            })
        })
    }
}

/// Whether an IAM action pattern (`s3:Get*`, `*`, `s3:?etObject`) matches an action,
/// ignoring case as IAM does.
fn matches_wildcard(pattern: &str, action: &str) -> bool {
    fn glob(p: &[u8], a: &[u8]) -> bool {
        match p.split_first() {
            None => a.is_empty(),
            Some((b'*', rest)) => (0..=a.len()).any(|i| glob(rest, &a[i..])),
            Some((b'?', rest)) => !a.is_empty() && glob(rest, &a[1..]),
            Some((c, rest)) => {
                a.first().is_some_and(|x| x.eq_ignore_ascii_case(c)) && glob(rest, &a[1..])
            }
        }
    }
    glob(pattern.as_bytes(), action.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_is_allowed_by_a_statement_that_covers_its_actions_and_resources() {
        let grant = Grant::new("Read", &["s3:GetObject"], ["arn:aws:s3:::b/*".into()]);
        let allows = |action: &str, resource: &str| {
            grant.is_allowed_by(&[
                json!({ "Effect": "Allow", "Action": [action], "Resource": resource }),
            ])
        };
        assert!(allows("s3:GetObject", "arn:aws:s3:::b/*"));
        assert!(
            allows("s3:get*", "arn:aws:s3:::b/*"),
            "IAM actions ignore case"
        );
        assert!(allows("s3:?etObject", "arn:aws:s3:::b/*"));
        assert!(!allows("s3:PutObject", "arn:aws:s3:::b/*"));
        assert!(!allows("s3:Get", "arn:aws:s3:::b/*"));
        assert!(!allows("s3:GetObject", "arn:aws:s3:::c/*"));
        let both = Grant::new(
            "Logs",
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            ["x".into()],
        );
        let split = [
            json!({ "Effect": "Allow", "Action": "logs:CreateLogStream", "Resource": "x" }),
            json!({ "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "x" }),
        ];
        assert!(
            both.is_allowed_by(&split),
            "each action by its own statement"
        );
        assert!(!both.is_allowed_by(&split[..1]));
    }
}
