//! `fargate_service`: an ECS cluster, a Fargate task definition and service behind a
//! load balancer, with target-tracking auto-scaling on CPU and memory.
//!
//! Tasks run in private subnets without public addresses, log to a log group of the
//! stack, roll back a failed deployment by themselves, and reach the database by IAM
//! authentication (its endpoint, port and user are passed as environment variables).

use infra_facts::derived;
use std::collections::BTreeMap;

use super::{Aurora, LoadBalancer, Scope, Tier, some};
use crate::aws::applicationautoscaling::{scalable_target, scaling_policy};
use crate::aws::ec2::SecurityGroup;
use crate::aws::ecs::{Cluster, Service, TaskDefinition, cluster, service, task_definition};
use crate::aws::iam::Role;
use crate::aws::logs::LogGroup;
use crate::aws::secretsmanager::Secret;
use crate::intrinsic::sub_with;
use crate::value::pseudo;
use crate::{Arn, Handle, ResourceOptions, Value};

/// What a `fargate_service` construct declares.
#[derive(Debug)]
pub struct FargateServiceSpec<'a> {
    /// Private subnets the tasks run in.
    pub subnets: Option<&'a Tier>,
    /// The tasks' security group.
    pub security_group: Option<&'a Handle<SecurityGroup>>,
    /// The load balancer whose target group the tasks join.
    pub load_balancer: Option<&'a LoadBalancer>,
    /// The container image, pinned to a version.
    pub image: &'a str,
    /// The port the container listens on.
    pub port: u16,
    /// Task CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384).
    pub cpu: u32,
    /// Task memory in MiB, allowed for the CPU chosen.
    pub memory: u32,
    /// Tasks at start.
    pub desired: u16,
    /// Fewest tasks auto-scaling keeps.
    pub min: u16,
    /// Most tasks auto-scaling starts.
    pub max: u16,
    /// Average CPU utilization auto-scaling aims at, in percent.
    pub cpu_target: u8,
    /// Average memory utilization auto-scaling aims at, in percent.
    pub memory_target: u8,
    /// The role ECS uses to start tasks (pull the image, write logs).
    pub execution_role: Option<&'a Handle<Role>>,
    /// The role the application runs as.
    pub task_role: Option<&'a Handle<Role>>,
    /// Where the container's output goes.
    pub logs: Option<&'a Handle<LogGroup>>,
    /// The database the application uses.
    pub database: Option<&'a Aurora>,
    /// The database user the application connects as (IAM authentication).
    pub database_user: &'a str,
    /// CloudWatch Container Insights on the cluster (the service's own; a shared
    /// `cluster` has its own setting).
    pub container_insights: bool,
    /// A cluster shared with other services; `None` gives the service a cluster of its own.
    pub cluster: Option<&'a Handle<Cluster>>,
    /// The container's command, overriding the image's.
    pub command: &'a [&'a str],
    /// Environment variables, after the database's.
    pub environment: &'a [(&'a str, Value<String>)],
    /// Environment variables ECS reads from Secrets Manager when a task starts (the
    /// execution role must be able to read each secret).
    pub secrets: &'a [(&'a str, Value<Arn<Secret>>)],
}

impl Default for FargateServiceSpec<'_> {
    fn default() -> Self {
        use infra_facts::defaults::fargate as D;
        Self {
            subnets: None,
            security_group: None,
            load_balancer: None,
            image: "",
            port: D::PORT,
            cpu: D::CPU,
            memory: D::MEMORY,
            desired: D::DESIRED,
            min: D::MIN,
            max: D::MAX,
            cpu_target: D::CPU_TARGET,
            memory_target: D::MEMORY_TARGET,
            execution_role: None,
            task_role: None,
            logs: None,
            database: None,
            database_user: D::DATABASE_USER,
            container_insights: D::CONTAINER_INSIGHTS,
            cluster: None,
            command: &[],
            environment: &[],
            secrets: &[],
        }
    }
}

/// What a `fargate_service` construct gives back.
#[derive(Debug, Clone)]
pub struct FargateService {
    /// The ECS cluster.
    pub cluster: Handle<Cluster>,
    /// The task definition.
    pub task_definition: Handle<TaskDefinition>,
    /// The service.
    pub service: Handle<Service>,
}

const CONTAINER: &str = "app";

/// What a `cluster` construct declares: an ECS cluster several services share.
#[derive(Debug)]
pub struct ClusterSpec {
    /// CloudWatch Container Insights.
    pub container_insights: bool,
}

impl Default for ClusterSpec {
    fn default() -> Self {
        Self {
            container_insights: infra_facts::defaults::fargate::CONTAINER_INSIGHTS,
        }
    }
}

