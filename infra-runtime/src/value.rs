//! `Value<T>`: a CloudFormation property value that is either a literal or an intrinsic
//! function, and that carries the Rust type of what it evaluates to.
//!
//! The type parameter is what keeps wiring honest: a subnet's `vpc_id` is a
//! `Value<Id<Vpc>>`, which only a VPC in the stack (or an explicit
//! [`Value::external`] literal) can produce. Literals convert with `.into()`;
//! intrinsics come from resource handles (`vpc.id()`, `role.arn()`), parameters,
//! [`pseudo`] parameters and the functions in [`crate::intrinsic`].

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::{Serialize, Serializer};

use crate::Json;

/// A property value of Rust type `T`: a literal, or an intrinsic that CloudFormation
/// evaluates to a `T` at deploy time.
///
/// `Value::default()` is *missing*: fine for an optional property left out, and reported
/// by synthesis for a required one.
pub struct Value<T> {
    json: Option<Json>,
    _type: PhantomData<fn() -> T>,
}

impl<T> Value<T> {
    pub(crate) fn from_json(json: Json) -> Self {
        Self {
            json: Some(json),
            _type: PhantomData,
        }
    }

    /// The same value seen as another type; for conversions the model declares.
    pub(crate) fn cast<U>(self) -> Value<U> {
        Value {
            json: self.json,
            _type: PhantomData,
        }
    }

    /// Any JSON, taken to be a `T` without checking: the escape hatch for an intrinsic
    /// this crate does not model. Prefer the typed constructors.
    pub fn unchecked(json: Json) -> Self {
        Self::from_json(json)
    }

    /// True when no value was given (the `Default`).
    pub fn is_missing(&self) -> bool {
        self.json.is_none()
    }

    /// The value as it appears in a template (`null` when missing).
    pub fn to_json(&self) -> Json {
        self.json.clone().unwrap_or(Json::Null)
    }

    /// The same value with its type forgotten, for places that take any value
    /// (`Fn::Sub` variables, outputs).
    pub fn erase(self) -> Value<Untyped> {
        Value {
            json: self.json,
            _type: PhantomData,
        }
    }
}

/// The type of a value whose Rust type has been forgotten with [`Value::erase`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untyped {}

impl<T> Default for Value<T> {
    fn default() -> Self {
        Self {
            json: None,
            _type: PhantomData,
        }
    }
}

impl<T> Clone for Value<T> {
    fn clone(&self) -> Self {
        Self {
            json: self.json.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> PartialEq for Value<T> {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

impl<T> fmt::Debug for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.json {
            Some(json) => write!(f, "Value({json})"),
            None => f.write_str("Value(<missing>)"),
        }
    }
}

impl<T> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

/// A Rust type that can be written as a literal in a template.
pub trait Literal {
    /// The literal as template JSON.
    fn into_json(self) -> Json;
}

impl Literal for String {
    fn into_json(self) -> Json {
        Json::String(self)
    }
}

impl Literal for bool {
    fn into_json(self) -> Json {
        Json::Bool(self)
    }
}

impl Literal for i64 {
    fn into_json(self) -> Json {
        Json::from(self)
    }
}

impl Literal for f64 {
    fn into_json(self) -> Json {
        // NaN and infinities have no JSON form; CloudFormation would reject them anyway.
        serde_json::Number::from_f64(self).map_or(Json::Null, Json::Number)
    }
}

impl Literal for Json {
    fn into_json(self) -> Json {
        self
    }
}

impl<T: Literal> Literal for Vec<T> {
    fn into_json(self) -> Json {
        Json::Array(self.into_iter().map(Literal::into_json).collect())
    }
}

impl<T: Literal> Literal for BTreeMap<String, T> {
    fn into_json(self) -> Json {
        Json::Object(self.into_iter().map(|(k, v)| (k, v.into_json())).collect())
    }
}

impl<T: Literal> From<T> for Value<T> {
    fn from(literal: T) -> Self {
        Self::from_json(literal.into_json())
    }
}

impl From<&str> for Value<String> {
    fn from(literal: &str) -> Self {
        Self::from_json(Json::String(literal.to_owned()))
    }
}

macro_rules! integer_literals {
    ($($int:ty),*) => {$(
        impl From<$int> for Value<i64> {
            fn from(literal: $int) -> Self {
                Self::from_json(Json::from(literal))
            }
        }
    )*};
}
integer_literals!(i32, u16, u32, u8);

impl From<i32> for Value<f64> {
    fn from(literal: i32) -> Self {
        Self::from_json(Json::from(literal))
    }
}

impl From<Vec<&str>> for Value<Vec<String>> {
    fn from(literals: Vec<&str>) -> Self {
        Self::from_json(Json::Array(literals.into_iter().map(Json::from).collect()))
    }
}

/// A list whose items may themselves be intrinsics: `vec![a.id(), b.id()].into()`.
impl<T> From<Vec<Value<T>>> for Value<Vec<T>> {
    fn from(items: Vec<Value<T>>) -> Self {
        Self::from_json(Json::Array(items.iter().map(Value::to_json).collect()))
    }
}

/// A map whose values may be intrinsics.
impl<T> From<BTreeMap<String, Value<T>>> for Value<BTreeMap<String, T>> {
    fn from(entries: BTreeMap<String, Value<T>>) -> Self {
        Self::from_json(Json::Object(
            entries.into_iter().map(|(k, v)| (k, v.to_json())).collect(),
        ))
    }
}

/// CloudFormation's pseudo parameters, typed.
pub mod pseudo {
    use super::Value;

    fn reference<T>(name: &str) -> Value<T> {
        Value::from_json(serde_json::json!({ "Ref": name }))
    }

    /// `AWS::Region`: the region the stack is deployed to.
    pub fn region() -> Value<String> {
        reference("AWS::Region")
    }
    /// `AWS::AccountId`: the account the stack is deployed to.
    pub fn account_id() -> Value<String> {
        reference("AWS::AccountId")
    }
    /// `AWS::Partition`: `aws`, `aws-cn`, `aws-us-gov` …; use it to build ARNs.
    pub fn partition() -> Value<String> {
        reference("AWS::Partition")
    }
    /// `AWS::URLSuffix`: `amazonaws.com` in most partitions.
    pub fn url_suffix() -> Value<String> {
        reference("AWS::URLSuffix")
    }
    /// `AWS::StackName`.
    pub fn stack_name() -> Value<String> {
        reference("AWS::StackName")
    }
    /// `AWS::StackId`.
    pub fn stack_id() -> Value<String> {
        reference("AWS::StackId")
    }
    /// `AWS::NoValue`: removes the property it is assigned to (mostly inside `Fn::If`).
    pub fn no_value<T>() -> Value<T> {
        reference("AWS::NoValue")
    }

    /// The pseudo parameters a `Ref` may name.
    pub const NAMES: &[&str] = &[
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    ];

    pub(crate) fn is_pseudo(name: &str) -> bool {
        NAMES.contains(&name)
    }
}
