//! `vpc`: a VPC with public, private and database subnet tiers across availability
//! zones, an internet gateway, NAT gateways, a route table per tier and flow logs.
//!
//! Public subnets route to the internet gateway; private subnets route to a NAT gateway
//! (none, one shared, or one per zone); database subnets have no route out of the VPC.
//! No subnet gives instances public addresses: only load balancers live in public ones.

use serde_json::json;

use super::{Scope, iam, some};
use crate::aws::ec2::eip;
use crate::aws::ec2::internet_gateway;
use crate::aws::ec2::nat_gateway;
use crate::aws::ec2::route;
use crate::aws::ec2::route_table;
use crate::aws::ec2::subnet;
use crate::aws::ec2::subnet_route_table_association;
use crate::aws::ec2::vpc;
use crate::aws::ec2::vpc_gateway_attachment;
use crate::aws::ec2::{
    self, InternetGateway, NatGateway, RouteTable, Subnet, Vpc, VpcGatewayAttachment,
};
use crate::aws::logs::LogGroup;
use crate::intrinsic::{get_azs, select};
use crate::{Handle, Id, ResourceOptions, Value};

/// What a `vpc` construct declares.
#[derive(Debug)]
pub struct VpcSpec<'a> {
    /// The VPC's IPv4 block, e.g. `"10.0.0.0/16"`.
    pub cidr: &'a str,
    /// One CIDR per availability zone for the public tier (load balancers, NAT gateways).
    pub public: &'a [&'a str],
    /// One CIDR per zone for the private tier (services; out through NAT).
    pub private: &'a [&'a str],
    /// One CIDR per zone for the database tier (no route out of the VPC).
    pub database: &'a [&'a str],
    /// NAT gateways: 0 (no outbound internet from private subnets), 1 (shared, the
    /// cheapest), or one per zone (survives a zone's loss).
    pub nat_gateways: u8,
    /// The log group that receives the VPC's flow logs (all traffic), and the output of
    /// the function that closes the default security group.
    pub flow_logs: Option<&'a Handle<LogGroup>>,
    /// Close the VPC's default security group (EC2 creates it admitting all traffic from
    /// its members and letting all traffic out), through a custom resource whose handler
    /// is a Lambda function.
    pub restrict_default_group: bool,
}

impl Default for VpcSpec<'_> {
    fn default() -> Self {
        Self {
            cidr: "",
            public: &[],
            private: &[],
            database: &[],
            nat_gateways: infra_facts::defaults::vpc::NAT_GATEWAYS,
            flow_logs: None,
            restrict_default_group: infra_facts::defaults::vpc::RESTRICT_DEFAULT_GROUP,
        }
    }
}

/// The subnets of one tier, in zone order.
#[derive(Debug, Clone)]
pub struct Tier {
    /// The tier's subnets (none when the tier comes from another stack).
    pub subnets: Vec<Handle<Subnet>>,
    /// The VPC the tier belongs to.
    pub vpc: Value<Id<Vpc>>,
    /// The ids as one value, for a tier imported from another stack.
    imported: Option<Value<Vec<Id<Subnet>>>>,
    /// For this stack's private tier, the NAT gateways its subnets leave the VPC through
    /// on AWS (their only way out).
    nat_gateways: Option<u8>,
}

impl Tier {
    /// How many zones the tier spans (one subnet per zone), when it is this stack's.
    pub fn zones(&self) -> Option<usize> {
        self.imported.is_none().then_some(self.subnets.len())
    }

    /// Records that construct `id`, of which `what` is said, needs its subnets in at
    /// least two zones and this tier has fewer (synthesis reports it, with the line).
    pub(crate) fn require_zones(&self, scope: &mut super::Scope<'_>, id: &str, what: &str) {
        if let Some(zones) = self
            .zones()
            .filter(|z| !infra_facts::limits::spans_enough_zones(*z))
        {
            scope.reject(
                id,
                format!(
                    "is {what} in a tier of {zones} subnet{}: AWS needs subnets in at least {} zones; give the tier a subnet in a second zone",
                    if zones == 1 { "" } else { "s" },
                    infra_facts::limits::MIN_ZONES
                ),
            );
        }
    }

