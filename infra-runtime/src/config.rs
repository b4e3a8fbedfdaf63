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
    /// Built for a local emulator rather than AWS: constructs leave out what the emulator
    /// cannot create (NAT gateways' Elastic IPs, Lambda-backed custom resources) and say
    /// so in [`Stack::notes`](crate::Stack::notes).
    pub local: bool,
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
            local: false,
        }
    }

    /// Reads the configuration from the environment: `ENVIRONMENT_SUFFIX` (default `dev`
    /// when unset; see [`suffix_problem`] for what it may be), `AWS_REGION` (default
    /// `default_region`), and the tags `Repository`, `Author`, `PRNumber` and `Team` from
    /// `REPOSITORY`, `COMMIT_AUTHOR`, `PR_NUMBER` and `TEAM` (each only when set). A
    /// variable that is set but not UTF-8 is an error, never taken for unset.
    pub fn from_env(default_region: &str) -> Result<Self, ConfigError> {
        for (_, variable) in VARIABLES {
            if let Err(std::env::VarError::NotUnicode(_)) = std::env::var(variable) {
                return Err(ConfigError::NotUnicode { variable });
            }
        }
        Self::from_lookup(default_region, |name| std::env::var(name).ok())
    }

    /// [`StackConfig::from_env`] over any source of variables (tests pass a map).
    pub fn from_lookup(
        default_region: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let read = |name: &str, default: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let suffix = lookup("ENVIRONMENT_SUFFIX").unwrap_or_else(|| "dev".to_owned());
        if let Some(problem) = suffix_problem(&suffix) {
            return Err(ConfigError::InvalidSuffix { suffix, problem });
        }
        let mut config = Self::new(suffix, read("AWS_REGION", default_region));
        for (tag, variable) in VARIABLES.into_iter().filter(|(tag, _)| !tag.is_empty()) {
            if let Some(value) = lookup(variable).filter(|v| !v.trim().is_empty()) {
                config.default_tags.insert(tag.to_owned(), value);
            }
        }
        Ok(config)
    }

    /// Whether this is a production environment: the suffix is `prod` or starts with
    /// `prod-` or `production`. Production gets deletion protection and final snapshots.
    pub fn is_production(&self) -> bool {
        let s = self.environment_suffix.to_ascii_lowercase();
        s == "prod" || s.starts_with("prod-") || s.starts_with("production")
    }

    /// `base` with the suffix appended, lowercase, for physical names (`loan-db-dev`).
    pub fn physical_name(&self, base: &str) -> String {
        format!("{base}-{}", self.environment_suffix).to_lowercase()
    }
}

/// The variables a configuration is read from, each with the tag it sets (none for the
/// suffix and the region, which are not tags of their own).
const VARIABLES: [(&str, &str); 6] = [
    ("", "ENVIRONMENT_SUFFIX"),
    ("", "AWS_REGION"),
    ("Repository", "REPOSITORY"),
    ("Author", "COMMIT_AUTHOR"),
    ("PRNumber", "PR_NUMBER"),
    ("Team", "TEAM"),
];

/// The longest environment suffix: stack names, and the physical names of databases,
/// aliases and log groups built from it, stay within their services' limits.
pub const MAX_SUFFIX_LEN: usize = 20;

/// Why `suffix` cannot name an environment, if it cannot: it must be 1 to
/// [`MAX_SUFFIX_LEN`] lowercase ASCII letters, digits and single hyphens, starting with a
/// letter and not ending with a hyphen. Uppercase is refused rather than folded, because
/// physical names are lowercase: `PROD` would take `prod`'s names without being
/// production.
pub fn suffix_problem(suffix: &str) -> Option<&'static str> {
    if suffix.is_empty() {
        Some("is empty")
    } else if suffix.len() > MAX_SUFFIX_LEN {
        Some("is longer than 20 characters")
    } else if suffix.bytes().any(|b| b.is_ascii_uppercase()) {
        Some("has uppercase letters, and resource names are lowercase")
    } else if !suffix
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("has characters other than lowercase letters, digits and hyphens")
    } else if !suffix.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("does not start with a letter")
    } else if suffix.ends_with('-') || suffix.contains("--") {
        Some("ends with a hyphen or has two in a row")
    } else {
        None
    }
}

/// A configuration the environment cannot give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `ENVIRONMENT_SUFFIX` is not a name the stack's resources can take.
    #[error(
        "ENVIRONMENT_SUFFIX `{suffix}` {problem}: use 1 to 20 lowercase letters, digits and single hyphens, starting with a letter (e.g. `dev`, `pr42`, `prod-eu`), or unset it for `dev`"
    )]
    InvalidSuffix {
        /// The value as set.
        suffix: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A variable is set to bytes that are not UTF-8.
    #[error("{variable} is set but is not UTF-8 text: set it to plain text, or unset it")]
    NotUnicode {
        /// The variable.
        variable: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_variables_and_defaults() {
        let vars: BTreeMap<&str, &str> = [("ENVIRONMENT_SUFFIX", "pr42"), ("TEAM", "payments")]
            .into_iter()
            .collect();
        let config = StackConfig::from_lookup("eu-west-2", |n| vars.get(n).map(|v| v.to_string()))
            .expect("a valid configuration");
        assert_eq!(config.environment_suffix, "pr42");
        assert_eq!(config.region, "eu-west-2");
        assert_eq!(config.default_tags["Environment"], "pr42");
        assert_eq!(config.default_tags["Team"], "payments");
        // Unset variables give no tag, rather than one valued `unknown`.
        for unset in ["Repository", "Author", "PRNumber", "CreatedAt"] {
            assert!(!config.default_tags.contains_key(unset), "{unset}");
        }
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

    #[test]
    fn suffixes_are_checked_before_anything_uses_them() {
        for bad in [
            "", " ", "PROD", "Prod", "pr 42", "a/b", "é", "-dev", "dev-", "a--b", "1dev",
        ] {
            assert!(suffix_problem(bad).is_some(), "{bad:?}");
        }
        assert!(suffix_problem(&"a".repeat(21)).is_some());
        for good in ["dev", "pr42", "prod-eu", "production", &"a".repeat(20)] {
            assert_eq!(suffix_problem(good), None, "{good:?}");
        }
        let empty = StackConfig::from_lookup("eu-west-2", |n| {
            (n == "ENVIRONMENT_SUFFIX").then(String::new)
        });
        assert!(matches!(empty, Err(ConfigError::InvalidSuffix { .. })));
        let unset = StackConfig::from_lookup("eu-west-2", |_| None).expect("valid");
        assert_eq!(unset.environment_suffix, "dev");
    }
}