/// Adds an ECS cluster for services to share (`fargate_service { cluster: … }`).
#[track_caller]
pub fn ecs_cluster(scope: &mut Scope<'_>, id: &str, spec: ClusterSpec) -> Handle<Cluster> {
    scope.enter();
    add_cluster(scope, id, id, spec.container_insights)
}

/// The cluster resource, named after `owner`'s declaration.
fn add_cluster(
    scope: &mut Scope<'_>,
    logical_id: &str,
    owner: &str,
    insights: bool,
) -> Handle<Cluster> {
    scope.add(
        logical_id,
        cluster::Cluster {
            cluster_settings: Some(vec![cluster::ClusterSettings {
                name: some("containerInsights"),
                value: some(if insights { "enabled" } else { "disabled" }),
            }]),
            tags: Some(scope.name_tag(&super::kebab(owner))),
            ..Default::default()
        },
    )
}

/// Sizes and counts AWS would reject, when they come from settings (`stack!` rejects
/// literals at compile time with the same rules).
fn reject_invalid_sizes(scope: &mut Scope<'_>, id: &str, spec: &FargateServiceSpec<'_>) {
    use infra_facts::limits;
    if let Some(problem) = limits::image_problem(spec.image) {
        scope.reject(
            id,
            format!(
                "has the image `{}`, which {problem}: {}",
                spec.image,
                limits::IMAGE_HELP
            ),
        );
    }
    match limits::fargate_memory(spec.cpu) {
        None => scope.reject(
            id,
            format!(
                "asks for {} CPU units, which is not a Fargate size",
                spec.cpu
            ),
        ),
        Some(allowed) if !allowed.contains(&spec.memory) => scope.reject(
            id,
            format!(
                "asks for {} CPU units with {} MiB, which Fargate does not run",
                spec.cpu, spec.memory
            ),
        ),
        Some(_) => {}
    }
    if spec.min > spec.max {
        scope.reject(
            id,
            format!(
                "scales between {} and {} tasks, but `min` must not exceed `max`",
                spec.min, spec.max
            ),
        );
    }
}

/// What the service's roles must be allowed, judged on the policies the template gives
/// them: the execution role writes the log group and reads each secret of this stack
/// the task names; the task role connects to the database as `database_user`.
fn require_grants(scope: &mut Scope<'_>, id: &str, spec: &FargateServiceSpec<'_>) {
    use super::iam::{of_this_stack, require_grant};
    if let Some(logs) = spec.logs {
        let fix = format!("grant it `write_logs` on `{}`", logs.logical_id());
        let needed = super::grant::builtin::write_logs(logs);
        require_grant(
            scope,
            id,
            "execution role",
            spec.execution_role,
            &needed,
            &fix,
        );
    }
    for (name, secret) in spec.secrets {
        if of_this_stack(scope, &secret.to_json()) {
            let fix = format!("grant it `read_secret` on the secret of `{name}`");
            let needed = super::grant::builtin::read_secret(secret);
            require_grant(
                scope,
                id,
                "execution role",
                spec.execution_role,
                &needed,
                &fix,
            );
        }
    }
    if let Some(database) = spec.database {
        let user = spec.database_user;
        let fix = format!("grant it `connect` on the database as \"{user}\"");
        let needed = super::grant::builtin::connect(database, user);
        require_grant(scope, id, "task role", spec.task_role, &needed, &fix);
    }
}

/// Adds the cluster, task definition, service, scalable target and scaling policies.
#[track_caller]
pub fn fargate_service(
    scope: &mut Scope<'_>,
    id: &str,
    spec: FargateServiceSpec<'_>,
) -> FargateService {
    scope.enter();
    reject_invalid_sizes(scope, id, &spec);
    require_wiring(scope, id, &spec);
    let cluster = match spec.cluster {
        Some(shared) => shared.clone(),
        None => add_cluster(
            scope,
            &format!("{id}{}", derived::CLUSTER),
            id,
            spec.container_insights,
        ),
    };
    let task_definition = add_task_definition(scope, id, &spec);
    let service = add_service(scope, id, &spec, &cluster, &task_definition);
    add_scaling(scope, id, &spec, &cluster, &service);
    FargateService {
        cluster,
        task_definition,
        service,
    }
}

/// What only the built stack shows of the service's wiring: its subnets and group in
/// one VPC and the grants its roles need (that ECS may assume them is judged on the
/// template, by the task definition's role properties).
fn require_wiring(scope: &mut Scope<'_>, id: &str, spec: &FargateServiceSpec<'_>) {
    super::security::require_same_vpc(
        scope,
        id,
        "a Fargate service",
        spec.subnets,
        spec.security_group,
    );
    require_grants(scope, id, spec);
    require_admissions(scope, id, spec);
    if let Some(subnets) = spec.subnets {
        subnets.note_no_way_out(scope, id, "runs its tasks");
    }
}

