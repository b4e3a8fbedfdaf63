//! Storage and keys: the data key, the log groups and the load balancer's access-log
//! bucket.

use infra_macros::component;

component! {
    /// What the platform keeps: encrypted with the data key, logs for a year.
    pub component Storage {}

    /// Encrypts the database, its secret and the log groups.
    pub key data_key {
        description: "Loan platform data: Aurora storage, its secret, CloudWatch Logs",
        rotation: true,
        allow_logs: true,
    }

    /// VPC flow logs, all traffic.
    pub log_group flow_logs { retention_days: 365, key: data_key }
    /// The application's container output.
    pub log_group app_logs { retention_days: 365, key: data_key }

    /// Load-balancer access logs: S3-managed encryption, which is what ELB can write to.
    pub bucket alb_logs {
        encryption: s3_managed,
        versioning: true,
        glacier_after_days: 90,
        load_balancer_logs: true,
    }
}
