//! The two S3 calls a deploy makes — is this object there (HeadObject), and put it
//! (PutObject) — signed with Signature Version 4 by `aws-sigv4` and sent over the client
//! CloudFormation's calls use (`http.rs`). A whole S3 client for these two calls was the
//! largest crate of every app's cold build.

use std::sync::Arc;

use aws_config::SdkConfig;
use bytes::Bytes;

use super::DeployError;
use super::calls::{Answer, Caller, Request, Service, aws_host, configured_endpoint};
use super::connect::{ApiCallCounter, Target};
use super::http::Https;

/// Objects of S3 buckets in one region: the code assets and templates a deploy uploads.
#[derive(Clone)]
pub struct ObjectStore {
    caller: Caller,
    /// Another endpoint than AWS's (a local emulator), addressed path-style.
    endpoint: Option<String>,
    /// AWS's FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`, a profile's `use_fips_endpoint`).
    fips: bool,
    /// AWS's IPv4 and IPv6 endpoints (`AWS_USE_DUALSTACK_ENDPOINT`).
    dual_stack: bool,
}

impl std::fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStore")
            .field("region", &self.caller.region)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ObjectStore {
    /// The store of `config`'s region, credentials and endpoint, with the target's attempts
    /// and timeout, sending over `http` and counting each attempt in `counter`. Fails
    /// without a region, or for an endpoint that is not an http(s) URL.
    pub fn new(
        config: &SdkConfig,
        target: &Target,
        counter: &ApiCallCounter,
        http: &Https,
    ) -> Result<Self, DeployError> {
        let caller = Caller::new(config, target, counter, Arc::new(http.clone()))?;
        Self::with_caller(config, caller)
    }

    /// The store of `config`'s endpoint over `caller`; `Err` for an endpoint that is not
    /// an http(s) URL.
    pub(super) fn with_caller(config: &SdkConfig, caller: Caller) -> Result<Self, DeployError> {
        Ok(Self {
            caller,
            endpoint: configured_endpoint(config, Service::S3)?,
            fips: config.use_fips().unwrap_or(false),
            dual_stack: config.use_dual_stack().unwrap_or(false),
        })
    }

    /// The object's URL: path-style on another endpoint (and for a bucket whose name has
    /// a dot, which no wildcard certificate covers), virtual-hosted on AWS's.
    pub fn url(&self, bucket: &str, key: &str) -> String {
        let key = encode_key(key);
        match &self.endpoint {
            Some(endpoint) => format!("{}/{bucket}/{key}", endpoint.trim_end_matches('/')),
            None => {
                let host = aws_host(Service::S3, &self.caller.region, self.fips, self.dual_stack);
                if bucket.contains('.') {
                    format!("https://{host}/{bucket}/{key}")
                } else {
                    format!("https://{bucket}.{host}/{key}")
                }
            }
        }
    }

    /// Whether `bucket` holds an object under `key`.
    pub async fn holds(&self, bucket: &str, key: &str) -> Result<bool, DeployError> {
        let response = self
            .call("HeadObject", "HEAD", bucket, key, Bytes::new(), &[])
            .await?;
        match response.status {
            200..=299 => Ok(true),
            404 => Ok(false),
            _ => Err(service_error("HeadObject", &response)),
        }
    }

    /// Puts `body` into `bucket` under `key`.
    pub async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: &[u8],
        content_type: &str,
    ) -> Result<(), DeployError> {
        let headers = [("content-type", content_type)];
        let body = Bytes::copy_from_slice(body);
        let response = self
            .call("PutObject", "PUT", bucket, key, body, &headers)
            .await?;
        if (200..300).contains(&response.status) {
            Ok(())
        } else {
            Err(service_error("PutObject", &response))
        }
    }

    /// One call with its retries (throttling and server errors), a new signature each
    /// attempt.
    async fn call(
        &self,
        operation: &'static str,
        method: &str,
        bucket: &str,
        key: &str,
        body: Bytes,
        headers: &[(&str, &str)],
    ) -> Result<Answer, DeployError> {
        if let Some(problem) = bucket_name_problem(bucket) {
            return Err(DeployError::Local(format!(
                "`{bucket}` is not an S3 bucket's name: {problem}"
            )));
        }
        let url = self.url(bucket, key);
        let request = Request {
            service: Service::S3,
            operation,
            method,
            url: &url,
            headers,
            body,
        };
        self.caller
            .send(&request, |answer| retryable(answer.status))
            .await
    }
}

