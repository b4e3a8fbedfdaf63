//! Service limits: Fargate CPU and memory pairs, Aurora Serverless v2 capacity, log
//! retention from CloudWatch's allowed set, task counts and scaling targets, backup days.

use super::{Diagnostics, int_field};
use crate::ast::Item;
use crate::kind::Kind;
use crate::model::{self, Model};

/// The retention periods CloudWatch Logs accepts, in days.
pub(super) const RETENTION_DAYS: &[i128] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

pub(super) fn check(model: &Model<'_>, diag: &mut Diagnostics) {
    for service in super::of_kind(model, Kind::FargateService) {
        check_fargate_size(service, diag);
        check_task_counts(service, diag);
        check_scaling_targets(service, diag);
    }
    for db in super::of_kind(model, Kind::Aurora) {
        check_aurora_capacity(db, diag);
        check_backup_days(db, diag);
        check_retention(db, "log_retention_days", diag);
    }
    for group in super::of_kind(model, Kind::LogGroup) {
        check_retention(group, "retention_days", diag);
    }
}

/// The memory sizes Fargate allows for a CPU size, in MiB.
fn fargate_memory(cpu: i128) -> Option<Vec<i128>> {
    let gib = |from: i128, to: i128, step: i128| {
        (from..=to)
            .step_by(step as usize)
            .map(|g| g * 1024)
            .collect::<Vec<_>>()
    };
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => gib(1, 4, 1),
        1024 => gib(2, 8, 1),
        2048 => gib(4, 16, 1),
        4096 => gib(8, 30, 1),
        8192 => gib(16, 60, 4),
        16384 => gib(32, 120, 8),
        _ => return None,
    })
}

/// CPU is a Fargate size and memory is allowed for it.
fn check_fargate_size(service: &Item, diag: &mut Diagnostics) {
    let cpu = int_field(service, "cpu");
    if let Some((cpu, expr)) = cpu
        && fargate_memory(cpu).is_none()
    {
        diag.error_help(
            expr,
            format!("Fargate has no task size with {cpu} CPU units"),
            "CPU units are 256, 512, 1024, 2048, 4096, 8192 or 16384",
        );
        return;
    }
    let cpu = cpu.map_or(256, |(c, _)| c);
    if let Some((memory, expr)) = int_field(service, "memory")
        && let Some(allowed) = fargate_memory(cpu)
        && !allowed.contains(&memory)
    {
        let (first, last) = (allowed[0], allowed[allowed.len() - 1]);
        diag.error_help(
            expr,
            format!("Fargate does not run {cpu} CPU units with {memory} MiB"),
            format!(
                "with `cpu: {cpu}`, memory is one of {first}..={last} MiB ({})",
                allowed
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// `min <= desired <= max`.
fn check_task_counts(service: &Item, diag: &mut Diagnostics) {
    let min = int_field(service, "min");
    let max = int_field(service, "max");
    if let (Some((min, min_expr)), Some((max, _))) = (min, max)
        && min > max
    {
        diag.error_help(
            min_expr,
            format!("`min` is {min} but `max` is {max}"),
            "auto-scaling needs `min <= max`",
        );
        return;
    }
    if let Some((desired, expr)) = int_field(service, "desired") {
        let lo = min.map_or(1, |(m, _)| m);
        let hi = max.map_or(1, |(m, _)| m);
        if desired < lo || desired > hi {
            diag.error_help(
                expr,
                format!("`desired` is {desired}, outside `min..=max` ({lo}..={hi})"),
                "auto-scaling starts within its range; set `desired` between `min` and `max`",
            );
        }
    }
}

/// Scaling targets are percentages.
fn check_scaling_targets(service: &Item, diag: &mut Diagnostics) {
    for key in ["cpu_target", "memory_target"] {
        if let Some((value, expr)) = int_field(service, key)
            && !(1..=100).contains(&value)
        {
            diag.error_at(
                expr,
                format!("`{key}` is a utilization percentage (1 to 100), found {value}"),
            );
        }
    }
}

/// Aurora Serverless v2 capacity: 0 to 256 ACU in steps of 0.5, `min <= max`.
fn check_aurora_capacity(db: &Item, diag: &mut Diagnostics) {
    let mut values = Vec::new();
    for key in ["min_capacity", "max_capacity"] {
        let Some(expr) = db.expr(key) else { continue };
        let Some(value) = model::number(expr) else {
            continue;
        };
        if !(0.0..=256.0).contains(&value) || (value * 2.0).fract() != 0.0 {
            diag.error_help(
                expr,
                format!("`{key}` is {value} ACU, which Aurora Serverless v2 does not offer"),
                "capacity is 0 to 256 ACU in steps of 0.5",
            );
            return;
        }
        values.push((value, expr));
    }
    if let [(min, min_expr), (max, _)] = values[..]
        && min > max
    {
        diag.error_help(
            min_expr,
            format!("`min_capacity` ({min} ACU) is above `max_capacity` ({max} ACU)"),
            "Aurora scales between `min_capacity` and `max_capacity`",
        );
    }
    if let Some(max) = db.expr("max_capacity").and_then(model::number)
        && max < 1.0
        && let Some(expr) = db.expr("max_capacity")
    {
        diag.error_at(expr, format!("`max_capacity` is {max} ACU, but Aurora Serverless v2 needs at least 1 ACU at its top"));
    }
}

/// Automated backups are kept 1 to 35 days.
fn check_backup_days(db: &Item, diag: &mut Diagnostics) {
    if let Some((days, expr)) = int_field(db, "backup_days")
        && !(1..=35).contains(&days)
    {
        diag.error_at(
            expr,
            format!("`backup_days` is {days}, but automated backups are kept 1 to 35 days"),
        );
    }
}

/// Retention is one of the periods CloudWatch Logs accepts.
fn check_retention(item: &Item, key: &str, diag: &mut Diagnostics) {
    let Some((days, expr)) = int_field(item, key) else {
        return;
    };
    if !RETENTION_DAYS.contains(&days) {
        let above = RETENTION_DAYS
            .iter()
            .find(|d| **d > days)
            .or(RETENTION_DAYS.last())
            .copied()
            .unwrap_or(365);
        let below = RETENTION_DAYS.iter().rev().find(|d| **d < days).copied();
        let nearest = match below {
            Some(b) => format!("`{b}` or `{above}`"),
            None => format!("`{above}`"),
        };
        diag.error_help(
            expr,
            format!("CloudWatch Logs cannot keep events for {days} days"),
            format!("the nearest allowed periods are {nearest}"),
        );
    }
}
