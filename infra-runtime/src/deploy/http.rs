//! The one HTTP client of every call — CloudFormation's and S3's (`calls.rs`), and the
//! credential providers' — HTTP/1.1 over hyper and rustls with ring and the system's
//! roots, through the environment's proxy ([`super::proxy`]). The SDK's own client would
//! bring a second HTTP stack with HTTP/2 into every app's build.

use std::error::Error;
use std::sync::Arc;
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::ErrorKind;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::calls::{Answer, Sending, Transport};
use super::proxy::ProxyConnector;

type BoxError = Box<dyn Error + Send + Sync>;

/// The pooled HTTPS (or HTTP, for another endpoint) client of a deploy's calls, or why
/// there is none (no TLS root certificates on this machine), said at the first call
/// rather than by every command that never makes one.
#[derive(Clone)]
pub struct Https {
    client: Result<Client<HttpsConnector<ProxyConnector>, SdkBody>, Arc<str>>,
    connect_timeout: Option<Duration>,
}

impl std::fmt::Debug for Https {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Https")
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl Https {
    /// A client whose connections (to the destination or to its proxy) time out after
    /// `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Self {
        Self::through(ProxyConnector::from_env(Some(connect_timeout)))
    }

    /// A client that connects through `connector`.
    pub(super) fn through(connector: ProxyConnector) -> Self {
        let connect_timeout = connector.connect_timeout();
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(Arc::new(rustls::crypto::ring::default_provider()))
            .map_err(|e| Arc::from(format!("no TLS root certificates: {e}")));
        let client = tls.map(|tls| {
            let connector = tls.https_or_http().enable_http1().wrap_connector(connector);
            Client::builder(TokioExecutor::new()).build(connector)
        });
        Self {
            client,
            connect_timeout,
        }
    }

    /// The client, or why there is none.
    pub(super) fn client(
        &self,
    ) -> Result<&Client<HttpsConnector<ProxyConnector>, SdkBody>, String> {
        self.client.as_ref().map_err(ToString::to_string)
    }

    /// This client as the SDK's: each request converted to and from `http` 1, errors
    /// classified as the SDK's retry strategy expects, the read timeout applied. A client
    /// that asks for another connect timeout (instance metadata asks for one second) gets
    /// a pool of its own with that timeout.
    pub(super) fn for_sdk(&self) -> SharedHttpClient {
        let pools = std::sync::Mutex::new(vec![self.clone()]);
        http_client_fn(
            move |settings: &HttpConnectorSettings, _: &RuntimeComponents| {
                SharedHttpConnector::new(SdkConnector {
                    https: pool(&pools, settings.connect_timeout()),
                    read_timeout: settings.read_timeout(),
                })
            },
        )
    }
}

/// The most of an answer that is read: CloudFormation's largest, a template, is 1 MB; an
/// endpoint that sends more is not believed, and memory is not spent on it.
const ANSWER_LIMIT: usize = 16 << 20;

impl Transport for Https {
    fn send(&self, request: http::Request<SdkBody>) -> Sending<'_> {
        Box::pin(async move {
            let response = self
                .client()?
                .request(request)
                .await
                .map_err(|e| super::error::innermost_cause(&e))?;
            read_answer(response, ANSWER_LIMIT).await
        })
    }
}

/// A response's status and body, its body read up to `limit` bytes.
async fn read_answer<B>(response: http::Response<B>, limit: usize) -> Result<Answer, String>
where
    B: hyper::body::Body,
    B::Error: Error + Send + Sync + 'static,
{
    use http_body_util::BodyExt;
    let status = response.status().as_u16();
    let body = http_body_util::Limited::new(response.into_body(), limit)
        .collect()
        .await
        .map_err(|e| match e.downcast::<http_body_util::LengthLimitError>() {
            Ok(_) if limit >= 1 << 20 => format!("the answer is larger than {} MiB", limit >> 20),
            Ok(_) => format!("the answer is larger than {limit} bytes"),
            Err(e) => super::error::innermost_cause(&*e),
        })?
        .to_bytes();
    Ok(Answer { status, body })
}

/// The pool of `pools` whose connections time out after `wanted`, made if there is none.
fn pool(pools: &std::sync::Mutex<Vec<Https>>, wanted: Option<Duration>) -> Https {
    let mut pools = pools
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(https) = pools.iter().find(|p| p.connect_timeout == wanted) {
        return https.clone();
    }
    let https = Https::through(ProxyConnector::from_env(wanted));
    pools.push(https.clone());
    https
}

#[derive(Debug)]
struct SdkConnector {
    https: Https,
    read_timeout: Option<Duration>,
}

impl HttpConnector for SdkConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let https = self.https.clone();
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let client = https
                .client()
                .map_err(|reason| ConnectorError::other(reason.into(), None))?;
            let request = request
                .try_into_http1x()
                .map_err(|e| ConnectorError::user(e.into()))?;
            let sent = client.request(request);
            let response = match read_timeout {
                Some(limit) => tokio::time::timeout(limit, sent)
                    .await
                    .map_err(|e| ConnectorError::timeout(e.into()))?,
                None => sent.await,
            }
            .map_err(classify)?;
            HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                .map_err(|e| ConnectorError::other(e.into(), None))
        })
    }
}

