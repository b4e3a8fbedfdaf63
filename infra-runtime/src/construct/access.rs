//! Access-level grants on raw resources: a role may be granted `read`, `write`, `list`,
//! `tag` or `manage_permissions` on a raw resource of any type whose ARN its handle reads
//! (an attribute, or its identifier in the reference's ARN format of the type) and whose
//! resource type AWS's authorization reference names, each exactly the
//! reference's actions of that access level on that resource type, on the resource's ARN:
//!
//! ```text
//! resource jobs: sqs::Queue { kms_master_key_id: Some(jobs_key.arn().into()) }
//! role worker { assumed_by: lambda, grants: [read(jobs), write(jobs)] }
//! ```
//!
//! `read(jobs)` allows `sqs:GetQueueAttributes`, `sqs:ReceiveMessage` and the other
//! `Read` actions on `queue`, and `kms:Decrypt` on `jobs_key`, the key of the stack its
//! properties name. A level with no action on the type (`list` of a queue) is rustc's
//! error at the verb, and so is a type the reference has no ARN of.
//!
//! Which types are authorized, and with which levels, is generated from the pinned
//! reference (`aws/authorized.rs`): a type implements [`OffersRead`] when some `Read`
//! action of the reference applies to it, and so on for each level. The types of the
//! built-in storage constructs (log groups, buckets, keys, secrets) offer those
//! constructs' verbs instead.

use infra_facts::iam::reference::{self, Level};

use super::{Grant, Grantable};
use crate::{Handle, Resource, Value};

/// A resource type AWS's authorization reference names, whose handles read its ARN.
#[diagnostic::on_unimplemented(
    message = "a role cannot be granted access levels on `{Self}`",
    label = "AWS's authorization reference names no resource type for it, or its ARN is neither an attribute nor its one identifier in the reference's ARN format",
    note = "grant it with `allow([actions], [arns])`, or give the role a construct's verb"
)]
pub trait Authorized: Resource {
    /// The reference's `service:type` (`sqs:queue`).
    const IAM_TYPE: &'static str;

    /// The resource's ARN.
    fn arn(handle: &Handle<Self>) -> Value<String>
    where
        Self: Sized;
}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `List` action on `{Self}`",
    note = "the verbs on a raw resource are the access levels of the actions that apply to its type"
)]
/// Some `List` action of the reference applies to this resource type.
pub trait OffersList: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Read` action on `{Self}`",
    note = "the verbs on a raw resource are the access levels of the actions that apply to its type"
)]
/// Some `Read` action of the reference applies to this resource type.
pub trait OffersRead: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Write` action on `{Self}`",
    note = "the verbs on a raw resource are the access levels of the actions that apply to its type"
)]
/// Some `Write` action of the reference applies to this resource type.
pub trait OffersWrite: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Tagging` action on `{Self}`",
    note = "the verbs on a raw resource are the access levels of the actions that apply to its type"
)]
/// Some `Tagging` action of the reference applies to this resource type.
pub trait OffersTagging: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Permissions management` action on `{Self}`",
    note = "the verbs on a raw resource are the access levels of the actions that apply to its type"
)]
/// Some `Permissions management` action of the reference applies to this resource type.
pub trait OffersPermissionsManagement: Authorized {}

/// The verbs on a raw resource of an [`Authorized`] type.
pub struct AccessVerbs<'a, T>(&'a Handle<T>);

impl<T> AccessVerbs<'_, T> {
    fn grant(&self, sid: &'static str, level: Level, key_actions: &'static [&'static str]) -> Grant
    where
        T: Authorized,
    {
        let actions = reference::actions_on(T::IAM_TYPE, level);
        Grant::new(sid, &actions, [T::arn(self.0).into()])
            .and_keys_of(self.0.logical_id(), key_actions)
    }

    /// Every `List` action of the reference on this resource type.
    pub fn list(&self) -> Grant
    where
        T: OffersList,
    {
        self.grant("List", Level::List, &[])
    }

    /// Every `Read` action on this resource type, and decryption with the keys of the
    /// stack it is encrypted with.
    pub fn read(&self) -> Grant
    where
        T: OffersRead,
    {
        self.grant("Read", Level::Read, &["kms:Decrypt"])
    }

    /// Every `Write` action on this resource type (deleting it included, as the
    /// reference classes it), and encryption with the keys of the stack it is encrypted
    /// with.
    pub fn write(&self) -> Grant
    where
        T: OffersWrite,
    {
        let keys = &["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"];
        self.grant("Write", Level::Write, keys)
    }

    /// Every `Tagging` action on this resource type.
    pub fn tag(&self) -> Grant
    where
        T: OffersTagging,
    {
        self.grant("Tag", Level::Tagging, &[])
    }

    /// Every `Permissions management` action on this resource type.
    pub fn manage_permissions(&self) -> Grant
    where
        T: OffersPermissionsManagement,
    {
        self.grant("ManagePermissions", Level::PermissionsManagement, &[])
    }
}

impl<T: Authorized> Grantable for Handle<T> {
    type Verbs<'a> = AccessVerbs<'a, T>;

    fn verbs(&self) -> AccessVerbs<'_, T> {
        AccessVerbs(self)
    }
}

/// Implements [`Authorized`] and [`Offers`] for the generated table's types, each
/// behind its type's feature.
macro_rules! authorized {
    ($($feature:literal $service:ident::$ty:ident => $iam:literal,
       $via:ident($($attribute:literal)?), [$($level:ident)*];)*) => {$(
        #[cfg(feature = $feature)]
        #[diagnostic::do_not_recommend]
        impl $crate::construct::Authorized for $crate::aws::$service::$ty {
            const IAM_TYPE: &'static str = $iam;

            fn arn(handle: &$crate::Handle<Self>) -> $crate::Value<String> {
                handle.$via($($attribute)?)
            }
        }
        $(
            #[cfg(feature = $feature)]
            #[diagnostic::do_not_recommend]
            impl $crate::construct::$level for $crate::aws::$service::$ty {}
        )*
    )*};
}
pub(crate) use authorized;
