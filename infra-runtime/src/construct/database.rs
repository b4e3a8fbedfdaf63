//! `aurora`: an Aurora Serverless v2 cluster (MySQL or PostgreSQL) in the database tier.
//!
//! Always encrypted with the stack's key, IAM database authentication on, the master
//! password generated and kept by Secrets Manager (never in the template), TLS required
//! by a cluster parameter group, the engine's logs exported to log groups
//! with the stack's retention, and an explicit deletion policy: a final snapshot, or
//! deletion for environments that ask for it.

use serde_json::json;

use super::{Grant, Scope, Tier, some};
use crate::aws::ec2::SecurityGroup;
use crate::aws::iam::role;
use crate::aws::kms::Key;
use crate::aws::logs::LogGroup;
use crate::aws::logs::log_group;
use crate::aws::rds::db_cluster_parameter_group;
use crate::aws::rds::db_instance;
use crate::aws::rds::db_subnet_group;
use crate::aws::rds::{DbCluster, DbClusterParameterGroup, DbInstance, DbSubnetGroup, db_cluster};
use crate::intrinsic::{sub, sub_with};
use crate::{Handle, Policy, ResourceOptions, Value};
use infra_facts::AuroraEngine;

/// What an `aurora` construct declares.
#[derive(Debug)]
pub struct AuroraSpec<'a> {
    /// Database subnets, in at least two zones.
    pub subnets: Option<&'a Tier>,
    /// The cluster's security group.
    pub security_group: Option<&'a Handle<SecurityGroup>>,
    /// The key that encrypts storage, the master secret and the exported logs.
    pub key: Option<&'a Handle<Key>>,
    /// The engine: `mysql` or `postgresql` (one of [`infra_facts::AURORA_ENGINES`]); its
    /// version, parameter family, port and exported logs follow from it.
    pub engine: &'a str,
    /// The port, when not the engine's own (3306 for MySQL, 5432 for PostgreSQL).
    pub port: Option<u16>,
    /// Smallest capacity in Aurora capacity units (0.5 steps).
    pub min_capacity: f64,
    /// Largest capacity in Aurora capacity units.
    pub max_capacity: f64,
    /// Days of automated backups (1 to 35).
    pub backup_days: u8,
    /// Serverless v2 instances: 1 writer, more for readers in other zones.
    pub instances: u8,
    /// The database created in the cluster.
    pub database_name: &'a str,
    /// The master user (its password lives in Secrets Manager).
    pub master_username: &'a str,
    /// Refuse deletion (production).
    pub deletion_protection: bool,
    /// Take a final snapshot when the cluster is deleted or replaced.
    pub final_snapshot: bool,
    /// Days the exported database logs are kept.
    pub log_retention_days: u16,
    /// Seconds between enhanced-monitoring samples (0 turns it off; 1, 5, 10, 15, 30, 60).
    pub monitoring_interval: u8,
}

impl Default for AuroraSpec<'_> {
    fn default() -> Self {
        use infra_facts::defaults::aurora as D;
        Self {
            subnets: None,
            security_group: None,
            key: None,
            engine: D::ENGINE,
            port: None,
            min_capacity: D::MIN_CAPACITY,
            max_capacity: D::MAX_CAPACITY,
            backup_days: D::BACKUP_DAYS,
            instances: D::INSTANCES,
            database_name: D::DATABASE_NAME,
            master_username: D::MASTER_USERNAME,
            deletion_protection: D::DELETION_PROTECTION,
            final_snapshot: D::FINAL_SNAPSHOT,
            log_retention_days: D::LOG_RETENTION_DAYS,
            monitoring_interval: D::MONITORING_INTERVAL,
        }
    }
}

/// What an `aurora` construct gives back.
#[derive(Debug, Clone)]
pub struct Aurora {
    /// The cluster.
    pub cluster: Handle<DbCluster>,
    /// Its Serverless v2 instances, writer first.
    pub instances: Vec<Handle<DbInstance>>,
    /// The log groups its logs are exported to.
    pub log_groups: Vec<Handle<LogGroup>>,
}

impl Aurora {
    /// The writer endpoint's address.
    pub fn endpoint(&self) -> Value<String> {
        self.cluster.endpoint_address()
    }
}

/// Adds the cluster, its subnet group, parameter group, instances and log groups.
#[track_caller]
pub fn aurora(scope: &mut Scope<'_>, id: &str, spec: AuroraSpec<'_>) -> Aurora {
    scope.enter();
    let engine = engine_of(scope, id, spec.engine);
    let identifier = scope.physical_name(&super::kebab(id));
    check(scope, id, &identifier, &spec);
    let log_groups = exported_logs(scope, id, &identifier, engine, &spec);
    let cluster = cluster(scope, id, &identifier, engine, &spec, &log_groups);
    let instances = instances(scope, id, &cluster, engine, &spec);
    Aurora {
        cluster,
        instances,
        log_groups,
    }
}

