//! The `stacks` command line: argument types (their doc comments are the help text) and
//! the commands they run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use infra_runtime::deploy::{
    ApiCallCounter, DeployError, DeployOptions, DeployOutcome, Deployable, Engine, Target, connect,
};
use infra_runtime::{Stack, StackConfig};

use crate::loan::{LoanSettings, LoanStack};
use crate::local::LocalEndpoint;
use crate::ui::{Shell, Tone};

/// Synthesizes, plans, deploys and inspects the project's CloudFormation stacks.
///
/// Credentials, region and endpoint come from the standard AWS chain (AWS_PROFILE,
/// AWS_REGION, AWS_ENDPOINT_URL) unless the options below say otherwise; `--local` uses a
/// local CloudFormation endpoint that the command installs and starts on first use.
/// ENVIRONMENT_SUFFIX, REPOSITORY, COMMIT_AUTHOR, PR_NUMBER and TEAM set the stack name
/// (TapStack<suffix>) and default tags.
#[derive(Debug, Parser)]
#[command(name = "stacks", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The end of `stacks --help`: the commands people start with.
const EXAMPLES: &str = "\
Examples:
  stacks deploy --local --yes            Create or update the loan stack on the local endpoint
  stacks diff                            What a deploy to AWS would change, changing nothing
  ENVIRONMENT_SUFFIX=prod stacks deploy  The production stack (deletion protection, final snapshot)
  stacks synth --out template.json       The template, for review or another tool
  stacks graph --format mermaid          What references what, for a Markdown page
  stacks destroy --local                 Delete the stack, after listing what stays behind";

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Which stack.
    #[arg(long, global = true, value_enum, default_value_t = StackName::Loan)]
    pub stack: StackName,
    /// The AWS region (default: AWS_REGION, else the stack's pinned region).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// A named profile from the AWS config files.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Send API calls to this endpoint instead of AWS's.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Use the local CloudFormation endpoint (LocalStack on 127.0.0.1, started if needed;
    /// its port comes from INFRA_LOCAL_PORT, default 4566).
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
        #[command(flatten)]
        settings: SettingsArgs,
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
        /// Also write the outputs to this file, as JSON.
        #[arg(long, value_name = "PATH")]
        outputs_file: Option<PathBuf>,
    },
    /// Delete the stack, after listing from the live stack what is deleted and what stays
    /// (and why), and asking. A production stack (ENVIRONMENT_SUFFIX prod, prod-*,
    /// production*) also needs its name, typed at the prompt or given with
    /// --confirm-stack; a stack with termination protection is refused.
    Destroy {
        /// Do not ask (a production stack still needs --confirm-stack).
        #[arg(long, short = 'y')]
        yes: bool,
        /// The stack's name, to confirm destroying a production stack without a prompt.
        #[arg(long, value_name = "STACK")]
        confirm_stack: Option<String>,
    },
    /// Print the deployed stack's outputs.
    Outputs,
    /// Print the resource graph (what references what) as Graphviz DOT or Mermaid.
    Graph {
        /// The notation.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Detect drift between the deployed stack and its template (AWS only: the local
    /// endpoint cannot).
    Drift,
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

/// The loan stack's settings, overridable per command.
#[derive(Debug, Args, Default, Clone)]
pub struct SettingsArgs {
    /// NAT gateways: 0, 1 (the default) or one per zone (3).
    #[arg(long, value_name = "N")]
    pub nat_gateways: Option<u8>,
    /// Serve plain HTTP instead of redirecting it to HTTPS.
    #[arg(long)]
    pub allow_plain_http: bool,
    /// Leave the VPC's default security group as EC2 creates it, instead of closing it
    /// with a Lambda-backed custom resource (for an endpoint that runs no Lambda; implied
    /// by --local).
    #[arg(long)]
    pub leave_default_group_open: bool,
    /// The container image (pinned to a version).
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
}

/// What `diff` and `deploy` share.
#[derive(Debug, Args, Default, Clone)]
pub struct DeployArgs {
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// A parameter value, `Key=Value` (repeatable); an existing stack keeps the others.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// Upload templates over 51,200 bytes to this S3 bucket and deploy them by URL.
    #[arg(long, value_name = "BUCKET")]
    pub template_bucket: Option<String>,
}

fn parse_parameter(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected KEY=VALUE, found `{text}`"))
}

/// The stacks this binary knows.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StackName {
    /// The loan-processing platform (`src/loan.rs`).
    Loan,
    /// A VPC, two subnets, a security group, a role and a KMS-encrypted bucket.
    Sample,
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
    /// 1, or 130 when interrupted.
    pub code: u8,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self { message, code: 1 }
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
        }
    }
}

/// The stack to work on, as configured.
struct Selected {
    stack: Stack,
    name: String,
    config: StackConfig,
}