    /// Says (a note of the stack) that construct `id`, which `runs` what must reach AWS's
    /// endpoints (`runs its tasks`), is placed in this tier and its subnets have no way
    /// out of the VPC on AWS. A note, not an error: a value (a setting) may leave NAT out
    /// on purpose, for an emulator reached by `--endpoint-url`; `stack!` refuses a literal.
    pub(crate) fn note_no_way_out(&self, scope: &mut super::Scope<'_>, id: &str, runs: &str) {
        if let Some(count) = self.nat_gateways
            && let Some(problem) = infra_facts::limits::private_egress_problem(u32::from(count))
        {
            scope.stack.note(format!(
                "{id} {runs} in private subnets, but {problem}: on AWS it cannot start (give the VPC `nat_gateways: 1` or one per zone)"
            ));
        }
    }

    /// The subnets' ids as one list value.
    pub fn id_list(&self) -> Value<Vec<Id<Subnet>>> {
        match &self.imported {
            Some(list) => list.clone(),
            None => self
                .subnets
                .iter()
                .map(|s| s.id())
                .collect::<Vec<_>>()
                .into(),
        }
    }
}

/// The names of the tiers, as types: a [`Subnets`] of one tier is not a `Subnets` of
/// another, so a tier that crosses stacks is still checked by rustc.
pub mod tier {
    /// Subnets with a route to the internet gateway.
    #[derive(Debug, Clone, Copy)]
    pub struct Public;
    /// Subnets that leave the VPC through NAT.
    #[derive(Debug, Clone, Copy)]
    pub struct Private;
    /// Subnets with no route out of the VPC.
    #[derive(Debug, Clone, Copy)]
    pub struct Database;
}

/// A tier of subnets as a typed output of one stack and an import of another:
/// `output app_subnets: Subnets<Private> { value: network.private }`.
#[derive(Debug)]
pub struct Subnets<T> {
    tier: Tier,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Subnets<T> {
    fn clone(&self) -> Self {
        Self {
            tier: self.tier.clone(),
            kind: std::marker::PhantomData,
        }
    }
}

impl<T> std::ops::Deref for Subnets<T> {
    type Target = Tier;
    fn deref(&self) -> &Tier {
        &self.tier
    }
}

impl<T> Subnets<T> {
    /// A tier of this stack, typed as the tier `T`.
    pub(crate) fn of(tier: Tier) -> Self {
        Self {
            tier,
            kind: std::marker::PhantomData,
        }
    }

    /// The tier another stack exports as the comma-joined `ids` and its VPC's id.
    pub fn imported(ids: Value<String>, vpc: Value<Id<Vpc>>) -> Self {
        Self {
            tier: Tier {
                subnets: Vec::new(),
                vpc,
                imported: Some(crate::intrinsic::split(",", ids).cast()),
                nat_gateways: None,
            },
            kind: std::marker::PhantomData,
        }
    }

    /// The tier, for a construct's `subnets`.
    pub fn tier(&self) -> &Tier {
        &self.tier
    }

