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
//! action of the reference applies to it, and so on for each level.
//!
//! A construct's handle offers its own verbs first and its primary resource's access
//! levels beneath them ([`AccessLevels`]): `send(jobs)` and `tag(jobs)` of a `queue`,
//! `read(orders)` of a `table` (the construct's, with its indexes) and `list(orders)`.
//! So do the raw handles of the storage constructs' types (log groups, buckets, keys,
//! secrets): `read` of a bucket is its objects', `tag` its own level.

use infra_facts::iam::reference::{self, Level};

use super::{Grant, Grantable};
use crate::{Handle, Resource, Value};

/// A resource type AWS's authorization reference names, whose handles read its ARN.
#[diagnostic::on_unimplemented(
    message = "a role cannot be granted access levels on `{Self}`",
    label = "AWS's authorization reference names no resource type for it, or its ARN is neither an attribute nor its one identifier in the reference's ARN format",
    note = "grant it with `allow([actions], [arns])`"
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
    note = "a resource's access-level verbs are the levels of the actions that apply to its type"
)]
/// Some `List` action of the reference applies to this resource type.
pub trait OffersList: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Read` action on `{Self}`",
    note = "a resource's access-level verbs are the levels of the actions that apply to its type"
)]
/// Some `Read` action of the reference applies to this resource type.
pub trait OffersRead: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Write` action on `{Self}`",
    note = "a resource's access-level verbs are the levels of the actions that apply to its type"
)]
/// Some `Write` action of the reference applies to this resource type.
pub trait OffersWrite: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Tagging` action on `{Self}`",
    note = "a resource's access-level verbs are the levels of the actions that apply to its type"
)]
/// Some `Tagging` action of the reference applies to this resource type.
pub trait OffersTagging: Authorized {}

#[diagnostic::on_unimplemented(
    message = "AWS's authorization reference defines no `Permissions management` action on `{Self}`",
    note = "a resource's access-level verbs are the levels of the actions that apply to its type"
)]
/// Some `Permissions management` action of the reference applies to this resource type.
pub trait OffersPermissionsManagement: Authorized {}

/// The access levels of a resource as grant verbs: a raw resource's only verbs
/// ([`AccessVerbs`]), and the verbs beneath a construct's own (`tag(jobs)` of a `queue`,
/// `manage_permissions(orders)` of a `table`, whose `read` and `write` stay the
/// construct's). The `stack!` macro brings the trait into scope; plain Rust imports it.
pub trait AccessLevels {
    /// The resource whose levels these are (a queue construct's `sqs::Queue`).
    type Primary: Authorized;

    /// Its handle.
    fn primary(&self) -> &Handle<Self::Primary>;

    /// Every `List` action of the reference on this resource type.
    fn list(&self) -> Grant
    where
        Self::Primary: OffersList,
    {
        level_grant(self.primary(), "List", Level::List, &[])
    }

    /// Every `Read` action on this resource type, and decryption with the keys of the
    /// stack it is encrypted with.
    fn read(&self) -> Grant
    where
        Self::Primary: OffersRead,
    {
        level_grant(self.primary(), "Read", Level::Read, &["kms:Decrypt"])
    }

    /// Every `Write` action on this resource type (deleting it included, as the
    /// reference classes it), and encryption with the keys of the stack it is encrypted
    /// with.
    fn write(&self) -> Grant
    where
        Self::Primary: OffersWrite,
    {
        let keys = &["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"];
        level_grant(self.primary(), "Write", Level::Write, keys)
    }

    /// Every `Tagging` action on this resource type.
    fn tag(&self) -> Grant
    where
        Self::Primary: OffersTagging,
    {
        level_grant(self.primary(), "Tag", Level::Tagging, &[])
    }

    /// Every `Permissions management` action on this resource type.
    fn manage_permissions(&self) -> Grant
    where
        Self::Primary: OffersPermissionsManagement,
    {
        let level = Level::PermissionsManagement;
        level_grant(self.primary(), "ManagePermissions", level, &[])
    }
}

/// The reference's actions of `level` on the resource, on its ARN, with `key_actions` on
/// each key of the stack its properties name.
fn level_grant<T: Authorized>(
    handle: &Handle<T>,
    sid: &'static str,
    level: Level,
    key_actions: &'static [&'static str],
) -> Grant {
    let actions = reference::actions_on(T::IAM_TYPE, level);
    Grant::new(sid, &actions, [T::arn(handle).into()]).and_keys_of(handle.logical_id(), key_actions)
}

/// [`AccessLevels::list`] as a function (`grants: [list(x)]` completes to it).
pub fn list<L: AccessLevels>(levels: &L) -> Grant
where
    L::Primary: OffersList,
{
    levels.list()
}

/// [`AccessLevels::tag`] as a function (`grants: [tag(x)]` completes to it).
pub fn tag<L: AccessLevels>(levels: &L) -> Grant
where
    L::Primary: OffersTagging,
{
    levels.tag()
}

/// [`AccessLevels::manage_permissions`] as a function (`grants: [manage_permissions(x)]`
/// completes to it).
pub fn manage_permissions<L: AccessLevels>(levels: &L) -> Grant
where
    L::Primary: OffersPermissionsManagement,
{
    levels.manage_permissions()
}

/// The verbs on a raw resource of an [`Authorized`] type: its [`AccessLevels`].
pub struct AccessVerbs<'a, T>(&'a Handle<T>);

impl<T: Authorized> AccessLevels for AccessVerbs<'_, T> {
    type Primary = T;

    fn primary(&self) -> &Handle<T> {
        self.0
    }
}

/// The levels again as inherent methods, so that a level a raw type lacks is named at
/// the verb by its `Offers*` bound (rustc reports a trait method's unmet bound on the
/// receiver instead).
impl<T> AccessVerbs<'_, T> {
    /// [`AccessLevels::list`].
    pub fn list(&self) -> Grant
    where
        T: OffersList,
    {
        AccessLevels::list(self)
    }

    /// [`AccessLevels::read`].
    pub fn read(&self) -> Grant
    where
        T: OffersRead,
    {
        AccessLevels::read(self)
    }

    /// [`AccessLevels::write`].
    pub fn write(&self) -> Grant
    where
        T: OffersWrite,
    {
        AccessLevels::write(self)
    }

    /// [`AccessLevels::tag`].
    pub fn tag(&self) -> Grant
    where
        T: OffersTagging,
    {
        AccessLevels::tag(self)
    }

    /// [`AccessLevels::manage_permissions`].
    pub fn manage_permissions(&self) -> Grant
    where
        T: OffersPermissionsManagement,
    {
        AccessLevels::manage_permissions(self)
    }
}

/// A type no construct offers verbs on: a raw resource of it is granted by its access
/// levels alone.
#[diagnostic::on_unimplemented(
    message = "a role cannot be granted access levels on `{Self}`",
    label = "AWS's authorization reference names no resource type for it, or its ARN is neither an attribute nor its one identifier in the reference's ARN format",
    note = "grant it with `allow([actions], [arns])`, or give the role a construct's verb"
)]
pub trait RawAccess: Authorized {}

impl<T: RawAccess> Grantable for Handle<T> {
    type Verbs<'a> = AccessVerbs<'a, T>;

    fn verbs(&self) -> AccessVerbs<'_, T> {
        AccessVerbs(self)
    }
}

/// Implements [`Authorized`] and [`Offers`] for the generated table's types, each
/// behind its type's feature.
macro_rules! authorized {
    ($($whose:ident $service:ident::$ty:ident => $iam:literal,
       $via:ident($($attribute:literal)?), [$($level:ident)*];)*) => {$(
        #[diagnostic::do_not_recommend]
        impl $crate::construct::Authorized for $crate::aws::$service::$ty {
            const IAM_TYPE: &'static str = $iam;

            fn arn(handle: &$crate::Handle<Self>) -> $crate::Value<String> {
                handle.$via($($attribute)?)
            }
        }
        $crate::construct::authorized!(@$whose $service::$ty);
        $(
            #[diagnostic::do_not_recommend]
            impl $crate::construct::$level for $crate::aws::$service::$ty {}
        )*
    )*};
    (@raw $service:ident::$ty:ident) => {
        #[diagnostic::do_not_recommend]
        impl $crate::construct::RawAccess for $crate::aws::$service::$ty {}
    };
    (@built_in $service:ident::$ty:ident) => {};
}
pub(crate) use authorized;