/// The spec's own rules: an identifier RDS takes, two zones, one VPC.
fn check(scope: &mut Scope<'_>, id: &str, identifier: &str, spec: &AuroraSpec<'_>) {
    if let Some(problem) = infra_facts::limits::db_cluster_identifier_problem(identifier) {
        scope.reject(
            id,
            format!("its cluster identifier `{identifier}` (stack, declaration and environment) {problem}: shorten the stack's name or the declaration's"),
        );
    }
    if let Some(tier) = spec.subnets {
        tier.require_zones(scope, id, "an Aurora cluster");
    }
    super::security::require_same_vpc(
        scope,
        id,
        "an Aurora cluster",
        spec.subnets,
        spec.security_group,
    );
}

/// The cluster in its subnet group, with TLS-only parameters, encrypted with the spec's
/// key (its master secret too), IAM authentication, and a final snapshot or not; created
/// after the log groups it exports to.
fn cluster(
    scope: &mut Scope<'_>,
    id: &str,
    identifier: &str,
    engine: &'static AuroraEngine,
    spec: &AuroraSpec<'_>,
    log_groups: &[Handle<LogGroup>],
) -> Handle<DbCluster> {
    let (subnet_group, parameters) = groups(scope, id, identifier, engine, spec);
    let policy = if spec.final_snapshot {
        Policy::Snapshot
    } else {
        Policy::Delete
    };
    let mut options = ResourceOptions::new().retain_policy(policy);
    for group in log_groups {
        options = options.depends_on(group);
    }
    let key_ref = spec.key.map(|key| Value::from(key.arn()));
    scope.add_with(
        &format!("{id}Cluster"),
        db_cluster::DbCluster {
            db_cluster_identifier: some(identifier.to_owned()),
            engine: some(engine.engine),
            engine_version: some(engine.version),
            database_name: some(spec.database_name),
            master_username: some(spec.master_username),
            manage_master_user_password: some(true),
            master_user_secret: Some(db_cluster::MasterUserSecret {
                kms_key_id: key_ref.clone(),
                ..Default::default()
            }),
            port: some(i64::from(spec.port.unwrap_or(engine.port))),
            db_subnet_group_name: Some(subnet_group.name()),
            db_cluster_parameter_group_name: Some(parameters.name()),
            vpc_security_group_ids: spec.security_group.map(|sg| vec![sg.id()].into()),
            storage_encrypted: some(true),
            kms_key_id: key_ref,
            enable_iam_database_authentication: some(true),
            backup_retention_period: some(i64::from(spec.backup_days)),
            copy_tags_to_snapshot: some(true),
            deletion_protection: some(spec.deletion_protection),
            enable_cloudwatch_logs_exports: some(engine.log_exports.to_vec()),
            serverless_v2_scaling_configuration: Some(
                db_cluster::ServerlessV2ScalingConfiguration {
                    min_capacity: some(spec.min_capacity),
                    max_capacity: some(spec.max_capacity),
                    ..Default::default()
                },
            ),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options,
    )
}

/// The cluster's subnet group (the spec's tier) and its parameter group, which refuses
/// connections without TLS.
fn groups(
    scope: &mut Scope<'_>,
    id: &str,
    identifier: &str,
    engine: &'static AuroraEngine,
    spec: &AuroraSpec<'_>,
) -> (Handle<DbSubnetGroup>, Handle<DbClusterParameterGroup>) {
    let subnet_ids = spec
        .subnets
        .map_or_else(|| Value::unchecked(json!([])), |t| t.id_list().cast());
    let subnet_group = scope.add(
        &format!("{id}SubnetGroup"),
        db_subnet_group::DbSubnetGroup {
            db_subnet_group_description: format!("Database subnets of {identifier}").into(),
            subnet_ids,
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
    );
    let parameters = scope.add(
        &format!("{id}Parameters"),
        db_cluster_parameter_group::DbClusterParameterGroup {
            description: format!("TLS-only connections to {identifier}").into(),
            family: engine.family.into(),
            parameters: Value::from(json!({ engine.require_tls.0: engine.require_tls.1 })),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
    );
    (subnet_group, parameters)
}

/// The engine the stack names; an unknown one is reported (with the line) and the
/// default stands in, so that synthesis lists every problem at once.
fn engine_of(scope: &mut Scope<'_>, id: &str, name: &str) -> &'static AuroraEngine {
    infra_facts::aurora_engine(name).unwrap_or_else(|| {
        let known = infra_facts::aurora_engine_names();
        scope.reject(id, format!("engine `{name}` is not one of {known}"));
        &infra_facts::AURORA_ENGINES[0]
    })
}

/// A log group, with the stack's key and retention, for each log the engine exports.
fn exported_logs(
    scope: &mut Scope<'_>,
    id: &str,
    identifier: &str,
    engine: &AuroraEngine,
    spec: &AuroraSpec<'_>,
) -> Vec<Handle<LogGroup>> {
    let key_ref = spec.key.map(|key| Value::from(key.arn()));
    engine
        .log_exports
        .iter()
        .map(|export| {
            scope.add_with(
                &format!("{id}{}Logs", super::pascal(export)),
                log_group::LogGroup {
                    log_group_name: some(format!("/aws/rds/cluster/{identifier}/{export}")),
                    retention_in_days: some(i64::from(spec.log_retention_days)),
                    kms_key_id: key_ref.clone(),
                    tags: Some(scope.name_tag(&format!("{}-{export}", super::kebab(id)))),
                    ..Default::default()
                },
                // Production keeps its database logs; elsewhere they go with the stack, so
                // that a stack deleted and created again can recreate their fixed names.
                ResourceOptions::new().retain_policy(if spec.final_snapshot {
                    Policy::Retain
                } else {
                    Policy::Delete
                }),
            )
        })
        .collect()
}

/// The Serverless v2 instances, writer first, with enhanced monitoring when asked for.
fn instances(
    scope: &mut Scope<'_>,
    id: &str,
    cluster: &Handle<DbCluster>,
    engine: &AuroraEngine,
    spec: &AuroraSpec<'_>,
) -> Vec<Handle<DbInstance>> {
    let monitoring_role = (spec.monitoring_interval > 0).then(|| {
        scope.add(
            &format!("{id}MonitoringRole"),
            role::Role {
                description: some("Lets RDS publish enhanced-monitoring metrics"),
                assume_role_policy_document: super::iam::trust_document("monitoring.rds.amazonaws.com"),
                managed_policy_arns: Some(Value::from(vec![sub(
                    "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
                )])),
                tags: Some(scope.name_tag(&format!("{}-monitoring", super::kebab(id)))),
                ..Default::default()
            },
        )
    });
    (0..spec.instances.max(1))
        .map(|i| {
            scope.add_with(
                &format!("{id}Instance{}", i + 1),
                db_instance::DbInstance {
                    db_cluster_identifier: Some(cluster.id()),
                    db_instance_class: some("db.serverless"),
                    engine: some(engine.engine),
                    publicly_accessible: some(false),
                    auto_minor_version_upgrade: some(true),
                    monitoring_interval: monitoring_role
                        .as_ref()
                        .map(|_| i64::from(spec.monitoring_interval).into()),
                    monitoring_role_arn: monitoring_role.as_ref().map(|r| r.arn()),
                    tags: Some(scope.name_tag(&format!("{}-{}", super::kebab(id), i + 1))),
                    ..Default::default()
                },
                aurora_instance_suppressions(),
            )
        })
        .collect()
}

/// Instance-level findings that do not apply to an instance of an Aurora cluster: the
/// cluster, not the instance, holds these settings, and the cluster sets them.
fn aurora_instance_suppressions() -> ResourceOptions {
    use super::{Checker, suppress};
    let options = ResourceOptions::new().retain_policy(Policy::Delete);
    let options = suppress(
        options,
        Checker::CfnNag,
        "F80",
        "Aurora's deletion protection is the cluster's DeletionProtection; an instance of an Aurora cluster takes none",
    );
    suppress(
        options,
        Checker::CfnNag,
        "F27",
        "Aurora storage is encrypted by the cluster (StorageEncrypted with the stack's key); an instance of an Aurora cluster takes no StorageEncrypted",
    )
}

/// `connect(database, "user")`: connect to the cluster as `user` with IAM database
/// authentication.
pub fn connect(database: &Aurora, user: &str) -> Grant {
    let arn = format!(
        "arn:${{AWS::Partition}}:rds-db:${{AWS::Region}}:${{AWS::AccountId}}:dbuser:${{ResourceId}}/{user}"
    );
    let resource = sub_with(
        &arn,
        [(
            "ResourceId",
            database.cluster.db_cluster_resource_id().erase(),
        )],
    );
    Grant::new("ConnectToDatabase", &["rds-db:connect"], [resource.into()])
}

/// The verbs of an Aurora cluster: `connect` as a database user, and `read_secret` (its
/// managed master-user secret).
#[derive(Debug, Clone, Copy)]
pub struct AuroraVerbs<'a>(&'a Aurora);

/// The access levels of the DbCluster beneath these verbs (`tag`, …).
impl super::AccessLevels for AuroraVerbs<'_> {
    type Primary = DbCluster;

    fn primary(&self) -> &Handle<DbCluster> {
        &self.0.cluster
    }
}

impl AuroraVerbs<'_> {
    /// Connect as `user` with IAM database authentication.
    pub fn connect(&self, user: &str) -> Grant {
        connect(self.0, user)
    }

    /// Read the master user's secret.
    pub fn read_secret(&self) -> Grant {
        super::secrets::read_secret(self.0)
    }
}

super::grantable! {
    Aurora => AuroraVerbs,
}
