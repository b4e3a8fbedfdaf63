//! Constructs: the loan domain's building blocks, each expanding to the raw resources a
//! careful engineer would write, with secure defaults.
//!
//! `stack!` checks a stack's wiring at compile time and then calls these functions; they
//! can also be called directly. Each takes a [`Scope`] (the stack under construction and
//! its [`StackConfig`]), the construct's logical-id prefix and a spec struct whose fields
//! are what the DSL lets a user write. They never fail: what only shows at run time (a
//! setting out of range) is recorded in the stack and reported by synthesis.

/// Implements [`Grantable`] for a handle over its verbs struct (a tuple struct of a
/// reference to the handle).
macro_rules! grantable {
    ($($handle:ty => $verbs:ident),* $(,)?) => {$(
        impl $crate::construct::Grantable for $handle {
            type Verbs<'a> = $verbs<'a>;

            fn verbs(&self) -> $verbs<'_> {
                $verbs(self)
            }
        }
    )*};
}
pub(crate) use grantable;

mod access;
mod balancer;
mod database;
mod default_group;
mod eks_cluster;
pub mod facts;
mod function;
pub mod grant;
mod http_api;
mod iam;
mod network;
mod place;
mod queue;
mod recorder;
mod schedule;
mod secrets;
mod security;
mod service;
mod state_machine;
mod storage;
mod table;
mod topic;
mod trail;

pub(crate) use access::authorized;
pub use access::{
    AccessLevels, AccessVerbs, Authorized, OffersList, OffersPermissionsManagement, OffersRead,
    OffersTagging, OffersWrite, RawAccess,
};
pub use balancer::{LoadBalancer, LoadBalancerSpec, load_balancer};
pub use database::{Aurora, AuroraSpec, AuroraVerbs, aurora};
pub use default_group::RestrictDefaultGroup;
pub use eks_cluster::{EksCluster, EksClusterSpec, EksClusterVerbs, eks_cluster};
pub use function::{Code, Function, FunctionSpec, FunctionVerbs, function};
pub use grant::{Grant, Grantable, IamResource};
pub use http_api::{HttpApi, HttpApiSpec, Route, http_api};
pub use iam::{Principal, RoleSpec, role};
pub use network::{Network, Subnets, Tier, VpcSpec, tier, vpc};
pub use queue::{Queue, QueueSpec, QueueVerbs, queue};
pub use recorder::{Recorder, RecorderSpec, recorder};
pub use schedule::{Schedule, ScheduleSpec, schedule};
pub use secrets::{SecretSource, SecretSpec, SecretVerbs, secret};
pub(crate) use security::Admission;
pub use security::{Egress, InVpc, Ingress, SecurityGroupSpec, allow_from_group, security_group};
pub use service::{ClusterSpec, FargateService, FargateServiceSpec, ecs_cluster, fargate_service};
pub use state_machine::{StateMachine, StateMachineSpec, StateMachineVerbs, Step, state_machine};
pub use storage::{
    BucketArnVerbs, BucketEncryption, BucketSpec, BucketStatement, BucketVerbs, KeyArnVerbs,
    KeySpec, KeyVerbs, LogGroupSpec, LogGroupVerbs, bucket, bucket_statements, key, log_group,
};
pub use table::{KeyAttribute, Table, TableSpec, TableVerbs, table};
pub use topic::{Subscriber, Topic, TopicSpec, TopicVerbs, topic};
pub use trail::{TrailSpec, trail};

use std::panic::Location;

use crate::Handle;
use crate::aws::{ecs, kms, logs, s3, secretsmanager};

use crate::config::StackConfig;
use crate::stack::Stack;
use serde_json::json;

use crate::{Json, Tag, Value};

/// The stack a construct adds to, and the configuration it is built for.
#[derive(Debug)]
pub struct Scope<'a> {
    /// The stack under construction.
    pub stack: &'a mut Stack,
    /// The environment it is built for.
    pub config: &'a StackConfig,
    /// The stack's name in kebab case (`tap-stack`), the first part of physical names.
    stack_name: String,
    /// The line of the construct being built: every resource it adds records it.
    source: &'static Location<'static>,
}

