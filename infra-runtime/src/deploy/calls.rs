//! What every call to AWS shares, CloudFormation's and S3's: where it goes (the region's
//! endpoint in its partition, or the one configured), how it is signed (Signature Version
//! 4 with `aws-sigv4`), how it is sent (the HTTPS client, or a stand-in), and how long to
//! wait before another attempt.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_types::body::SdkBody;
use aws_types::service_config::ServiceConfigKey;
use bytes::Bytes;

use super::DeployError;
use super::connect::{ApiCallCounter, Target};

/// A service the engine calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Service {
    CloudFormation,
    S3,
}

impl Service {
    /// Its signing name, and the first label of its endpoints.
    fn name(self) -> &'static str {
        match self {
            Self::CloudFormation => "cloudformation",
            Self::S3 => "s3",
        }
    }

    /// Its id in the SDK's configuration (`AWS_ENDPOINT_URL_<ID>`, a profile's `services`).
    fn id(self) -> &'static str {
        match self {
            Self::CloudFormation => "CloudFormation",
            Self::S3 => "S3",
        }
    }

    /// Its name in messages.
    pub(super) fn label(self) -> &'static str {
        self.id()
    }
}

/// One attempt's answer: its HTTP status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Bytes,
}

/// The future of one attempt: the answer, or why none came (the innermost cause).
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<Answer, String>> + Send + 'a>>;

/// Where signed requests go: the HTTPS client of a deploy, or a stand-in for AWS.
pub trait Transport: Send + Sync {
    /// Sends one signed request and reads the whole answer.
    fn send(&self, request: http::Request<SdkBody>) -> Sending<'_>;
}

/// Signed calls in one region with their retries: the transport, credentials and region
/// of a target, its attempts and the time allowed for each, and the counter of attempts.
#[derive(Clone)]
pub(super) struct Caller {
    transport: Arc<dyn Transport>,
    credentials: Cached,
    pub(super) region: String,
    counter: ApiCallCounter,
    attempts: u32,
    attempt_timeout: Duration,
}

/// One request of a call, signed anew for each attempt.
pub(super) struct Request<'a> {
    pub service: Service,
    pub operation: &'static str,
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Bytes,
}

impl Caller {
    /// The caller of `config`'s region and credentials, with the target's attempts and
    /// timeout, sending over `transport`. Fails only without a region.
    pub(super) fn new(
        config: &SdkConfig,
        target: &Target,
        counter: &ApiCallCounter,
        transport: Arc<dyn Transport>,
    ) -> Result<Self, DeployError> {
        let region = config
            .region()
            .map(ToString::to_string)
            .ok_or(DeployError::NoRegion)?;
        // A region is a label of every endpoint's host name: `eu-west-2.` and a slash in it
        // would send the calls, signed, to another host.
        if !is_host_label(&region) {
            return Err(DeployError::Local(format!(
                "the region `{region}` (from --region, AWS_REGION or the profile) is not a region's name: letters, digits and hyphens, e.g. eu-west-2"
            )));
        }
        Ok(Self {
            transport,
            credentials: Cached::new(config.credentials_provider()),
            region,
            counter: counter.clone(),
            attempts: target.max_attempts.max(1),
            attempt_timeout: target.attempt_timeout,
        })
    }

    /// This caller sending over `transport` instead.
    pub(super) fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = transport;
        self
    }

    /// Sends `request`, signed anew for each attempt, until an answer `retry` does not
    /// want another attempt for, or the attempts are spent (the last answer is returned;
    /// a dropped connection or a timed-out attempt is retried, and is the error when it
    /// was the last). Waits between attempts as [`backoff`] says.
    pub(super) async fn send(
        &self,
        request: &Request<'_>,
        retry: impl Fn(&Answer) -> bool,
    ) -> Result<Answer, DeployError> {
        let credentials = self.credentials.get().await?;
        let unreachable = |reason| DeployError::Unreachable {
            service: request.service.label(),
            operation: request.operation,
            reason,
        };
        let mut failure = unreachable("no attempt".to_owned());
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(backoff(attempt, random_fraction())).await;
            }
            self.counter.record();
            let signed = signed(
                request.service,
                request.method,
                request.url,
                &request.body,
                request.headers,
                &credentials,
                &self.region,
                SystemTime::now(),
            )
            .map_err(|message| DeployError::Api {
                operation: request.operation,
                code: "SigningFailed".into(),
                message,
            })?;
            let sent = tokio::time::timeout(self.attempt_timeout, self.transport.send(signed));
            match sent.await {
                Ok(Ok(answer)) if !retry(&answer) || attempt + 1 == self.attempts => {
                    return Ok(answer);
                }
                Ok(Ok(_)) => {}
                Ok(Err(reason)) => failure = unreachable(reason),
                Err(_) => {
                    failure = unreachable(format!("no answer within {:?}", self.attempt_timeout));
                }
            }
        }
        Err(failure)
    }
}