/// The rules the service's traffic needs, judged on the complete template: its group
/// admits the load balancer's on the container's port, and the database's admits its
/// own on the database's port. Whatever the ports' source: a literal `stack!` already
/// judged by types, or a setting, which types cannot see.
fn require_admissions(scope: &mut Scope<'_>, id: &str, spec: &FargateServiceSpec<'_>) {
    let Some(group) = spec.security_group.map(|g| g.logical_id().to_owned()) else {
        return;
    };
    let properties = |scope: &Scope<'_>, logical_id: &str| {
        scope
            .stack
            .resource(logical_id)
            .and_then(|entry| entry.properties.as_ref().ok())
            .cloned()
    };
    if let Some(balancer) = spec.load_balancer
        && let Some(lb) = properties(scope, balancer.load_balancer.logical_id())
        && let Some(lb_group) = super::security::first_group(&lb["SecurityGroups"])
    {
        let what = "receives its load balancer's traffic";
        scope.require_admission(id, what, &group, &lb_group, i64::from(spec.port));
    }
    if let Some(database) = spec.database
        && let Some(cluster) = properties(scope, database.cluster.logical_id())
        && let Some(db_group) = super::security::first_group(&cluster["VpcSecurityGroupIds"])
        && let Some(port) = cluster["Port"].as_i64()
    {
        let what = "connects to its database";
        scope.require_admission(id, what, &db_group, &group, port);
    }
}

/// The container's environment: the database's address and user, then the spec's.
fn environment(spec: &FargateServiceSpec<'_>) -> Vec<task_definition::KeyValuePair> {
    let mut environment = vec![];
    if let Some(database) = spec.database {
        for (name, value) in [
            ("DB_HOST", database.endpoint()),
            ("DB_PORT", database.cluster.endpoint_port()),
            ("DB_USER", Value::from(spec.database_user)),
            ("DB_AUTH", Value::from("iam")),
        ] {
            environment.push(task_definition::KeyValuePair {
                name: some(name),
                value: Some(value),
            });
        }
    }
    for (name, value) in spec.environment {
        environment.push(task_definition::KeyValuePair {
            name: some(*name),
            value: Some(value.clone()),
        });
    }
    environment
}

/// The awslogs driver writing to `group`, streams prefixed by the service.
fn log_configuration(id: &str, group: &Handle<LogGroup>) -> task_definition::LogConfiguration {
    let mut options = BTreeMap::new();
    options.insert("awslogs-group".to_owned(), group.name().erase().cast());
    options.insert("awslogs-region".to_owned(), pseudo::region());
    options.insert(
        "awslogs-stream-prefix".to_owned(),
        Value::from(super::kebab(id)),
    );
    task_definition::LogConfiguration {
        log_driver: "awslogs".into(),
        options: Some(options.into()),
        ..Default::default()
    }
}