impl<'a> Scope<'a> {
    /// A scope over `stack` for `config`; `stack_name` is the stack's name without the
    /// environment suffix (`TapStack`), which physical names start with.
    #[track_caller]
    pub fn new(stack: &'a mut Stack, config: &'a StackConfig, stack_name: &str) -> Self {
        stack.region = Some(config.region.clone());
        Self {
            stack,
            config,
            stack_name: kebab(stack_name),
            source: Location::caller(),
        }
    }

    /// A physical name unique per stack and environment: `<stack>-<base>-<suffix>`,
    /// lowercase (`tap-stack-database-dev`), so that the same declarations in two stacks
    /// or two environments never collide in one account.
    pub fn physical_name(&self, base: &str) -> String {
        self.config
            .physical_name(&format!("{}-{base}", self.stack_name))
    }

    /// Records the caller of the construct being built (builders call it first, and a
    /// construct of another crate calls it from its `#[track_caller]` `build`).
    #[track_caller]
    pub fn enter(&mut self) {
        self.source = Location::caller();
    }

    /// Adds a resource declared by the current construct.
    pub fn add<P: crate::ResourceProperties>(
        &mut self,
        id: &str,
        resource: P,
    ) -> crate::Handle<P::Resource> {
        self.stack
            .add_located(id, resource, crate::ResourceOptions::new(), self.source)
    }

    /// Adds a resource with options, declared by the current construct.
    pub fn add_with<P: crate::ResourceProperties>(
        &mut self,
        id: &str,
        resource: P,
        options: crate::ResourceOptions,
    ) -> crate::Handle<P::Resource> {
        self.stack.add_located(id, resource, options, self.source)
    }

    /// Records that construct `id` relies on `group` admitting TCP `port` from `from`
    /// (`what` the traffic is): synthesis judges it on the complete template and reports
    /// it with the construct's line.
    pub(crate) fn require_admission(
        &mut self,
        id: &str,
        what: &'static str,
        group: &str,
        from: &str,
        port: i64,
    ) {
        self.stack.admissions.push(Admission {
            construct: id.to_owned(),
            at: format!("{}:{}", self.source.file(), self.source.line()),
            what,
            group: group.to_owned(),
            from: from.to_owned(),
            port,
        });
    }

    /// Suppresses `checker`'s finding `finding` on a resource already in the stack, with
    /// the reason a reviewer reads: what a construct knows about another's use (a function
    /// it invokes synchronously). Nothing for a resource of another stack.
    pub(crate) fn suppress_on(
        &mut self,
        logical_id: &str,
        checker: Checker,
        finding: &str,
        reason: &str,
    ) {
        if let Some(entry) = self.stack.resource_mut(logical_id) {
            entry.options = suppress(std::mem::take(&mut entry.options), checker, finding, reason);
        }
    }

    /// Appends statements to the policy document at `document` (`PolicyDocument` of a
    /// bucket or queue policy, `KeyPolicy` of a key) of a resource of this stack: what a
    /// construct opens on another's resource (a trail on its bucket, a topic on its queue).
    /// `false` when the resource is not this stack's or its document is not written out.
    pub(crate) fn append_statements(
        &mut self,
        logical_id: &str,
        document: &str,
        statements: impl IntoIterator<Item = Json>,
    ) -> bool {
        let Some(list) = self
            .stack
            .resource_mut(logical_id)
            .and_then(|entry| entry.properties.as_mut().ok())
            .and_then(|properties| properties[document]["Statement"].as_array_mut())
        else {
            return false;
        };
        list.extend(statements);
        true
    }

    /// Records that the construct `id` was given a value AWS would reject; synthesis
    /// reports it with the construct's source line.
    pub fn reject(&mut self, id: &str, problem: String) {
        self.stack.rejected.push(crate::SynthError::InvalidValue {
            construct: id.to_owned(),
            problem,
            at: format!("{}:{}", self.source.file(), self.source.line()),
        });
    }

    /// A `Name` tag: `<base>-<suffix>`.
    pub fn name_tag(&self, base: &str) -> Vec<Tag> {
        vec![Tag::new("Name", self.config.physical_name(base))]
    }
}

