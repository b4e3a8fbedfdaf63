//! The command line of an app: argument types (their doc comments are the help text),
//! the settings flags each stack adds, and the commands they run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{
    Arg, ArgAction, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};
use infra_runtime::deploy::{
    ApiCallCounter, DeployError, DeployOptions, DeployOutcome, Deployable, End, Engine, Target,
    connect,
};
use infra_runtime::{Stack, StackConfig};

use crate::app::{App, StackEntry};
use crate::files::Audience;
use crate::local::LocalEndpoint;
use crate::signals::Interrupts;
use crate::ui::{Shell, Tone};

/// Synthesizes, plans, deploys and inspects the app's CloudFormation stacks.
///
/// Credentials and endpoint come from the standard AWS chain (AWS_PROFILE,
/// AWS_ENDPOINT_URL) unless the options below say otherwise. Calls go through the proxy
/// HTTPS_PROXY names, except to an endpoint on this machine. Each stack goes to the region
/// it declares unless `--region` says otherwise. `--local` uses a local CloudFormation
/// endpoint that the command installs and starts on first use. ENVIRONMENT_SUFFIX,
/// REPOSITORY, COMMIT_AUTHOR, PR_NUMBER and TEAM set the stack names (the name, then the suffix) and
/// default tags. Each stack's settings are flags of synth, graph, diff and deploy.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The end of `--help`: the commands people start with (`{app}` is the program,
/// `{stack}` a stack of the app), and what each does.
const EXAMPLES: [(&str, &str); 8] = [
    (
        "{app} deploy --local --yes",
        "Create or update the first stack on the local endpoint",
    ),
    (
        "{app} deploy --all --local --yes",
        "Every stack, each after the stacks it imports from",
    ),
    (
        "{app} diff --stack {stack}",
        "What a deploy to AWS would change, changing nothing",
    ),
    (
        "ENVIRONMENT_SUFFIX=prod {app} deploy",
        "The production stack (deletion protection, final snapshot)",
    ),
    (
        "{app} synth --out template.json",
        "The template, for review or another tool",
    ),
    (
        "{app} graph --all --format mermaid",
        "The stacks and what each imports from which",
    ),
    (
        "{app} destroy --all --local",
        "Delete every stack, importers first, after listing what stays",
    ),
    (
        "{app} list",
        "The app's stacks, their regions, imports and settings",
    ),
];

