//! `schedule`: an EventBridge rule that invokes a function on a schedule, with the
//! function's permission to be invoked scoped to that rule.
//!
//! ```text
//! schedule nightly { every: "cron(0 2 * * ? *)", target: report, input: "{\"kind\":\"nightly\"}" }
//! ```
//!
//! The expression's grammar is `infra_facts::limits::events::schedule_problem`: `stack!`
//! judges a literal with it, [`schedule`] every value.

use super::{Function, Scope, some};
use crate::aws::events::{self, rule};
use crate::aws::lambda;
use crate::{Handle, Value};
use infra_facts::limits::events as limits;

/// What a `schedule` declaration writes.
#[derive(Debug, Default)]
pub struct ScheduleSpec<'a> {
    /// `rate(5 minutes)` or `cron(0 2 * * ? *)` (UTC).
    pub every: &'a str,
    /// The function it invokes.
    pub target: Option<&'a Function>,
    /// The event the function receives (JSON); EventBridge's own event without one.
    pub input: Option<&'a str>,
    /// What the rule is for.
    pub description: &'a str,
}

/// A scheduled rule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The rule.
    pub rule: Handle<events::Rule>,
}

/// Adds the rule and the function's permission.
#[track_caller]
pub fn schedule(scope: &mut Scope<'_>, id: &str, spec: ScheduleSpec<'_>) -> Schedule {
    scope.enter();
    if let Some(problem) = limits::schedule_problem(spec.every) {
        scope.reject(id, format!("fires `{}`, which {problem}", spec.every));
    }
    if let Some(input) = spec.input
        && let Err(error) = serde_json::from_str::<serde_json::Value>(input)
    {
        scope.reject(
            id,
            format!("has an input that is not JSON ({error}): `{input}`"),
        );
    }
    let Some(function) = spec.target else {
        scope.reject(
            id,
            "has no target: write the function it invokes".to_owned(),
        );
        let rule = scope.add(id, events::rule::Rule::default());
        return Schedule { rule };
    };
    let rule = scope.add(
        id,
        events::rule::Rule {
            schedule_expression: some(spec.every),
            description: (!spec.description.is_empty()).then(|| spec.description.into()),
            state: Some(Value::unchecked("ENABLED".into())),
            targets: Some(vec![rule::Target {
                arn: function.arn().erase().cast(),
                id: "Function".into(),
                input: spec.input.map(Into::into),
                ..Default::default()
            }]),
            ..Default::default()
        },
    );
    scope.add(
        &format!("{id}Permission"),
        lambda::permission::Permission {
            action: "lambda:InvokeFunction".into(),
            function_name: function.arn().into(),
            principal: "events.amazonaws.com".into(),
            source_arn: Some(rule.arn().erase().cast()),
            ..Default::default()
        },
    );
    Schedule { rule }
}

impl super::Construct for Schedule {
    type Spec<'a> = ScheduleSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: ScheduleSpec<'_>) -> Self {
        schedule(scope, id, spec)
    }
}
