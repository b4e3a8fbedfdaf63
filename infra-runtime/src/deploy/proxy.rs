//! Proxies: every call goes through the proxy the environment names, as curl and the AWS
//! CLI read it (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, in either case,
//! credentials in the URL), except calls to this machine (a local endpoint) and to
//! link-local addresses (instance metadata, container credentials), which never do.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Whether `host` is reached without a proxy: this machine (`localhost`, a loopback
/// address) or a link-local address, where EC2's instance metadata and the container
/// credential endpoints answer (`169.254.169.254`, `169.254.170.2`, `fd00:ec2::254`).
fn is_local_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let link_local = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        // fe80::/10, and EC2's own fd00:ec2::/32 of its IPv6 metadata endpoints.
        IpAddr::V6(v6) => {
            let [first, second, ..] = v6.segments();
            first & 0xffc0 == 0xfe80 || (first == 0xfd00 && second == 0x0ec2)
        }
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || link_local(ip))
}

/// How a failure of the environment's proxy starts.
pub(super) const PROXY: &str = "the proxy that HTTPS_PROXY or ALL_PROXY names";

/// A failure of the environment's proxy, in words that name the proxy rather than the
/// service behind it and say what to do.
#[derive(Debug)]
pub(super) struct ProxyFailure(String);

impl ProxyFailure {
    /// A proxy named with `https://`, which the tunnel cannot reach.
    fn over_tls() -> Self {
        Self(format!(
            "{PROXY} is reached over TLS (https://), which is not supported: name it with http://"
        ))
    }

    /// A failed tunnel. hyper-util's tunnel error is not a public type, so it is known by
    /// its words (`tunnel error: unsuccessful`).
    fn of_tunnel(error: &(dyn std::error::Error + 'static)) -> Self {
        let text = error.to_string();
        let what = text.strip_prefix("tunnel error: ").unwrap_or(&text);
        Self(match what {
            "proxy authorization required" => format!(
                "{PROXY} asks for credentials (put them in its URL: http://user:password@host:port)"
            ),
            "unsuccessful" => format!(
                "{PROXY} refused the connection (NO_PROXY lists the hosts reached without it)"
            ),
            _ => match error.source() {
                Some(cause) => format!(
                    "{PROXY} cannot be reached ({})",
                    super::error::innermost_cause(cause)
                ),
                None => format!("{PROXY} failed ({what})"),
            },
        })
    }
}

impl std::fmt::Display for ProxyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProxyFailure {}

/// Connects directly, or through an HTTP CONNECT tunnel when the matcher names a proxy
/// for the destination; TLS to the destination runs inside the tunnel.
#[derive(Clone)]
pub(super) struct ProxyConnector {
    direct: HttpConnector,
    proxies: std::sync::Arc<Matcher>,
    connect_timeout: Option<Duration>,
}

impl ProxyConnector {
    /// Through the environment's proxies, each connection given `connect_timeout`.
    pub(super) fn from_env(connect_timeout: Option<Duration>) -> Self {
        Self::new(Matcher::from_env(), connect_timeout)
    }

    /// Through `proxies`, each connection given `connect_timeout`.
    pub(super) fn new(proxies: Matcher, connect_timeout: Option<Duration>) -> Self {
        let mut direct = HttpConnector::new();
        // The TLS layer above checks the scheme; a tunnel's destination is `https`.
        direct.enforce_http(false);
        direct.set_connect_timeout(connect_timeout);
        Self {
            direct,
            proxies: std::sync::Arc::new(proxies),
            connect_timeout,
        }
    }

    /// The time each connection is given.
    pub(super) fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }
}

impl Service<Uri> for ProxyConnector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.direct.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let here = destination.host().is_some_and(is_local_host);
        match self.proxies.intercept(&destination).filter(|_| !here) {
            Some(proxy) if proxy.uri().scheme_str() == Some("https") => {
                Box::pin(async { Err(ProxyFailure::over_tls().into()) })
            }
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), self.direct.clone());
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move {
                    tunnel
                        .call(destination)
                        .await
                        .map_err(|e| ProxyFailure::of_tunnel(&e).into())
                })
            }
            None => {
                let mut direct = self.direct.clone();
                Box::pin(async move { direct.call(destination).await.map_err(Into::into) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_reached_over_tls_is_refused_in_words() {
        let proxies = Matcher::builder().https("https://127.0.0.1:1").build();
        let mut connector = ProxyConnector::new(proxies, Some(Duration::from_secs(1)));
        let destination = Uri::from_static("https://cloudformation.eu-west-2.amazonaws.com");
        let error = super::super::block_on(connector.call(destination)).expect_err("refused");
        assert!(
            error.to_string().contains("name it with http://"),
            "{error}"
        );
    }

    #[test]
    fn only_this_machine_and_its_link_are_reached_without_a_proxy() {
        for host in [
            "127.0.0.1",
            "localhost",
            "LOCALHOST",
            "127.8.0.1",
            "[::1]",
            "::1",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "cloudformation.eu-west-2.amazonaws.com",
            "10.0.0.1",
            "169.255.0.1",
            "[fd00::1]",
            "localhost.example.com",
            "",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
