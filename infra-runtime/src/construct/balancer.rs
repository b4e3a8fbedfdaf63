//! `load_balancer`: an Application Load Balancer with its target group and listeners.
//!
//! With a certificate it listens with TLS 1.2+ on 443 and answers plain HTTP on 80 with
//! a redirect to HTTPS; plain HTTP forwards to the targets only when the stack says
//! `allow_plain_http`. Access logs go to a bucket of the stack, invalid header fields
//! are dropped, and deletion protection follows the spec.

use super::{Scope, Tier, some};
use crate::aws::certificatemanager::Certificate;
use crate::aws::ec2::SecurityGroup;
use crate::aws::elasticloadbalancingv2::{
    self as elb, Listener, TargetGroup, listener, load_balancer, target_group,
};
use crate::aws::s3::Bucket;
use crate::{Arn, Handle, ResourceOptions, Value};

/// What a `load_balancer` construct declares.
#[derive(Debug)]
pub struct LoadBalancerSpec<'a> {
    /// Subnets it lives in: public ones when internet-facing.
    pub subnets: Option<&'a Tier>,
    /// Its security group.
    pub security_group: Option<&'a Handle<SecurityGroup>>,
    /// Reachable from the internet.
    pub internet_facing: bool,
    /// The certificate of the HTTPS listener.
    pub certificate: Option<Value<Arn<Certificate>>>,
    /// Serve plain HTTP instead of redirecting it to HTTPS.
    pub allow_plain_http: bool,
    /// The port the targets listen on.
    pub target_port: u16,
    /// The path the target group's health check requests.
    pub health_check: &'a str,
    /// The bucket that receives access logs (S3-managed encryption, log-delivery policy).
    pub access_logs: Option<&'a Handle<Bucket>>,
    /// Refuse deletion (production).
    pub deletion_protection: bool,
}

impl Default for LoadBalancerSpec<'_> {
    fn default() -> Self {
        use infra_facts::defaults::load_balancer as D;
        Self {
            subnets: None,
            security_group: None,
            internet_facing: D::INTERNET_FACING,
            certificate: None,
            allow_plain_http: D::ALLOW_PLAIN_HTTP,
            target_port: D::TARGET_PORT,
            health_check: D::HEALTH_CHECK,
            access_logs: None,
            deletion_protection: D::DELETION_PROTECTION,
        }
    }
}

/// What a `load_balancer` construct gives back.
#[derive(Debug, Clone)]
pub struct LoadBalancer {
    /// The load balancer.
    pub load_balancer: Handle<elb::LoadBalancer>,
    /// The target group services register with.
    pub target_group: Handle<TargetGroup>,
    /// Its listeners; services depend on them so that the target group is attached first.
    pub listeners: Vec<Handle<Listener>>,
}

impl LoadBalancer {
    /// The load balancer's DNS name.
    pub fn dns_name(&self) -> Value<String> {
        self.load_balancer.dns_name()
    }
}

fn attribute(key: &str, value: impl Into<String>) -> load_balancer::LoadBalancerAttribute {
    load_balancer::LoadBalancerAttribute {
        key: some(key),
        value: some(value.into()),
    }
}

fn forward(target_group: &Handle<TargetGroup>) -> Vec<listener::Action> {
    vec![listener::Action {
        r#type: listener::Type::Forward.into(),
        target_group_arn: Some(target_group.arn()),
        ..Default::default()
    }]
}

/// Adds the load balancer, its target group and its listeners.
#[track_caller]
pub fn load_balancer(scope: &mut Scope<'_>, id: &str, spec: LoadBalancerSpec<'_>) -> LoadBalancer {
    scope.enter();
    check(scope, id, &spec);
    let load_balancer = balancer(scope, id, &spec);
    let target_group = targets(scope, id, &spec);
    let listeners = listeners(scope, id, &spec, &load_balancer, &target_group);
    LoadBalancer {
        load_balancer,
        target_group,
        listeners,
    }
}

/// The spec's own rules: a health-check path the target group takes, two zones, one VPC.
fn check(scope: &mut Scope<'_>, id: &str, spec: &LoadBalancerSpec<'_>) {
    if let Some(problem) = infra_facts::limits::health_check_path_problem(spec.health_check) {
        scope.reject(
            id,
            format!(
                "has the health-check path `{}`: {problem}",
                spec.health_check
            ),
        );
    }
    if let Some(tier) = spec.subnets {
        tier.require_zones(scope, id, "a load balancer");
    }
    super::security::require_same_vpc(
        scope,
        id,
        "a load balancer",
        spec.subnets,
        spec.security_group,
    );
}