/// What is wrong with `name` as an S3 bucket's name, if anything. S3 names are 3 to 63
/// lowercase letters, digits, dots and hyphens; buckets made before 2018 in us-east-1 may
/// also have capitals and underscores, and up to 255 characters. Anything else (`/`, `:`,
/// `@`, `#`) would change the host or the path a signed call goes to.
pub fn bucket_name_problem(name: &str) -> Option<String> {
    if !(3..=255).contains(&name.len()) {
        return Some(format!("{} characters, where S3 takes 3 to 63", name.len()));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._".contains(c);
    name.chars().find(|c| !allowed(*c)).map(|c| {
        format!("{c:?} is none of the letters, digits, dots and hyphens a bucket's name is made of")
    })
}

/// `key` as a URL path: every byte but the unreserved characters and `/` percent-encoded.
fn encode_key(key: &str) -> String {
    super::query::percent_encode(key, b"/")
}

/// Throttling (`SlowDown` is a 503) and server errors are worth another attempt.
fn retryable(status: u16) -> bool {
    status == 429 || status >= 500
}

/// A refused call: S3's code and message from its XML error, or the status when it sent
/// none (a HEAD has no body).
fn service_error(operation: &'static str, response: &Answer) -> DeployError {
    // S3's refusal is an `<Error>` of a code and a message, read as CloudFormation's are.
    let root = super::query::parse(&String::from_utf8_lossy(&response.body)).ok();
    let element = |name: &str| root.as_ref()?.text_of(name).map(str::to_owned);
    let status = response.status;
    let code = element("Code").unwrap_or_else(|| match status {
        403 => "AccessDenied".into(),
        404 => "NoSuchBucket".into(),
        _ => format!("HTTP {status}"),
    });
    let message = element("Message").unwrap_or_else(|| match status {
        403 => "access denied (HeadObject needs s3:GetObject; without s3:ListBucket a missing object also reads as denied)".into(),
        _ => format!("S3 answered {status}"),
    });
    DeployError::Api {
        operation,
        code,
        message,
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use aws_credential_types::Credentials;
    use aws_credential_types::provider::SharedCredentialsProvider;
    use aws_types::service_config::ServiceConfigKey;

    use super::super::block_on;
    use super::super::calls::{backoff, random_fraction, signed};
    use super::super::proxy::ProxyConnector;
    use super::*;

    /// AWS's worked examples of Signature Version 4 for S3 (the API reference's "Examples:
    /// Signature Calculations", a single chunk): their credentials, time and requests.
    /// Returns the signed headers and the signature.
    fn example(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> String {
        let credentials = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "example",
        );
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_369_353_600); // 2013-05-24
        let body = Bytes::from(body.to_owned());
        let request = signed(
            Service::S3,
            method,
            url,
            &body,
            headers,
            &credentials,
            "us-east-1",
            time,
        )
        .expect("signs");
        let authorization = request.headers()["authorization"].to_str().expect("ascii");
        // The signed headers and the signature, whatever separates the parts.
        let part = |name: &str| {
            let start = authorization.find(name).expect(name) + name.len();
            authorization[start..]
                .split([',', ' '])
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        format!("{} {}", part("SignedHeaders="), part("Signature="))
    }

    #[test]
    fn a_get_is_signed_as_in_aws_example() {
        let authorization = example(
            "GET",
            "https://examplebucket.s3.amazonaws.com/test.txt",
            &[("range", "bytes=0-9")],
            "",
        );
        assert_eq!(
            authorization,
            "host;range;x-amz-content-sha256;x-amz-date f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn a_put_of_a_key_with_a_reserved_character_is_signed_as_in_aws_example() {
        let url = format!(
            "https://examplebucket.s3.amazonaws.com/{}",
            encode_key("test$file.text")
        );
        let authorization = example(
            "PUT",
            &url,
            &[
                ("date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            "Welcome to Amazon S3.",
        );
        assert_eq!(
            authorization,
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class 98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
        );
    }

    fn https() -> Https {
        Https::new(Duration::from_secs(5))
    }

    /// A configuration of eu-west-2 with test credentials.
    fn config() -> aws_types::sdk_config::Builder {
        SdkConfig::builder()
            .region(aws_config::Region::new("eu-west-2"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "test", "test", None, None, "test",
            )))
    }

    /// A store of eu-west-2 with test credentials and the target's endpoint, set as the
    /// loader sets the command line's.
    fn store(target: &Target, counter: &ApiCallCounter) -> ObjectStore {
        let mut config = config();
        if let Some(url) = &target.endpoint_url {
            config.set_endpoint_url(Some(url.clone()));
            config.insert_origin("endpoint_url", aws_types::origin::Origin::shared_config());
        }
        ObjectStore::new(&config.build(), target, counter, &https()).expect("store")
    }

    /// Service settings as the loader reads them from the environment and profile:
    /// `AWS_ENDPOINT_URL_S3` when asked for S3's endpoint.
    #[derive(Debug)]
    struct S3Endpoint(&'static str);

    impl aws_types::service_config::LoadServiceConfig for S3Endpoint {
        fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
            (key.service_id() == "S3" && key.env() == "AWS_ENDPOINT_URL").then(|| self.0.to_owned())
        }
    }

    #[test]
    fn s3_calls_go_where_the_sdks_s3_client_would_send_them() {
        let at = |config: aws_types::sdk_config::Builder| {
            ObjectStore::new(
                &config.build(),
                &Target::new("Shop"),
                &ApiCallCounter::default(),
                &https(),
            )
            .expect("store")
            .url("assets", "a.zip")
        };
        assert_eq!(
            at(config()),
            "https://assets.s3.eu-west-2.amazonaws.com/a.zip"
        );
        let everything = || {
            let mut config = config();
            config.set_endpoint_url(Some("http://127.0.0.1:4566".into()));
            config.insert_origin(
                "endpoint_url",
                aws_types::origin::Origin::shared_environment_variable(),
            );
            config
        };
        assert_eq!(
            at(everything()),
            "http://127.0.0.1:4566/assets/a.zip",
            "AWS_ENDPOINT_URL"
        );
        let s3 = everything().service_config(S3Endpoint("http://127.0.0.1:9000"));
        assert_eq!(
            at(s3),
            "http://127.0.0.1:9000/assets/a.zip",
            "AWS_ENDPOINT_URL_S3"
        );
        let mut given = everything().service_config(S3Endpoint("http://127.0.0.1:9000"));
        given.insert_origin("endpoint_url", aws_types::origin::Origin::shared_config());
        assert_eq!(
            at(given),
            "http://127.0.0.1:4566/assets/a.zip",
            "--endpoint-url"
        );
    }

    #[test]
    fn an_endpoint_that_refuses_is_tried_each_attempt_and_named_as_s3() {
        let mut target = Target::new("Shop");
        target.endpoint_url = Some("http://127.0.0.1:1".to_owned());
        target.max_attempts = 3;
        let counter = ApiCallCounter::default();
        let store = store(&target, &counter);
        let error = block_on(store.holds("assets", "assets/a.zip")).expect_err("refused");
        assert!(
            error
                .to_string()
                .starts_with("cannot reach S3 (HeadObject): "),
            "{error}"
        );
        assert_eq!(counter.count(), 3);
    }

    /// A proxy on a free port that reads one request's head, answers 407, and sends the
    /// head back.
    fn refusing_proxy() -> (u16, std::sync::mpsc::Receiver<String>) {
        use std::io::{BufRead, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (sender, head) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("a connection");
            let mut reader = std::io::BufReader::new(stream.try_clone().expect("clone"));
            let mut head = String::new();
            while reader.read_line(&mut head).unwrap_or(0) > 2 && !head.ends_with("\r\n\r\n") {}
            let answer = b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n";
            let _ = stream.write_all(answer);
            let _ = sender.send(head);
        });
        (port, head)
    }

    #[test]
    fn a_proxy_carries_the_call_in_a_tunnel_and_its_password_is_never_shown() {
        let (port, head) = refusing_proxy();
        let mut target = Target::new("Shop");
        target.max_attempts = 1;
        let mut store = store(&target, &ApiCallCounter::default());
        let proxies = hyper_util::client::proxy::matcher::Matcher::builder()
            .https(format!("http://team:s3cret@127.0.0.1:{port}"))
            .build();
        let https = Https::through(ProxyConnector::new(proxies, Some(Duration::from_secs(5))));
        store.caller = store.caller.with_transport(Arc::new(https));
        let error = block_on(store.holds("assets", "assets/a.zip"))
            .expect_err("the proxy refuses")
            .to_string();
        let head = head
            .recv_timeout(Duration::from_secs(5))
            .expect("the proxy was asked");
        assert!(
            head.starts_with("CONNECT assets.s3.eu-west-2.amazonaws.com:443 HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(
            head.to_ascii_lowercase()
                .contains("proxy-authorization: basic "),
            "{head}"
        );
        assert!(
            error.contains("the proxy that HTTPS_PROXY or ALL_PROXY names asks for credentials"),
            "{error}"
        );
        assert!(!error.contains("s3cret"), "{error}");
    }

    #[test]
    fn retries_wait_a_random_part_of_a_doubling_ceiling() {
        assert_eq!(backoff(1, 0.0), Duration::ZERO);
        assert_eq!(backoff(1, 1.0), Duration::from_millis(200));
        assert_eq!(backoff(3, 0.5), Duration::from_millis(400));
        assert_eq!(backoff(30, 1.0), Duration::from_secs(20), "capped");
        let draws: Vec<f64> = (0..64).map(|_| random_fraction()).collect();
        assert!(draws.iter().all(|f| (0.0..1.0).contains(f)), "{draws:?}");
        let distinct: std::collections::BTreeSet<u64> = draws.iter().map(|f| f.to_bits()).collect();
        assert!(distinct.len() > 32, "{draws:?}");
    }

    #[test]
    fn a_bucket_name_that_would_change_the_host_or_path_is_refused_before_signing() {
        for name in ["my-assets", "team.assets.eu-west-2", "Legacy_Bucket"] {
            assert_eq!(bucket_name_problem(name), None, "{name}");
        }
        assert_eq!(
            bucket_name_problem("x:1@example.net#"),
            Some(
                "':' is none of the letters, digits, dots and hyphens a bucket's name is made of"
                    .to_owned()
            )
        );
        assert!(bucket_name_problem("a/b").is_some());
        assert!(bucket_name_problem("ab").is_some());
        let target = Target::new("Shop");
        let store = store(&target, &ApiCallCounter::default());
        let refused = block_on(store.holds("x:1@example.net#", "k"));
        assert!(
            matches!(&refused, Err(DeployError::Local(m)) if m.starts_with("`x:1@example.net#` is not an S3 bucket's name")),
            "{refused:?}"
        );
    }

    #[test]
    fn keys_are_encoded_once_and_slashes_kept() {
        assert_eq!(encode_key("assets/ab12.zip"), "assets/ab12.zip");
        assert_eq!(
            encode_key("stacks/My Stack/ä+1.json"),
            "stacks/My%20Stack/%C3%A4%2B1.json"
        );
    }

    #[test]
    fn a_refusal_reads_s3s_code_and_message_or_says_what_the_status_means() {
        let refused = Answer {
            status: 403,
            body: Bytes::from_static(
                b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
            ),
        };
        assert_eq!(
            service_error("PutObject", &refused).to_string(),
            "PutObject: AccessDenied: Access Denied"
        );
        let head = Answer {
            status: 403,
            body: Bytes::new(),
        };
        assert!(
            service_error("HeadObject", &head)
                .to_string()
                .contains("s3:ListBucket")
        );
        assert!(retryable(503) && retryable(429) && !retryable(404) && !retryable(403));
    }
}
