//! The database: Aurora MySQL Serverless v2 in the database tier.

use infra_macros::component;
use infra_runtime::Handle;
use infra_runtime::aws::kms::Key;
use infra_runtime::construct::Network;

use super::security::SecurityGroups;

component! {
    /// Aurora MySQL Serverless v2 with IAM authentication, encrypted with the data key.
    pub component Data {}

    /// The VPC whose database tier it lives in.
    input network: &Network;
    /// The groups; the database's is `db_sg`.
    input groups: &SecurityGroups;
    /// The key that encrypts it.
    input key: &Handle<Key>;

    pub aurora database {
        subnets: network.database,
        security_group: groups.db_sg,
        key: key,
        port: 3306,
        min_capacity: 0.5,
        max_capacity: 4,
        backup_days: 7,
        database_name: "loans",
        deletion_protection: config.is_production(),
        final_snapshot: config.is_production(),
        log_retention_days: 365,
    }
}