/// A building block a stack declares by name: `stack!` builds every construct, built-in
/// or written in another crate, through this trait.
///
/// `construct web: my_crate::StaticSite { domain: "…", .. }` in `stack!` becomes
/// `<my_crate::StaticSite as Construct>::build(&mut scope, "Web", Spec { domain: "…",
/// ..Default::default() })`, the spec written as a struct literal at the user's tokens:
/// rustc checks each field there and the editor completes them. The value it returns is
/// the declaration's handle; its type carries what other declarations may check
/// ([`facts`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a construct",
    label = "`construct` names a type that implements `infra_runtime::Construct`",
    note = "a construct is a built-in, a `component!`, or a type of your own that implements `infra_runtime::Construct`"
)]
pub trait Construct: Sized {
    /// What a declaration writes: one field per key.
    type Spec<'a>;

    /// Adds the construct's resources to `scope`, their logical ids starting with `id`.
    /// Built-in constructs are `#[track_caller]`, so that each resource records the line
    /// that declared it; a component's `build` is not, so that its resources record the
    /// lines in the component's file.
    fn build(scope: &mut Scope<'_>, id: &str, spec: Self::Spec<'_>) -> Self;

    /// Where the construct's VPCs and security groups are, by handle: a VPC it declares,
    /// or the VPC of one of its inputs ([`facts::Place`]). `component!` lists them, so
    /// that a stack checks at compile time what an instance is wired to; a construct that
    /// lists none is judged at synthesis.
    const PLACES: &'static [facts::Placed] = &[];

    /// What the construct's declarations ask of its inputs' places (a group of the VPC of
    /// the subnets, a tier of two zones), judged where an instance is made.
    const NEEDS: &'static [facts::Need] = &[];
}

/// Implements [`Construct`] for a built-in construct over its builder function.
macro_rules! built_in {
    ($($handle:ty => $spec:ident, $builder:path;)*) => {$(
        impl Construct for $handle {
            type Spec<'a> = $spec<'a>;

            #[track_caller]
            fn build(scope: &mut Scope<'_>, id: &str, spec: $spec<'_>) -> Self {
                $builder(scope, id, spec)
            }
        }
    )*};
}

type ClusterSpecOf<'a> = ClusterSpec;

built_in! {
    Network => VpcSpec, vpc;
    Handle<crate::aws::ec2::SecurityGroup> => SecurityGroupSpec, security_group;
    Handle<kms::Key> => KeySpec, key;
    Handle<s3::Bucket> => BucketSpec, bucket;
    Handle<logs::LogGroup> => LogGroupSpec, log_group;
    Handle<crate::aws::iam::Role> => RoleSpec, role;
    Handle<secretsmanager::Secret> => SecretSpec, secret;
    Handle<ecs::Cluster> => ClusterSpecOf, ecs_cluster;
    Aurora => AuroraSpec, aurora;
    LoadBalancer => LoadBalancerSpec, load_balancer;
    FargateService => FargateServiceSpec, fargate_service;
}

impl<M> Construct for facts::GroupHandle<M> {
    type Spec<'a> = SecurityGroupSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: SecurityGroupSpec<'_>) -> Self {
        Self::new(security_group(scope, id, spec))
    }
}

impl<P: facts::principal::Service, M> Construct for facts::RoleHandle<P, M> {
    type Spec<'a> = RoleSpec<'a>;

    /// The role `P` may assume, whatever the spec's `assumed_by` says (the spec's
    /// service for [`facts::principal::OtherServicePrincipal`]).
    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: RoleSpec<'_>) -> Self {
        Self::new(role(
            scope,
            id,
            RoleSpec {
                assumed_by: P::PRINCIPAL.unwrap_or(spec.assumed_by),
                ..spec
            },
        ))
    }
}

impl<M> Construct for facts::LogGroupHandle<M> {
    type Spec<'a> = LogGroupSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: LogGroupSpec<'_>) -> Self {
        Self::new(log_group(scope, id, spec))
    }
}

impl<M> Construct for facts::SecretHandle<M> {
    type Spec<'a> = SecretSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: SecretSpec<'_>) -> Self {
        Self::new(secret(scope, id, spec))
    }
}

impl<L: facts::Flag> Construct for facts::KeyHandle<L> {
    type Spec<'a> = KeySpec<'a>;

