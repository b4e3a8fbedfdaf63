//! What a handle's type says about it, so that wiring checked inside one `stack!` is still
//! checked when the two ends live in different files or crates.
//!
//! `stack!` and `component!` wrap the handles of security groups, Aurora clusters, load
//! balancers and roles in the types below, with the facts they read from the declaration
//! as type parameters: the group's own marker type and what it admits, the database's
//! port, the load balancer's target port, the role's principal. A check across a boundary
//! is then a trait bound at the user's token, reported by rustc in the words of
//! `#[diagnostic::on_unimplemented]`:
//!
//! ```text
//! error[E0277]: security group `DbSg` does not admit TcpPort<3306> from `WorkerSg`
//! ```
//!
//! Facts known only when the stack is built (a port from `settings`) are [`AnyPort`],
//! which every group admits: synthesis judges those.

use std::marker::PhantomData;
use std::ops::Deref;

pub use super::place::{
    Arg, Given, Instance, Need, Place, Placed, Rule, bring, bring_need, failing, failing_in_region,
    gather_needs, gather_places, needs_len, place_in, place_of, places_len,
};
use super::{Aurora, LoadBalancer};
use crate::aws::ec2::SecurityGroup;
use crate::aws::{iam, kms, logs, s3, secretsmanager};
use crate::{Arn, Handle, Value};
pub use infra_facts::handle_key;

/// A TCP port, as a type.
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpPort<const PORT: u16>;

/// A port known only when the stack is built: not checked by types.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnyPort;

/// The internet, as the source of an ingress rule (`443 from internet`).
#[derive(Debug, Clone, Copy)]
pub enum Internet {}

/// A fact the DSL could not read at compile time (a value from `settings`, or a
/// declaration with errors, already reported): types check nothing about it, synthesis
/// judges it.
#[derive(Debug, Clone, Copy)]
pub enum Unread {}

#[diagnostic::do_not_recommend]
impl<From, const PORT: u16> Admits<From, TcpPort<PORT>> for Unread {}

/// `Self`, a security group's marker type, admits `Port` from members of `From` (another
/// group's marker, or [`Internet`]). `stack!` and `component!` implement it for every
/// ingress rule they declare.
#[diagnostic::on_unimplemented(
    message = "security group `{Self}` does not admit {Port} from `{From}`",
    label = "its ingress has no `<port> from` rule for this group",
    note = "add `<port> from <group>` to the ingress where `{Self}` is declared, or give this declaration the group it admits"
)]
pub trait Admits<From, Port> {
    /// Names the check: `<T as Trait>::HOLDS` in generated code is an error at the user's
    /// token when `T` does not implement it, with no note quoting this crate.
    #[doc(hidden)]
    const HOLDS: () = ();
}

#[diagnostic::do_not_recommend]
impl<G, From> Admits<From, AnyPort> for G {}

/// Declares the wrapper types: a handle and the facts its type carries, read-only through
/// `Deref`, cloned without requiring the facts to be `Clone`.
macro_rules! typed_handle {
    ($(#[$doc:meta])* $name:ident<$($param:ident),+> => $inner:ty) => {
        $(#[$doc])*
        pub struct $name<$($param),+> {
            inner: $inner,
            facts: PhantomData<fn() -> ($($param,)+)>,
        }

        impl<$($param),+> $name<$($param),+> {
            /// Attaches the facts to a handle.
            pub fn new(inner: $inner) -> Self {
                Self { inner, facts: PhantomData }
            }

            /// The handle without its facts.
            pub fn handle(&self) -> &$inner {
                &self.inner
            }
        }

        impl<$($param),+> Deref for $name<$($param),+> {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.inner
            }
        }

        impl<$($param),+> Clone for $name<$($param),+> {
            fn clone(&self) -> Self {
                Self::new(self.inner.clone())
            }
        }

        impl<$($param),+> std::fmt::Debug for $name<$($param),+> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.inner).finish()
            }
        }
    };
}

typed_handle! {
    /// A security group whose marker type `M` says what it admits ([`Admits`]).
    GroupHandle<M> => Handle<SecurityGroup>
}

