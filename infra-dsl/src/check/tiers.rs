//! Subnet tiers: load balancers in public subnets (internal ones not), services in
//! private ones, databases in database ones, and multi-zone groups where AWS needs them.

use super::Diagnostics;
use crate::ast::Item;
use crate::kind::{self, Kind};
use crate::model::Model;

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    for lb in super::of_kind(model, Kind::LoadBalancer) {
        // Whether it faces the internet may be known only at run time: then so is its tier.
        if let Some(expected) = kind::expected_tier(
            Kind::LoadBalancer,
            lb.flag("internet_facing").value().copied(),
        ) {
            check_tier(
                model,
                lb,
                expected,
                "an internet-facing load balancer lives in public subnets",
                diag,
            );
        }
        check_zones(model, lb, diag);
    }
    let private = [
        (
            Kind::FargateService,
            "tasks run in private subnets and leave through NAT",
        ),
        (
            Kind::Function,
            "a function in a VPC runs in private subnets and reaches AWS through NAT",
        ),
        (
            Kind::EksCluster,
            "an EKS cluster's nodes and API endpoint live in private subnets",
        ),
    ];
    for (kind, why) in private {
        let expected = kind::expected_tier(kind, None).unwrap_or("private");
        for item in super::of_kind(model, kind) {
            check_tier(model, item, expected, why, diag);
        }
    }
    for db in super::of_kind(model, Kind::Aurora) {
        check_database_tier(model, db, diag);
        check_zones(model, db, diag);
    }
    for cluster in super::of_kind(model, Kind::EksCluster) {
        check_zones(model, cluster, diag);
        check_egress(model, cluster, "runs its nodes", diag);
    }
    for service in super::of_kind(model, Kind::FargateService) {
        check_egress(model, service, "runs its tasks", diag);
    }
    for output in super::of_kind(model, Kind::Output) {
        check_exported_tier(model, output, diag);
    }
}

/// `output name: Subnets<Marker> { value: network.tier }`: the marker names a tier, and
/// the value is a tier of a VPC of the stack, of that tier.
fn check_exported_tier(model: &Model<'_>, output: &Item, diag: &mut Diagnostics) {
    let Some(marker) = output.ty.as_ref().and_then(crate::model::subnets_marker) else {
        return;
    };
    let Some(declared) = kind::tier_of_marker(&marker.to_string()) else {
        diag.error_help(
            marker,
            format!("`{marker}` is not a tier"),
            "a tier is `Public`, `Private` or `Database`",
        );
        return;
    };
    let Some(expr) = output.expr("value") else {
        return;
    };
    match model.tier(output, "value") {
        Some((_, base, tier)) if tier != declared => diag.error_help(
            expr,
            format!("`{base}.{tier}` is of tier `{tier}`, but the output is `Subnets<{marker}>`"),
            format!(
                "export `{base}.{declared}`, or declare the output `Subnets<{}>`",
                crate::naming::logical_id(&tier)
            ),
        ),
        Some(_) => {}
        None => diag.error_help(
            expr,
            format!("expected a tier of a VPC of this stack, for `Subnets<{marker}>`"),
            format!("e.g. `value: network.{declared}`"),
        ),
    }
}

/// The construct's subnets are of the tier it belongs in.
fn check_tier(model: &Model<'_>, item: &Item, expected: &str, why: &str, diag: &mut Diagnostics) {
    let Some((_, base, tier)) = model.tier(item, "subnets") else {
        return;
    };
    if tier != expected
        && let Some(expr) = item.expr("subnets")
    {
        let why = if expected == "private" && item.kind == Kind::LoadBalancer {
            "an internal load balancer stays out of public subnets"
        } else {
            why
        };
        diag.error_help(
            expr,
            format!(
                "expected subnets of tier `{expected}`, found `{base}.{tier}` of tier `{tier}`"
            ),
            format!("{why}: `{base}.{expected}`"),
        );
    }
}

/// A database lives in the database tier; in a public one it is a compliance failure.
fn check_database_tier(model: &Model<'_>, db: &Item, diag: &mut Diagnostics) {
    let Some((_, base, tier)) = model.tier(db, "subnets") else {
        return;
    };
    let Some(expr) = db.expr("subnets") else {
        return;
    };
    match tier.as_str() {
        "database" => {}
        "public" => diag.error_help(
            expr,
            format!(
                "compliance: database `{}` would be reachable from the internet in `{base}.public`",
                db.name
            ),
            format!("a database is never public; use `{base}.database`"),
        ),
        _ => diag.error_help(
            expr,
            format!("expected subnets of tier `database`, found `{base}.{tier}` of tier `{tier}`"),
            format!("databases live in subnets with no route out of the VPC: `{base}.database`"),
        ),
    }
}

/// What must reach AWS's endpoints from private subnets (`runs`: tasks, nodes) has a
/// NAT gateway to leave through.
fn check_egress(model: &Model<'_>, item: &Item, runs: &str, diag: &mut Diagnostics) {
    let Some((network, base, tier)) = model.tier(item, "subnets") else {
        return;
    };
    let nat = network.int("nat_gateways");
    let (Some(&count), Some(expr), "private") = (nat.value(), item.expr("subnets"), tier.as_str())
    else {
        return;
    };
    if nat.literal().is_none() && network.writes_unknown_fields() {
        return;
    }
    let Some(problem) = u32::try_from(count)
        .ok()
        .and_then(infra_facts::limits::private_egress_problem)
    else {
        return;
    };
    diag.error_help(
        expr,
        format!("`{}` {runs} in `{base}.{tier}`, but {problem}", item.name),
        format!("give `{base}` `nat_gateways: 1` (or one per zone)"),
    );
    match nat.literal() {
        Some((_, written)) => diag.error_at(written, "its NAT gateways are counted here"),
        None => diag.error_at(
            &network.name,
            format!("`{base}` writes no `nat_gateways`, and has none unless it does"),
        ),
    }
}

/// Load balancers and database subnet groups span at least two zones.
fn check_zones(model: &Model<'_>, item: &Item, diag: &mut Diagnostics) {
    let Some((network, base, tier)) = model.tier(item, "subnets") else {
        return;
    };
    let zones = network
        .expr(&tier)
        .and_then(crate::model::list)
        .map_or(infra_facts::limits::MIN_ZONES, |l| l.len());
    if !infra_facts::limits::spans_enough_zones(zones)
        && let Some(expr) = item.expr("subnets")
    {
        diag.error_help(
            expr,
            format!(
                "`{base}.{tier}` has {zones} subnet{}, but {} needs subnets in at least two zones",
                if zones == 1 { "" } else { "s" },
                item.kind
            ),
            format!("give tier `{tier}` of `{base}` a subnet in a second zone"),
        );
        if let Some(field) = network.field(&tier) {
            diag.error_at(&field.key, format!("tier `{tier}` is declared here"));
        }
    }
}
