//! Intrinsic functions with their result types: `Fn::Sub`, `Fn::Join`, `Fn::Select`,
//! `Fn::Split`, `Fn::GetAZs`, `Fn::If`, `Fn::ImportValue`.
//!
//! `Ref` and `Fn::GetAtt` are not here: they come from resource handles, whose methods
//! exist only for the attributes a type really has, and from parameters.

use serde_json::json;

use crate::Json;
use crate::stack::ConditionRef;
use crate::value::{Untyped, Value};

/// `Fn::Sub` with only `${LogicalId}`, `${LogicalId.Attribute}` and `${AWS::…}` variables.
/// Synthesis checks that every variable names something in the stack.
pub fn sub(template: impl Into<String>) -> Value<String> {
    Value::from_json(json!({ "Fn::Sub": template.into() }))
}

/// `Fn::Sub` with explicit variables: `sub_with("${Bucket}/*", [("Bucket", bucket.arn().erase())])`.
pub fn sub_with<K: Into<String>>(
    template: impl Into<String>,
    variables: impl IntoIterator<Item = (K, Value<Untyped>)>,
) -> Value<String> {
    let vars: serde_json::Map<String, Json> = variables
        .into_iter()
        .map(|(k, v)| (k.into(), v.to_json()))
        .collect();
    Value::from_json(json!({ "Fn::Sub": [template.into(), vars] }))
}

/// `Fn::Join`: the parts joined by `separator`.
pub fn join(separator: &str, parts: impl IntoIterator<Item = Value<String>>) -> Value<String> {
    let parts: Vec<Json> = parts.into_iter().map(|p| p.to_json()).collect();
    Value::from_json(json!({ "Fn::Join": [separator, parts] }))
}

/// `Fn::Select`: the item at `index` of a list.
pub fn select<T>(index: u32, list: Value<Vec<T>>) -> Value<T> {
    Value::from_json(json!({ "Fn::Select": [index, list.to_json()] }))
}

/// `Fn::Split`: a string cut at every `separator`.
pub fn split(separator: &str, source: Value<String>) -> Value<Vec<String>> {
    Value::from_json(json!({ "Fn::Split": [separator, source.to_json()] }))
}

/// `Fn::GetAZs` for the stack's own region: its availability zones, in order.
pub fn get_azs() -> Value<Vec<String>> {
    Value::from_json(json!({ "Fn::GetAZs": "" }))
}

/// `Fn::GetAZs` for a given region.
pub fn get_azs_in(region: Value<String>) -> Value<Vec<String>> {
    Value::from_json(json!({ "Fn::GetAZs": region.to_json() }))
}

/// `Fn::If`: `then` when the condition holds, `otherwise` when it does not.
pub fn if_<T>(condition: &ConditionRef, then: Value<T>, otherwise: Value<T>) -> Value<T> {
    Value::from_json(json!({ "Fn::If": [condition.name(), then.to_json(), otherwise.to_json()] }))
}

/// `Fn::ImportValue`: a value exported by another stack, taken to be a `T`.
pub fn import_value<T>(export_name: Value<String>) -> Value<T> {
    Value::from_json(json!({ "Fn::ImportValue": export_name.to_json() }))
}