    /// The key, held to what `L` says about CloudWatch Logs.
    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: KeySpec<'_>) -> Self {
        let allow_logs = spec.allow_logs;
        let handle = Self::new(key(scope, id, spec));
        if L::VALUE.is_some_and(|v| v != allow_logs) {
            scope.reject(
                id,
                format!(
                    "its type says `allow_logs: {}`, its spec says `{allow_logs}`",
                    !allow_logs
                ),
            );
        }
        handle
    }
}

impl<E: facts::Flag, D: facts::Flag> Construct for facts::BucketHandle<E, D> {
    type Spec<'a> = BucketSpec<'a>;

    /// The bucket, held to what `E` and `D` say about its encryption and log delivery.
    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: BucketSpec<'_>) -> Self {
        let s3_managed = matches!(spec.encryption, BucketEncryption::S3Managed);
        let delivery = spec.load_balancer_logs;
        let handle = Self::new(bucket(scope, id, spec));
        if E::VALUE.is_some_and(|v| v != s3_managed) || D::VALUE.is_some_and(|v| v != delivery) {
            scope.reject(
                id,
                "its type says another encryption or log delivery than its spec".to_owned(),
            );
        }
        handle
    }
}

/// `Some(value.into())`, for the many optional properties constructs set.
pub(crate) fn some<T>(value: impl Into<Value<T>>) -> Option<Value<T>> {
    Some(value.into())
}

/// A logical id's kebab-case form for physical names (`AppLogs` -> `app-logs`).
pub(crate) fn kebab(logical_id: &str) -> String {
    let mut out = String::new();
    for (i, c) in logical_id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `database` -> `Database`, for logical ids.
pub(crate) fn pascal(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A policy checker whose finding a construct suppresses in the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checker {
    /// checkov: `Metadata.checkov.skip`.
    Checkov,
    /// cfn-lint: `Metadata.cfn-lint.config.ignore_checks`, the reasons beside it.
    CfnLint,
    /// cfn_nag: `Metadata.cfn_nag.rules_to_suppress`.
    CfnNag,
}

/// Resource options that suppress one finding of `checker`, with the reason a reviewer
/// reads in the template. Suppressions of one resource accumulate.
pub(crate) fn suppress(
    mut options: crate::ResourceOptions,
    checker: Checker,
    id: &str,
    reason: &str,
) -> crate::ResourceOptions {
    let (key, list, entry) = match checker {
        Checker::Checkov => ("checkov", "skip", json!({ "id": id, "comment": reason })),
        Checker::CfnLint => (
            "cfn-lint",
            "comments",
            json!({ "id": id, "comment": reason }),
        ),
        Checker::CfnNag => (
            "cfn_nag",
            "rules_to_suppress",
            json!({ "id": id, "reason": reason }),
        ),
    };
    let metadata = options.metadata_entry(key);
    push(metadata, list, entry);
    if checker == Checker::CfnLint {
        push(&mut metadata["config"], "ignore_checks", Json::from(id));
    }
    options
}

/// Appends `item` to the list `object[list]`, creating both as needed.
fn push(object: &mut Json, list: &str, item: Json) {
    if !object.is_object() {
        *object = json!({});
    }
    match object[list].as_array_mut() {
        Some(items) => items.push(item),
        None => object[list] = json!([item]),
    }
}

/// A function's or a service's environment as a struct whose fields are its variables,
/// each typed by what it carries: `#[derive(Environment)]` (from `infra-macros`) names
/// each variable by its field in capitals. `stack!` takes one for `environment:`.
pub trait Environment {
    /// Each variable's name and value.
    fn variables(&self) -> Vec<(&'static str, Value<String>)>;
}

/// An environment variable's value as a spec holds it: a string, or any value that
/// evaluates to one (`queue.url()`, `table.name()`). `stack!` converts each value of an
/// `environment` map through it.
pub fn environment_value(value: impl Into<Value<String>>) -> Value<String> {
    value.into()
}

/// A policy document with the given statements.
pub(crate) fn policy_document(statements: Vec<crate::Json>) -> Value<crate::Json> {
    Value::from(serde_json::json!({ "Version": "2012-10-17", "Statement": statements }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn kebab_case() {
        assert_eq!(super::kebab("AppLogs"), "app-logs");
        assert_eq!(super::kebab("Network"), "network");
    }
}
