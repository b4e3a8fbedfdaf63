//! What a stack is built for: the environment suffix, the region and the default tags.
//!
//! [`StackConfig::from_env`] reads the variables CI sets (`ENVIRONMENT_SUFFIX`,
//! `AWS_REGION`, `REPOSITORY`, `COMMIT_AUTHOR`, `PR_NUMBER`, `TEAM`). Nothing in it
//! depends on the clock, so the same inputs give the same template.

use std::collections::BTreeMap;

/// The environment a stack is built for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackConfig {
    /// Tells environments apart in stack names, resource names and tags (`dev`, `pr123`,
    /// `prod`).
    pub environment_suffix: String,
    /// The region the stack is deployed to; the template refuses any other.
    pub region: String,
    /// Tags applied to every taggable resource that does not set the key itself.
    pub default_tags: BTreeMap<String, String>,
}

impl StackConfig {
    /// A configuration with the given suffix and region, tagged `Environment=<suffix>`.
    pub fn new(environment_suffix: impl Into<String>, region: impl Into<String>) -> Self {
        let environment_suffix = environment_suffix.into();
        let mut default_tags = BTreeMap::new();
        default_tags.insert("Environment".to_owned(), environment_suffix.clone());
        Self {
            environment_suffix,
            region: region.into(),
            default_tags,
        }
    }

    /// Reads the configuration from the environment: `ENVIRONMENT_SUFFIX` (default `dev`),
    /// `AWS_REGION` (default `default_region`), and the tags `Repository`, `Author`,
    /// `PRNumber` and `Team` from `REPOSITORY`, `COMMIT_AUTHOR`, `PR_NUMBER` and `TEAM`
    /// (each `unknown` when unset).
    pub fn from_env(default_region: &str) -> Self {
        Self::from_lookup(default_region, |name| std::env::var(name).ok())
    }

    /// [`StackConfig::from_env`] over any source of variables (tests pass a map).
    pub fn from_lookup(default_region: &str, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: &str, default: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let mut config = Self::new(
            read("ENVIRONMENT_SUFFIX", "dev"),
            read("AWS_REGION", default_region),
        );
        for (tag, variable) in [
            ("Repository", "REPOSITORY"),
            ("Author", "COMMIT_AUTHOR"),
            ("PRNumber", "PR_NUMBER"),
            ("Team", "TEAM"),
        ] {
            config
                .default_tags
                .insert(tag.to_owned(), read(variable, "unknown"));
        }
        config
    }

    /// Whether this is a production environment: the suffix is `prod` or starts with
    /// `prod-` or `production`. Production gets deletion protection and final snapshots.
    pub fn is_production(&self) -> bool {
        let s = self.environment_suffix.as_str();
        s == "prod" || s.starts_with("prod-") || s.starts_with("production")
    }

    /// `base` with the suffix appended, lowercase, for physical names (`loan-db-dev`).
    pub fn physical_name(&self, base: &str) -> String {
        format!("{base}-{}", self.environment_suffix).to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_variables_and_defaults() {
        let vars: BTreeMap<&str, &str> = [("ENVIRONMENT_SUFFIX", "pr42"), ("TEAM", "payments")]
            .into_iter()
            .collect();
        let config = StackConfig::from_lookup("eu-west-2", |n| vars.get(n).map(|v| v.to_string()));
        assert_eq!(config.environment_suffix, "pr42");
        assert_eq!(config.region, "eu-west-2");
        assert_eq!(config.default_tags["Environment"], "pr42");
        assert_eq!(config.default_tags["Team"], "payments");
        assert_eq!(config.default_tags["Repository"], "unknown");
        assert!(!config.default_tags.contains_key("CreatedAt"));
    }

    #[test]
    fn production_suffixes() {
        for (suffix, production) in [
            ("prod", true),
            ("prod-eu", true),
            ("production", true),
            ("dev", false),
            ("pr-prod", false),
        ] {
            assert_eq!(
                StackConfig::new(suffix, "eu-west-2").is_production(),
                production,
                "{suffix}"
            );
        }
    }
}