/// A failed request as the SDK's retry strategy reads it: a connection that failed or
/// dropped is I/O (retried), a message cut short is transient (retried), the rest other.
fn classify(error: hyper_util::client::legacy::Error) -> ConnectorError {
    let hyper = find::<hyper::Error>(&error);
    let timeout = hyper.is_some_and(hyper::Error::is_timeout);
    let io = error.is_connect()
        || find::<std::io::Error>(&error).is_some()
        || hyper.is_some_and(|e| e.is_closed() || e.is_canceled());
    let cut_short = hyper.is_some_and(hyper::Error::is_incomplete_message);
    let boxed: BoxError = error.into();
    if timeout {
        ConnectorError::timeout(boxed)
    } else if io {
        ConnectorError::io(boxed)
    } else if cut_short {
        ConnectorError::other(boxed, Some(ErrorKind::TransientError))
    } else {
        ConnectorError::other(boxed, None)
    }
}

/// The first error of type `E` in `error`'s chain.
fn find<'a, E: Error + 'static>(error: &'a (dyn Error + 'static)) -> Option<&'a E> {
    std::iter::successors(Some(error), |&e| e.source()).find_map(|e| e.downcast_ref::<E>())
}

#[cfg(test)]
mod tests {
    use super::super::block_on;
    use std::io::{Read, Write};

    use http_body_util::BodyExt;

    use super::*;

    fn connector(read_timeout: Option<Duration>) -> SdkConnector {
        SdkConnector {
            https: Https::new(Duration::from_secs(2)),
            read_timeout,
        }
    }

    /// A server on a free port that reads one request and answers with `answer`, or
    /// holds the connection without a word when there is none.
    fn server(answer: Option<&'static [u8]>) -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("a connection");
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            match answer {
                Some(answer) => {
                    let _ = stream.write_all(answer);
                }
                None => std::thread::sleep(Duration::from_secs(5)),
            }
        });
        port
    }

    #[test]
    fn each_connect_timeout_gets_one_pool() {
        let pools = std::sync::Mutex::new(vec![Https::new(Duration::from_secs(5))]);
        let count = || pools.lock().expect("pools").len();
        let five = pool(&pools, Some(Duration::from_secs(5)));
        assert_eq!(
            (five.connect_timeout, count()),
            (Some(Duration::from_secs(5)), 1)
        );
        let one = pool(&pools, Some(Duration::from_secs(1)));
        assert_eq!(
            (one.connect_timeout, count()),
            (Some(Duration::from_secs(1)), 2)
        );
        pool(&pools, Some(Duration::from_secs(1)));
        assert_eq!(count(), 2, "the one-second pool is reused");
        assert_eq!(pool(&pools, None).connect_timeout, None);
    }

    #[test]
    fn a_response_reaches_the_sdk_with_its_status_and_body() {
        let port = server(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"));
        let request = HttpRequest::get(format!("http://127.0.0.1:{port}/")).expect("request");
        let response = block_on(async {
            let response = connector(None).call(request).await.expect("answered");
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            (status, body)
        });
        assert_eq!(response, (200, bytes::Bytes::from_static(b"hello")));
    }

    #[test]
    fn an_answer_is_read_whole_up_to_its_limit_and_refused_past_it() {
        let answer = |limit: usize| {
            let port = server(Some(
                b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n0123456789",
            ));
            let request = http::Request::get(format!("http://127.0.0.1:{port}/"))
                .body(SdkBody::empty())
                .expect("request");
            let https = Https::new(Duration::from_secs(2));
            block_on(async {
                let response = https
                    .client()?
                    .request(request)
                    .await
                    .map_err(|e| e.to_string())?;
                read_answer(response, limit).await
            })
        };
        let whole = answer(10).expect("read");
        assert_eq!((whole.status, whole.body.len()), (200, 10));
        assert_eq!(
            answer(9).map(|a| a.status),
            Err("the answer is larger than 9 bytes".to_owned())
        );
    }

    #[test]
    fn failures_are_classified_as_the_sdks_retries_expect() {
        let free = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let refused = HttpRequest::get(format!("http://127.0.0.1:{free}/")).expect("request");
        let error = block_on(connector(None).call(refused)).expect_err("refused");
        assert!(error.is_io(), "a refused connection is retried: {error:?}");

        let silent = server(None);
        let held = HttpRequest::get(format!("http://127.0.0.1:{silent}/")).expect("request");
        let error = block_on(connector(Some(Duration::from_millis(200))).call(held))
            .expect_err("no answer");
        assert!(error.is_timeout(), "{error:?}");

        let cut = server(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\nhal"));
        let request = HttpRequest::get(format!("http://127.0.0.1:{cut}/")).expect("request");
        let result = block_on(async {
            let response = connector(None).call(request).await?;
            response
                .into_body()
                .collect()
                .await
                .map(|_| ())
                .map_err(|e| ConnectorError::other(e, None))
        });
        assert!(result.is_err(), "a body cut short is an error");
    }
}