/// Where calls to `service` go, as the SDK's own client would send them: the command
/// line's endpoint (`--endpoint-url`, `--local`), else the service's of the environment or
/// profile (`AWS_ENDPOINT_URL_S3`, a profile's `services` section), else the one for every
/// service (`AWS_ENDPOINT_URL`), else AWS's (`None`). One that is not an http(s) URL is
/// the error that names where it came from, before any call is signed for it.
pub(super) fn configured_endpoint(
    config: &SdkConfig,
    service: Service,
) -> Result<Option<String>, DeployError> {
    let given = config.endpoint_url().map(str::to_owned);
    let (url, origin) = if config.get_origin("endpoint_url").is_client_config() {
        (given, "--endpoint-url".to_owned())
    } else {
        let own = ServiceConfigKey::builder()
            .service_id(service.id())
            .env("AWS_ENDPOINT_URL")
            .profile("endpoint_url")
            .build()
            .ok()
            .and_then(|key| config.service_config()?.load_config(key));
        let origin = format!(
            "AWS_ENDPOINT_URL_{}, AWS_ENDPOINT_URL or a profile's endpoint_url",
            service.id().to_uppercase()
        );
        (own.or(given), origin)
    };
    match url {
        Some(url) => match endpoint_url_problem(&url) {
            None => Ok(Some(url)),
            Some(problem) => Err(DeployError::Local(format!(
                "the {} endpoint `{url}` (from {origin}) is not usable: {problem}",
                service.label()
            ))),
        },
        None => Ok(None),
    }
}

/// What is wrong with `text` as an endpoint's URL, if anything: it is `http://` or
/// `https://`, a host (a name, an IPv4 address or a bracketed IPv6 one), an optional port up
/// to 65535 and an optional path, with no whitespace.
pub fn endpoint_url_problem(text: &str) -> Option<String> {
    let example = "e.g. http://127.0.0.1:4566";
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return Some(format!("expected an http:// or https:// URL ({example})"));
    };
    if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("a URL holds no {c:?}"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, after)) => (host, after.strip_prefix(':')),
            None => return Some(format!("`[{v6}` lacks its closing `]`")),
        },
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_chars = |c: char| c.is_ascii_alphanumeric() || "-._:".contains(c);
    if host.is_empty() || !host.chars().all(host_chars) {
        return Some(format!("`{authority}` is not a host ({example})"));
    }
    match port {
        Some(port) if port.parse::<u16>().is_err() => {
            Some(format!("`{port}` is not a port: a number up to 65535"))
        }
        _ => None,
    }
}

/// Whether `text` can be a label of a host name: 1 to 63 letters, digits and hyphens, not
/// starting or ending with a hyphen.
fn is_host_label(text: &str) -> bool {
    (1..=63).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// AWS's endpoint host of `service` in `region`: FIPS and dual-stack as configured
/// (`AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`), in the region's partition.
pub(super) fn aws_host(service: Service, region: &str, fips: bool, dual_stack: bool) -> String {
    let fips = if fips { "-fips" } else { "" };
    match service {
        Service::S3 => {
            let dual_stack = if dual_stack { ".dualstack" } else { "" };
            format!("s3{fips}{dual_stack}.{region}.{}", dns_suffix(region))
        }
        Service::CloudFormation => {
            let suffix = if dual_stack {
                dual_stack_suffix(region)
            } else {
                dns_suffix(region)
            };
            format!("{}{fips}.{region}.{suffix}", service.name())
        }
    }
}

/// The DNS suffix of a region's partition.
pub(super) fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else {
        "amazonaws.com"
    }
}

/// The DNS suffix of a partition's IPv4-and-IPv6 endpoints.
fn dual_stack_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "api.amazonwebservices.com.cn"
    } else {
        "api.aws"
    }
}

/// A provider's credentials, loaded once and kept until five minutes before they expire:
/// a deploy polls for minutes, and asking SSO, STS or instance metadata anew for each call
/// would be slow and throttled.
#[derive(Clone)]
struct Cached {
    provider: Option<SharedCredentialsProvider>,
    kept: Arc<tokio::sync::Mutex<Option<Credentials>>>,
}

impl Cached {
    /// How long before their expiry kept credentials are loaded again.
    const MARGIN: Duration = Duration::from_secs(300);

    fn new(provider: Option<SharedCredentialsProvider>) -> Self {
        Self {
            provider,
            kept: Arc::default(),
        }
    }

    /// The kept credentials, or new ones: none found is the error that says how to give
    /// them; a source that failed (an expired SSO session, a `credential_process` that
    /// exited) says why.
    async fn get(&self) -> Result<Credentials, DeployError> {
        use aws_credential_types::provider::error::CredentialsError;
        let mut kept = self.kept.lock().await;
        let fresh = |c: &Credentials| {
            c.expiry()
                .is_none_or(|at| at > SystemTime::now() + Self::MARGIN)
        };
        if let Some(credentials) = kept.as_ref().filter(|c| fresh(c)) {
            return Ok(credentials.clone());
        }
        let provider = self.provider.as_ref().ok_or(DeployError::NoCredentials)?;
        let loaded = provider.provide_credentials().await.map_err(|e| match e {
            CredentialsError::CredentialsNotLoaded(_) => DeployError::NoCredentials,
            other => DeployError::Local(format!(
                "cannot load AWS credentials: {}",
                super::error::innermost_cause(&other)
            )),
        })?;
        *kept = Some(loaded.clone());
        Ok(loaded)
    }
}