typed_handle! {
    /// An Aurora cluster in the group `G`, listening on `Port`; `M` is its own marker type.
    DatabaseHandle<G, Port, M> => Aurora
}

typed_handle! {
    /// A load balancer in the group `G`, sending to its targets on `Port`.
    BalancerHandle<G, Port> => LoadBalancer
}

typed_handle! {
    /// A role that the principal `P` (a type of [`principal`]) may assume; `M` is its
    /// marker type, which says what it may do ([`Grants`], [`ConnectsAs`]).
    RoleHandle<P, M> => Handle<iam::Role>
}

typed_handle! {
    /// A log group; `M` is its marker type.
    LogGroupHandle<M> => Handle<logs::LogGroup>
}

typed_handle! {
    /// A Secrets Manager secret; `M` is its marker type.
    SecretHandle<M> => Handle<secretsmanager::Secret>
}

typed_handle! {
    /// A KMS key; `L` says whether CloudWatch Logs may use it ([`LogsAllowed`]).
    KeyHandle<L> => Handle<kms::Key>
}

typed_handle! {
    /// A bucket encrypted as `E` ([`S3ManagedKeys`] or [`KmsKey`]), whose policy lets load
    /// balancers deliver access logs or not (`D`: [`LogDelivery`] or [`NoLogDelivery`]).
    BucketHandle<E, D> => Handle<s3::Bucket>
}

/// The handles a role can be granted access to offer the verbs of what they wrap.
macro_rules! grantable_handles {
    ($($name:ident<$($param:ident),+>),* $(,)?) => {$(
        impl<$($param),+> super::Grantable for $name<$($param),+> {
            type Verbs<'a>
                = <<Self as Deref>::Target as super::Grantable>::Verbs<'a>
            where
                Self: 'a;

            fn verbs(&self) -> Self::Verbs<'_> {
                super::Grantable::verbs(&self.inner)
            }
        }
    )*};
}

grantable_handles!(
    DatabaseHandle<G, Port, M>,
    LogGroupHandle<M>,
    SecretHandle<M>,
    KeyHandle<L>,
    BucketHandle<E, D>,
);

/// A key CloudWatch Logs may use (`allow_logs: true`).
#[derive(Debug, Clone, Copy)]
pub enum LogsAllowed {}
/// A key CloudWatch Logs may not use.
#[derive(Debug, Clone, Copy)]
pub enum LogsRefused {}
/// A bucket encrypted with S3-managed keys.
#[derive(Debug, Clone, Copy)]
pub enum S3ManagedKeys {}
/// A bucket encrypted with a customer-managed KMS key.
#[derive(Debug, Clone, Copy)]
pub enum KmsKey {}
/// A bucket whose policy lets load balancers deliver access logs.
#[derive(Debug, Clone, Copy)]
pub enum LogDelivery {}
/// A bucket whose policy does not.
#[derive(Debug, Clone, Copy)]
pub enum NoLogDelivery {}

/// `Self` is a key CloudWatch Logs may encrypt log groups with.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not let CloudWatch Logs use it",
    label = "a log group encrypted with this key could not be written",
    note = "add `allow_logs: true` where the key is declared; its handle is then a `KeyHandle<LogsAllowed>`"
)]
pub trait EncryptsLogs {
    /// Names the check: `<T as Trait>::HOLDS` in generated code is an error at the user's
    /// token when `T` does not implement it, with no note quoting this crate.
    #[doc(hidden)]
    const HOLDS: () = ();
}

#[diagnostic::do_not_recommend]
impl EncryptsLogs for KeyHandle<LogsAllowed> {}
#[diagnostic::do_not_recommend]
impl EncryptsLogs for KeyHandle<Unread> {}

/// `Self` is a bucket a load balancer can write access logs to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take load-balancer access logs",
    label = "Elastic Load Balancing could not write its logs here",
    note = "ELB writes access logs only to a bucket declared with `encryption: s3_managed` and `load_balancer_logs: true`, a `BucketHandle<S3ManagedKeys, LogDelivery>`"
)]
pub trait TakesAccessLogs {
    /// Names the check: `<T as Trait>::HOLDS` in generated code is an error at the user's
    /// token when `T` does not implement it, with no note quoting this crate.
    #[doc(hidden)]
    const HOLDS: () = ();
}

