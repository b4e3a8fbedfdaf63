//! `security_group`: a group in a VPC whose ingress names its source.
//!
//! Rules from the internet are inline. Rules from another group are separate
//! `AWS::EC2::SecurityGroupIngress` resources ([`allow_from_group`]), added after every
//! group exists, so two groups that admit each other do not form a dependency cycle.

use super::{Network, Scope, some};
use crate::Handle;
use crate::aws::ec2::{SecurityGroup, SecurityGroupIngress, security_group};

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

/// What a `security_group` construct declares.
#[derive(Debug, Default)]
pub struct SecurityGroupSpec<'a> {
    /// What the group is for (the group's description).
    pub description: &'a str,
    /// Rules from the internet; rules from other groups are added by [`allow_from_group`].
    pub ingress: Vec<Ingress>,
}

/// Adds a security group to the network's VPC (`None` only while the stack has errors).
#[track_caller]
pub fn security_group(
    scope: &mut Scope<'_>,
    id: &str,
    network: Option<&Network>,
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
        SecurityGroup {
            group_description: description.into(),
            vpc_id: network.map(Network::vpc_id),
            security_group_ingress: (!ingress.is_empty()).then_some(ingress),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    )
}

/// Admits TCP `port` into `target` from members of `source`.
#[track_caller]
pub fn allow_from_group(
    scope: &mut Scope<'_>,
    id: &str,
    target: &Handle<SecurityGroup>,
    source: &Handle<SecurityGroup>,
    port: u16,
) {
    scope.enter();
    scope.add(
        id,
        SecurityGroupIngress {
            group_id: Some(target.id()),
            source_security_group_id: Some(source.id()),
            ip_protocol: "tcp".into(),
            from_port: some(i64::from(port)),
            to_port: some(i64::from(port)),
            description: some(format!("TCP {port} from {}", source.logical_id())),
            ..Default::default()
        },
    );
}
