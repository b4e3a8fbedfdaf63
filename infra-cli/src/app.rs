//! An app: the stacks one binary knows, in the order it lists them, and the command line
//! over them.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use infra_runtime::{AppStack, SettingField, Settings, Stack, StackConfig};

use crate::cli::{Failure, OutputFormat};
use crate::ui::Shell;

/// The stacks of an app and the command line that synthesizes, deploys and inspects them:
/// `App::new("my-app").stack::<NetworkStack>().stack::<ServiceStack>().run()`.
#[derive(Debug, Clone)]
pub struct App {
    name: String,
    stacks: Vec<StackEntry>,
}

/// Builds a stack from a configuration and `(setting, text)` pairs.
type BuildFn = fn(&StackConfig, &[(String, String)]) -> Result<Stack, String>;

/// One stack of an app, as the command line sees it.
#[derive(Debug, Clone, Copy)]
pub struct StackEntry {
    /// How `--stack` names it.
    pub key: &'static str,
    /// The CloudFormation name's prefix.
    pub name: &'static str,
    /// The region it is pinned to.
    pub region: &'static str,
    /// One line on what it is.
    pub about: &'static str,
    /// The keys of the stacks it imports from.
    pub imports: &'static [&'static str],
    /// Its settings.
    pub settings: &'static [SettingField],
    build: BuildFn,
    stack_name: fn(&StackConfig) -> String,
}

impl StackEntry {
    fn of<S: AppStack>() -> Self {
        Self {
            key: S::KEY,
            name: S::NAME,
            region: S::REGION,
            about: S::ABOUT,
            imports: S::imports(),
            settings: S::Settings::fields(),
            build: build_with::<S>,
            stack_name: S::stack_name,
        }
    }

    /// Builds the stack with its settings' defaults and the given `(key, text)` pairs.
    pub fn build(
        &self,
        config: &StackConfig,
        settings: &[(String, String)],
    ) -> Result<Stack, String> {
        (self.build)(config, settings)
    }

    /// The CloudFormation stack name for a configuration.
    pub fn stack_name(&self, config: &StackConfig) -> String {
        (self.stack_name)(config)
    }

    /// The setting with this key, if the stack has one.
    pub fn setting(&self, key: &str) -> Option<&SettingField> {
        self.settings.iter().find(|s| s.key == key)
    }
}

fn build_with<S: AppStack>(
    config: &StackConfig,
    given: &[(String, String)],
) -> Result<Stack, String> {
    let mut settings = S::Settings::default();
    for (key, text) in given {
        settings.set(key, text)?;
    }
    Ok(S::build(config, &settings))
}

impl App {
    /// An app with no stacks yet; `name` is the program's name in `--help`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            stacks: Vec::new(),
        }
    }

    /// Adds a stack. The first stack listed is the one commands use without `--stack`.
    #[must_use]
    pub fn stack<S: AppStack>(mut self) -> Self {
        self.stacks.push(StackEntry::of::<S>());
        self
    }

    /// The program's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The stacks, in the order they were listed.
    pub fn stacks(&self) -> &[StackEntry] {
        &self.stacks
    }

    /// The stack `--stack` names.
    pub fn find(&self, key: &str) -> Option<&StackEntry> {
        self.stacks.iter().find(|s| s.key == key)
    }

    /// What is wrong with the app itself: no stacks, two stacks with one key or one name,
    /// an import of a stack the app does not list, or imports in a cycle.
    pub fn problem(&self) -> Option<String> {
        if self.stacks.is_empty() {
            return Some("the app lists no stacks: add one with `.stack::<MyStack>()`".to_owned());
        }
        for (i, entry) in self.stacks.iter().enumerate() {
            if let Some(other) = self.stacks[..i]
                .iter()
                .find(|o| o.key == entry.key || o.name == entry.name)
            {
                return Some(format!(
                    "the app lists two stacks named `{}` ({} and {}): stack names must differ",
                    entry.key, other.name, entry.name
                ));
            }
            if let Some(missing) = entry.imports.iter().find(|k| self.find(k).is_none()) {
                return Some(format!(
                    "stack `{}` imports from stack `{missing}`, which the app does not list: add it with `.stack::<…>()`",
                    entry.key
                ));
            }
        }
        self.cycle().map(|keys| {
            format!(
                "the stacks import from each other in a cycle ({}): one of them must stop importing",
                keys.join(" -> ")
            )
        })
    }

    /// The stacks in deploy order: every stack after the stacks it imports from, and
    /// otherwise in the order they were listed.
    pub fn deploy_order(&self) -> Vec<&StackEntry> {
        let mut placed: Vec<&StackEntry> = Vec::new();
        while placed.len() < self.stacks.len() {
            let ready = self.stacks.iter().find(|s| {
                !placed.iter().any(|p| p.key == s.key)
                    && s.imports.iter().all(|k| placed.iter().any(|p| p.key == *k))
            });
            match ready {
                Some(entry) => placed.push(entry),
                None => break,
            }
        }
        placed
    }

    /// The stacks that import from `key`.
    pub fn importers_of(&self, key: &str) -> Vec<&StackEntry> {
        self.stacks
            .iter()
            .filter(|s| s.imports.contains(&key))
            .collect()
    }

    fn cycle(&self) -> Option<Vec<&'static str>> {
        let placed: BTreeSet<&str> = self.deploy_order().iter().map(|s| s.key).collect();
        let stuck: Vec<&'static str> = self
            .stacks
            .iter()
            .map(|s| s.key)
            .filter(|k| !placed.contains(k))
            .collect();
        (!stuck.is_empty()).then_some(stuck)
    }

    /// Parses the process's arguments and runs the command; the exit code says how it went.
    pub fn run(self) -> ExitCode {
        self.run_from(std::env::args_os())
    }

    /// [`App::run`] over the given arguments (the first is the program's name).
    pub fn run_from<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let json = crate::cli::wants_json(&args);
        if let Some(problem) = self.problem() {
            return fail(
                &Failure {
                    message: problem,
                    code: 2,
                    reported: false,
                },
                json,
            );
        }
        let parsed = match crate::cli::parse(&self, &args) {
            Ok(parsed) => parsed,
            Err(error) if error.use_stderr() && json => {
                let message = error.render().to_string();
                let failure = Failure {
                    message: message.trim_start_matches("error: ").trim_end().to_owned(),
                    code: 2,
                    reported: false,
                };
                return fail(&failure, true);
            }
            Err(error) => error.exit(),
        };
        let json = parsed.cli.global.output == OutputFormat::Json;
        match crate::cli::run(&self, parsed) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => fail(&failure, json),
        }
    }
}

/// One clear line on standard error and, with `--output json`, the error as the one JSON
/// document on standard output.
fn fail(failure: &Failure, json: bool) -> ExitCode {
    Shell::detect().error(&failure.message);
    if json && !failure.reported {
        let _ = writeln!(std::io::stdout().lock(), "{}", failure.to_json());
    }
    ExitCode::from(failure.code)
}