#[diagnostic::do_not_recommend]
impl TakesAccessLogs for BucketHandle<S3ManagedKeys, LogDelivery> {}
#[diagnostic::do_not_recommend]
impl TakesAccessLogs for BucketHandle<Unread, LogDelivery> {}
#[diagnostic::do_not_recommend]
impl TakesAccessLogs for BucketHandle<S3ManagedKeys, Unread> {}
#[diagnostic::do_not_recommend]
impl TakesAccessLogs for BucketHandle<Unread, Unread> {}

/// What a key's or a bucket's fact type says, for the builder to hold the spec to it.
pub trait Flag {
    /// The value the type stands for, `None` for [`Unread`].
    const VALUE: Option<bool>;
}

macro_rules! flags {
    ($($ty:ty => $value:expr),* $(,)?) => {$(
        impl Flag for $ty {
            const VALUE: Option<bool> = $value;
        }
    )*};
}

flags! {
    LogsAllowed => Some(true),
    LogsRefused => Some(false),
    S3ManagedKeys => Some(true),
    KmsKey => Some(false),
    LogDelivery => Some(true),
    NoLogDelivery => Some(false),
    Unread => None,
}

impl<G, Port, M> DatabaseHandle<G, Port, M> {
    /// The cluster in `group`, on `port`: the types come from the arguments.
    pub fn of(inner: Aurora, _group: &GroupHandle<G>, _port: Port) -> Self {
        Self::new(inner)
    }
}

impl<G, Port> BalancerHandle<G, Port> {
    /// The load balancer in `group`, sending to `port`.
    pub fn of(inner: LoadBalancer, _group: &GroupHandle<G>, _port: Port) -> Self {
        Self::new(inner)
    }
}

#[diagnostic::do_not_recommend]
impl<G, Port, M> super::SecretSource for DatabaseHandle<G, Port, M> {
    fn secret_arn(&self) -> Value<Arn<crate::aws::secretsmanager::Secret>> {
        super::SecretSource::secret_arn(&self.inner)
    }
}

#[diagnostic::do_not_recommend]
impl<M> super::SecretSource for SecretHandle<M> {
    fn secret_arn(&self) -> Value<Arn<crate::aws::secretsmanager::Secret>> {
        self.inner.arn()
    }
}

/// Who may assume a role, as types (`RoleHandle<principal::EcsTasksPrincipal>`).
pub mod principal {
    use super::super::Principal;

    /// A principal as a type: the service it stands for.
    pub trait Service {
        /// The principal this type names; `None` for [`OtherServicePrincipal`], which
        /// stands for any service the table does not list (the spec says which).
        const PRINCIPAL: Option<Principal>;
    }

    /// Any service principal `infra_facts::iam::SERVICE_PRINCIPALS` does not list
    /// (`"bedrock.amazonaws.com"`): assumable by no service of
    /// `infra_facts::iam::ROLE_PROPERTIES`.
    #[derive(Debug, Clone, Copy)]
    pub enum OtherServicePrincipal {}

    impl Service for OtherServicePrincipal {
        const PRINCIPAL: Option<Principal> = None;
    }

