//! `security_group`: a group in a VPC whose ingress names its source and whose egress
//! is only what it declares.
//!
//! Rules with the internet are inline. Rules between two groups are separate
//! `AWS::EC2::SecurityGroupIngress` and `AWS::EC2::SecurityGroupEgress` resources
//! ([`allow_from_group`]), added after every group exists, so two groups that admit each
//! other do not form a dependency cycle. A group never keeps EC2's default rule that lets
//! all traffic out: with nothing to send, it gets a rule that matches no traffic.

use super::{Network, Scope, some};
use crate::aws::ec2::Vpc;
use crate::aws::ec2::security_group_egress;
use crate::aws::ec2::security_group_ingress;
use crate::aws::ec2::{SecurityGroup, security_group};
use crate::{Handle, Id, Value};

/// An ingress rule from the internet (`443 from internet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingress {
    /// The TCP port admitted.
    pub port: u16,
}

impl Ingress {
    /// TCP `port` from anywhere on the internet.
    pub fn internet(port: u16) -> Self {
        Self { port }
    }
}

/// An egress rule to the internet (`443 to internet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Egress {
    /// The TCP port allowed out.
    pub port: u16,
}

impl Egress {
    /// TCP `port` to anywhere on the internet.
    pub fn internet(port: u16) -> Self {
        Self { port }
    }
}

/// What a `security_group` construct declares.
#[derive(Default)]
pub struct SecurityGroupSpec<'a> {
    /// The VPC the group belongs to (`None` only while the stack has errors).
    pub network: Option<&'a dyn InVpc>,
    /// What the group is for (the group's description).
    pub description: &'a str,
    /// Rules from the internet; rules from other groups are added by [`allow_from_group`].
    pub ingress: Vec<Ingress>,
    /// Rules to the internet; rules to other groups are added by [`allow_from_group`].
    /// Nothing else leaves the group.
    pub egress: Vec<Egress>,
}

impl std::fmt::Debug for SecurityGroupSpec<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityGroupSpec")
            .field("network", &self.network.map(|n| n.vpc_id()))
            .field("description", &self.description)
            .field("ingress", &self.ingress)
            .field("egress", &self.egress)
            .finish()
    }
}

