//! Security-group chains: every `from` names a group of the same VPC; only a public load
//! balancer's group admits the internet; the load balancer forwards to the port the
//! container listens on, and each hop (load balancer → service → database) is admitted
//! by the next group.

use super::{Diagnostics, group_rules};
use crate::ast::{Item, Value};
use crate::kind::Kind;
use crate::model::Model;

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    for group in super::of_kind(model, Kind::SecurityGroup) {
        check_ingress_vpc(model, group, diag);
        check_internet_ingress(model, group, diag);
        check_egress_destinations(model, group, diag);
    }
    for item in &model.items {
        check_group_in_subnets_vpc(model, item, diag);
    }
    for service in super::of_kind(model, Kind::FargateService) {
        check_target_port(model, service, diag);
        check_service_admits_load_balancer(model, service, diag);
        check_database_admits_service(model, service, diag);
    }
}

fn network_of<'a>(model: &Model<'a>, group: &Item) -> Option<&'a Item> {
    group
        .within
        .as_ref()
        .and_then(|n| model.get_kind(n, &[Kind::Vpc]))
}

/// `from other_sg` names a group in the same VPC.
fn check_ingress_vpc(model: &Model<'_>, group: &Item, diag: &mut Diagnostics) {
    let Some(network) = network_of(model, group) else {
        return;
    };
    // Every rule on its own: a rule in error elsewhere (its port) does not hide this one.
    let Some(Value::Ingress(rules)) = group.field("ingress").map(|f| &f.value) else {
        return;
    };
    for source in rules.iter().filter(|r| r.complete).map(|r| &r.source) {
        let Some(source_group) = model.get_kind(source, &[Kind::SecurityGroup]) else {
            continue;
        };
        if let Some(other) = network_of(model, source_group)
            && other.name != network.name
        {
            diag.error_help(
                source,
                format!(
                    "`{source}` is in VPC `{}`, but `{}` is in VPC `{}`",
                    other.name, group.name, network.name
                ),
                "a rule can only name a group of the same VPC",
            );
        }
    }
}

/// `egress` names only `internet`: egress to a group of the stack follows from that
/// group's ingress (`3306 from app_sg` on `db_sg` also lets `app_sg` send 3306 to it), so
/// that the two sides of a hop cannot disagree.
fn check_egress_destinations(model: &Model<'_>, group: &Item, diag: &mut Diagnostics) {
    let Some(Value::Egress(rules)) = group.field("egress").map(|f| &f.value) else {
        return;
    };
    for rule in rules
        .iter()
        .filter(|r| r.complete && r.source != crate::kind::INTERNET)
    {
        let destination = &rule.source;
        match model.get_kind(destination, &[Kind::SecurityGroup]) {
            Some(target) => {
                let port = rule.port.base10_parse::<u16>().ok();
                let admitted = group_rules(model, target).is_some_and(|rules| {
                    rules.iter().any(|(p, s)| Some(*p) == port && **s == group.name)
                });
                let help = if admitted {
                    format!("`{destination}` admits {} from `{}`, which already lets this traffic out; remove this rule", rule.port, group.name)
                } else {
                    format!("it follows from `{destination}`'s ingress: write `{} from {}` there", rule.port, group.name)
                };
                diag.error_help(
                    destination,
                    format!("egress to security group `{destination}` is not written in `egress`"),
                    help,
                );
            }
            None => diag.error_help(
                destination,
                format!("expected `internet`, found `{destination}`"),
                "`egress` names `internet`; traffic to a group of the stack follows from that group's `ingress`",
            ),
        }
    }
}

/// Only a group used by an internet-facing load balancer admits the internet.
fn check_internet_ingress(model: &Model<'_>, group: &Item, diag: &mut Diagnostics) {
    let Some(Value::Ingress(rules)) = group.field("ingress").map(|f| &f.value) else {
        return;
    };
    let public_lb = super::of_kind(model, Kind::LoadBalancer).any(|lb| {
        model
            .target(lb, "security_group")
            .is_some_and(|g| g.name == group.name)
            && lb.flag("internet_facing").value().copied().unwrap_or(true)
    });
    // A component's `pub` group may be a public load balancer's in another file; there,
    // every other use of it is a const evaluation (`facts::GroupFacts::INTERNAL_USE_PROBLEM`).
    let exported = model.is_component() && !matches!(group.vis, syn::Visibility::Inherited);
    for rule in rules
        .iter()
        .filter(|r| r.complete && r.source == crate::kind::INTERNET)
    {
        if !public_lb && !exported {
            diag.error_help(
                &rule.source,
                format!("security group `{}` admits the internet, but no internet-facing load balancer uses it", group.name),
                "only a public load balancer's group admits `internet`; name the group traffic comes from",
            );
        }
    }
}