/// The task definition: one container with its image, port, environment, secrets,
/// command and logs.
fn add_task_definition(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &FargateServiceSpec<'_>,
) -> Handle<TaskDefinition> {
    let environment = environment(spec);
    let secrets: Vec<task_definition::Secret> = spec
        .secrets
        .iter()
        .map(|(name, arn)| task_definition::Secret {
            name: (*name).into(),
            value_from: arn.clone().into(),
        })
        .collect();
    let log_configuration = spec.logs.map(|group| log_configuration(id, group));
    scope.add(
        &format!("{id}{}", derived::TASK),
        task_definition::TaskDefinition {
            family: some(scope.physical_name(&super::kebab(id))),
            cpu: some(spec.cpu.to_string()),
            memory: some(spec.memory.to_string()),
            network_mode: Some(task_definition::NetworkMode::Awsvpc.into()),
            requires_compatibilities: Some(
                vec![task_definition::RequiresCompatibilitie::Fargate].into(),
            ),
            execution_role_arn: spec.execution_role.map(|r| r.arn()),
            task_role_arn: spec.task_role.map(|r| r.arn()),
            container_definitions: Some(vec![task_definition::ContainerDefinition {
                name: CONTAINER.into(),
                image: spec.image.into(),
                essential: some(true),
                port_mappings: Some(vec![task_definition::PortMapping {
                    container_port: some(i64::from(spec.port)),
                    protocol: Some(task_definition::Protocol::Tcp.into()),
                    ..Default::default()
                }]),
                environment: (!environment.is_empty()).then_some(environment),
                secrets: (!secrets.is_empty()).then_some(secrets),
                command: (!spec.command.is_empty()).then(|| {
                    spec.command
                        .iter()
                        .map(|c| (*c).to_owned())
                        .collect::<Vec<_>>()
                        .into()
                }),
                log_configuration,
                ..Default::default()
            }]),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
    )
}

/// The service: private addresses, behind the load balancer when there is one (after
/// its listeners), with the deployment circuit breaker.
fn add_service(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &FargateServiceSpec<'_>,
    cluster: &Handle<Cluster>,
    task_definition: &Handle<TaskDefinition>,
) -> Handle<Service> {
    let mut options = ResourceOptions::new();
    let load_balancers = spec.load_balancer.map(|lb| {
        for listener in &lb.listeners {
            options = std::mem::take(&mut options).depends_on(listener);
        }
        vec![service::LoadBalancer {
            container_name: some(CONTAINER),
            container_port: some(i64::from(spec.port)),
            target_group_arn: Some(lb.target_group.arn()),
            ..Default::default()
        }]
    });
    scope.add_with(
        &format!("{id}{}", derived::SERVICE),
        service::Service {
            cluster: Some(cluster.name().into()),
            task_definition: Some(task_definition.arn()),
            launch_type: Some(service::LaunchType::Fargate.into()),
            desired_count: some(i64::from(spec.desired)),
            network_configuration: Some(service::NetworkConfiguration {
                awsvpc_configuration: Some(service::AwsVpcConfiguration {
                    assign_public_ip: Some(service::AssignPublicIp::Disabled.into()),
                    security_groups: spec.security_group.map(|sg| vec![sg.id()].into()),
                    subnets: spec.subnets.map(Tier::id_list),
                }),
            }),
            load_balancers,
            health_check_grace_period_seconds: spec.load_balancer.map(|_| 60.into()),
            deployment_configuration: Some(service::DeploymentConfiguration {
                deployment_circuit_breaker: Some(service::DeploymentCircuitBreaker {
                    enable: true.into(),
                    rollback: true.into(),
                    ..Default::default()
                }),
                minimum_healthy_percent: some(100),
                maximum_percent: some(200),
                ..Default::default()
            }),
            propagate_tags: Some(service::PropagateTags::Service.into()),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    )
}

/// The scalable target between `min` and `max` tasks, and target tracking on CPU and
/// memory.
fn add_scaling(
    scope: &mut Scope<'_>,
    id: &str,
    spec: &FargateServiceSpec<'_>,
    cluster: &Handle<Cluster>,
    service: &Handle<Service>,
) {
    let target = scope.add(
        &format!("{id}ScalableTarget"),
        scalable_target::ScalableTarget {
            service_namespace: scalable_target::ServiceNamespace::Ecs.into(),
            scalable_dimension: scalable_target::ScalableDimension::EcsServiceDesiredCount.into(),
            resource_id: sub_with(
                "service/${Cluster}/${Service}",
                [
                    ("Cluster", cluster.name().erase()),
                    ("Service", service.get_att::<String>("Name").erase()),
                ],
            ),
            min_capacity: i64::from(spec.min).into(),
            max_capacity: i64::from(spec.max).into(),
            ..Default::default()
        },
    );
    for (name, metric, percent) in [
        (
            "Cpu",
            scaling_policy::PredefinedMetricType::EcsServiceAverageCpuUtilization,
            spec.cpu_target,
        ),
        (
            "Memory",
            scaling_policy::PredefinedMetricType::EcsServiceAverageMemoryUtilization,
            spec.memory_target,
        ),
    ] {
        let policy_name = format!(
            "{}-{}",
            scope.physical_name(&super::kebab(id)),
            name.to_lowercase()
        );
        scope.add(
            &format!("{id}{name}Scaling"),
            scaling_policy::ScalingPolicy {
                policy_name: policy_name.into(),
                policy_type: scaling_policy::PolicyType::TargetTrackingScaling.into(),
                scaling_target_id: Some(target.id()),
                target_tracking_scaling_policy_configuration: Some(
                    scaling_policy::TargetTrackingScalingPolicyConfiguration {
                        target_value: f64::from(percent).into(),
                        predefined_metric_specification: Some(
                            scaling_policy::PredefinedMetricSpecification {
                                predefined_metric_type: metric.into(),
                                ..Default::default()
                            },
                        ),
                        scale_in_cooldown: some(300),
                        scale_out_cooldown: some(60),
                        ..Default::default()
                    },
                ),
                ..Default::default()
            },
        );
    }
}