/// Adds a security group to the network's VPC.
#[track_caller]
pub fn security_group(
    scope: &mut Scope<'_>,
    id: &str,
    spec: SecurityGroupSpec<'_>,
) -> Handle<SecurityGroup> {
    scope.enter();
    let description = if spec.description.is_empty() {
        format!("{id} security group")
    } else {
        spec.description.to_owned()
    };
    let ingress: Vec<security_group::Ingress> = spec
        .ingress
        .iter()
        .map(|rule| security_group::Ingress {
            ip_protocol: "tcp".into(),
            from_port: some(i64::from(rule.port)),
            to_port: some(i64::from(rule.port)),
            cidr_ip: some("0.0.0.0/0"),
            description: some(format!("TCP {} from the internet", rule.port)),
            ..Default::default()
        })
        .collect();
    let egress = outbound(&spec.egress);
    let mut options = crate::ResourceOptions::new();
    if spec.ingress.iter().any(|rule| rule.port == 80) {
        options = super::suppress(
            options,
            super::Checker::Checkov,
            "CKV_AWS_260",
            "Port 80 is open for the load balancer's HTTP listener, which only redirects to HTTPS unless the stack sets allow_plain_http",
        );
    }
    scope.add_with(
        id,
        security_group::SecurityGroup {
            group_description: description.into(),
            vpc_id: spec.network.map(InVpc::vpc_id),
            security_group_ingress: (!ingress.is_empty()).then_some(ingress),
            security_group_egress: Some(egress),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    )
}

/// The inline egress: TCP to the internet on each declared port; with none, a rule no
/// packet matches (ICMP type 252, code 86, to one broadcast address), since an empty list
/// would leave EC2's allow-all rule in place.
fn outbound(rules: &[Egress]) -> Vec<security_group::Egress> {
    if rules.is_empty() {
        return vec![security_group::Egress {
            ip_protocol: "icmp".into(),
            from_port: some(252),
            to_port: some(86),
            cidr_ip: some("255.255.255.255/32"),
            description: some("No traffic leaves this group except to the groups that admit it"),
            ..Default::default()
        }];
    }
    rules
        .iter()
        .map(|rule| security_group::Egress {
            ip_protocol: "tcp".into(),
            from_port: some(i64::from(rule.port)),
            to_port: some(i64::from(rule.port)),
            cidr_ip: some("0.0.0.0/0"),
            description: some(format!("TCP {} to the internet", rule.port)),
            ..Default::default()
        })
        .collect()
}

/// Admits TCP `port` into `target` from members of `source`, and lets `source` send it
/// there: an ingress rule on `target` (`id`) and the matching egress rule on `source`
/// (`<Source>To<Target><port>`).
#[track_caller]
pub fn allow_from_group(
    scope: &mut Scope<'_>,
    id: &str,
    target: &Handle<SecurityGroup>,
    source: &Handle<SecurityGroup>,
    port: u16,
) {
    scope.enter();
    if let (Some(to), Some(from)) = (vpc_ref(scope, target), vpc_ref(scope, source))
        && to != from
    {
        scope.reject(
            id,
            format!(
                "`{}` admits `{}`, but the two groups are in different VPCs (`{to}` and `{from}`), where a rule between them matches nothing; give both groups the same network",
                target.logical_id(),
                source.logical_id()
            ),
        );
    }
    scope.add(
        id,
        security_group_ingress::SecurityGroupIngress {
            group_id: Some(target.id()),
            source_security_group_id: Some(source.id()),
            ip_protocol: "tcp".into(),
            from_port: some(i64::from(port)),
            to_port: some(i64::from(port)),
            description: some(format!("TCP {port} from {}", source.logical_id())),
            ..Default::default()
        },
    );
    scope.add(
        &format!("{}To{}{port}", source.logical_id(), target.logical_id()),
        security_group_egress::SecurityGroupEgress {
            group_id: source.id(),
            destination_security_group_id: Some(target.id()),
            ip_protocol: "tcp".into(),
            from_port: some(i64::from(port)),
            to_port: some(i64::from(port)),
            description: some(format!("TCP {port} to {}", target.logical_id())),
            ..Default::default()
        },
    );
}

/// What a security group can live in: a VPC of the stack (`in network`), or another
/// stack's exported VPC id or tier (`in shared.vpc_id`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a VPC a security group can live in",
    label = "not a VPC",
    note = "`in` names a `vpc` of the stack, or an exported `Id<ec2::Vpc>` or `Subnets<…>` of an imported stack"
)]
pub trait InVpc {
    /// The VPC's id.
    fn vpc_id(&self) -> Value<Id<Vpc>>;
}

impl InVpc for Network {
    fn vpc_id(&self) -> Value<Id<Vpc>> {
        Network::vpc_id(self)
    }
}

impl InVpc for Value<Id<Vpc>> {
    fn vpc_id(&self) -> Value<Id<Vpc>> {
        self.clone()
    }
}

impl<T> InVpc for super::Subnets<T> {
    fn vpc_id(&self) -> Value<Id<Vpc>> {
        self.tier().vpc.clone()
    }
}

impl<T: InVpc + ?Sized> InVpc for &T {
    fn vpc_id(&self) -> Value<Id<Vpc>> {
        (**self).vpc_id()
    }
}