/// The stack the options select, built for the environment; every input is checked here,
/// before anything talks to AWS.
fn select(
    global: &Global,
    settings: &SettingsArgs,
    shell: &mut Shell,
    notes: bool,
) -> Result<Selected, Failure> {
    let mut config = LoanStack::config_from_env().map_err(|e| Failure::from(e.to_string()))?;
    if let Some(region) = &global.region {
        config.region.clone_from(region);
    }
    if let Some(image) = &settings.image
        && let Some(problem) = infra_facts::limits::image_problem(image)
    {
        return Err(Failure::from(format!(
            "--image `{image}` {problem}: pin it to a version (`repository:tag`) or a digest (`repository@sha256:…`)"
        )));
    }
    Ok(match global.stack {
        StackName::Loan => {
            let loan = loan_settings(global, settings, shell, notes);
            Selected {
                stack: LoanStack::new(&config, &loan).stack,
                name: LoanStack::stack_name(&config),
                config,
            }
        }
        StackName::Sample => Selected {
            stack: crate::sample::sample_stack(),
            name: format!("Sample{}", config.environment_suffix),
            config,
        },
    })
}

/// The loan stack's settings from the flags. A local deploy leaves out what the local
/// endpoint cannot create, and says so; AWS gets what the stack declares.
fn loan_settings(
    global: &Global,
    settings: &SettingsArgs,
    shell: &mut Shell,
    notes: bool,
) -> LoanSettings {
    let mut loan = LoanSettings::default();
    let mut note = |text: &str| {
        if notes {
            shell.line("Note", text, Tone::Warn);
        }
    };
    if let Some(n) = settings.nat_gateways {
        loan.nat_gateways = n;
    } else if global.local {
        note(
            "the local endpoint has no Elastic IPs, so this deploy uses no NAT gateway (AWS gets the stack's setting)",
        );
        loan.nat_gateways = 0;
    }
    if settings.leave_default_group_open {
        loan.restrict_default_group = false;
    } else if global.local {
        note(
            "the local endpoint runs no Lambda functions, so this deploy leaves the VPC's default security group as EC2 creates it (AWS gets it closed)",
        );
        loan.restrict_default_group = false;
    }
    loan.allow_plain_http |= settings.allow_plain_http;
    if let Some(image) = &settings.image {
        loan.image.clone_from(image);
    }
    loan
}

fn synthesized(selected: &Selected) -> Result<Deployable, Failure> {
    Deployable::new(&selected.stack).map_err(|e| Failure::from(e.to_string().trim_end().to_owned()))
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    let mut shell = Shell::detect();
    match &cli.command {
        Command::Synth {
            out,
            pretty,
            settings,
        } => {
            let selected = select(&cli.global, settings, &mut shell, false)?;
            synth(&selected, out.as_deref(), *pretty, cli.global.output)
        }
        Command::Graph { format, settings } => {
            let selected = select(&cli.global, settings, &mut shell, false)?;
            let template = synthesized(&selected)?.template;
            let text = match (cli.global.output, format) {
                (OutputFormat::Json, _) => format!("{}\n", crate::graph::json(template.document())),
                (OutputFormat::Text, GraphFormat::Dot) => crate::graph::dot(template.document()),
                (OutputFormat::Text, GraphFormat::Mermaid) => {
                    crate::graph::mermaid(template.document())
                }
            };
            print(&text)
        }
        Command::Local { action } => local(action, cli.global.output, &mut shell),
        _ => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the async runtime: {e}"))?;
            runtime.block_on(remote(&cli, &mut shell))
        }
    }
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
    match out {
        None => print(&text),
        Some(path) => {
            crate::files::write(path, &text, "the template")?;
            match output {
                OutputFormat::Json => print(&format!(
                    "{}\n",
                    serde_json::json!({ "template": path, "bytes": text.len() })
                )),
                OutputFormat::Text => Ok(()),
            }
        }
    }
}

fn local(action: &LocalAction, output: OutputFormat, shell: &mut Shell) -> Result<(), Failure> {
    let endpoint = LocalEndpoint::from_env();
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
                    "no local endpoint started by this project is running",
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
            serde_json::json!({ "running": running, "url": url })
        )),
        OutputFormat::Text => print(&text),
    }
}

