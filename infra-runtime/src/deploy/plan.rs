//! A change set as the user reads it: one line per resource, with the action, whether it
//! replaces the resource (from CloudFormation and from the model's create-only
//! properties), and a mark on IAM and security-group changes.

use std::fmt;

/// What happens to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Created.
    Add,
    /// Updated in place or replaced.
    Modify,
    /// Deleted.
    Remove,
    /// Anything else CloudFormation reports (import, dynamic).
    Other,
}

/// Whether a modification replaces the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Replacement {
    /// No.
    No,
    /// Yes.
    Yes,
    /// Depends on values known only during the update.
    Conditional,
}

/// One resource's change (serialized as `--output json` prints it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedChange {
    /// What happens.
    pub action: Action,
    /// The logical id.
    #[serde(rename = "resource")]
    pub logical_id: String,
    /// The CloudFormation type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Whether it is replaced.
    pub replacement: Replacement,
    /// The properties that change, where CloudFormation says.
    pub properties: Vec<String>,
    /// IAM or security-group changes: worth a second look.
    pub security: bool,
    /// The source line that declared the resource, if the template records it.
    pub source: Option<String>,
}

/// The whole change set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The changes, in CloudFormation's order.
    pub changes: Vec<PlannedChange>,
}

impl Plan {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// `(added, modified, replaced, removed)`.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let count =
            |f: &dyn Fn(&PlannedChange) -> bool| self.changes.iter().filter(|c| f(c)).count();
        (
            count(&|c| c.action == Action::Add),
            count(&|c| c.action == Action::Modify && c.replacement == Replacement::No),
            count(&|c| c.action == Action::Modify && c.replacement != Replacement::No),
            count(&|c| c.action == Action::Remove),
        )
    }
}

/// Whether a change to this type is security-relevant.
pub(crate) fn is_security_type(resource_type: &str) -> bool {
    resource_type.starts_with("AWS::IAM::")
        || resource_type.starts_with("AWS::EC2::SecurityGroup")
        || resource_type == "AWS::KMS::Key"
        || resource_type == "AWS::S3::BucketPolicy"
}

impl PlannedChange {
    /// The status verb: `Add`, `Modify`, `Replace`, `Maybe replace`, `Remove`, `Change`.
    pub fn verb(&self) -> &'static str {
        match (self.action, self.replacement) {
            (Action::Add, _) => "Add",
            (Action::Remove, _) => "Remove",
            (Action::Modify, Replacement::No) => "Modify",
            (Action::Modify, Replacement::Yes) => "Replace",
            (Action::Modify, Replacement::Conditional) => "Maybe replace",
            (Action::Other, _) => "Change",
        }
    }

    /// What changes, without the verb and the security mark:
    /// `Listener (AWS::ElasticLoadBalancingV2::Listener) [DefaultActions]`.
    pub fn describe(&self) -> String {
        let mut text = format!("{} ({})", self.logical_id, self.resource_type);
        if !self.properties.is_empty() {
            text.push_str(&format!(" [{}]", self.properties.join(", ")));
        }
        text
    }

    /// The declaring source line, after two spaces, if known.
    pub fn source_suffix(&self) -> String {
        self.source
            .as_deref()
            .map_or_else(String::new, |s| format!("  {s}"))
    }
}

impl Plan {
    /// `3 to add, 1 to modify, 0 to replace, 0 to remove`.
    pub fn summary(&self) -> String {
        let (add, modify, replace, remove) = self.counts();
        format!("{add} to add, {modify} to modify, {replace} to replace, {remove} to remove")
    }
}

impl fmt::Display for PlannedChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<14}{}", self.verb(), self.describe())?;
        if self.security {
            write!(f, "  [security]")?;
        }
        write!(f, "{}", self.source_suffix())
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        write!(f, "{}", self.summary())
    }
}