/// The load balancer: invalid header fields dropped, deletion protection as the spec
/// says, access logs to the spec's bucket once its policy lets the balancer write.
fn balancer(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &LoadBalancerSpec<'_>,
) -> Handle<elb::LoadBalancer> {
    let mut attributes = vec![
        attribute("routing.http.drop_invalid_header_fields.enabled", "true"),
        attribute(
            "deletion_protection.enabled",
            spec.deletion_protection.to_string(),
        ),
    ];
    let mut options = ResourceOptions::new();
    if let Some(bucket) = spec.access_logs {
        attributes.push(attribute("access_logs.s3.enabled", "true"));
        attributes.push(load_balancer::LoadBalancerAttribute {
            key: some("access_logs.s3.bucket"),
            value: Some(bucket.name().erase().cast()),
        });
        attributes.push(attribute("access_logs.s3.prefix", super::kebab(id)));
        // The load balancer checks that it may write before it is created.
        options = options.depends_on_id(&format!("{}Policy", bucket.logical_id()));
    }
    scope.add_with(
        id,
        elb::load_balancer::LoadBalancer {
            r#type: Some(load_balancer::Type::Application.into()),
            scheme: Some(if spec.internet_facing {
                load_balancer::Scheme::InternetFacing.into()
            } else {
                load_balancer::Scheme::Internal.into()
            }),
            subnets: spec.subnets.map(Tier::id_list),
            security_groups: spec.security_group.map(|sg| vec![sg.id()].into()),
            load_balancer_attributes: Some(attributes),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    )
}

/// The target group: IP targets on the spec's port, health-checked on its path.
fn targets(scope: &mut Scope<'_>, id: &str, spec: &LoadBalancerSpec<'_>) -> Handle<TargetGroup> {
    scope.add(
        &format!("{id}Targets"),
        target_group::TargetGroup {
            vpc_id: spec.subnets.map(|tier| tier.vpc.clone()),
            port: some(i64::from(spec.target_port)),
            protocol: Some(target_group::Protocol::Http.into()),
            target_type: Some(target_group::TargetType::Ip.into()),
            health_check_enabled: some(true),
            health_check_path: some(spec.health_check),
            health_check_protocol: Some(target_group::HealthCheckProtocol::Http.into()),
            matcher: Some(target_group::Matcher {
                http_code: some("200-399"),
                ..Default::default()
            }),
            target_group_attributes: Some(vec![target_group::TargetGroupAttribute {
                key: some("deregistration_delay.timeout_seconds"),
                value: some("30"),
            }]),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
    )
}

/// HTTPS on 443 with the certificate, if there is one; HTTP on 80, which redirects to
/// HTTPS unless plain HTTP is allowed or there is no HTTPS listener.
fn listeners(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &LoadBalancerSpec<'_>,
    lb: &Handle<elb::LoadBalancer>,
    target_group: &Handle<TargetGroup>,
) -> Vec<Handle<Listener>> {
    let mut listeners = Vec::new();
    if let Some(certificate) = &spec.certificate {
        listeners.push(scope.add(
            &format!("{id}HttpsListener"),
            listener::Listener {
                load_balancer_arn: lb.arn(),
                port: some(443),
                protocol: Some(listener::Protocol::Https.into()),
                ssl_policy: some("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                certificates: Some(vec![listener::Certificate {
                    certificate_arn: Some(certificate.clone()),
                }]),
                default_actions: forward(target_group),
                ..Default::default()
            },
        ));
    }
    let http_actions = if spec.allow_plain_http || listeners.is_empty() {
        forward(target_group)
    } else {
        vec![listener::Action {
            r#type: listener::Type::Redirect.into(),
            redirect_config: Some(listener::RedirectConfig {
                protocol: some("HTTPS"),
                port: some("443"),
                status_code: listener::StatusCode::Http301.into(),
                ..Default::default()
            }),
            ..Default::default()
        }]
    };
    listeners.push(scope.add(
        &format!("{id}HttpListener"),
        listener::Listener {
            load_balancer_arn: lb.arn(),
            port: some(80),
            protocol: Some(listener::Protocol::Http.into()),
            default_actions: http_actions,
            ..Default::default()
        },
    ));
    listeners
}
