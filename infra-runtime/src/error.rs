//! Everything synthesis can reject, each with what to do about it.

use std::fmt;

use thiserror::Error;

use crate::limits;

/// One problem found by synthesis.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SynthError {
    /// A name that CloudFormation would reject.
    #[error("{what} `{name}` is not a valid name: {reason} (declared at {at})")]
    InvalidName {
        what: &'static str,
        name: String,
        reason: &'static str,
        at: String,
    },

    /// Two declarations share a name.
    #[error(
        "{what} `{name}` is declared twice: at {first} and at {second}; logical ids must be unique"
    )]
    Duplicate {
        what: &'static str,
        name: String,
        first: String,
        second: String,
    },

    /// A required property was left out.
    #[error(
        "resource `{logical_id}` ({type_name}) is missing the required property `{property}` (declared at {at})"
    )]
    MissingRequired {
        logical_id: String,
        type_name: String,
        property: String,
        at: String,
    },

    /// A property value could not be serialized.
    #[error("resource `{logical_id}` has a property that cannot be written as JSON: {message}")]
    Serialization { logical_id: String, message: String },

    /// A `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn` or condition names nothing in the stack.
    #[error(
        "{from} refers to `{target}` with {via}, but the stack declares no such {expected}{hint}"
    )]
    Dangling {
        from: String,
        target: String,
        via: &'static str,
        expected: &'static str,
        hint: Hint,
    },

    /// `Fn::GetAtt` reads an attribute the resource type does not have.
    #[error(
        "{from} reads attribute `{attribute}` of `{target}`, but {type_name} has only: {available}"
    )]
    UnknownAttribute {
        from: String,
        target: String,
        attribute: String,
        type_name: String,
        available: String,
    },

    /// Resources depend on each other in a circle; CloudFormation cannot order them.
    #[error("resources depend on each other in a cycle: {}", .0.join(" -> "))]
    Cycle(Vec<String>),

    /// A construct was given a value AWS would reject, known only when the stack was built
    /// (a setting); literals are rejected at compile time by `stack!`.
    #[error("`{construct}` {problem} (declared at {at})")]
    InvalidValue {
        construct: String,
        problem: String,
        at: String,
    },

    /// A resource of a type the stack's region does not offer (by the pinned registry):
    /// CloudFormation would refuse the template there.
    #[error(
        "resource `{logical_id}` is a `{type_name}`, which {region}, the stack's region, does not offer; the pinned registry offers it in {offered} (declared at {at})"
    )]
    NotOffered {
        logical_id: String,
        type_name: String,
        region: String,
        offered: String,
        at: String,
    },

    /// A resource the platform's compliance rules refuse (see `compliance`).
    #[error("compliance: resource `{logical_id}` ({type_name}) {problem} (declared at {at})")]
    Noncompliant {
        logical_id: String,
        type_name: String,
        problem: String,
        at: String,
    },

    /// More of something than CloudFormation allows in one template.
    #[error(
        "the stack declares {count} {what}, over CloudFormation's limit of {limit}; split it into nested or separate stacks"
    )]
    TooMany {
        what: &'static str,
        count: usize,
        limit: usize,
    },

    /// The template is too large even for an S3 upload.
    #[error("the template is {} bytes, over CloudFormation's limit of {} bytes even for a template uploaded to S3; split the stack", group(*.size), group(limits::MAX_S3_BODY_BYTES))]
    TemplateTooLarge { size: usize },

    /// The template is too large to pass inline.
    #[error("the template is {} bytes, over CloudFormation's limit of {} bytes for an inline template body; upload it to an S3 bucket and deploy it by URL (up to {} bytes), or split the stack", group(*.size), group(limits::MAX_INLINE_BODY_BYTES), group(limits::MAX_S3_BODY_BYTES))]
    InlineBodyTooLarge { size: usize },

    /// The description is longer than CloudFormation allows.
    #[error(
        "the template description is {size} bytes, over CloudFormation's limit of {} bytes",
        limits::MAX_DESCRIPTION_BYTES
    )]
    DescriptionTooLong { size: usize },
}

/// A "did you mean" suffix for an error message; empty when nothing is close.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hint(pub Option<String>);

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(name) => write!(f, "; did you mean `{name}`?"),
            None => Ok(()),
        }
    }
}

/// All the problems synthesis found, in the order of the declarations.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct SynthErrors(pub Vec<SynthError>);

impl SynthErrors {
    /// The individual errors.
    pub fn errors(&self) -> &[SynthError] {
        &self.0
    }
}

impl fmt::Display for SynthErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "synthesis found {n} error{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  error: {e}")?;
        }
        Ok(())
    }
}

/// `51200` → `51,200`.
pub(crate) fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The candidate closest to `name` by edit distance (case aside), if it is close enough to
/// be a typo: at most a third of the name's length, and at least one edit.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Hint {
    let name_lower = name.to_lowercase();
    let best = candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&name_lower, &c.to_lowercase()), c))
        .min();
    Hint(
        best.filter(|(d, _)| *d <= name.len().max(3) / 3)
            .map(|(_, c)| c.to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(51_200), "51,200");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000_000), "1,000,000");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            closest("PublicSubnt", ["PublicSubnet", "Vpc"]).0.as_deref(),
            Some("PublicSubnet")
        );
        assert_eq!(closest("Database", ["PublicSubnet", "Vpc"]).0, None);
        assert_eq!(
            closest("Vcp", ["PublicSubnet", "Vpc"]).0.as_deref(),
            Some("Vpc")
        );
    }
}
