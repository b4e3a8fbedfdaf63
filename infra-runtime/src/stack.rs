//! `Stack`: resources, parameters, conditions, outputs and default tags, gathered in
//! declaration order; [`Stack::synth`](crate::Stack::synth) turns it into a template.
//!
//! Adding never fails: mistakes (a duplicate logical id, a missing required property)
//! are recorded and reported together by synthesis, the way a compiler reports all the
//! errors of a file at once.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::panic::Location;

use serde_json::json;

use crate::Json;
use crate::reference::{Arn, Id, Name};
use crate::resource::{Handle, Resource, ResourceOptions, ResourceProperties};
use crate::value::{Untyped, Value};

/// A CloudFormation stack under construction.
#[derive(Debug, Default)]
pub struct Stack {
    pub(crate) description: Option<String>,
    pub(crate) resources: Vec<ResourceEntry>,
    pub(crate) parameters: Vec<ParameterEntry>,
    pub(crate) conditions: Vec<ConditionEntry>,
    pub(crate) outputs: Vec<OutputEntry>,
    pub(crate) default_tags: BTreeMap<String, Value<String>>,
    pub(crate) omit_source_locations: bool,
    /// Values constructs rejected, reported by synthesis.
    pub(crate) rejected: Vec<crate::SynthError>,
    /// What constructs changed or left out, for the person deploying.
    pub(crate) notes: Vec<String>,
    /// The region it is built for, when a [`crate::construct::Scope`] said: synthesis
    /// refuses resource types the region does not offer.
    pub(crate) region: Option<String>,
    /// Per parameter, the stand-in a local emulator may take when no value is given.
    pub(crate) placeholders: BTreeMap<String, fn(&str) -> Option<String>>,
    pub(crate) value_checks: BTreeMap<String, fn(&str) -> Option<String>>,
    /// Code packed for upload, each once.
    pub(crate) assets: Vec<crate::asset::Asset>,
    /// Rules between groups constructs rely on, judged on the complete template.
    #[cfg(feature = "constructs")]
    pub(crate) admissions: Vec<crate::construct::Admission>,
}

/// One resource as the stack holds it: already serialized, with what synthesis checks.
#[derive(Debug, Clone)]
pub struct ResourceEntry {
    pub(crate) logical_id: String,
    pub(crate) type_name: &'static str,
    pub(crate) attributes: &'static [&'static str],
    pub(crate) create_only: &'static [&'static str],
    pub(crate) lengths: &'static [(&'static str, usize, usize)],
    pub(crate) taggable: bool,
    pub(crate) properties: Result<Json, String>,
    pub(crate) missing_required: Vec<String>,
    pub(crate) options: ResourceOptions,
    pub(crate) source: &'static Location<'static>,
}