/// The VPC a group of this stack is in, when it is a VPC of this stack (`{"Ref": "Vpc"}`):
/// what a rule between groups of different files is checked by, at synthesis.
/// Records that construct `id` (`what`, "a Fargate service") has its subnets in one VPC
/// and its security group in another, where the group could not be attached (two
/// instances of a component wired to each other's parts); synthesis reports it.
pub(crate) fn require_same_vpc(
    scope: &mut Scope<'_>,
    id: &str,
    what: &str,
    tier: Option<&super::Tier>,
    group: Option<&Handle<SecurityGroup>>,
) {
    let (Some(tier), Some(group)) = (tier, group) else {
        return;
    };
    let subnets = tier.vpc.to_json()["Ref"].as_str().map(str::to_owned);
    if let (Some(subnets), Some(grouped)) = (subnets, vpc_ref(scope, group))
        && subnets != grouped
    {
        scope.reject(
            id,
            format!(
                "is {what} in subnets of `{subnets}` with the security group `{}` of `{grouped}`: a group attaches only in its own VPC; give it a group of `{subnets}`",
                group.logical_id()
            ),
        );
    }
}

fn vpc_ref(scope: &Scope<'_>, group: &Handle<SecurityGroup>) -> Option<String> {
    let entry = scope.stack.resource(group.logical_id())?;
    let properties = entry.properties.as_ref().ok()?;
    properties["VpcId"]["Ref"].as_str().map(str::to_owned)
}

/// A rule a construct relies on: `group` admits TCP `port` from members of `from` (a
/// database's group from its service's, a service's from its load balancer's). Rules
/// between groups are added after every declaration, so this is judged when the template
/// is complete, by [`Admission::problem`], whatever the port's source (a literal, which
/// `stack!` already judged by types, or a setting, which types cannot see).
#[derive(Debug, Clone)]
pub(crate) struct Admission {
    /// The construct that relies on it.
    pub construct: String,
    /// Where it was declared.
    pub at: String,
    /// What the traffic is, for the message ("connects to its database").
    pub what: &'static str,
    /// The admitting group's logical id.
    pub group: String,
    /// The source group's logical id.
    pub from: String,
    /// The TCP port.
    pub port: i64,
}

impl Admission {
    /// Why the complete template's rules do not admit it, if they do not. Groups of
    /// another stack are not judged.
    pub fn problem(
        &self,
        resources: &std::collections::BTreeMap<String, crate::Json>,
    ) -> Option<String> {
        let (Some(group), true) = (
            resources.get(&self.group),
            resources.contains_key(&self.from),
        ) else {
            return None;
        };
        let inline = group["Properties"]["SecurityGroupIngress"]
            .as_array()
            .into_iter()
            .flatten();
        let separate = resources
            .values()
            .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
            .map(|r| &r["Properties"])
            .filter(|rule| names(&rule["GroupId"], &self.group));
        let admitted = inline.chain(separate).any(|rule| {
            names(&rule["SourceSecurityGroupId"], &self.from) && covers(rule, self.port)
        });
        (!admitted).then(|| {
            format!(
                "{} on TCP {}, but `{}` admits no TCP {} from `{}`; add a rule `{} from <its group>` to the ingress of `{}`",
                self.what, self.port, self.group, self.port, self.from, self.port, self.group
            )
        })
    }
}

/// Whether a value refers to the resource `id` (`Ref` or `Fn::GetAtt`).
fn names(value: &crate::Json, id: &str) -> bool {
    value["Ref"] == id || value["Fn::GetAtt"][0] == id
}

/// Whether an ingress rule lets TCP `port` through.
fn covers(rule: &crate::Json, port: i64) -> bool {
    let number = |v: &crate::Json| v.as_i64().or_else(|| v.as_str()?.parse().ok());
    let protocol = rule["IpProtocol"].as_str().map(str::to_ascii_lowercase);
    match protocol.as_deref() {
        Some("-1") => true,
        Some("tcp" | "6") => matches!(
            (number(&rule["FromPort"]), number(&rule["ToPort"])),
            (Some(from), Some(to)) if from <= port && port <= to
        ),
        _ => false,
    }
}

/// The logical id of the first group a `SecurityGroups`-like property names.
pub(crate) fn first_group(value: &crate::Json) -> Option<String> {
    let first = value.as_array()?.first()?;
    first["Ref"]
        .as_str()
        .or_else(|| first["Fn::GetAtt"][0].as_str())
        .map(str::to_owned)
}
