//! What the engine needs of a synthesized stack: the template, each resource's
//! create-only properties, the line that declared it, and its deletion policy.

use std::collections::BTreeMap;

use crate::stack::Stack;
use crate::synth::Template;

/// What the engine needs of a synthesized stack: the template, and for each resource its
/// create-only properties and the source line that declared it.
#[derive(Debug, Clone)]
pub struct Deployable {
    /// The template.
    pub template: Template,
    pub(super) resources: BTreeMap<String, (&'static [&'static str], String, Option<String>)>,
}

impl Deployable {
    /// Synthesizes `stack`.
    pub fn new(stack: &Stack) -> Result<Self, crate::SynthErrors> {
        let template = stack.synth()?;
        let resources = stack
            .resources()
            .iter()
            .map(|r| {
                let policy = template.document()["Resources"][r.logical_id()]["DeletionPolicy"]
                    .as_str()
                    .map(str::to_owned);
                let source = format!("{}:{}", r.source().file(), r.source().line());
                (
                    r.logical_id().to_owned(),
                    (r.create_only_properties(), source, policy),
                )
            })
            .collect();
        Ok(Self {
            template,
            resources,
        })
    }

    /// The source line that declared a resource.
    pub fn source(&self, logical_id: &str) -> Option<&str> {
        self.resources
            .get(logical_id)
            .map(|(_, source, _)| source.as_str())
    }
}

/// A resource's drift, as drift detection reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Drift {
    /// Its logical id.
    pub logical_id: String,
    /// Its CloudFormation type.
    pub resource_type: String,
    /// `IN_SYNC`, `MODIFIED`, `DELETED` or `NOT_CHECKED`.
    pub status: String,
}