fn examples(app: &App) -> String {
    let stack = app.stacks().last().map_or("NAME", |s| s.key);
    let lines: Vec<(String, &str)> = EXAMPLES
        .iter()
        .map(|(command, what)| {
            (
                command
                    .replace("{app}", app.name())
                    .replace("{stack}", stack),
                *what,
            )
        })
        .collect();
    let width = lines.iter().map(|(c, _)| c.len()).max().unwrap_or(0) + 2;
    let mut text = String::from("Examples:");
    for (command, what) in lines {
        text.push_str(&format!("\n  {command:<width$}{what}"));
    }
    text
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Which stack (default: the first the app lists; `list` shows them).
    #[arg(long, global = true, value_name = "NAME")]
    pub stack: Option<String>,
    /// Every stack of the app, in dependency order (deploy, diff, outputs, graph) or its
    /// reverse (destroy).
    #[arg(long, global = true, conflicts_with = "stack")]
    pub all: bool,
    /// The AWS region (default: the region the stack declares).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// A named profile from the AWS config files.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Send API calls to this endpoint instead of AWS's.
    #[arg(long, global = true, value_name = "URL", value_parser = parse_endpoint_url)]
    pub endpoint_url: Option<String>,
    /// Use the local CloudFormation endpoint (LocalStack on 127.0.0.1, started if needed;
    /// its port comes from INFRA_LOCAL_PORT, default 4566, its files from INFRA_LOCAL_DIR,
    /// default the user's cache directory).
    #[arg(long, global = true, conflicts_with = "endpoint_url")]
    pub local: bool,
    /// How results are printed on standard output.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the stack's CloudFormation template, or write it to a file.
    ///
    /// Synthesis is deterministic: the same code gives byte-identical output. Every problem
    /// is reported at once, and nothing is written unless the template is valid.
    Synth {
        /// Write the template to this file instead of standard output.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Indent the JSON for reading (the default is the compact form CloudFormation receives).
        #[arg(long)]
        pretty: bool,
    },
    /// Show what a deploy would change (a change set, created and deleted), changing nothing.
    Diff {
        #[command(flatten)]
        deploy: DeployArgs,
    },
    /// Create or update the stack through a change set: show it, ask, execute, follow.
    Deploy {
        #[command(flatten)]
        deploy: DeployArgs,
        /// Do not ask before executing.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Refuse instead of waiting when another operation is running on the stack.
        #[arg(long)]
        no_wait: bool,
        /// Also write the outputs to this file, as JSON (with --all, keyed by stack).
        #[arg(long, value_name = "PATH")]
        outputs_file: Option<PathBuf>,
    },
    /// Delete the stack, after listing from the live stack what is deleted and what stays
    /// (and why), and asking. A production stack (ENVIRONMENT_SUFFIX prod, prod-*,
    /// production*) also needs its name, typed at the prompt or given with
    /// --confirm-stack; a stack with termination protection, or whose exports another
    /// stack imports, is refused.
    Destroy {
        /// Do not ask (a production stack still needs --confirm-stack).
        #[arg(long, short = 'y')]
        yes: bool,
        /// The stack's name, to confirm destroying a production stack without a prompt.
        #[arg(long, value_name = "STACK")]
        confirm_stack: Option<String>,
    },
    /// Create the bucket that functions' code is uploaded to, once per account and region
    /// (the stack InfraBootstrap: a private, encrypted, TLS-only bucket, kept if the stack
    /// is deleted). Deploying a stack with code assets needs it.
    Bootstrap {
        /// Do not ask before executing.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Print the deployed stack's outputs.
    Outputs,
    /// Print the resource graph (what references what) as Graphviz DOT or Mermaid; with
    /// --all, the stacks and the exports each imports from the others.
    Graph {
        /// The notation.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Detect drift between the deployed stack and its template (AWS only: the local
    /// endpoint cannot).
    Drift,
    /// List the app's stacks: name, CloudFormation name, region, imports and settings.
    List,
    /// Manage the local CloudFormation endpoint.
    Local {
        #[command(subcommand)]
        action: LocalAction,
    },
}

/// What `stacks local` does.
#[derive(Debug, Subcommand)]
pub enum LocalAction {
    /// Install (first time) and start it; reuse it if it is already running.
    Start,
    /// Stop it (TERM, then KILL after 10 seconds).
    Stop,
    /// Say whether it answers.
    Status,
}

/// What `diff` and `deploy` share.
#[derive(Debug, Args, Default, Clone)]
pub struct DeployArgs {
    /// A parameter value, `Key=Value` (repeatable); an existing stack keeps the others.
    /// With --all, each stack takes the parameters it declares.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// Upload templates over 51,200 bytes to this S3 bucket and deploy them by URL.
    #[arg(long, value_name = "BUCKET", value_parser = parse_bucket)]
    pub template_bucket: Option<String>,
}

fn parse_bucket(text: &str) -> Result<String, String> {
    judged(text, infra_runtime::deploy::bucket_name_problem)
}

/// `text` as written, unless `problem` says what is wrong with it.
fn judged(text: &str, problem: fn(&str) -> Option<String>) -> Result<String, String> {
    problem(text).map_or_else(|| Ok(text.to_owned()), Err)
}

fn parse_parameter(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected KEY=VALUE, found `{text}`"))
}

/// An endpoint's URL: `http` or `https`, a host, an optional numeric port, any path.
fn parse_endpoint_url(text: &str) -> Result<String, String> {
    judged(text, infra_runtime::deploy::endpoint_url_problem)
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// Graph notations.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz (`dot -Tsvg`).
    Dot,
    /// Mermaid (renders in Markdown).
    Mermaid,
}

/// A failed command: what to print, and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// One problem per line.
    pub message: String,
    /// 1, 2 for a command line or app that cannot run, or 130 when interrupted.
    pub code: u8,
    /// With `--output json`, the one document printed already holds this failure.
    pub reported: bool,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self {
            message,
            code: 1,
            reported: false,
        }
    }
}

impl From<DeployError> for Failure {
    fn from(error: DeployError) -> Self {
        let code = if matches!(error, DeployError::Interrupted(_)) {
            130
        } else {
            1
        };
        Self {
            message: error.to_string(),
            code,
            reported: false,
        }
    }
}

/// A parsed command line: the derived arguments and the settings flags given.
#[derive(Debug)]
pub struct Parsed {
    /// The fixed arguments.
    pub cli: Cli,
    /// `(setting key, text)` for each settings flag given, in the app's flag order.
    pub settings: Vec<(String, String)>,
}

/// The subcommands that build a stack from settings, and so take settings flags.
const SETTINGS_COMMANDS: [&str; 4] = ["synth", "graph", "diff", "deploy"];

/// The app's command line: the fixed arguments, `--stack`'s possible values, and one flag
/// per setting of any stack (on the commands that build stacks).
pub fn command(app: &App) -> clap::Command {
    let keys: Vec<&'static str> = app.stacks().iter().map(|s| s.key).collect();
    let mut command = Cli::command()
        .name(app.name().to_owned())
        .bin_name(app.name().to_owned())
        .after_help(examples(app))
        .mut_arg("stack", |arg| {
            arg.value_parser(clap::builder::PossibleValuesParser::new(keys))
        });
    for name in SETTINGS_COMMANDS {
        command = command.mut_subcommand(name, |sub| {
            setting_args(app).into_iter().fold(sub, clap::Command::arg)
        });
    }
    command
}

/// One flag per distinct setting key, documented with the stacks that have it.
fn setting_args(app: &App) -> Vec<Arg> {
    let mut seen: Vec<&str> = Vec::new();
    let mut args = Vec::new();
    for entry in app.stacks() {
        for field in entry.settings {
            if seen.contains(&field.key) {
                continue;
            }
            seen.push(field.key);
            let owners: Vec<&str> = app
                .stacks()
                .iter()
                .filter(|s| s.setting(field.key).is_some())
                .map(|s| s.key)
                .collect();
            let help = format!(
                "{} [stack: {}; default: {}]",
                field.doc.trim_end_matches('.'),
                owners.join(", "),
                field.default
            );
            let arg = Arg::new(setting_id(field.key))
                .long(field.flag())
                .help(help)
                .help_heading("Settings")
                .action(ArgAction::Set);
            args.push(if field.is_switch() {
                arg.value_name("BOOL")
                    .num_args(0..=1)
                    .require_equals(true)
                    .default_missing_value("true")
            } else {
                arg.value_name(field.ty.to_uppercase())
            });
        }
    }
    args
}