    /// The value a stack exports for `tier`: its subnet ids joined by commas.
    pub fn export_ids(tier: &Tier) -> Value<String> {
        crate::intrinsic::join(",", tier.subnets.iter().map(|s| s.id().erase().cast()))
    }
}

/// What a `vpc` construct gives back.
#[derive(Debug, Clone)]
pub struct Network {
    /// The VPC.
    pub vpc: Handle<Vpc>,
    /// Subnets for internet-facing load balancers and NAT gateways.
    pub public: Subnets<tier::Public>,
    /// Subnets for services.
    pub private: Subnets<tier::Private>,
    /// Subnets for databases.
    pub database: Subnets<tier::Database>,
}

impl Network {
    /// The VPC's id.
    pub fn vpc_id(&self) -> Value<Id<Vpc>> {
        self.vpc.id()
    }
}

/// Adds the network: the VPC and its internet gateway, a subnet per zone of each tier,
/// and each tier's routes; then the default group's closing and the flow logs.
#[track_caller]
pub fn vpc(scope: &mut Scope<'_>, id: &str, spec: VpcSpec<'_>) -> Network {
    scope.enter();
    let fabric = Fabric::new(scope, id, spec.cidr);
    let public = fabric.tier(scope, "public", spec.public);
    let mut private = fabric.tier(scope, "private", spec.private);
    // What AWS gets: a local deploy leaves NAT gateways out, with a note.
    private.nat_gateways = Some(spec.nat_gateways);
    let database = fabric.tier(scope, "database", spec.database);
    fabric.public_routes(scope, &public);
    let nats = fabric.nat_gateways(scope, spec.nat_gateways, &public);
    fabric.private_routes(scope, &private, &nats);
    fabric.database_routes(scope, &database);
    let vpc = fabric.vpc;
    if spec.restrict_default_group && scope.config.local {
        scope.stack.note(format!(
            "{id}: the local endpoint runs no Lambda functions, so the VPC's default security group stays as EC2 creates it (AWS gets it closed)"
        ));
    } else if spec.restrict_default_group {
        super::default_group::restrict_default_group(scope, id, &vpc, spec.flow_logs);
    }
    if let Some(group) = spec.flow_logs {
        flow_logs(scope, id, &vpc, group);
    }

    Network {
        vpc,
        public: Subnets::of(public),
        private: Subnets::of(private),
        database: Subnets::of(database),
    }
}

/// What every step of a VPC's build names: the declaration's id, the base of its
/// physical names, the VPC, and its internet gateway with the gateway's attachment.
struct Fabric {
    id: String,
    base: String,
    vpc: Handle<Vpc>,
    gateway: Handle<InternetGateway>,
    attachment: Handle<VpcGatewayAttachment>,
}

impl Fabric {
    /// The VPC and its attached internet gateway.
    fn new(scope: &mut Scope<'_>, id: &str, cidr: &str) -> Self {
        let spec_cidr = cidr;
        let base = super::kebab(id);
        let vpc = scope.add(
            &format!("{id}Vpc"),
            vpc::Vpc {
                cidr_block: some(spec_cidr),
                enable_dns_hostnames: some(true),
                enable_dns_support: some(true),
                tags: Some(scope.name_tag(&base)),
                ..Default::default()
            },
        );
        let gateway = scope.add(
            &format!("{id}InternetGateway"),
            internet_gateway::InternetGateway {
                tags: Some(scope.name_tag(&base)),
            },
        );
        let attachment = scope.add(
            &format!("{id}GatewayAttachment"),
            vpc_gateway_attachment::VpcGatewayAttachment {
                vpc_id: vpc.id(),
                internet_gateway_id: Some(gateway.id()),
                ..Default::default()
            },
        );
        Self {
            id: id.to_owned(),
            base,
            vpc,
            gateway,
            attachment,
        }
    }