    macro_rules! principals {
        ($($(#[$doc:meta])* $name:ident => $principal:expr),* $(,)?) => {
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, Copy)]
                pub enum $name {}
                impl Service for $name {
                    const PRINCIPAL: Option<Principal> = Some($principal);
                }
            )*
            /// Every principal type's name and principal, as `infra_facts::iam::
            /// SERVICE_PRINCIPALS` lists them (a test keeps the two equal).
            pub const ALL: &[(&str, Principal)] = &[$((stringify!($name), $principal)),*];
        };
    }

    principals! {
        /// ECS tasks: task and task-execution roles.
        EcsTasksPrincipal => Principal::EcsTasks,
        /// VPC flow-log delivery.
        VpcFlowLogsPrincipal => Principal::VpcFlowLogs,
        /// Lambda functions.
        LambdaPrincipal => Principal::Lambda,
        /// EC2 instances.
        Ec2Principal => Principal::Ec2,
        /// API Gateway.
        ApiGatewayPrincipal => Principal::Service("apigateway.amazonaws.com"),
        /// AppSync.
        AppSyncPrincipal => Principal::Service("appsync.amazonaws.com"),
        /// AWS Backup.
        BackupPrincipal => Principal::Service("backup.amazonaws.com"),
        /// AWS Batch.
        BatchPrincipal => Principal::Service("batch.amazonaws.com"),
        /// CloudFormation.
        CloudFormationPrincipal => Principal::Service("cloudformation.amazonaws.com"),
        /// CloudTrail.
        CloudTrailPrincipal => Principal::Service("cloudtrail.amazonaws.com"),
        /// CodeBuild.
        CodeBuildPrincipal => Principal::Service("codebuild.amazonaws.com"),
        /// CodeDeploy.
        CodeDeployPrincipal => Principal::Service("codedeploy.amazonaws.com"),
        /// CodePipeline.
        CodePipelinePrincipal => Principal::Service("codepipeline.amazonaws.com"),
        /// AWS Config.
        ConfigPrincipal => Principal::Service("config.amazonaws.com"),
        /// DataSync.
        DataSyncPrincipal => Principal::Service("datasync.amazonaws.com"),
        /// Database Migration Service.
        DmsPrincipal => Principal::Service("dms.amazonaws.com"),
        /// Lambda@Edge.
        EdgeLambdaPrincipal => Principal::Service("edgelambda.amazonaws.com"),
        /// EKS clusters.
        EksPrincipal => Principal::Service("eks.amazonaws.com"),
        /// EMR.
        ElasticMapReducePrincipal => Principal::Service("elasticmapreduce.amazonaws.com"),
        /// EventBridge rules.
        EventsPrincipal => Principal::Service("events.amazonaws.com"),
        /// Data Firehose.
        FirehosePrincipal => Principal::Service("firehose.amazonaws.com"),
        /// Glue.
        GluePrincipal => Principal::Service("glue.amazonaws.com"),
        /// IoT Core.
        IotPrincipal => Principal::Service("iot.amazonaws.com"),
        /// Managed Service for Apache Flink.
        KinesisAnalyticsPrincipal => Principal::Service("kinesisanalytics.amazonaws.com"),
        /// EventBridge Pipes.
        PipesPrincipal => Principal::Service("pipes.amazonaws.com"),
        /// RDS enhanced monitoring.
        RdsMonitoringPrincipal => Principal::Service("monitoring.rds.amazonaws.com"),
        /// SageMaker.
        SageMakerPrincipal => Principal::Service("sagemaker.amazonaws.com"),
        /// EventBridge Scheduler.
        SchedulerPrincipal => Principal::Service("scheduler.amazonaws.com"),
        /// Systems Manager.
        SsmPrincipal => Principal::Service("ssm.amazonaws.com"),
        /// Step Functions state machines.
        StatesPrincipal => Principal::Service("states.amazonaws.com"),
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn the_types_are_the_services_infra_facts_lists() {
            let types: Vec<(String, &str)> = super::ALL
                .iter()
                .map(|(name, p)| ((*name).to_owned(), p.service()))
                .collect();
            let listed: Vec<(String, &str)> = infra_facts::iam::SERVICE_PRINCIPALS
                .iter()
                .map(|(_, stem, service)| (format!("{stem}Principal"), *service))
                .collect();
            assert_eq!(types, listed);
        }
    }
}

/// `Self` is a role that `P` may assume: `stack!` and `component!` implement it for each
/// role's marker type, at its `assumed_by`; a `RoleHandle<P, _>` says it itself.
#[diagnostic::on_unimplemented(
    message = "role `{Self}` cannot be assumed by `{P}`",
    label = "this role's `assumed_by` names another service",
    note = "declare the role with the `assumed_by` of the service that uses it: `ecs_tasks` for a task or execution role, `lambda` for a function's"
)]
pub trait AssumableBy<P> {
    /// Names the check: `<T as Trait>::HOLDS` in generated code is an error at the user's
    /// token when `T` does not implement it, with no note quoting this crate.
    #[doc(hidden)]
    const HOLDS: () = ();
}

#[diagnostic::do_not_recommend]
impl<P, M> AssumableBy<P> for RoleHandle<P, M> {}

