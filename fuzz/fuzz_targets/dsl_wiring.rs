//! Syntactically valid stacks with random wiring — the VPC's block and subnet blocks,
//! tiers, an internet-facing or internal load balancer, ingress rules, ports, a second VPC
//! the database's group may sit in, roles (who assumes them, what they are granted,
//! including grants on resources of the wrong kind and as another database user, IAM
//! statements), the log key and the access-log bucket — checked against a small oracle
//! written here, independently of the checker: for each rule, the checker reports an
//! error exactly when the oracle finds a mistake.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Wiring {
    vpc_octet: u8,
    vpc_prefix: u8,
    /// Per tier (public, private, database): up to three `(second, third, fourth, prefix)`.
    subnets: [Vec<(u8, u8, u8, u8)>; 3],
    /// Ingress of alb_sg, app_sg, db_sg: `(port, source)`, source 0 = internet, 1..=3 a group.
    ingress: [Vec<(u16, u8)>; 3],
    lb_tier: u8,
    service_tier: u8,
    db_tier: u8,
    target_port: u16,
    container_port: u16,
    db_port: u16,
    /// Who assumes the execution and the task role: an index into `PRINCIPALS`.
    exec_principal: u8,
    task_principal: u8,
    /// Grants of the execution and the task role: indices into `GRANTS`.
    exec_grants: Vec<u8>,
    task_grants: Vec<u8>,
    /// IAM statements on the task role: `(action, resource)`, indices into the tables below.
    statements: Vec<(u8, u8)>,
    key_allows_logs: bool,
    bucket_kms: bool,
    bucket_lb_logs: bool,
    /// The load balancer is internal (in private subnets, admitting no internet).
    lb_internal: bool,
    /// The database's group is declared in a second VPC.
    db_sg_elsewhere: bool,
}

const TIERS: [&str; 3] = ["public", "private", "database"];
const GROUPS: [&str; 3] = ["alb_sg", "app_sg", "db_sg"];
const PRINCIPALS: [&str; 4] = ["ecs_tasks", "lambda", "ec2", "vpc_flow_logs"];
/// Grants, and whether each names a resource that does not offer its verb (rustc's to
/// report, at the verb).
const GRANTS: [(&str, bool); 10] = [
    ("write_logs(logs)", false),
    ("read(access)", false),
    ("write(access)", false),
    ("use_key(k)", false),
    ("connect(db, \"app\")", false),
    ("connect(db, \"reporting\")", false),
    ("read_secret(db)", false),
    ("read(k)", true),
    ("use_key(access)", true),
    ("write_logs(db)", true),
];
/// IAM actions, and whether each is a wildcard.
const ACTIONS: [(&str, bool); 4] = [("s3:GetObject", false), ("s3:*", true), ("*", true), ("sqs:Send*", true)];
/// IAM resources: whether each names no particular resource (a wildcard in the service,
/// region, account or the resource's first segment does; a path under a named resource
/// does not), and whether it is an S3 object, the only type `s3:GetObject` applies to.
const RESOURCES: [(&str, bool, bool); 8] = [
    ("arn:aws:s3:::loans/*", false, true),
    ("arn:aws:s3:::loans", false, false),
    ("arn:aws:logs:eu-west-2:123456789012:log-group:app:*", false, false),
    ("arn:aws:sqs:eu-west-2:123456789012:queue", false, false),
    ("*", true, false),
    ("arn:aws:s3:::*", true, false),
    ("arn:aws:sqs:eu-west-2:*:queue", true, false),
    ("arn:aws:*:eu-west-2:123456789012:queue", true, false),
];

fn mask(prefix: u32) -> u32 {
    if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) }
}

/// A block as the oracle sees it: `(address, prefix)` or the reason it is not one.
fn block(address: u32, prefix: u32) -> Result<(u32, u32), &'static str> {
    if prefix > 32 {
        return Err("prefix");
    }
    if address & !mask(prefix) != 0 {
        return Err("host bits");
    }
    Ok((address, prefix))
}

fn contains(outer: (u32, u32), inner: (u32, u32)) -> bool {
    inner.1 >= outer.1 && inner.0 & mask(outer.1) == outer.0
}