fn setting_id(key: &str) -> String {
    format!("setting:{key}")
}

/// Parses `args` (the first is the program's name) against the app's command line.
pub fn parse(app: &App, args: &[std::ffi::OsString]) -> Result<Parsed, clap::Error> {
    let matches = command(app).try_get_matches_from(args)?;
    let cli = Cli::from_arg_matches(&matches)?;
    let settings = matches
        .subcommand()
        .map(|(_, sub)| given_settings(app, sub))
        .unwrap_or_default();
    Ok(Parsed { cli, settings })
}

fn given_settings(app: &App, sub: &ArgMatches) -> Vec<(String, String)> {
    let mut given = Vec::new();
    for field in app.stacks().iter().flat_map(|s| s.settings) {
        let id = setting_id(field.key);
        if given.iter().any(|(k, _)| k == field.key) {
            continue;
        }
        if let Ok(Some(text)) = sub.try_get_one::<String>(&id) {
            given.push((field.key.to_owned(), text.clone()));
        }
    }
    given
}

/// One stack as configured for this command.
struct Selected {
    entry: StackEntry,
    stack: Stack,
    name: String,
    config: StackConfig,
}

/// The stacks a command works on: `--stack`, or the first listed, or with `--all` every
/// stack in deploy order (reversed for destroy).
fn targets(app: &App, cli: &Cli) -> Result<Vec<StackEntry>, Failure> {
    if cli.global.all {
        let mut order: Vec<StackEntry> = app.deploy_order().into_iter().copied().collect();
        if matches!(cli.command, Command::Destroy { .. }) {
            order.reverse();
        }
        if matches!(cli.command, Command::Synth { .. } | Command::Drift) {
            return Err(Failure::from(
                "--all works with deploy, diff, destroy, outputs and graph: synth and drift take one --stack".to_owned(),
            ));
        }
        return Ok(order);
    }
    let entry = match &cli.global.stack {
        Some(key) => app.find(key),
        None => app.stacks().first(),
    };
    entry
        .copied()
        .map(|e| vec![e])
        .ok_or_else(|| Failure::from("the app lists no such stack".to_owned()))
}

/// Builds one stack for the environment and the command line; every input is checked
/// here, before anything talks to AWS. With `--all`, settings the stack does not have
/// belong to the other stacks; otherwise they are an error.
fn select(
    entry: StackEntry,
    cli: &Cli,
    given: &[(String, String)],
    shell: &mut Shell,
    notes: bool,
) -> Result<Selected, Failure> {
    let mut config =
        StackConfig::from_env(entry.region).map_err(|e| Failure::from(e.to_string()))?;
    config.region = cli
        .global
        .region
        .clone()
        .unwrap_or_else(|| entry.region.to_owned());
    if !infra_facts::is_region(&config.region) {
        let hint =
            infra_runtime::error::closest(&config.region, infra_facts::REGIONS.iter().copied())
                .0
                .map_or_else(String::new, |near| format!(": did you mean `{near}`?"));
        return Err(Failure::from(format!(
            "--region {}: not a region of the pinned registry{hint}",
            config.region
        )));
    }
    if notes
        && cli.global.region.is_none()
        && let Some(region) = std::env::var("AWS_REGION")
            .ok()
            .filter(|r| *r != config.region)
    {
        shell.line(
            "Note",
            &format!("AWS_REGION={region} does not apply: stack `{}` declares {} (pass --region to deploy it elsewhere)", entry.key, config.region),
            Tone::Warn,
        );
    }
    config.local = cli.global.local;
    let mut settings = Vec::new();
    for (key, text) in given {
        if entry.setting(key).is_some() {
            settings.push((key.clone(), text.clone()));
        } else if !cli.global.all {
            return Err(Failure::from(no_setting(&entry, key)));
        }
    }
    // A setting's value that does not parse is a command line that does not parse.
    let stack = entry.build(&config, &settings).map_err(|message| Failure {
        message,
        code: 2,
        reported: false,
    })?;
    if notes {
        for note in stack.notes() {
            shell.line("Note", note, Tone::Warn);
        }
    }
    Ok(Selected {
        name: entry.stack_name(&config),
        entry,
        stack,
        config,
    })
}

