//! Reference kinds: what a string property that points at another resource points at.
//!
//! A property the schemas annotate as `AWS::EC2::VPC.Id` has the type `Value<Id<Vpc>>`;
//! `AWS::IAM::Role.Arn` is `Value<Arn<Role>>`; `AWS::S3::Bucket.Name` is
//! `Value<Name<Bucket>>`. Only a handle of that resource type produces such a value
//! (`vpc.id()`, `role.arn()`, `bucket.name()`), or [`Value::external`] for a resource
//! that lives outside the stack. Passing a bucket where a VPC belongs does not compile.

use std::fmt;
use std::marker::PhantomData;

use crate::Json;
use crate::value::Value;

macro_rules! reference_kind {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        pub struct $name<R>(PhantomData<fn() -> R>);

        impl<R> fmt::Debug for $name<R> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!($what, "<", stringify!(R), ">"))
            }
        }

        impl<R> ReferenceKind for $name<R> {}
    };
}

reference_kind!(
    /// The identifier of a resource of type `R` (`vpc-…`, `subnet-…`, `sg-…`, a key id).
    Id, "Id"
);
reference_kind!(
    /// The Amazon Resource Name of a resource of type `R`.
    Arn, "Arn"
);
reference_kind!(
    /// The name of a resource of type `R` (a bucket name, a log group name, a role name).
    Name, "Name"
);
reference_kind!(
    /// The URL of a resource of type `R`, where an SDK addresses it by one (a queue's URL).
    Url, "Url"
);

reference_kind!(
    /// The ARN of the change stream of a resource of type `R` (a DynamoDB table's stream),
    /// which differs from the resource's own ARN: what a reader of its changes names.
    StreamArn, "StreamArn"
);

/// Implemented by every reference kind, including the unions the generator makes for
/// properties that accept several kinds (a KMS key id, key ARN or alias name).
pub trait ReferenceKind {}

impl<K: ReferenceKind> Value<K> {
    /// A literal reference to something outside this stack, such as
    /// `Value::<Id<Vpc>>::external("vpc-0abc123")`. It is written as given.
    pub fn external(literal: impl Into<String>) -> Self {
        Value::from_json(Json::String(literal.into()))
    }
}

/// A typed reference goes wherever a plain string does (a property the schemas leave
/// unannotated): `event_source_arn: Some(queue.arn().into())`.
impl<K: ReferenceKind> From<Value<K>> for Value<String> {
    fn from(reference: Value<K>) -> Self {
        reference.cast()
    }
}

/// A list of typed references goes wherever a list of plain strings does:
/// `subnet_ids: network.private.id_list().into()`.
impl<K: ReferenceKind> From<Value<Vec<K>>> for Value<Vec<String>> {
    fn from(references: Value<Vec<K>>) -> Self {
        references.cast()
    }
}

impl<K: ReferenceKind> Value<Vec<K>> {
    /// Literal references to things outside this stack. (Named apart from
    /// [`Value::external`] so that `Value::external("…")` infers its kind from the field.)
    pub fn external_list<S: Into<String>>(literals: impl IntoIterator<Item = S>) -> Self {
        Value::from_json(Json::Array(
            literals
                .into_iter()
                .map(|s| Json::String(s.into()))
                .collect(),
        ))
    }
}