fn overlaps(a: (u32, u32), b: (u32, u32)) -> bool {
    contains(a, b) || contains(b, a)
}

fn dotted(a: u32) -> String {
    format!("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)
}

fuzz_target!(|w: Wiring| {
    let vpc_prefix = u32::from(w.vpc_prefix % 34);
    let vpc_address = (10 << 24) | (u32::from(w.vpc_octet) << 16);
    let tier_of = |n: u8| TIERS[usize::from(n % 3)];
    let (lb_tier, service_tier, db_tier) = (tier_of(w.lb_tier), tier_of(w.service_tier), tier_of(w.db_tier));
    let subnets: Vec<Vec<(u32, u32)>> = w
        .subnets
        .iter()
        .map(|list| {
            list.iter()
                .take(3)
                .map(|(b, c, d, p)| ((10 << 24) | (u32::from(*b) << 16) | (u32::from(*c) << 8) | u32::from(*d), u32::from(*p % 34)))
                .collect()
        })
        .collect();
    let ingress: Vec<Vec<(u16, u8)>> = w.ingress.iter().map(|rules| rules.iter().take(4).map(|(p, s)| (*p, s % 4)).collect()).collect();
    let port = |p: u16| p.max(1);
    let (target_port, container_port, db_port) = (port(w.target_port), port(w.container_port), port(w.db_port));
    let principal = |n: u8| PRINCIPALS[usize::from(n) % PRINCIPALS.len()];
    let (exec_principal, task_principal) = (principal(w.exec_principal), principal(w.task_principal));
    let grants = |list: &Vec<u8>| -> Vec<(&str, bool)> { list.iter().take(4).map(|g| GRANTS[usize::from(*g) % GRANTS.len()]).collect() };
    let (exec_grants, task_grants) = (grants(&w.exec_grants), grants(&w.task_grants));
    let statements: Vec<((&str, bool), (&str, bool, bool))> = w
        .statements
        .iter()
        .take(3)
        .map(|(a, r)| (ACTIONS[usize::from(*a) % ACTIONS.len()], RESOURCES[usize::from(*r) % RESOURCES.len()]))
        .collect();

    // The stack, as text.
    let mut text = format!(
        "pub stack Fuzz {{ region: \"eu-west-2\" }}\nkey k {{ allow_logs: {} }}\nlog_group logs {{ retention_days: 365, key: k }}\n",
        w.key_allows_logs
    );
    text.push_str(&format!("vpc network {{ cidr: \"{}/{vpc_prefix}\"", dotted(vpc_address)));
    for (tier, list) in TIERS.iter().zip(&subnets) {
        let blocks: Vec<String> = list.iter().map(|(a, p)| format!("\"{}/{p}\"", dotted(*a))).collect();
        text.push_str(&format!(", {tier}: [{}]", blocks.join(", ")));
    }
    text.push_str(" }\n");
    text.push_str("vpc other { cidr: \"10.200.0.0/16\", public: [\"10.200.1.0/24\", \"10.200.2.0/24\"] }\n");
    // The VPC each group is declared in.
    let vpc_of = |group: usize| if group == 2 && w.db_sg_elsewhere { "other" } else { "network" };
    for (i, (group, rules)) in GROUPS.iter().zip(&ingress).enumerate() {
        let rules: Vec<String> = rules.iter().map(|(p, s)| format!("{p} from {}", if *s == 0 { "internet" } else { GROUPS[usize::from(s - 1)] })).collect();
        text.push_str(&format!("security_group {group} in {} {{ ingress: [{}] }}\n", vpc_of(i), rules.join(", ")));
    }
    text.push_str(&format!(
        "bucket access {{ encryption: {encryption}, load_balancer_logs: {lb_logs} }}\n\
         aurora db {{ subnets: network.{db_tier}, security_group: db_sg, key: k, port: {db_port} }}\n\
         role exec {{ assumed_by: {exec_principal}, grants: [{exec_grants}] }}\n\
         role task {{ assumed_by: {task_principal}, grants: [{task_grants}] }}\n\
         load_balancer web {{ internet_facing: {internet_facing}, subnets: network.{lb_tier}, security_group: alb_sg, allow_plain_http: true, target_port: {target_port}, access_logs: access }}\n\
         fargate_service app {{ subnets: network.{service_tier}, security_group: app_sg, load_balancer: web, image: \"x:1\", port: {container_port}, execution_role: exec, task_role: task, logs: logs, database: db }}\n",
        encryption = if w.bucket_kms { "kms(k)" } else { "s3_managed" },
        lb_logs = w.bucket_lb_logs,
        internet_facing = !w.lb_internal,
        exec_grants = exec_grants.iter().map(|(g, _)| *g).collect::<Vec<_>>().join(", "),
        task_grants = task_grants
            .iter()
            .map(|(g, _)| g.to_string())
            .chain(statements.iter().map(|((a, _), (r, _, _))| format!("allow([\"{a}\"], [\"{r}\"])")))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    let tokens: proc_macro2::TokenStream = text.parse().expect("the generated stack tokenizes");
    let messages = infra_dsl::check_only(tokens).messages();
    let reported = |fragment: &str| messages.iter().any(|m| m.contains(fragment));

    // Oracle: addresses.
    let vpc = block(vpc_address, vpc_prefix).ok().filter(|(_, p)| (16..=28).contains(p));
    let mut eligible: Vec<(u32, u32)> = Vec::new();
    let mut outside = false;
    for (a, p) in subnets.iter().flatten() {
        let Ok(b) = block(*a, *p) else { continue };
        if let Some(v) = vpc {
            if !contains(v, b) {
                outside = true;
                continue;
            }
        }
        if b.1 > 28 {
            continue;
        }
        eligible.push(b);
    }
    let overlap = eligible.iter().enumerate().any(|(i, a)| eligible[..i].iter().any(|b| overlaps(*a, *b)));
    assert_eq!(reported("is outside the VPC's block"), outside, "outside: {text}\n{messages:#?}");
    assert_eq!(reported("overlaps"), overlap, "overlap: {text}\n{messages:#?}");
    let host_bits = block(vpc_address, vpc_prefix) == Err("host bits")
        || subnets.iter().flatten().any(|(a, p)| block(*a, *p) == Err("host bits"));
    assert_eq!(reported("has host bits set"), host_bits, "host bits: {text}\n{messages:#?}");
    let vpc_prefix_wrong = block(vpc_address, vpc_prefix).is_ok() && !(16..=28).contains(&vpc_prefix);
    assert_eq!(reported("a VPC's block must be between /16 and /28"), vpc_prefix_wrong, "{text}\n{messages:#?}");

    // Oracle: tiers. An internal load balancer belongs in private subnets, as the service.
    let lb_expected = if w.lb_internal { "private" } else { "public" };
    let count = |fragment: &str| messages.iter().filter(|m| m.contains(fragment)).count();
    assert_eq!(reported("expected subnets of tier `public`"), lb_expected == "public" && lb_tier != "public", "{text}\n{messages:#?}");
    assert_eq!(
        count("expected subnets of tier `private`"),
        usize::from(service_tier != "private") + usize::from(lb_expected == "private" && lb_tier != "private"),
        "{text}\n{messages:#?}"
    );
    assert_eq!(
        reported("expected subnets of tier `database`") || reported("reachable from the internet"),
        db_tier != "database",
        "{text}\n{messages:#?}"
    );
    let zones = |tier: &str| subnets[TIERS.iter().position(|t| *t == tier).unwrap_or(0)].len();
    assert_eq!(reported("needs subnets in at least two zones"), zones(lb_tier) < 2 || zones(db_tier) < 2, "{text}\n{messages:#?}");

    // Oracle: the port chain and who admits the internet.
    let valid = |rules: &Vec<(u16, u8)>| rules.iter().all(|(p, _)| *p > 0);
    let admits = |group: usize, port: u16, source: u8| ingress[group].iter().any(|(p, s)| *p == port && *s == source);
    assert_eq!(reported("forwards to port"), target_port != container_port, "{text}\n{messages:#?}");
    assert_eq!(
        reported("`app_sg` does not admit port"),
        valid(&ingress[1]) && !admits(1, container_port, 1),
        "{text}\n{messages:#?}"
    );
    assert_eq!(
        reported("`db_sg` does not admit port"),
        valid(&ingress[2]) && !admits(2, db_port, 2),
        "{text}\n{messages:#?}"
    );
    // Only an internet-facing load balancer's group admits the internet.
    let public_groups = if w.lb_internal { 0 } else { 1 };
    let internet_elsewhere = ingress[public_groups..].iter().flatten().any(|(_, s)| *s == 0);
    assert_eq!(reported("admits the internet"), internet_elsewhere, "{text}\n{messages:#?}");
    // Groups are in the VPC of the subnets they are used with, and rules name groups of
    // their own VPC.
    assert_eq!(reported("but the subnets of `db` are in VPC"), w.db_sg_elsewhere, "{text}\n{messages:#?}");
    let cross_vpc = ingress.iter().enumerate().any(|(g, rules)| {
        rules.iter().any(|(_, s)| *s > 0 && vpc_of(g) != vpc_of(usize::from(s - 1)))
    });
    assert_eq!(reported("a rule can only name a group of the same VPC"), cross_vpc, "{text}\n{messages:#?}");
    let bad_port = ingress.iter().flatten().any(|(p, _)| *p == 0);
    assert_eq!(reported("is not a TCP port"), bad_port, "{text}\n{messages:#?}");

    // Oracle: roles.
    assert_eq!(
        reported("is the execution role of `app`, but `ecs-tasks.amazonaws.com` cannot assume it"),
        exec_principal != "ecs_tasks",
        "{text}\n{messages:#?}"
    );
    assert_eq!(
        reported("is the task role of `app`, but `ecs-tasks.amazonaws.com` cannot assume it"),
        task_principal != "ecs_tasks",
        "{text}\n{messages:#?}"
    );
    // A verb the resource does not offer is rustc's to report (`Grantable`), never the
    // macro's; the macro judges the roles' grants by verb and resource as written.
    assert!(!reported("which is a"), "{text}\n{messages:#?}");
    let has = |grants: &[(&str, bool)], g: &str| grants.iter().any(|(x, _)| *x == g);
    assert_eq!(
        reported("needs `write_logs` on its logs `logs`, but its execution role `exec` is not granted it"),
        !has(&exec_grants, "write_logs(logs)"),
        "{text}\n{messages:#?}"
    );
    let connects = task_grants.iter().any(|(g, _)| g.starts_with("connect(db"));
    assert_eq!(reported("may not connect"), !connects, "{text}\n{messages:#?}");
    // The service connects as `app` (the default user): a role that may connect only as
    // another user is reported.
    assert_eq!(
        reported("but `app` connects as `app`"),
        connects && !has(&task_grants, "connect(db, \"app\")"),
        "{text}\n{messages:#?}"
    );
    assert_eq!(reported("wildcard IAM action"), statements.iter().any(|((_, wild), _)| *wild), "{text}\n{messages:#?}");
    // Judged against the authorization reference: only an exact action is known to need a
    // resource (a wildcard action is refused as such), and `s3:GetObject` applies to
    // objects alone.
    let exact = |((_, wild_action), _): &&((&str, bool), (&str, bool, bool))| !*wild_action;
    assert_eq!(
        reported("names no particular resource"),
        statements.iter().filter(exact).any(|(_, (_, wild, _))| *wild),
        "{text}\n{messages:#?}"
    );
    assert_eq!(
        reported("does not apply to"),
        statements.iter().filter(exact).any(|(_, (_, wild, object))| !*wild && !*object),
        "{text}\n{messages:#?}"
    );

    // Oracle: the log key and the access-log bucket.
    assert_eq!(reported("does not let CloudWatch Logs use it"), !w.key_allows_logs, "{text}\n{messages:#?}");
    assert_eq!(reported("which is encrypted with a KMS key"), w.bucket_kms, "{text}\n{messages:#?}");
    assert_eq!(
        reported("does not let Elastic Load Balancing deliver access logs"),
        !w.bucket_kms && !w.bucket_lb_logs,
        "{text}\n{messages:#?}"
    );
    proc_macro2::extra::invalidate_current_thread_spans();
});
