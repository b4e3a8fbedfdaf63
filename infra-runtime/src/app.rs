//! What an app of stacks knows about each of its stacks: how the command line names it,
//! its CloudFormation name and region, its settings, the stacks it imports from, and how
//! to build it.
//!
//! `stack!` implements [`AppStack`] for the stacks it declares (and [`Settings`] for their
//! `settings`); a stack written in plain Rust implements it by hand. The command line
//! (`infra-cli`) reads nothing else.

use std::fmt::Display;
use std::str::FromStr;

use crate::{Stack, StackConfig};

/// A stack an app can synthesize, deploy and destroy.
pub trait AppStack {
    /// How the command line names it (`--stack loan`): lowercase words joined by hyphens,
    /// unique within an app.
    const KEY: &'static str;
    /// The CloudFormation stack name's prefix; the environment suffix completes it.
    const NAME: &'static str;
    /// The region it is pinned to, unless the configuration says otherwise.
    const REGION: &'static str;
    /// One line on what it is, for `--help` and `list`.
    const ABOUT: &'static str = "";
    /// The run-time knobs it takes (`()` for none).
    type Settings: Settings;

    /// The keys of the stacks whose exports it imports: they deploy before it and are
    /// destroyed after it.
    fn imports() -> &'static [&'static str] {
        &[]
    }

    /// Builds the stack for `config` and `settings`.
    fn build(config: &StackConfig, settings: &Self::Settings) -> Stack;

    /// The CloudFormation stack name for a configuration: the prefix and the suffix.
    fn stack_name(config: &StackConfig) -> String {
        format!("{}{}", Self::NAME, config.environment_suffix)
    }
}

/// A stack's settings: defaults, and fields the command line can set by name.
pub trait Settings: Default + Clone + 'static {
    /// The fields, in declaration order.
    fn fields() -> &'static [SettingField] {
        &[]
    }

    /// Sets field `key` from its text form; the error says what the field takes.
    fn set(&mut self, key: &str, text: &str) -> Result<(), String> {
        let _ = text;
        Err(format!("there is no setting `{key}`"))
    }
}

impl Settings for () {}

/// One field of a stack's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingField {
    /// Its name in the settings struct (`nat_gateways`); the flag is `--nat-gateways`.
    pub key: &'static str,
    /// Its documentation, for `--help`.
    pub doc: &'static str,
    /// Its Rust type as written (`u8`, `bool`, `String`).
    pub ty: &'static str,
    /// Its default as written.
    pub default: &'static str,
}

impl SettingField {
    /// Whether it is a `bool`, which a flag sets without a value.
    pub fn is_switch(&self) -> bool {
        self.ty == "bool"
    }

    /// The command-line flag that sets it, without the dashes (`nat-gateways`).
    pub fn flag(&self) -> String {
        self.key.replace('_', "-")
    }
}

/// Parses a setting's text form as `T`; the error names the setting and the type.
pub fn parse_setting<T>(field: &SettingField, text: &str) -> Result<T, String>
where
    T: FromStr,
    T::Err: Display,
{
    text.parse().map_err(|e| {
        format!(
            "--{} `{text}` is not a valid {}: {e}",
            field.flag(),
            field.ty
        )
    })
}

/// The typed exports of a stack, as another stack imports them (`import name: Stack;`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a stack declared with `stack!`, so there is nothing to import from it",
    label = "not a stack of the app",
    note = "`import name: OtherStack;` names the type another `stack!` declares"
)]
pub trait Exports: AppStack {
    /// One `Value` per typed output of the stack.
    type Exports;

    /// The exports, each an `Fn::ImportValue` of the name the stack exports it under in
    /// the environment `config` describes.
    fn exports(config: &StackConfig) -> Self::Exports;

    /// The stack's region, as an importing stack reads it: named through `Exports`, so
    /// that a type that is not a stack is one error, in this trait's words.
    #[doc(hidden)]
    const IMPORTED_REGION: &'static str = <Self as AppStack>::REGION;

    /// The stack's command-line key, as an importing stack reads it.
    #[doc(hidden)]
    const IMPORTED_KEY: &'static str = <Self as AppStack>::KEY;
}

/// The name a typed output is exported under: `<stack name>-<OutputId>` (`TapStackdev-VpcId`),
/// unique per stack and environment as CloudFormation requires within a region.
pub fn export_name(stack_name: &str, output: &str) -> String {
    format!("{stack_name}-{output}")
}

/// Whether two regions are the same, at compile time.
pub const fn same_region(a: &str, b: &str) -> bool {
    crate::facts::same_text(a, b)
}

#[cfg(test)]
mod tests {
    use crate::aws::iam::Role;
    use crate::{Arn, Parameter, Stack};

    #[test]
    fn only_fakeable_parameters_get_a_local_stand_in() {
        let mut stack = Stack::new();
        stack.parameter::<Arn<Role>>("RoleArn", Parameter::new("A role"));
        stack.parameter::<String>("Label", Parameter::new("A label"));
        assert_eq!(
            stack.local_placeholder("RoleArn", "eu-west-1").as_deref(),
            Some("arn:aws:iam:eu-west-1:000000000000:role/local-placeholder")
        );
        assert_eq!(stack.local_placeholder("Label", "eu-west-1"), None);
        assert_eq!(stack.local_placeholder("Missing", "eu-west-1"), None);
    }

    #[test]
    fn regions_compare_at_compile_time() {
        const CASES: [(&str, &str, bool); 3] = [
            ("eu-west-2", "eu-west-2", true),
            ("eu-west-2", "eu-west-1", false),
            ("us-east-1", "us-east-10", false),
        ];
        for (a, b, same) in CASES {
            assert_eq!(super::same_region(a, b), same, "{a} {b}");
        }
    }
}
