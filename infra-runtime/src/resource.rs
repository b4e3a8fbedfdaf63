//! What every generated resource type provides, and the handle a stack gives back for it.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde_json::json;

use crate::Json;
use crate::value::Value;

/// A CloudFormation resource type: what [`Handle`], `Arn`, `Id` and `Name` are of.
/// Implemented by each type of [`crate::aws`] (`aws::sqs::Queue`), which exists whatever
/// the crate's features, and by a custom resource's own property struct.
pub trait Resource: 'static {
    /// The CloudFormation type name, e.g. `AWS::EC2::VPC`.
    const TYPE_NAME: &'static str;
    /// Properties whose change replaces the resource (the schema's `createOnlyProperties`).
    const CREATE_ONLY_PROPERTIES: &'static [&'static str];
    /// The attributes `Fn::GetAtt` may read (the schema's `readOnlyProperties`).
    const ATTRIBUTES: &'static [&'static str];
    /// Whether the type has a `Tags` list, so that a stack's default tags apply to it.
    const TAGGABLE: bool;
    /// The string properties whose length the registry schema bounds, at any depth: (path,
    /// least, most characters), the path's fields joined by `/` and each item of a list
    /// `*` (`Tags/*/Value`). Synthesis holds each literal value to them.
    const LENGTHS: &'static [(&'static str, usize, usize)] = &[];
    /// The AWS-specific parameter type for an id of this resource, where there is one
    /// (`AWS::EC2::VPC::Id`).
    const ID_PARAMETER_TYPE: Option<&'static str> = None;
}

/// The properties of a resource a stack declares: what [`crate::Stack::add`] takes. The
/// model's property structs (`aws::sqs::queue::Queue`) name their type; a custom
/// resource's struct that is its own [`Resource`] is its own properties.
pub trait ResourceProperties: Serialize + Properties {
    /// The resource type these properties declare.
    type Resource: Resource;
}

impl<T: Resource + Serialize + Properties> ResourceProperties for T {
    type Resource = T;
}

/// Property structs (resources and their nested types) know which required properties
/// they lack.
pub trait Properties {
    /// Pushes the path of every required property that is missing, below `path`.
    fn missing_required(&self, path: &str, missing: &mut Vec<String>);
}

impl<T: Properties> Properties for Option<T> {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        if let Some(inner) = self {
            inner.missing_required(path, missing);
        }
    }
}

impl<T: Properties> Properties for Box<T> {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        (**self).missing_required(path, missing);
    }
}

impl<T: Properties> Properties for BTreeMap<String, T> {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        for (key, item) in self {
            item.missing_required(&format!("{path}.{key}"), missing);
        }
    }
}

impl<T: Properties> Properties for Vec<T> {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        for (i, item) in self.iter().enumerate() {
            item.missing_required(&format!("{path}[{i}]"), missing);
        }
    }
}

impl<T> Properties for Value<T> {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        if self.is_missing() {
            missing.push(path.to_owned());
        }
    }
}

/// A required nested object with nothing set synthesizes as `{}`, which CloudFormation
/// rejects or misreads: it counts as missing.
#[doc(hidden)]
pub fn require_set<T: Serialize>(value: &T, path: &str, missing: &mut Vec<String>) {
    let empty = serde_json::to_value(value)
        .is_ok_and(|v| v.as_object().is_some_and(serde_json::Map::is_empty));
    if empty {
        missing.push(path.to_owned());
    }
}

#[doc(hidden)]
pub fn join_path(path: &str, property: &str) -> String {
    if path.is_empty() {
        property.to_owned()
    } else {
        format!("{path}.{property}")
    }
}

/// A resource added to a [`crate::Stack`]: its logical id, typed by its resource type so
/// that only the attributes and references the type has can be read from it.
pub struct Handle<R> {
    logical_id: String,
    _type: PhantomData<fn() -> R>,
}

impl<R> Handle<R> {
    pub(crate) fn new(logical_id: String) -> Self {
        Self {
            logical_id,
            _type: PhantomData,
        }
    }

    /// The resource's logical id in the template.
    pub fn logical_id(&self) -> &str {
        &self.logical_id
    }

    /// `{"Ref": logical id}`, typed by the caller (generated code knows what `Ref` returns).
    #[doc(hidden)]
    pub fn reference<T>(&self) -> Value<T> {
        Value::from_json(json!({ "Ref": self.logical_id }))
    }