    /// One subnet per zone of a tier (`public`, `private`, `database`).
    fn tier(&self, scope: &mut Scope<'_>, name: &str, cidrs: &[&str]) -> Tier {
        let (id, base, vpc) = (self.id.as_str(), self.base.as_str(), &self.vpc);
        Tier {
            vpc: vpc.id(),
            imported: None,
            nat_gateways: None,
            subnets: cidrs
                .iter()
                .enumerate()
                .map(|(zone, cidr)| {
                    let pascal = super::pascal(name);
                    scope.add(
                        &format!("{id}{pascal}Subnet{}", zone + 1),
                        subnet::Subnet {
                            vpc_id: vpc.id(),
                            cidr_block: some(*cidr),
                            availability_zone: Some(select(zone as u32, get_azs())),
                            map_public_ip_on_launch: some(false),
                            tags: Some(vec![
                                crate::Tag::new(
                                    "Name",
                                    scope
                                        .config
                                        .physical_name(&format!("{base}-{name}-{}", zone + 1)),
                                ),
                                crate::Tag::new("Tier", name),
                            ]),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
        }
    }

    /// The public tier's table, with its default route to the internet gateway.
    fn public_routes(&self, scope: &mut Scope<'_>, public: &Tier) {
        let (id, base, vpc) = (self.id.as_str(), self.base.as_str(), &self.vpc);
        let (gateway, attachment) = (&self.gateway, &self.attachment);
        // Public: one table, default route to the internet gateway (no table for no subnets).
        if !public.subnets.is_empty() {
            let public_table =
                route_table(scope, &format!("{id}PublicRouteTable"), vpc, base, "public");
            scope.add_with(
                &format!("{id}PublicDefaultRoute"),
                route::Route {
                    route_table_id: public_table.id(),
                    destination_cidr_block: some("0.0.0.0/0"),
                    gateway_id: Some(gateway.id().erase().cast()),
                    ..Default::default()
                },
                ResourceOptions::new().depends_on(attachment),
            );
            associate(scope, id, "Public", public, |_| public_table.clone());
        }
    }

    /// NAT gateways in the first public subnets: none, one, or one per zone.
    fn nat_gateways(
        &self,
        scope: &mut Scope<'_>,
        asked: u8,
        public: &Tier,
    ) -> Vec<Handle<NatGateway>> {
        let (id, base) = (self.id.as_str(), self.base.as_str());
        let attachment = &self.attachment;
        // NAT gateways in the first public subnets.
        let zones = public.subnets.len();
        if !infra_facts::limits::nat_gateways_allowed(u32::from(asked), zones) {
            scope.reject(
                id,
                format!(
                    "has {} NAT gateways, but a VPC with {zones} public subnets takes 0, 1 or {zones}",
                    asked
                ),
            );
        }
        let nat_count = local_nat_gateways(scope, id, asked).min(zones);
        (0..nat_count)
            .map(|zone| {
                let eip = scope.add_with(
                    &format!("{id}NatAddress{}", zone + 1),
                    eip::Eip {
                        domain: some("vpc"),
                        tags: Some(scope.name_tag(&format!("{base}-nat-{}", zone + 1))),
                        ..Default::default()
                    },
                    ResourceOptions::new().depends_on(attachment),
                );
                scope.add(
                    &format!("{id}NatGateway{}", zone + 1),
                    nat_gateway::NatGateway {
                        allocation_id: Some(eip.id()),
                        subnet_id: Some(public.subnets[zone].id()),
                        tags: Some(scope.name_tag(&format!("{base}-nat-{}", zone + 1))),
                        ..Default::default()
                    },
                )
            })
            .collect()
    }

    /// The private tier's tables (one per NAT gateway's zone, or one) and their default
    /// routes through the NAT gateways.
    fn private_routes(&self, scope: &mut Scope<'_>, private: &Tier, nats: &[Handle<NatGateway>]) {
        let (id, base, vpc) = (self.id.as_str(), self.base.as_str(), &self.vpc);
        // Private: one table when there is at most one NAT gateway, else one per zone.
        let private_tables: Vec<Handle<RouteTable>> = if private.subnets.is_empty() {
            Vec::new()
        } else if nats.len() > 1 {
            (0..private.subnets.len())
                .map(|zone| {
                    route_table(
                        scope,
                        &format!("{id}PrivateRouteTable{}", zone + 1),
                        vpc,
                        base,
                        &format!("private-{}", zone + 1),
                    )
                })
                .collect()
        } else {
            vec![route_table(
                scope,
                &format!("{id}PrivateRouteTable"),
                vpc,
                base,
                "private",
            )]
        };
        if !nats.is_empty() {
            for (i, table) in private_tables.iter().enumerate() {
                let suffix = if private_tables.len() > 1 {
                    format!("{}", i + 1)
                } else {
                    String::new()
                };
                scope.add(
                    &format!("{id}PrivateDefaultRoute{suffix}"),
                    route::Route {
                        route_table_id: table.id(),
                        destination_cidr_block: some("0.0.0.0/0"),
                        nat_gateway_id: Some(nats[i.min(nats.len() - 1)].id()),
                        ..Default::default()
                    },
                );
            }
        }
        associate(scope, id, "Private", private, |zone| {
            private_tables[zone.min(private_tables.len() - 1)].clone()
        });
    }

    /// The database tier's table, with no route out of the VPC.
    fn database_routes(&self, scope: &mut Scope<'_>, database: &Tier) {
        let (id, base, vpc) = (self.id.as_str(), self.base.as_str(), &self.vpc);
        // Database: no route out of the VPC (no table for no subnets).
        if !database.subnets.is_empty() {
            let database_table = route_table(
                scope,
                &format!("{id}DatabaseRouteTable"),
                vpc,
                base,
                "database",
            );
            associate(scope, id, "Database", database, |_| database_table.clone());
        }
    }
}

fn route_table(
    scope: &mut Scope<'_>,
    logical_id: &str,
    vpc: &Handle<Vpc>,
    base: &str,
    name: &str,
) -> Handle<RouteTable> {
    scope.add(
        logical_id,
        route_table::RouteTable {
            vpc_id: vpc.id(),
            tags: Some(scope.name_tag(&format!("{base}-{name}"))),
        },
    )
}

fn associate(
    scope: &mut Scope<'_>,
    id: &str,
    tier_name: &str,
    tier: &Tier,
    table: impl Fn(usize) -> Handle<RouteTable>,
) {
    for (zone, subnet) in tier.subnets.iter().enumerate() {
        scope.add(
            &format!("{id}{tier_name}Subnet{}Routes", zone + 1),
            subnet_route_table_association::SubnetRouteTableAssociation {
                route_table_id: table(zone).id(),
                subnet_id: subnet.id(),
            },
        );
    }
}

/// Flow logs of all traffic to a log group, delivered by a role only the flow-logs
/// service can assume and that may write to that one group.
fn flow_logs(scope: &mut Scope<'_>, id: &str, vpc: &Handle<Vpc>, group: &Handle<LogGroup>) {
    let group_arn = group.arn().to_json();
    let role = iam::service_role(
        scope,
        &format!("{id}FlowLogRole"),
        iam::ServiceRole {
            description: "Delivers the VPC's flow logs to CloudWatch Logs",
            service: "vpc-flow-logs.amazonaws.com",
            statements: vec![json!({
                "Sid": "DeliverFlowLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": [group_arn, { "Fn::Sub": ["${Arn}:*", { "Arn": group.arn().to_json() }] }]
            })],
            tag: &format!("{}-flow-logs", super::kebab(id)),
        },
    );
    scope.add(
        &format!("{id}FlowLog"),
        ec2::flow_log::FlowLog {
            resource_id: vpc.id().erase().cast(),
            resource_type: ec2::flow_log::ResourceType::Vpc.into(),
            traffic_type: Some(ec2::flow_log::TrafficType::All.into()),
            log_destination_type: Some(ec2::flow_log::LogDestinationType::CloudWatchLogs.into()),
            log_group_name: Some(group.name()),
            deliver_logs_permission_arn: Some(role.arn()),
            ..Default::default()
        },
    );
}

/// The NAT gateways to build: what the spec asks, or none for a local emulator, which
/// has no Elastic IPs (with a note saying so).
fn local_nat_gateways(scope: &mut Scope<'_>, id: &str, asked: u8) -> usize {
    if asked > 0 && scope.config.local {
        scope.stack.note(format!(
            "{id}: the local endpoint has no Elastic IPs, so this deploy has no NAT gateway (AWS gets {asked})"
        ));
        return 0;
    }
    usize::from(asked)
}