fn no_setting(entry: &StackEntry, key: &str) -> String {
    let flag = key.replace('_', "-");
    let has = match entry.settings {
        [] => "it takes no settings".to_owned(),
        fields => format!(
            "its settings are {}",
            fields
                .iter()
                .map(|f| format!("--{}", f.flag()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("--{flag}: stack `{}` has no such setting; {has}", entry.key)
}

fn synthesized(selected: &Selected) -> Result<Deployable, Failure> {
    Deployable::new(&selected.stack).map_err(|e| Failure::from(e.to_string().trim_end().to_owned()))
}

/// Runs a parsed command line of `app`.
pub fn run(app: &App, parsed: Parsed) -> Result<(), Failure> {
    let mut shell = Shell::detect();
    let Parsed { cli, settings } = parsed;
    match &cli.command {
        Command::Local { action } => local(action, cli.global.output, &mut shell),
        Command::List => print(&crate::graph::list(app, cli.global.output)),
        Command::Synth { out, pretty } => {
            let entry = targets(app, &cli)?[0];
            let selected = select(entry, &cli, &settings, &mut shell, false)?;
            synth(
                &selected,
                out.as_deref(),
                *pretty,
                cli.global.output,
                &mut shell,
            )
        }
        Command::Graph { format } => graph(app, &cli, &settings, *format, &mut shell),
        _ => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the async runtime: {e}"))?;
            runtime.block_on(remote(app, &cli, &settings, &mut shell))
        }
    }
}

fn graph(
    app: &App,
    cli: &Cli,
    settings: &[(String, String)],
    format: GraphFormat,
    shell: &mut Shell,
) -> Result<(), Failure> {
    let mut built = Vec::new();
    for entry in targets(app, cli)? {
        let selected = select(entry, cli, settings, shell, false)?;
        let document = synthesized(&selected)?.template.document().clone();
        built.push((entry, selected.name, document));
    }
    let text = if cli.global.all {
        crate::graph::stacks(&built, format, cli.global.output)
    } else {
        let document = &built[0].2;
        match (cli.global.output, format) {
            (OutputFormat::Json, _) => format!("{}\n", crate::graph::json(document)),
            (OutputFormat::Text, GraphFormat::Dot) => crate::graph::dot(document),
            (OutputFormat::Text, GraphFormat::Mermaid) => crate::graph::mermaid(document),
        }
    };
    print(&text)
}

fn print(text: &str) -> Result<(), Failure> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::from(format!("cannot write to standard output: {e}")))
}

fn synth(
    selected: &Selected,
    out: Option<&Path>,
    pretty: bool,
    output: OutputFormat,
    shell: &mut Shell,
) -> Result<(), Failure> {
    if let Some(path) = out {
        crate::files::check_destination(path, "the template")?;
    }
    let template = synthesized(selected)?.template;
    let mut text = if pretty {
        template.pretty()
    } else {
        template.body().to_owned()
    };
    text.push('\n');
    let written = match out {
        Some(path) if !crate::files::is_stream(path) => write_assets(path, template.assets())?,
        _ => Vec::new(),
    };
    if written.len() < template.assets().len() {
        shell.line(
            "Note",
            &format!(
                "{} code asset(s) are not written: give --out <file> to write them beside the template",
                template.assets().len()
            ),
            Tone::Warn,
        );
    }
    match out {
        None => print(&text),
        Some(path) => {
            crate::files::write(path, &text, "the template", Audience::Shared)?;
            match output {
                OutputFormat::Json => print(&format!(
                    "{}\n",
                    serde_json::json!({ "template": path, "bytes": text.len(), "assets": written })
                )),
                OutputFormat::Text => Ok(()),
            }
        }
    }
}

/// Writes each asset as `assets/<sha256>.zip` beside the template at `template`, as the
/// template names it; returns the paths written.
fn write_assets(
    template: &Path,
    assets: &[infra_runtime::asset::Asset],
) -> Result<Vec<PathBuf>, Failure> {
    let dir = template
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut written = Vec::new();
    for asset in assets {
        let path = dir.join(asset.key());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        crate::files::write_bytes(&path, asset.bytes(), "a code asset", Audience::Shared)?;
        written.push(path);
    }
    Ok(written)
}

fn local(action: &LocalAction, output: OutputFormat, shell: &mut Shell) -> Result<(), Failure> {
    let endpoint = LocalEndpoint::from_env()?;
    let url = endpoint.url();
    let (running, text) = match action {
        LocalAction::Start => {
            endpoint.ensure_running(&mut |m| shell.line("Local", m, Tone::Note))?;
            shell.line("Ready", &url, Tone::Good);
            (true, String::new())
        }
        LocalAction::Stop => {
            if endpoint.stop()? {
                shell.line("Stopped", &url, Tone::Good);
            } else {
                shell.line(
                    "Local",
                    "no local endpoint started by this tool is running",
                    Tone::Note,
                );
            }
            (false, String::new())
        }
        LocalAction::Status => {
            let running = endpoint.is_healthy();
            let text = if running {
                format!("running at {url}\n")
            } else {
                format!("not running (would listen on {url})\n")
            };
            (running, text)
        }
    };
    match output {
        OutputFormat::Json => print(&format!(
            "{}\n",
            serde_json::json!({ "running": running, "url": url, "files": endpoint.root() })
        )),
        OutputFormat::Text => print(&text),
    }
}

/// The commands that talk to CloudFormation, over each target stack in order. Every
/// stack is built and checked before the first call; with `--output json` and `--all`
/// the results are one array.
async fn remote(
    app: &App,
    cli: &Cli,
    settings: &[(String, String)],
    shell: &mut Shell,
) -> Result<(), Failure> {
    let interrupts = Interrupts::listen();
    let changes = matches!(cli.command, Command::Diff { .. } | Command::Deploy { .. });
    let mut selected = Vec::new();
    for entry in targets(app, cli)? {
        selected.push(select(entry, cli, settings, shell, changes)?);
    }
    if matches!(cli.command, Command::Bootstrap { .. }) {
        selected = selected.into_iter().take(1).map(bootstrap).collect();
    }
    let mut prepared = Vec::new();
    for one in &selected {
        let deployable = synthesized(one)?;
        let options = options(cli, one, &deployable, shell)?;
        prepared.push((deployable, options));
    }
    check_shared_parameters(cli, &prepared)?;
    if let Command::Deploy {
        outputs_file: Some(path),
        ..
    } = &cli.command
    {
        crate::files::check_destination(path, "the outputs")?;
    }
    let endpoint = local_endpoint(app.name(), cli, shell)?;
    if matches!(cli.command, Command::Destroy { .. }) {
        refuse_imported(app, cli, &selected, endpoint.as_deref()).await?;
    }
    let mut results = Vec::new();
    let mut all_outputs = BTreeMap::new();
    let mut failure = None;
    for (one, (deployable, mut options)) in selected.iter().zip(prepared) {
        let target = (one, &deployable, endpoint.as_deref(), &interrupts);
        let ready = match assets(app.name(), cli, target, &mut options, shell).await {
            Ok(()) => on_stack(cli, target, options, shell).await,
            Err(error) => Err(error),
        };
        match ready {
            Ok(result) => {
                if let Some(outputs) = result.outputs {
                    all_outputs.insert(one.entry.key, outputs);
                }
                results.push(result.json);
            }
            Err(error) => {
                results.push(
                    serde_json::json!({ "stack": one.name, "error": error.to_json()["error"] }),
                );
                failure = Some(error);
                break;
            }
        }
    }
    // What the stacks before a failure did is reported and written all the same.
    report(cli, results, &all_outputs, failure.is_some())?;
    match failure {
        Some(mut failure) => {
            failure.reported = cli.global.output == OutputFormat::Json && cli.global.all;
            Err(failure)
        }
        None => Ok(()),
    }
}

/// The bootstrap stack in place of the stack selected, for its account, region and
/// environment.
fn bootstrap(selected: Selected) -> Selected {
    Selected {
        stack: infra_runtime::asset::bootstrap_stack(&selected.config),
        name: infra_runtime::asset::BOOTSTRAP_STACK.to_owned(),
        ..selected
    }
}

/// Before a diff or deploy of a stack with code assets: the bucket they go to (given as
/// `--parameter AssetBucket=…`, or the bootstrap stack's), and for a deploy, the upload of
/// those the bucket lacks. Nothing about the stack itself has changed yet.
async fn assets(
    program: &str,
    cli: &Cli,
    (selected, deployable, endpoint, interrupts): OnTarget<'_>,
    options: &mut DeployOptions,
    shell: &mut Shell,
) -> Result<(), Failure> {
    use infra_runtime::asset::{BOOTSTRAP_STACK, BUCKET_PARAMETER};
    let assets = deployable.template.assets();
    if assets.is_empty() || !matches!(cli.command, Command::Diff { .. } | Command::Deploy { .. }) {
        return Ok(());
    }
    let region = &selected.config.region;
    let target = target_of(cli, BOOTSTRAP_STACK, region, endpoint);
    let (cfn, s3) = connect(&target, &ApiCallCounter::default()).await?;
    let engine = Engine::new(cfn, s3, target);
    let given = options
        .parameters
        .iter()
        .find(|(k, _)| k == BUCKET_PARAMETER);
    let bucket = match given {
        Some((_, bucket)) => bucket.clone(),
        None => engine.asset_bucket().await?.ok_or_else(|| {
            Failure::from(format!(
                "stack {} ships {} code asset(s), and {region} has no asset bucket yet: run `{program} bootstrap{}` once for this account and region, or pass --parameter {BUCKET_PARAMETER}=<bucket>",
                selected.name,
                assets.len(),
                if endpoint.is_some() { " --local" } else { "" }
            ))
        })?,
    };
    if given.is_none() {
        options
            .parameters
            .push((BUCKET_PARAMETER.to_owned(), bucket.clone()));
    }
    if matches!(cli.command, Command::Deploy { .. }) {
        let done = engine
            .upload_assets(&bucket, assets, interrupts.fired())
            .await?;
        shell.line(
            "Assets",
            &format!(
                "{} uploaded ({} bytes), {} already in bucket {bucket}",
                done.sent, done.bytes, done.present
            ),
            Tone::Note,
        );
    }
    Ok(())
}

/// The outputs file and the JSON document of a run over stacks; `failed` when the last
/// stack failed (its error is the last result).
fn report(
    cli: &Cli,
    mut results: Vec<serde_json::Value>,
    all_outputs: &BTreeMap<&str, BTreeMap<String, String>>,
    failed: bool,
) -> Result<(), Failure> {
    if let Command::Deploy {
        outputs_file: Some(path),
        ..
    } = &cli.command
        && !(failed && all_outputs.is_empty())
    {
        let json = if cli.global.all {
            serde_json::to_string_pretty(&all_outputs)
        } else {
            serde_json::to_string_pretty(&all_outputs.values().next())
        }
        .map_err(|e| e.to_string())?;
        crate::files::write(path, &(json + "\n"), "the outputs", Audience::Owner)?;
    }
    if cli.global.output == OutputFormat::Json
        && !matches!(cli.command, Command::Diff { .. } if !cli.global.all)
        && (cli.global.all || !failed)
    {
        let document = if cli.global.all {
            serde_json::Value::Array(results)
        } else {
            results.pop().unwrap_or_default()
        };
        print(&format!("{document}\n"))?;
    }
    Ok(())
}

/// Refuses to destroy a stack while a deployed stack of the app imports from it (unless
/// this run destroys the importer first). The engine also asks CloudFormation itself
/// (`ListImports`), which knows importers outside the app; this check does not depend on
/// an endpoint that answers it.
async fn refuse_imported(
    app: &App,
    cli: &Cli,
    selected: &[Selected],
    endpoint: Option<&str>,
) -> Result<(), Failure> {
    for (i, one) in selected.iter().enumerate() {
        for importer in app.importers_of(one.entry.key) {
            if selected[..i].iter().any(|s| s.entry.key == importer.key) {
                continue;
            }
            let name = importer.stack_name(&one.config);
            let target = target_of(cli, &name, &one.config.region, endpoint);
            let (cfn, s3) = connect(&target, &ApiCallCounter::default()).await?;
            let state = Engine::new(cfn, s3, target).state().await?;
            if state != infra_runtime::deploy::StackState::Missing {
                return Err(Failure::from(format!(
                    "stack {} is imported by stack {name} (stack `{}` of the app): destroy it first, or destroy --all to go in order",
                    one.name, importer.key
                )));
            }
        }
    }
    Ok(())
}

/// The local endpoint's URL with `--local` (started for diff and deploy, required
/// running otherwise).
fn local_endpoint(program: &str, cli: &Cli, shell: &mut Shell) -> Result<Option<String>, Failure> {
    if !cli.global.local {
        return Ok(None);
    }
    let endpoint = LocalEndpoint::from_env()?;
    if matches!(
        cli.command,
        Command::Deploy { .. } | Command::Diff { .. } | Command::Bootstrap { .. }
    ) {
        endpoint.ensure_running(&mut |m| shell.line("Local", m, Tone::Note))?;
    } else if !endpoint.is_healthy() {
        return Err(Failure::from(format!(
            "the local endpoint is not running at {}: `{program} deploy --local` starts it",
            endpoint.url()
        )));
    }
    Ok(Some(endpoint.url()))
}

/// The deploy options of one stack: its parameters (checked against what it declares;
/// with `--local`, stand-ins for the ones it can fake), production, the template bucket.
fn options(
    cli: &Cli,
    selected: &Selected,
    deployable: &Deployable,
    shell: &mut Shell,
) -> Result<DeployOptions, Failure> {
    let mut options = DeployOptions {
        production: selected.config.is_production(),
        ..DeployOptions::default()
    };
    let (Command::Diff { deploy } | Command::Deploy { deploy, .. }) = &cli.command else {
        return Ok(options);
    };
    options.parameters = check_parameters(deployable, &deploy.parameters, cli.global.all)?;
    for (key, value) in &options.parameters {
        if let Some(problem) = selected.stack.parameter_value_problem(key, value) {
            let mut shown: String = value.chars().take(60).collect();
            if shown.len() < value.len() {
                shown.push('…');
            }
            return Err(Failure::from(format!(
                "--parameter {key}: `{shown}` {problem}"
            )));
        }
    }
    options.template_bucket.clone_from(&deploy.template_bucket);
    if cli.global.local {
        warn_uncreatable(deployable, shell);
        for (key, has_default) in deployable.template.parameters() {
            let asset_bucket = key == infra_runtime::asset::BUCKET_PARAMETER
                && !deployable.template.assets().is_empty();
            if has_default || asset_bucket || options.parameters.iter().any(|(k, _)| k == key) {
                continue;
            }
            let Some(value) = selected
                .stack
                .local_placeholder(key, &selected.config.region)
            else {
                return Err(Failure::from(format!(
                    "parameter {key} of stack `{}` has no value, and its type has no local stand-in: pass --parameter {key}=…",
                    selected.entry.key
                )));
            };
            shell.line(
                "Note",
                &format!(
                    "parameter {key} is not given; the local endpoint gets the stand-in {value}"
                ),
                Tone::Warn,
            );
            options.parameters.push((key.to_owned(), value));
        }
    }
    Ok(options)
}

/// What the local endpoint cannot create, said before a deploy or diff with `--local`:
/// those resources fail there, or the emulator only records them, though the template is
/// what AWS gets. Measured on the endpoint the tool installs (its pinned lock).
fn warn_uncreatable(deployable: &Deployable, shell: &mut Shell) {
    const UNCREATABLE: [(&str, &str); 2] = [
        (
            "AWS::Lambda::Function",
            "Lambda functions (its runtime download fails)",
        ),
        ("AWS::DynamoDB::Table", "DynamoDB tables (they need Java)"),
    ];
    const RECORDED: [&str; 6] = [
        "AWS::CloudTrail::Trail",
        "AWS::Config::ConfigurationRecorder",
        "AWS::Config::DeliveryChannel",
        "AWS::EC2::FlowLog",
        "AWS::EKS::Cluster",
        "AWS::EKS::Nodegroup",
    ];
    let resources = &deployable.template.document()["Resources"];
    let Some(resources) = resources.as_object() else {
        return;
    };
    let of_type = |type_name: &str| -> Vec<&str> {
        resources
            .iter()
            .filter(|(_, r)| r["Type"] == type_name)
            .map(|(id, _)| id.as_str())
            .collect()
    };
    for (type_name, what) in UNCREATABLE {
        let ids = of_type(type_name);
        if !ids.is_empty() {
            shell.line(
                "Note",
                &format!(
                    "the local endpoint cannot create {what}: {} will fail there; AWS gets them as synthesized",
                    ids.join(", ")
                ),
                Tone::Warn,
            );
        }
    }
    let recorded: Vec<&str> = RECORDED.iter().flat_map(|t| of_type(t)).collect();
    if !recorded.is_empty() {
        shell.line(
            "Note",
            &format!(
                "the local endpoint records {} without running them (trails, recorders, flow logs and EKS are not emulated); AWS gets them as synthesized",
                recorded.join(", ")
            ),
            Tone::Warn,
        );
    }
}

/// What one stack's command printed and returns.
struct StackResult {
    json: serde_json::Value,
    outputs: Option<BTreeMap<String, String>>,
}

/// The target of a stack: its name and region, with the profile and endpoint the command
/// line gives (the local endpoint's URL with dummy credentials).
fn target_of(cli: &Cli, name: &str, region: &str, endpoint: Option<&str>) -> Target {
    let mut target = Target::new(name);
    target.region = Some(region.to_owned());
    target.profile.clone_from(&cli.global.profile);
    target.endpoint_url.clone_from(&cli.global.endpoint_url);
    if let Some(url) = endpoint {
        target.endpoint_url = Some(url.to_owned());
        target.dummy_credentials = true;
    }
    target
}

/// One stack's command against its engine.
struct OnStack<'a> {
    cli: &'a Cli,
    name: &'a str,
    engine: Engine,
    counter: ApiCallCounter,
    json: bool,
    interrupts: &'a Interrupts,
}