async fn remote(cli: &Cli, shell: &mut Shell) -> Result<(), Failure> {
    let settings = match &cli.command {
        Command::Diff { deploy } | Command::Deploy { deploy, .. } => deploy.settings.clone(),
        _ => SettingsArgs::default(),
    };
    let changes = matches!(cli.command, Command::Diff { .. } | Command::Deploy { .. });
    let selected = select(&cli.global, &settings, shell, changes)?;
    let deployable = synthesized(&selected)?;
    let mut target = Target::new(&selected.name);
    target.region = Some(selected.config.region.clone());
    target.profile.clone_from(&cli.global.profile);
    target.endpoint_url.clone_from(&cli.global.endpoint_url);
    let mut options = DeployOptions {
        production: selected.config.is_production(),
        ..DeployOptions::default()
    };
    if let Command::Diff { deploy } | Command::Deploy { deploy, .. } = &cli.command {
        check_parameters(&deployable, &deploy.parameters)?;
        options.parameters.clone_from(&deploy.parameters);
        options.template_bucket.clone_from(&deploy.template_bucket);
    }
    if let Command::Deploy {
        outputs_file: Some(path),
        ..
    } = &cli.command
    {
        crate::files::check_destination(path, "the outputs")?;
    }
    if cli.global.local {
        let endpoint = LocalEndpoint::from_env();
        if matches!(cli.command, Command::Deploy { .. } | Command::Diff { .. }) {
            endpoint.ensure_running(&mut |m| shell.line("Local", m, Tone::Note))?;
        } else if !endpoint.is_healthy() {
            return Err(Failure::from(format!(
                "the local endpoint is not running at {}: `stacks deploy --local` starts it",
                endpoint.url()
            )));
        }
        target.endpoint_url = Some(endpoint.url());
        target.dummy_credentials = true;
        for (key, has_default) in deployable.template.parameters() {
            if changes && !has_default && !options.parameters.iter().any(|(k, _)| k == key) {
                let value = format!(
                    "arn:aws:acm:{}:000000000000:certificate/local-placeholder",
                    selected.config.region
                );
                shell.line(
                    "Note",
                    &format!("parameter {key} is not given; the local endpoint gets a placeholder"),
                    Tone::Warn,
                );
                options.parameters.push((key.to_owned(), value));
            }
        }
    }
    let counter = ApiCallCounter::default();
    let (cfn, s3) = connect(&target, &counter).await?;
    let engine = Engine::new(cfn, s3, target);
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match &cli.command {
        Command::Diff { .. } => {
            let plan = engine.diff(&deployable, &options, shell).await?;
            if cli.global.output == OutputFormat::Json {
                print(&format!("{}\n", plan_json(&plan)))?;
            }
            Ok(())
        }
        Command::Deploy {
            yes,
            no_wait,
            outputs_file,
            ..
        } => {
            options.yes = *yes;
            options.no_wait = *no_wait;
            let outcome = engine
                .deploy(&deployable, &options, shell, interrupt)
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
            shell.line(
                "Finished",
                &format!(
                    "stack {} is {status} ({} API calls)",
                    selected.name,
                    counter.count()
                ),
                Tone::Good,
            );
            if let Some(path) = outputs_file {
                let json = serde_json::to_string_pretty(&outputs).map_err(|e| e.to_string())?;
                crate::files::write(path, &(json + "\n"), "the outputs")?;
            }
            if cli.global.output == OutputFormat::Json {
                let result = serde_json::json!({
                    "stack": selected.name,
                    "status": status,
                    "outputs": outputs,
                    "changes": plan.map(plan_json).unwrap_or_else(|| serde_json::json!([])),
                    "api_calls": counter.count(),
                });
                print(&format!("{result}\n"))
            } else {
                print(&outputs_text(&outputs))
            }
        }
        Command::Destroy { yes, confirm_stack } => {
            options.yes = *yes;
            options.confirmed_name.clone_from(confirm_stack);
            let kept = engine
                .destroy(&deployable, &options, shell, interrupt)
                .await?;
            shell.line(
                "Deleted",
                &format!(
                    "stack {} ({} resources left behind)",
                    selected.name,
                    kept.len()
                ),
                Tone::Good,
            );
            if cli.global.output == OutputFormat::Json {
                print(&format!(
                    "{}\n",
                    serde_json::json!({ "stack": selected.name, "deleted": true, "kept": kept.iter().map(|k| &k.logical_id).collect::<Vec<_>>() })
                ))
            } else {
                Ok(())
            }
        }
        Command::Outputs => {
            let outputs = engine.outputs().await?;
            if cli.global.output == OutputFormat::Json {
                print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&outputs).map_err(|e| e.to_string())?
                ))
            } else {
                print(&outputs_text(&outputs))
            }
        }
        Command::Drift => {
            let drifts = engine.drift(&options, shell).await?;
            if cli.global.output == OutputFormat::Json {
                let list: Vec<_> = drifts
                    .iter()
                    .map(|d| serde_json::json!({ "resource": d.logical_id, "type": d.resource_type, "status": d.status }))
                    .collect();
                print(&format!("{}\n", serde_json::Value::Array(list)))
            } else {
                let text: String = drifts
                    .iter()
                    .map(|d| format!("{:<12} {} ({})\n", d.status, d.logical_id, d.resource_type))
                    .collect();
                print(&text)
            }
        }
        Command::Synth { .. } | Command::Graph { .. } | Command::Local { .. } => Ok(()),
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

/// Every `--parameter` names a parameter of the stack, once, with a value.
fn check_parameters(deployable: &Deployable, given: &[(String, String)]) -> Result<(), Failure> {
    let declared: Vec<&str> = deployable
        .template
        .parameters()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for (i, (key, value)) in given.iter().enumerate() {
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
