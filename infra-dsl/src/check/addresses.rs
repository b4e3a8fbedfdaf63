//! Addresses: the VPC's block and every subnet's are valid, subnets lie inside the VPC and
//! do not overlap, and every port is a TCP port.

use syn::Expr;

use super::Diagnostics;
use crate::ast::{Item, Value};
use crate::cidr::{Cidr, CidrError};
use crate::kind::{Kind, TIERS};
use crate::model::{self, Model};

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    for vpc in super::of_kind(model, Kind::Vpc) {
        let block = check_vpc_cidr(vpc, diag);
        check_subnet_cidrs(vpc, block, diag);
    }
    for item in &model.items {
        check_ports(item, diag);
    }
}

fn parse(expr: &Expr, diag: &mut Diagnostics) -> Option<Cidr> {
    let Some(text) = model::string(expr) else {
        diag.error_help(
            expr,
            "expected a CIDR block as a string literal",
            "write e.g. `\"10.0.1.0/24\"`",
        );
        return None;
    };
    match Cidr::parse(&text) {
        Ok(block) => Some(block),
        Err(CidrError::HostBits(block)) => {
            diag.error_help(
                expr,
                format!("`{text}` has host bits set"),
                format!("the block is `\"{block}\"`"),
            );
            None
        }
        Err(error) => {
            diag.error_at(expr, format!("invalid CIDR block `{text}`: {error}"));
            None
        }
    }
}

/// The VPC's block parses and has a prefix AWS accepts (/16 to /28).
fn check_vpc_cidr(vpc: &Item, diag: &mut Diagnostics) -> Option<Cidr> {
    let expr = vpc.expr("cidr")?;
    let block = parse(expr, diag)?;
    if !(16..=28).contains(&block.prefix) {
        diag.error_help(
            expr,
            format!(
                "a VPC's block must be between /16 and /28, found /{}",
                block.prefix
            ),
            "use a /16 such as `\"10.0.0.0/16\"` and split it into subnets",
        );
        return None;
    }
    Some(block)
}

/// Every subnet block parses, lies inside the VPC's, and overlaps no other subnet's.
fn check_subnet_cidrs(vpc: &Item, vpc_block: Option<Cidr>, diag: &mut Diagnostics) {
    let mut seen: Vec<(Cidr, &Expr, &str)> = Vec::new();
    for tier in TIERS {
        let Some(field) = vpc.field(tier) else {
            continue;
        };
        let Value::Expr(expr) = &field.value else {
            continue;
        };
        let Some(blocks) = model::list(expr) else {
            diag.error_help(
                expr,
                "expected one CIDR block per zone",
                format!("write e.g. `{tier}: [\"10.0.1.0/24\", \"10.0.2.0/24\"]`"),
            );
            continue;
        };
        for element in blocks {
            let Some(block) = parse(element, diag) else {
                continue;
            };
            if let Some(outer) = vpc_block
                && !outer.contains(block)
            {
                diag.error_help(
                    element,
                    format!("subnet `{block}` is outside the VPC's block `{outer}`"),
                    format!("choose a block inside `{outer}`"),
                );
                continue;
            }
            if block.prefix > 28 {
                diag.error_at(
                    element,
                    format!(
                        "a subnet's block must be /28 or larger, found /{}",
                        block.prefix
                    ),
                );
                continue;
            }
            if let Some((other, other_expr, other_tier)) =
                seen.iter().find(|(other, _, _)| other.overlaps(block))
            {
                diag.error_help(
                    element,
                    format!("subnet `{block}` overlaps `{other}` of tier `{other_tier}`"),
                    "give each subnet its own block",
                );
                diag.error_at(*other_expr, format!("`{other}` is declared here"));
                continue;
            }
            seen.push((block, element, tier));
        }
    }
}

/// Ports are 1 to 65535.
fn check_ports(item: &Item, diag: &mut Diagnostics) {
    let ports: &[&str] = match item.kind {
        Kind::LoadBalancer => &["target_port"],
        Kind::FargateService | Kind::Aurora => &["port"],
        _ => &[],
    };
    for key in ports {
        if let Some((&port, expr)) = item.int(key).literal() {
            port_in_range(port, expr, diag);
        }
    }
    let rules = item.fields.iter().filter_map(|f| match &f.value {
        Value::Ingress(rules) | Value::Egress(rules) => Some(rules),
        _ => None,
    });
    for rules in rules {
        for rule in rules {
            if let Ok(port) = rule.port.base10_parse::<i128>() {
                port_in_range(port, &rule.port, diag);
            }
        }
    }
}

fn port_in_range(port: i128, at: &impl quote::ToTokens, diag: &mut Diagnostics) {
    if !i64::try_from(port).is_ok_and(|p| infra_facts::limits::PORTS.contains(&p)) {
        diag.error_at(at, format!("`{port}` is not a TCP port (1 to 65535)"));
    }
}