/// A stack to run a command on: what was selected and built, the endpoint, the signals.
type OnTarget<'a> = (
    &'a Selected,
    &'a Deployable,
    Option<&'a str>,
    &'a Interrupts,
);

async fn on_stack(
    cli: &Cli,
    (selected, deployable, endpoint, interrupts): OnTarget<'_>,
    mut options: DeployOptions,
    shell: &mut Shell,
) -> Result<StackResult, Failure> {
    let target = target_of(cli, &selected.name, &selected.config.region, endpoint);
    let counter = ApiCallCounter::default();
    let (cfn, s3) = connect(&target, &counter).await?;
    let run = OnStack {
        cli,
        name: &selected.name,
        engine: Engine::new(cfn, s3, target),
        counter,
        json: cli.global.output == OutputFormat::Json,
        interrupts,
    };
    match &cli.command {
        Command::Diff { .. } => run.diff(deployable, &options, shell).await,
        Command::Deploy { yes, no_wait, .. } => {
            options.yes = *yes;
            options.no_wait = *no_wait;
            run.deploy(deployable, &options, shell).await
        }
        Command::Destroy { yes, confirm_stack } => {
            options.yes = *yes;
            options.confirmed_name.clone_from(confirm_stack);
            run.destroy(deployable, &options, shell).await
        }
        Command::Outputs => run.outputs().await,
        Command::Drift => run.drift(&options, shell).await,
        Command::Bootstrap { yes } => {
            options.yes = *yes;
            run.deploy(deployable, &options, shell).await
        }
        Command::Synth { .. } | Command::Graph { .. } | Command::Local { .. } | Command::List => {
            Ok(StackResult {
                json: serde_json::Value::Null,
                outputs: None,
            })
        }
    }
}