impl ResourceEntry {
    /// The resource's logical id.
    pub fn logical_id(&self) -> &str {
        &self.logical_id
    }
    /// Its CloudFormation type name.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
    /// Properties whose change replaces the resource.
    pub fn create_only_properties(&self) -> &'static [&'static str] {
        self.create_only
    }
    /// Where in the Rust source it was added.
    pub fn source(&self) -> &'static Location<'static> {
        self.source
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ParameterEntry {
    pub(crate) name: String,
    pub(crate) body: Json,
    pub(crate) source: &'static Location<'static>,
}

#[derive(Debug, Clone)]
pub(crate) struct ConditionEntry {
    pub(crate) name: String,
    pub(crate) body: Json,
    pub(crate) source: &'static Location<'static>,
}

#[derive(Debug, Clone)]
pub(crate) struct OutputEntry {
    pub(crate) name: String,
    pub(crate) output: Output,
    pub(crate) source: &'static Location<'static>,
}

impl Stack {
    /// An empty stack.
    pub fn new() -> Self {
        Self::default()
    }

    /// The template's `Description`.
    pub fn description(&mut self, description: impl Into<String>) -> &mut Self {
        self.description = Some(description.into());
        self
    }

    /// A tag applied to every taggable resource that does not set the key itself.
    pub fn default_tag(
        &mut self,
        key: impl Into<String>,
        value: impl Into<Value<String>>,
    ) -> &mut Self {
        self.default_tags.insert(key.into(), value.into());
        self
    }

    /// Leaves out the `Metadata` entry that records where each resource was declared
    /// (it is on by default, so that deploy failures can point at a source line).
    pub fn omit_source_locations(&mut self) -> &mut Self {
        self.omit_source_locations = true;
        self
    }

    /// Adds a resource and returns its typed handle.
    #[track_caller]
    pub fn add<P: ResourceProperties>(
        &mut self,
        logical_id: &str,
        resource: P,
    ) -> Handle<P::Resource> {
        self.add_with(logical_id, resource, ResourceOptions::default())
    }

    /// Adds a resource with `DependsOn`, deletion policies, metadata or a condition.
    #[track_caller]
    pub fn add_with<P: ResourceProperties>(
        &mut self,
        logical_id: &str,
        resource: P,
        options: ResourceOptions,
    ) -> Handle<P::Resource> {
        self.add_located(logical_id, resource, options, Location::caller())
    }

    /// Adds a resource recording `source` as the line that declared it (constructs pass
    /// the line of the construct, whichever of their helpers adds the resource).
    pub(crate) fn add_located<P: ResourceProperties>(
        &mut self,
        logical_id: &str,
        resource: P,
        options: ResourceOptions,
        source: &'static Location<'static>,
    ) -> Handle<P::Resource> {
        let mut missing_required = Vec::new();
        resource.missing_required("", &mut missing_required);
        self.resources.push(ResourceEntry {
            logical_id: logical_id.to_owned(),
            type_name: <P::Resource as Resource>::TYPE_NAME,
            attributes: <P::Resource as Resource>::ATTRIBUTES,
            create_only: <P::Resource as Resource>::CREATE_ONLY_PROPERTIES,
            lengths: <P::Resource as Resource>::LENGTHS,
            taggable: <P::Resource as Resource>::TAGGABLE,
            properties: serde_json::to_value(&resource).map_err(|e| e.to_string()),
            missing_required,
            options,
            source,
        });
        Handle::new(logical_id.to_owned())
    }

    /// Declares a parameter and returns its value (`{"Ref": name}`), typed by `T`.
    #[track_caller]
    pub fn parameter<T: ParameterType>(&mut self, name: &str, spec: Parameter<T>) -> Value<T> {
        self.placeholders
            .insert(name.to_owned(), T::local_placeholder);
        self.value_checks.insert(name.to_owned(), T::value_problem);
        self.parameters.push(ParameterEntry {
            name: name.to_owned(),
            body: spec.into_json(),
            source: Location::caller(),
        });
        Value::from_json(json!({ "Ref": name }))
    }

    /// Adds code packed for upload and returns where it will be: the bucket of
    /// [`crate::asset::BUCKET_PARAMETER`] (declared with the first asset) and the
    /// asset's key.
    #[track_caller]
    pub fn asset(
        &mut self,
        asset: crate::asset::Asset,
    ) -> (Value<crate::Name<crate::aws::s3::Bucket>>, String) {
        use crate::asset::BUCKET_PARAMETER;
        if self.assets.is_empty() {
            self.parameter::<String>(
                BUCKET_PARAMETER,
                Parameter::new("The bucket code assets are uploaded to (deploy fills it in)"),
            );
        }
        let key = asset.key();
        if !self.assets.iter().any(|a| a.hash() == asset.hash()) {
            self.assets.push(asset);
        }
        (Value::from_json(json!({ "Ref": BUCKET_PARAMETER })), key)
    }

    /// The code assets the stack's resources name.
    pub fn assets(&self) -> &[crate::asset::Asset] {
        &self.assets
    }

    /// Records a note for the person deploying: what a construct changed or left out.
    pub fn note(&mut self, text: impl Into<String>) -> &mut Self {
        self.notes.push(text.into());
        self
    }

    /// The notes constructs recorded, in order.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The value a local emulator in `region` may take for parameter `name` when the
    /// deploy gives none: `None` when the parameter's type cannot be faked (or there is
    /// no such parameter).
    pub fn local_placeholder(&self, name: &str, region: &str) -> Option<String> {
        self.placeholders.get(name).and_then(|fake| fake(region))
    }

    /// Why CloudFormation, or the type of parameter `name`, would refuse `value`, if it
    /// would: over 4,096 bytes, not a number for a number, not an ARN for an `Arn<…>`.
    pub fn parameter_value_problem(&self, name: &str, value: &str) -> Option<String> {
        if value.len() > crate::limits::MAX_PARAMETER_VALUE_BYTES {
            return Some(format!(
                "is {} bytes, over CloudFormation's {}-byte limit for a parameter value",
                value.len(),
                crate::limits::MAX_PARAMETER_VALUE_BYTES
            ));
        }
        self.value_checks.get(name).and_then(|check| check(value))
    }

    /// The resource with this logical id, to change what a construct added.
    pub(crate) fn resource_mut(&mut self, logical_id: &str) -> Option<&mut ResourceEntry> {
        self.resources
            .iter_mut()
            .find(|r| r.logical_id == logical_id)
    }

    /// Declares a condition.
    #[track_caller]
    pub fn condition(&mut self, name: &str, condition: Condition) -> ConditionRef {
        self.conditions.push(ConditionEntry {
            name: name.to_owned(),
            body: condition.0,
            source: Location::caller(),
        });
        ConditionRef(name.to_owned())
    }

    /// Declares an output.
    #[track_caller]
    pub fn output(&mut self, name: &str, output: Output) -> &mut Self {
        self.outputs.push(OutputEntry {
            name: name.to_owned(),
            output,
            source: Location::caller(),
        });
        self
    }

    /// The resources in the order they were added.
    pub fn resources(&self) -> &[ResourceEntry] {
        &self.resources
    }

    /// The resource with this logical id.
    pub fn resource(&self, logical_id: &str) -> Option<&ResourceEntry> {
        self.resources.iter().find(|r| r.logical_id == logical_id)
    }
}

/// Maps a Rust type to the CloudFormation parameter type that yields it.
pub trait ParameterType {
    /// The parameter's `Type`.
    fn cfn_type() -> Cow<'static, str>;

    /// A value a local emulator accepts in `region` when the deploy gives none, if this
    /// type can be faked there (an ARN can; a VPC id or a password cannot).
    fn local_placeholder(region: &str) -> Option<String> {
        let _ = region;
        None
    }

    /// Why a value given for a parameter of this type is not one, if it is not.
    fn value_problem(value: &str) -> Option<String> {
        let _ = value;
        None
    }
}

/// Why `value` is not a number CloudFormation reads, if it is not.
fn number_problem(value: &str) -> Option<String> {
    value
        .trim()
        .parse::<f64>()
        .map_or_else(|_| Some("is not a number".to_owned()), |_| None)
}

/// Why `value` is not an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`),
/// if it is not.
fn arn_problem(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let shape = "arn:<partition>:<service>:<region>:<account>:<resource>";
    match parts.as_slice() {
        ["arn", partition, service, _, account, resource]
            if partition.starts_with("aws")
                && !service.is_empty()
                && !resource.is_empty()
                && (account.is_empty()
                    || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())))
                && !value.chars().any(char::is_whitespace) =>
        {
            None
        }
        _ => Some(format!("is not an ARN ({shape})")),
    }
}