/// The load balancer `Self` sends to its targets on `Port`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not send to {Port}",
    label = "its `target_port` differs from the service's `port`",
    note = "the load balancer's `target_port` and the service's `port` must be the same"
)]
pub trait SendsTo<Port> {
    /// Names the check: `<T as Trait>::HOLDS` in generated code is an error at the user's
    /// token when `T` does not implement it, with no note quoting this crate.
    #[doc(hidden)]
    const HOLDS: () = ();
}

#[diagnostic::do_not_recommend]
impl<G, Port> SendsTo<Port> for BalancerHandle<G, Port> {}

/// The group a load balancer or a database is in, and the port it sends to or listens
/// on: what a generated check reads to ask whether a group admits it.
pub trait Listener {
    /// The group's marker type.
    type Group;
    /// `TcpPort<…>` or [`AnyPort`].
    type Port;
}

impl<G, Port> Listener for BalancerHandle<G, Port> {
    type Group = G;
    type Port = Port;
}

impl<G, Port, M> Listener for DatabaseHandle<G, Port, M> {
    type Group = G;
    type Port = Port;
}

/// Zones of a tier that only the built stack knows (written as a value, not a list).
pub const UNKNOWN_ZONES: usize = usize::MAX;

/// The type of a component's handle named `name`, found by `H`, a hash of the name: how a
/// file that does not see a component's declarations still names the type of
/// `groups.db_sg`. `component!` implements it for each handle it declares.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no handle that `stack!` can read here",
    label = "a field of a component declared with `component!` is expected",
    note = "pass the handle itself as an `input` of the component, with its type"
)]
pub trait Field<const H: u64> {
    /// The handle's type.
    type Type;
}

impl<T: Field<H>, const H: u64> Field<H> for &T {
    type Type = T::Type;
}

/// The marker type of a security group's handle.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a security group",
    label = "a security group is expected here",
    note = "a `security_group` declaration, or a component's `GroupHandle<…>` handle"
)]
pub trait GroupOf {
    /// The group's marker type.
    type Marker;
}

impl<M> GroupOf for GroupHandle<M> {
    type Marker = M;
}

impl<T: GroupOf> GroupOf for &T {
    type Marker = T::Marker;
}

/// What a security group's marker type says about it as a value the compiler evaluates.
pub trait GroupFacts {
    /// Whether the group admits anything from the internet.
    const OPEN_TO_INTERNET: bool;

    /// Why the group may not be given to anything but an internet-facing load balancer,
    /// if it may not: the compiler evaluates it where a group of another file is given,
    /// and generated code stops the build there with it.
    #[doc(hidden)]
    const INTERNAL_USE_PROBLEM: Option<&'static str> = if Self::OPEN_TO_INTERNET {
        Some(
            "this security group admits the internet: only an internet-facing load balancer may use it; give this declaration a group whose ingress names the groups traffic comes from",
        )
    } else {
        None
    };
}

impl GroupFacts for Unread {
    const OPEN_TO_INTERNET: bool = false;
}

/// The marker type of a handle that names its declaration: a role, a log group, a secret
/// or a database.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say which declaration it is",
    label = "a handle of a declaration is expected here",
    note = "pass the declaration's own handle (a component's field, or an input typed `&LogGroupHandle<…>`), not a plain `Handle<…>`"
)]
pub trait Marked {
    /// The declaration's marker type.
    type Marker;
}

impl<P, M> Marked for RoleHandle<P, M> {
    type Marker = M;
}
impl<M> Marked for LogGroupHandle<M> {
    type Marker = M;
}
impl<M> Marked for SecretHandle<M> {
    type Marker = M;
}
impl<G, Port, M> Marked for DatabaseHandle<G, Port, M> {
    type Marker = M;
}
impl<T: Marked> Marked for &T {
    type Marker = T::Marker;
}

/// A log group's marker type, where `write_logs(x)` names one of another file.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a log group",
    label = "`write_logs` is a grant on a log group",
    note = "name a `log_group` declaration: a component's `LogGroupHandle<…>` field, or an input of that type"
)]
pub trait LogGroupMarker {
    /// The log group's marker type.
    type Marker;
}