    /// `{"Fn::GetAtt": [logical id, attribute]}`, typed by the caller.
    #[doc(hidden)]
    pub fn get_att<T>(&self, attribute: &str) -> Value<T> {
        Value::from_json(json!({ "Fn::GetAtt": [self.logical_id, attribute] }))
    }

    /// `{"Fn::Sub": template}` with `${self}` standing for this resource's `Ref` and
    /// `${self.Attribute}` for its `Fn::GetAtt` (an ARN framed by its format), typed by the
    /// caller.
    #[doc(hidden)]
    pub fn substituted<T>(&self, template: &str) -> Value<T> {
        let template = template.replace("${self", &format!("${{{}", self.logical_id));
        Value::from_json(json!({ "Fn::Sub": template }))
    }
}

impl<R> Clone for Handle<R> {
    fn clone(&self) -> Self {
        Self::new(self.logical_id.clone())
    }
}

impl<R: Resource> fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle<{}>({})", R::TYPE_NAME, self.logical_id)
    }
}

/// A resource tag. Every taggable type in the model uses this one struct.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tag {
    /// The tag's key.
    #[serde(rename = "Key")]
    pub key: Value<String>,
    /// The tag's value.
    #[serde(rename = "Value")]
    pub value: Value<String>,
}

impl Tag {
    /// A tag with literal or intrinsic key and value.
    pub fn new(key: impl Into<Value<String>>, value: impl Into<Value<String>>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

impl Properties for Tag {
    fn missing_required(&self, path: &str, missing: &mut Vec<String>) {
        self.key.missing_required(&join_path(path, "Key"), missing);
        self.value
            .missing_required(&join_path(path, "Value"), missing);
    }
}

/// What happens to a resource's physical object when the resource leaves the stack
/// (`DeletionPolicy`) or is replaced (`UpdateReplacePolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Policy {
    /// Delete the object.
    Delete,
    /// Keep the object, outside CloudFormation's management.
    Retain,
    /// Keep the object while the stack exists, delete it when the stack is deleted.
    RetainExceptOnCreate,
    /// Take a final snapshot, then delete (databases and volumes).
    Snapshot,
}

/// Resource attributes other than properties: `DependsOn`, `DeletionPolicy`,
/// `UpdateReplacePolicy`, `Metadata`, `Condition`.
#[derive(Debug, Clone, Default)]
pub struct ResourceOptions {
    pub(crate) depends_on: Vec<String>,
    pub(crate) deletion_policy: Option<Policy>,
    pub(crate) update_replace_policy: Option<Policy>,
    pub(crate) metadata: BTreeMap<String, Json>,
    pub(crate) condition: Option<String>,
}

impl ResourceOptions {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates this resource only after `other` (references already imply this).
    pub fn depends_on<R>(mut self, other: &Handle<R>) -> Self {
        self.depends_on.push(other.logical_id().to_owned());
        self
    }

    /// `DependsOn` a resource known by its logical id only.
    pub(crate) fn depends_on_id(mut self, logical_id: &str) -> Self {
        self.depends_on.push(logical_id.to_owned());
        self
    }

    /// Both `DeletionPolicy` and `UpdateReplacePolicy`, as a stateful resource wants.
    pub fn retain_policy(self, policy: Policy) -> Self {
        self.deletion_policy(policy).update_replace_policy(policy)
    }

    /// `DeletionPolicy`.
    pub fn deletion_policy(mut self, policy: Policy) -> Self {
        self.deletion_policy = Some(policy);
        self
    }

    /// `UpdateReplacePolicy`.
    pub fn update_replace_policy(mut self, policy: Policy) -> Self {
        self.update_replace_policy = Some(policy);
        self
    }

    /// An entry of the resource's `Metadata`.
    pub fn metadata(mut self, key: impl Into<String>, value: Json) -> Self {
        self.metadata.insert(key.into(), value);
        self
    }

    /// The `Metadata` entry under `key`, created as an empty object when absent, so that
    /// several constructs' additions to one entry (suppressions) accumulate.
    pub(crate) fn metadata_entry(&mut self, key: &str) -> &mut Json {
        self.metadata
            .entry(key.to_owned())
            .or_insert_with(|| Json::Object(serde_json::Map::new()))
    }

    /// Creates the resource only when `condition` holds.
    pub fn condition(mut self, condition: &crate::stack::ConditionRef) -> Self {
        self.condition = Some(condition.name().to_owned());
        self
    }
}