impl ParameterType for String {
    fn cfn_type() -> Cow<'static, str> {
        "String".into()
    }
}
impl ParameterType for i64 {
    fn cfn_type() -> Cow<'static, str> {
        "Number".into()
    }
    fn value_problem(value: &str) -> Option<String> {
        number_problem(value)
    }
}
impl ParameterType for f64 {
    fn cfn_type() -> Cow<'static, str> {
        "Number".into()
    }
    fn value_problem(value: &str) -> Option<String> {
        number_problem(value)
    }
}
impl ParameterType for Vec<String> {
    fn cfn_type() -> Cow<'static, str> {
        "CommaDelimitedList".into()
    }
}
impl ParameterType for Vec<i64> {
    fn cfn_type() -> Cow<'static, str> {
        "List<Number>".into()
    }
}
impl<R: Resource> ParameterType for Id<R> {
    fn cfn_type() -> Cow<'static, str> {
        R::ID_PARAMETER_TYPE.unwrap_or("String").into()
    }
}
impl<R: Resource> ParameterType for Vec<Id<R>> {
    fn cfn_type() -> Cow<'static, str> {
        match R::ID_PARAMETER_TYPE {
            Some(t) => format!("List<{t}>").into(),
            None => "CommaDelimitedList".into(),
        }
    }
}
impl<R: Resource> ParameterType for Arn<R> {
    fn cfn_type() -> Cow<'static, str> {
        "String".into()
    }

    /// `arn:aws:<service>:<region>:000000000000:<type>/local-placeholder`.
    fn local_placeholder(region: &str) -> Option<String> {
        let mut parts = R::TYPE_NAME.split("::").skip(1);
        let service = parts.next().unwrap_or("service").to_ascii_lowercase();
        let kind = parts.next().unwrap_or("resource").to_ascii_lowercase();
        Some(format!(
            "arn:aws:{service}:{region}:000000000000:{kind}/local-placeholder"
        ))
    }

    fn value_problem(value: &str) -> Option<String> {
        arn_problem(value)
    }
}
impl<R> ParameterType for Name<R> {
    fn cfn_type() -> Cow<'static, str> {
        "String".into()
    }
}

/// A parameter's declaration: `Parameter::new("The VPC's CIDR").default("10.0.0.0/16".into())`.
#[derive(Debug, Clone)]
pub struct Parameter<T> {
    fields: serde_json::Map<String, Json>,
    _type: PhantomData<fn() -> T>,
}

