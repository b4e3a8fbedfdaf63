//! What each construct does with a field left out. The runtime's `Default` impls of the
//! spec structs and the checker's reading of an absent field both come from here, so the
//! checker never judges a value the runtime would not use.

/// `fargate_service`.
pub mod fargate {
    /// The port the container listens on.
    pub const PORT: u16 = 8080;
    /// Task CPU units.
    pub const CPU: u32 = 256;
    /// Task memory in MiB.
    pub const MEMORY: u32 = 512;
    /// Tasks at start.
    pub const DESIRED: u16 = 1;
    /// Fewest tasks auto-scaling keeps.
    pub const MIN: u16 = 1;
    /// Most tasks auto-scaling starts.
    pub const MAX: u16 = 1;
    /// CPU utilization auto-scaling aims at, in percent.
    pub const CPU_TARGET: u8 = 70;
    /// Memory utilization auto-scaling aims at, in percent.
    pub const MEMORY_TARGET: u8 = 80;
    /// The database user the application connects as.
    pub const DATABASE_USER: &str = "app";
    /// CloudWatch Container Insights on the cluster.
    pub const CONTAINER_INSIGHTS: bool = true;
}

/// `aurora`.
pub mod aurora {
    /// The engine (one of [`crate::AURORA_ENGINES`]); the port follows it unless set.
    pub const ENGINE: &str = "mysql";
    /// Smallest capacity in ACU.
    pub const MIN_CAPACITY: f64 = 0.5;
    /// Largest capacity in ACU.
    pub const MAX_CAPACITY: f64 = 4.0;
    /// Days of automated backups.
    pub const BACKUP_DAYS: u8 = 7;
    /// Serverless v2 instances.
    pub const INSTANCES: u8 = 1;
    /// The database created in the cluster.
    pub const DATABASE_NAME: &str = "app";
    /// The master user.
    pub const MASTER_USERNAME: &str = "admin_user";
    /// Refuse deletion.
    pub const DELETION_PROTECTION: bool = false;
    /// A final snapshot on deletion or replacement.
    pub const FINAL_SNAPSHOT: bool = true;
    /// Days the exported logs are kept.
    pub const LOG_RETENTION_DAYS: u16 = 365;
    /// Seconds between enhanced-monitoring samples.
    pub const MONITORING_INTERVAL: u8 = 60;
}

/// `load_balancer`.
pub mod load_balancer {
    /// Reachable from the internet.
    pub const INTERNET_FACING: bool = false;
    /// Serve plain HTTP instead of redirecting it.
    pub const ALLOW_PLAIN_HTTP: bool = false;
    /// The port the targets listen on.
    pub const TARGET_PORT: u16 = 80;
    /// The health check's path.
    pub const HEALTH_CHECK: &str = "/";
    /// Refuse deletion.
    pub const DELETION_PROTECTION: bool = false;
}

/// `key`.
pub mod key {
    /// Yearly automatic rotation.
    pub const ROTATION: bool = true;
    /// Let CloudWatch Logs use the key.
    pub const ALLOW_LOGS: bool = false;
}

/// `bucket`.
pub mod bucket {
    /// Keep every version of every object.
    pub const VERSIONING: bool = false;
    /// Let Elastic Load Balancing deliver access logs.
    pub const LOAD_BALANCER_LOGS: bool = false;
}

/// `vpc`.
pub mod vpc {
    /// NAT gateways.
    pub const NAT_GATEWAYS: u8 = 0;
    /// Close the VPC's default security group.
    pub const RESTRICT_DEFAULT_GROUP: bool = true;
}
