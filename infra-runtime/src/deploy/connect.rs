//! Clients for a target: region, profile, endpoint and credentials from the standard AWS
//! chain, overridden by what the command line says; retries with backoff for throttling
//! and transient errors, and timeouts so a dropped connection cannot hang a deploy.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::Region;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::Credentials;
use aws_types::os_shim_internal::{Env, Fs};

use super::DeployError;
use super::calls::Caller;
use super::cloudformation::CloudFormation;
use super::http::Https;
use super::objects::ObjectStore;

/// Time allowed to open a connection, to AWS or to the environment's proxy.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where a stack is deployed.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The region; the standard chain's when `None`.
    pub region: Option<String>,
    /// A named profile of the shared config files.
    pub profile: Option<String>,
    /// Another endpoint than AWS's (a local emulator).
    pub endpoint_url: Option<String>,
    /// Use fixed dummy credentials (a local emulator accepts any).
    pub dummy_credentials: bool,
    /// Attempts per call, retries included (backing off between them as the AWS SDKs'
    /// standard mode does).
    pub max_attempts: u32,
    /// Time allowed for one attempt of one call.
    pub attempt_timeout: Duration,
}

impl Target {
    /// A target with the chain's region and credentials and 5 attempts of 30 seconds each.
    pub fn new(stack_name: impl Into<String>) -> Self {
        Self {
            stack_name: stack_name.into(),
            max_attempts: 5,
            attempt_timeout: Duration::from_secs(30),
            ..Self::default()
        }
    }
}

/// Counts the HTTP attempts the clients make (the deploy benchmark reports it).
#[derive(Debug, Clone, Default)]
pub struct ApiCallCounter(Arc<AtomicUsize>);

impl ApiCallCounter {
    /// Attempts so far.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// Counts one attempt.
    pub(super) fn record(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The CloudFormation client and the object store for a target.
pub async fn connect(
    target: &Target,
    counter: &ApiCallCounter,
) -> Result<(CloudFormation, ObjectStore), DeployError> {
    if !target.dummy_credentials {
        named_profile_is_defined(target).await?;
    }
    let https = Https::new(CONNECT_TIMEOUT);
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(https.for_sdk())
        .retry_config(RetryConfig::standard().with_max_attempts(target.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(target.attempt_timeout)
                .build(),
        );
    if let Some(region) = &target.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &target.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &target.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if target.dummy_credentials {
        loader = loader.credentials_provider(Credentials::new(
            "test",
            "test",
            None,
            None,
            "local-endpoint",
        ));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(DeployError::NoRegion);
    }
    if config.credentials_provider().is_none() {
        return Err(DeployError::NoCredentials);
    }
    // One caller for both services: the credentials are loaded once for the run.
    let caller = Caller::new(&config, target, counter, Arc::new(https))?;
    let cfn = CloudFormation::with_caller(&config, caller.clone())?;
    Ok((cfn, ObjectStore::with_caller(&config, caller)?))
}

/// `Ok` unless a profile is named (by `--profile`, or `AWS_PROFILE`) that the shared config
/// files do not define. The chain would pass over it silently to the environment's keys,
/// and deploy to whatever account they belong to, or fail for want of credentials.
/// `default` may be absent: it names the chain's usual course.
async fn named_profile_is_defined(target: &Target) -> Result<(), DeployError> {
    let env = Env::real();
    let (profile, origin) = match (&target.profile, env.get("AWS_PROFILE")) {
        (Some(profile), _) => (profile.clone(), "--profile"),
        (None, Ok(profile)) if !profile.is_empty() => (profile, "AWS_PROFILE"),
        _ => return Ok(()),
    };
    if profile == "default" {
        return Ok(());
    }
    // The default files: `~/.aws`, or where AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE say.
    let files = Default::default();
    let defined =
        aws_config::profile::load(&Fs::real(), &env, &files, Some(profile.clone().into()))
            .await
            .map_err(|e| DeployError::Local(format!("cannot read the AWS config files: {e}")))?;
    if defined.get_profile(&profile).is_some() {
        return Ok(());
    }
    let mut known: Vec<String> = defined.profiles().map(str::to_owned).collect();
    known.sort();
    Err(DeployError::NoSuchProfile {
        profile,
        origin,
        files: profile_file_paths(&env),
        known,
    })
}

/// The two shared files, where the environment puts them or in `~/.aws`.
fn profile_file_paths(env: &Env) -> String {
    let home = env.get("HOME").unwrap_or_else(|_| "~".to_owned());
    let path = |variable: &str, name: &str| {
        env.get(variable)
            .unwrap_or_else(|_| format!("{home}/.aws/{name}"))
    };
    format!(
        "{} or {}",
        path("AWS_CONFIG_FILE", "config"),
        path("AWS_SHARED_CREDENTIALS_FILE", "credentials")
    )
}