/// A secret's marker type, where `read_secret(x)` names one of another file: a secret,
/// or a database's master secret.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a secret",
    label = "`read_secret` is a grant on a secret or a database",
    note = "name a `secret` or `aurora` declaration: a component's `SecretHandle<…>` or `DatabaseHandle<…>` field, or an input of that type"
)]
pub trait SecretMarker {
    /// The secret's marker type.
    type Marker;
}

/// A database's marker type, where `connect(x, "user")` names one of another file.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a database",
    label = "`connect` is a grant on a database",
    note = "name an `aurora` declaration: a component's `DatabaseHandle<…>` field, or an input of that type"
)]
pub trait DatabaseMarker {
    /// The database's marker type.
    type Marker;
}

#[rustfmt::skip]
mod marker_impls {
    use super::*;
    // Not recommended in errors: the message and label say what is expected, without
    // quoting this file.
    #[diagnostic::do_not_recommend]
    impl<M> LogGroupMarker for LogGroupHandle<M> { type Marker = M; }
    #[diagnostic::do_not_recommend]
    impl<M> SecretMarker for SecretHandle<M> { type Marker = M; }
    #[diagnostic::do_not_recommend]
    impl<G, Port, M> SecretMarker for DatabaseHandle<G, Port, M> { type Marker = M; }
    #[diagnostic::do_not_recommend]
    impl<G, Port, M> DatabaseMarker for DatabaseHandle<G, Port, M> { type Marker = M; }
    #[diagnostic::do_not_recommend]
    impl<T: LogGroupMarker> LogGroupMarker for &T { type Marker = T::Marker; }
    #[diagnostic::do_not_recommend]
    impl<T: SecretMarker> SecretMarker for &T { type Marker = T::Marker; }
    #[diagnostic::do_not_recommend]
    impl<T: DatabaseMarker> DatabaseMarker for &T { type Marker = T::Marker; }
}

/// What a grant lets a role do, as a type.
pub mod grant {
    /// `write_logs(group)`.
    #[derive(Debug, Clone, Copy)]
    pub enum WriteLogs {}
    /// `read_secret(secret)`.
    #[derive(Debug, Clone, Copy)]
    pub enum ReadSecret {}
}

/// The role whose marker is `Self` has the grant `G` on the declaration whose marker is
/// `On`: `stack!` and `component!` implement it for each grant they declare.
#[diagnostic::on_unimplemented(
    message = "role `{Self}` has no `{G}` grant on `{On}`",
    label = "this role is given to a service that needs it",
    note = "add the grant where the role is declared, e.g. `grants: [write_logs(<group>)]` or `grants: [read_secret(<secret>)]`"
)]
pub trait Grants<G, On> {
    /// Names the check: `<T as Trait>::HOLDS` in generated code is an error at the user's
    /// token when `T` does not implement it, with no note quoting this crate.
    #[doc(hidden)]
    const HOLDS: () = ();
}

/// The role whose marker is `Self` may connect to the database whose marker is `D` as
/// `USER` (`connect(db, "user")`).
#[diagnostic::on_unimplemented(
    message = "role `{Self}` may not connect to database `{D}`",
    label = "this task role is given to a service that uses the database",
    note = "add `connect(<database>, \"<user>\")` to the role's grants"
)]
pub trait ConnectsAs<D> {
    /// The database user.
    const USER: &'static str;
}

/// Why a service may not use a database of another file as `user` when its task role
/// connects to it as `granted`, if it may not: the compiler evaluates it, and generated
/// code stops the build at the service's `database_user` with it.
pub const fn database_user_problem(granted: &str, user: &str) -> Option<&'static str> {
    if same_text(granted, user) {
        None
    } else {
        Some(
            "the task role connects to this database as another user than the service's `database_user`; make `connect(<database>, \"<user>\")` and `database_user` name the same user",
        )
    }
}

/// Whether two strings are equal, in a const evaluation (`==` on `str` is not `const`).
pub(crate) const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The `H` of [`Field<H>`] for a handle's name (FNV-1a, 64 bits): `component!` names
/// `Field<{ field_hash("db_sg") }>`, and so may a construct of your own that lets other
/// files read the facts of its handles.
pub use infra_facts::field_hash;
