//! The Aurora engines the `aurora` construct builds, and what follows from each: the
//! CloudFormation engine and version, the cluster parameter group family, the default
//! port, the logs it exports and the parameter that requires TLS.

/// One Aurora engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuroraEngine {
    /// How a stack names it (`engine: "postgresql"`).
    pub name: &'static str,
    /// For messages: `MySQL`, `PostgreSQL`.
    pub display: &'static str,
    /// CloudFormation's `Engine`.
    pub engine: &'static str,
    /// The pinned `EngineVersion` (Serverless v2 capable).
    pub version: &'static str,
    /// The cluster parameter group family of that version.
    pub family: &'static str,
    /// The port the engine listens on unless the stack says otherwise.
    pub port: u16,
    /// The logs exported to CloudWatch Logs.
    pub log_exports: &'static [&'static str],
    /// The cluster parameter that refuses connections without TLS, and its value.
    pub require_tls: (&'static str, &'static str),
}

/// Every engine, the default first.
pub const AURORA_ENGINES: &[AuroraEngine] = &[
    AuroraEngine {
        name: "mysql",
        display: "MySQL",
        engine: "aurora-mysql",
        version: "8.0.mysql_aurora.3.08.2",
        family: "aurora-mysql8.0",
        port: 3306,
        log_exports: &["audit", "error", "slowquery"],
        require_tls: ("require_secure_transport", "ON"),
    },
    AuroraEngine {
        name: "postgresql",
        display: "PostgreSQL",
        engine: "aurora-postgresql",
        version: "16.9",
        family: "aurora-postgresql16",
        port: 5432,
        log_exports: &["postgresql"],
        require_tls: ("rds.force_ssl", "1"),
    },
];

/// The engines' names, for messages: `mysql, postgresql`.
pub fn aurora_engine_names() -> String {
    AURORA_ENGINES
        .iter()
        .map(|e| e.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The engine a stack names, if it is one.
pub fn aurora_engine(name: &str) -> Option<&'static AuroraEngine> {
    AURORA_ENGINES.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_engine_comes_first_and_names_are_unique() {
        use super::*;
        assert_eq!(AURORA_ENGINES[0].name, crate::defaults::aurora::ENGINE);
        assert_eq!(aurora_engine("postgresql").map(|e| e.port), Some(5432));
        assert!(aurora_engine("oracle").is_none());
    }
}