impl OnStack<'_> {
    async fn diff(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        shell: &mut Shell,
    ) -> Result<StackResult, Failure> {
        let plan = self
            .engine
            .diff(deployable, options, shell, self.interrupts.fired())
            .await?;
        let changes = plan_json(&plan);
        if self.json && !self.cli.global.all {
            print(&format!("{changes}\n"))?;
        }
        Ok(StackResult {
            json: serde_json::json!({ "stack": self.name, "changes": changes }),
            outputs: None,
        })
    }

    async fn deploy(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        shell: &mut Shell,
    ) -> Result<StackResult, Failure> {
        let outcome = self
            .engine
            .deploy(deployable, options, shell, self.interrupts.fired())
            .await?;
        let (status, outputs, plan) = match &outcome {
            DeployOutcome::NoChanges { outputs } => {
                ("NO_CHANGES".to_owned(), outputs.clone(), None)
            }
            DeployOutcome::Completed {
                status,
                outputs,
                plan,
            } => (status.as_str().to_owned(), outputs.clone(), Some(plan)),
        };
        let calls = self.counter.count();
        shell.line(
            "Finished",
            &format!("stack {} is {status} ({calls} API calls)", self.name),
            Tone::Good,
        );
        if !self.json {
            print(&outputs_text(&outputs))?;
        }
        Ok(StackResult {
            json: serde_json::json!({
                "stack": self.name,
                "status": status,
                "outputs": outputs,
                "changes": plan.map(plan_json).unwrap_or_else(|| serde_json::json!([])),
                "api_calls": calls,
            }),
            outputs: Some(outputs),
        })
    }

    async fn destroy(
        &self,
        deployable: &Deployable,
        options: &DeployOptions,
        shell: &mut Shell,
    ) -> Result<StackResult, Failure> {
        let fates = self
            .engine
            .destroy(deployable, options, shell, self.interrupts.fired())
            .await?;
        let ids = |wanted: fn(&End) -> bool| -> Vec<&String> {
            fates
                .iter()
                .filter(|f| wanted(&f.end))
                .map(|f| &f.logical_id)
                .collect()
        };
        let kept = ids(End::stays);
        let snapshotted = ids(|end| *end == End::Snapshotted);
        shell.line(
            "Deleted",
            &format!(
                "stack {} ({} resources left behind, {} final snapshots kept)",
                self.name,
                kept.len(),
                snapshotted.len()
            ),
            Tone::Good,
        );
        Ok(StackResult {
            json: serde_json::json!({ "stack": self.name, "deleted": true, "kept": kept, "snapshotted": snapshotted }),
            outputs: None,
        })
    }

    async fn outputs(&self) -> Result<StackResult, Failure> {
        let outputs = self.engine.outputs().await?;
        let all = self.cli.global.all;
        if !self.json {
            if all {
                print(&format!("# {}\n", self.name))?;
            }
            print(&outputs_text(&outputs))?;
        }
        Ok(StackResult {
            json: if all {
                serde_json::json!({ "stack": self.name, "outputs": outputs })
            } else {
                serde_json::to_value(&outputs).unwrap_or_default()
            },
            outputs: None,
        })
    }

    async fn drift(
        &self,
        options: &DeployOptions,
        shell: &mut Shell,
    ) -> Result<StackResult, Failure> {
        let drifts = self.engine.drift(options, shell).await?;
        if !self.json {
            let text: String = drifts
                .iter()
                .map(|d| format!("{:<12} {} ({})\n", d.status, d.logical_id, d.resource_type))
                .collect();
            print(&text)?;
        }
        let list = drifts
            .iter()
            .map(|d| serde_json::json!({ "resource": d.logical_id, "type": d.resource_type, "status": d.status }))
            .collect();
        Ok(StackResult {
            json: serde_json::Value::Array(list),
            outputs: None,
        })
    }
}