/// A request to `service` signed at `time`. S3's carries the body's SHA-256 in
/// `x-amz-content-sha256`, its path encoded once and not normalized, as S3 expects.
#[allow(clippy::too_many_arguments)]
pub(super) fn signed(
    service: Service,
    method: &str,
    url: &str,
    body: &Bytes,
    headers: &[(&str, &str)],
    credentials: &Credentials,
    region: &str,
    time: SystemTime,
) -> Result<http::Request<SdkBody>, String> {
    let signing_failed = |e: &dyn std::fmt::Display| e.to_string();
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder
        .body(SdkBody::from(body.clone()))
        .map_err(|e| signing_failed(&e))?;
    let mut settings = SigningSettings::default();
    if service == Service::S3 {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service.name())
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| signing_failed(&e))?
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| signing_failed(&e))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| signing_failed(&e))?
        .into_parts();
    instructions.apply_to_request_http1x(&mut request);
    Ok(request)
}

/// The SDK's standard mode: a ceiling doubling from a tenth of a second up to 20 s, and
/// a wait of `fraction` of it ("full jitter"), so that runs throttled together do not all
/// come back together.
pub(super) fn backoff(attempt: u32, fraction: f64) -> Duration {
    let ceiling = Duration::from_millis(100u64.saturating_mul(1 << attempt.min(8)));
    ceiling
        .min(Duration::from_secs(20))
        .mul_f64(fraction.clamp(0.0, 1.0))
}

/// A fraction in [0, 1) from the standard library's randomly keyed hasher: enough to
/// spread retries, without a random-number crate.
pub(super) fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    // The top 53 bits, as many as an f64 holds exactly.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use aws_credential_types::provider::future;

    use super::super::http::Https;
    use super::*;

    /// A provider that counts its loads and gives credentials expiring `lasting` from now.
    #[derive(Debug)]
    struct Counting {
        loads: Arc<AtomicUsize>,
        lasting: Option<Duration>,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            self.loads.fetch_add(1, Ordering::Relaxed);
            let expiry = self.lasting.map(|d| SystemTime::now() + d);
            future::ProvideCredentials::ready(Ok(Credentials::new("a", "b", None, expiry, "t")))
        }
    }

    #[test]
    fn credentials_are_loaded_once_until_they_near_their_expiry() {
        for (lasting, expected) in [
            (None, 1),
            (Some(Duration::from_secs(3_600)), 1),
            (Some(Duration::from_secs(60)), 3),
        ] {
            let loads = Arc::new(AtomicUsize::new(0));
            let provider = Counting {
                loads: loads.clone(),
                lasting,
            };
            let cached = Cached::new(Some(SharedCredentialsProvider::new(provider)));
            // A clone (S3's caller beside CloudFormation's) shares what was loaded.
            let twin = cached.clone();
            super::super::block_on(async {
                for _ in 0..2 {
                    cached.get().await.expect("credentials");
                }
                twin.get().await.expect("credentials");
            });
            assert_eq!(loads.load(Ordering::Relaxed), expected, "{lasting:?}");
        }
        let none = Cached::new(None);
        let error = super::super::block_on(none.get()).expect_err("none");
        assert!(matches!(error, DeployError::NoCredentials), "{error}");
    }

    #[test]
    fn only_a_host_label_is_a_region() {
        for region in ["eu-west-2", "us-gov-west-1", "cn-north-1", "local"] {
            assert!(is_host_label(region), "{region}");
        }
        for region in ["", "eu west", "evil.example/x", "a.b", "-a", "b-", "é"] {
            assert!(!is_host_label(region), "{region}");
        }
        // Spliced into the endpoint's host, `example.net/x` would send the calls there.
        let config = SdkConfig::builder()
            .region(aws_config::Region::new("example.net/x"))
            .build();
        let https = Arc::new(Https::new(Duration::from_secs(1)));
        let refused = Caller::new(
            &config,
            &Target::new("Shop"),
            &ApiCallCounter::default(),
            https,
        );
        assert_eq!(
            refused.err().map(|e| e.to_string()),
            Some("the region `example.net/x` (from --region, AWS_REGION or the profile) is not a region's name: letters, digits and hyphens, e.g. eu-west-2".to_owned())
        );
    }

    #[test]
    fn endpoints_are_in_the_regions_partition() {
        let host = |region, fips, dual| aws_host(Service::CloudFormation, region, fips, dual);
        assert_eq!(
            host("eu-west-2", false, false),
            "cloudformation.eu-west-2.amazonaws.com"
        );
        assert_eq!(
            host("us-east-1", true, false),
            "cloudformation-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            host("us-east-1", false, true),
            "cloudformation.us-east-1.api.aws"
        );
        assert_eq!(
            host("cn-north-1", false, false),
            "cloudformation.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            aws_host(Service::S3, "us-gov-west-1", true, false),
            "s3-fips.us-gov-west-1.amazonaws.com"
        );
    }
}