/// A construct's security group is in the VPC of its subnets.
fn check_group_in_subnets_vpc(model: &Model<'_>, item: &Item, diag: &mut Diagnostics) {
    let (Some(group), Some((network, _, _))) = (
        model.target(item, "security_group"),
        model.tier(item, "subnets"),
    ) else {
        return;
    };
    if let Some(group_network) = network_of(model, group)
        && group_network.name != network.name
        && let Some(expr) = item.expr("security_group")
    {
        diag.error_help(
            expr,
            format!(
                "`{}` is in VPC `{}`, but the subnets of `{}` are in VPC `{}`",
                group.name, group_network.name, item.name, network.name
            ),
            format!("use a group declared `in {}`", network.name),
        );
    }
}

/// The load balancer forwards to the port the container listens on.
fn check_target_port(model: &Model<'_>, service: &Item, diag: &mut Diagnostics) {
    let Some(lb) = model.target(service, "load_balancer") else {
        return;
    };
    let (port, target) = (service.int("port"), lb.int("target_port"));
    let (Some(&port_number), Some(&target_number)) = (port.value(), target.value()) else {
        return;
    };
    if port_number == target_number {
        return;
    }
    let what = |value: &crate::ast::Typed<'_, i128>, n: i128| {
        if value.is_default() {
            format!("{n} (the default)")
        } else {
            n.to_string()
        }
    };
    let message = format!(
        "`{}` listens on port {}, but load balancer `{}` forwards to port {}",
        service.name,
        what(&port, port_number),
        lb.name,
        what(&target, target_number)
    );
    let help = format!(
        "set the same port in both: `port: {target_number}` or `target_port: {port_number}`"
    );
    match port.expr() {
        Some(expr) => diag.error_help(expr, message, help),
        None => diag.error_help(&service.name, message, help),
    }
    match target.expr() {
        Some(expr) => diag.error_at(
            expr,
            format!("`{}` forwards to port {target_number} here", lb.name),
        ),
        None => diag.error_at(
            &lb.name,
            format!(
                "`{}` forwards to port {target_number}, its default",
                lb.name
            ),
        ),
    }
}

/// The service's group admits the container port from the load balancer's group.
fn check_service_admits_load_balancer(model: &Model<'_>, service: &Item, diag: &mut Diagnostics) {
    let Some(lb) = model.target(service, "load_balancer") else {
        return;
    };
    let (Some(service_group), Some(lb_group)) = (
        model.target(service, "security_group"),
        model.target(lb, "security_group"),
    ) else {
        return;
    };
    let Some(&port) = service.int("port").value() else {
        return;
    };
    let Some(rules) = group_rules(model, service_group) else {
        return;
    };
    let admitted = rules
        .iter()
        .any(|(p, s)| i128::from(*p) == port && **s == lb_group.name);
    if !admitted && let Some(expr) = service.expr("security_group") {
        diag.error_help(
            expr,
            format!(
                "`{}` does not admit port {port} from `{}`, the group of load balancer `{}`",
                service_group.name, lb_group.name, lb.name
            ),
            format!(
                "add `{port} from {}` to the ingress of `{}`",
                lb_group.name, service_group.name
            ),
        );
        diag.error_at(
            &service_group.name,
            format!("`{}` is declared here", service_group.name),
        );
    }
}

/// When the service uses the database, the database's group admits its port from the
/// service's group.
fn check_database_admits_service(model: &Model<'_>, service: &Item, diag: &mut Diagnostics) {
    let Some(db) = model.target(service, "database") else {
        return;
    };
    let (Some(db_group), Some(service_group)) = (
        model.target(db, "security_group"),
        model.target(service, "security_group"),
    ) else {
        return;
    };
    let Some(port) = super::limits::aurora_port(db) else {
        return;
    };
    let Some(rules) = group_rules(model, db_group) else {
        return;
    };
    let admitted = rules
        .iter()
        .any(|(p, s)| i128::from(*p) == port && **s == service_group.name);
    if !admitted && let Some(expr) = service.expr("database") {
        diag.error_help(
            expr,
            format!(
                "`{}` uses database `{}`, but `{}` does not admit port {port} from `{}`",
                service.name, db.name, db_group.name, service_group.name
            ),
            format!(
                "add `{port} from {}` to the ingress of `{}`",
                service_group.name, db_group.name
            ),
        );
        diag.error_at(
            &db_group.name,
            format!("`{}` is declared here", db_group.name),
        );
    }
}