impl<T: ParameterType> Parameter<T> {
    /// A parameter with a description.
    pub fn new(description: impl Into<String>) -> Self {
        let mut fields = serde_json::Map::new();
        fields.insert("Description".into(), Json::String(description.into()));
        Self {
            fields,
            _type: PhantomData,
        }
    }

    fn set(mut self, key: &str, value: Json) -> Self {
        self.fields.insert(key.to_owned(), value);
        self
    }

    /// The value used when none is given. It must be a literal.
    pub fn default(self, value: Value<T>) -> Self {
        self.set("Default", value.to_json())
    }
    /// The only values allowed.
    pub fn allowed_values(self, values: impl IntoIterator<Item = Value<T>>) -> Self {
        let values = values.into_iter().map(|v| v.to_json()).collect();
        self.set("AllowedValues", Json::Array(values))
    }
    /// A regular expression the value must match.
    pub fn allowed_pattern(self, pattern: &str) -> Self {
        self.set("AllowedPattern", Json::from(pattern))
    }
    /// What to tell someone whose value breaks a constraint.
    pub fn constraint_description(self, text: &str) -> Self {
        self.set("ConstraintDescription", Json::from(text))
    }
    /// Hides the value in the console and API answers.
    pub fn no_echo(self) -> Self {
        self.set("NoEcho", Json::Bool(true))
    }
    /// Hides the value when `hidden` is true (what `no_echo: …` in `stack!` writes).
    pub fn no_echo_if(self, hidden: bool) -> Self {
        if hidden { self.no_echo() } else { self }
    }
    /// Minimum and maximum length of a string value.
    pub fn length(self, min: u32, max: u32) -> Self {
        self.min_length(min).max_length(max)
    }
    /// Minimum length of a string value.
    pub fn min_length(self, min: u32) -> Self {
        self.set("MinLength", Json::from(min))
    }
    /// Maximum length of a string value.
    pub fn max_length(self, max: u32) -> Self {
        self.set("MaxLength", Json::from(max))
    }
    /// Minimum and maximum of a number value.
    pub fn range(self, min: f64, max: f64) -> Self {
        self.set("MinValue", Json::from(min))
            .set("MaxValue", Json::from(max))
    }

    fn into_json(mut self) -> Json {
        self.fields
            .insert("Type".into(), Json::String(T::cfn_type().into_owned()));
        Json::Object(self.fields)
    }
}

/// A condition expression (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`).
#[derive(Debug, Clone)]
pub struct Condition(Json);

impl Condition {
    /// `Fn::Equals`.
    pub fn equals<T>(a: Value<T>, b: Value<T>) -> Self {
        Self(json!({ "Fn::Equals": [a.to_json(), b.to_json()] }))
    }
    /// `Fn::And` (2 to 10 conditions).
    pub fn and(cs: impl IntoIterator<Item = Condition>) -> Self {
        Self(json!({ "Fn::And": cs.into_iter().map(|c| c.0).collect::<Vec<_>>() }))
    }
    /// `Fn::Or` (2 to 10 conditions).
    pub fn or(cs: impl IntoIterator<Item = Condition>) -> Self {
        Self(json!({ "Fn::Or": cs.into_iter().map(|c| c.0).collect::<Vec<_>>() }))
    }
    /// Another declared condition.
    pub fn of(c: &ConditionRef) -> Self {
        Self(json!({ "Condition": c.0 }))
    }
}

/// `Fn::Not`: `!Condition::equals(a, b)`.
impl std::ops::Not for Condition {
    type Output = Condition;

    fn not(self) -> Condition {
        Self(json!({ "Fn::Not": [self.0] }))
    }
}

/// A declared condition, for [`ResourceOptions::condition`] and [`crate::intrinsic::if_`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionRef(String);

impl ConditionRef {
    /// The condition's name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

/// A stack output: a value, optionally described and exported.
#[derive(Debug, Clone)]
pub struct Output {
    pub(crate) value: Value<Untyped>,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Value<String>>,
    pub(crate) condition: Option<String>,
}

impl Output {
    /// An output of any value.
    pub fn new<T>(value: Value<T>) -> Self {
        Self {
            value: value.erase(),
            description: None,
            export_name: None,
            condition: None,
        }
    }
    /// Its description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
    /// Exports it under a name other stacks can import.
    pub fn export(mut self, name: impl Into<Value<String>>) -> Self {
        self.export_name = Some(name.into());
        self
    }
    /// Declares it only when `condition` holds.
    pub fn condition(mut self, condition: &ConditionRef) -> Self {
        self.condition = Some(condition.name().to_owned());
        self
    }
}