fn outputs_text(outputs: &BTreeMap<String, String>) -> String {
    outputs
        .iter()
        .map(|(k, v)| format!("{k} = {v}\n"))
        .collect()
}

fn plan_json(plan: &infra_runtime::deploy::Plan) -> serde_json::Value {
    serde_json::to_value(&plan.changes).unwrap_or_default()
}

/// Every `--parameter` names a parameter of the stack, once, with a value; returns the
/// ones the stack takes. With `--all` (`shared`), the others belong to other stacks.
fn check_parameters(
    deployable: &Deployable,
    given: &[(String, String)],
    shared: bool,
) -> Result<Vec<(String, String)>, Failure> {
    let declared: Vec<&str> = deployable
        .template
        .parameters()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for (i, (key, value)) in given.iter().enumerate() {
        if shared && !declared.contains(&key.as_str()) {
            continue;
        }
        if !declared.contains(&key.as_str()) {
            let hint = infra_runtime::error::closest(key, declared.iter().copied())
                .0
                .map_or_else(
                    || match declared.as_slice() {
                        [] => "the stack takes no parameters".to_owned(),
                        names => format!("the stack's parameters are {}", names.join(", ")),
                    },
                    |d| format!("did you mean `{d}`?"),
                );
            return Err(Failure::from(format!(
                "--parameter {key}: the stack has no parameter `{key}`; {hint}"
            )));
        }
        if value.is_empty() {
            return Err(Failure::from(format!(
                "--parameter {key}= has no value: give one (`{key}=…`), or leave the flag out to keep the stack's"
            )));
        }
        if given[..i].iter().any(|(k, _)| k == key) {
            return Err(Failure::from(format!(
                "--parameter {key} is given twice: give each parameter once"
            )));
        }
    }
    Ok(given
        .iter()
        .filter(|(key, _)| declared.contains(&key.as_str()))
        .cloned()
        .collect())
}

/// With `--all`, each `--parameter` must belong to at least one stack.
fn check_shared_parameters(
    cli: &Cli,
    prepared: &[(Deployable, DeployOptions)],
) -> Result<(), Failure> {
    let (Command::Diff { deploy } | Command::Deploy { deploy, .. }) = &cli.command else {
        return Ok(());
    };
    for (key, _) in &deploy.parameters {
        let taken = prepared
            .iter()
            .any(|(d, _)| d.template.parameters().iter().any(|(k, _)| k == key));
        if !taken {
            return Err(Failure::from(format!(
                "--parameter {key}: no stack of the app has a parameter `{key}`"
            )));
        }
    }
    Ok(())
}

impl Failure {
    /// The failure as the one JSON document `--output json` prints:
    /// `{"error": {"message": "…", "exit_code": N}}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "error": { "message": self.message, "exit_code": self.code } })
    }
}

/// Whether raw arguments ask for JSON output, for errors found before they parse.
pub fn wants_json(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .zip(args.iter().skip(1))
        .any(|(flag, value)| flag == "--output" && value == "json")
        || args.iter().any(|a| a == "--output=json")
}
