//! Proxies: every call goes through the proxy the environment names, as curl and the AWS
//! CLI read it (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, in either case,
//! credentials in the URL), except calls to this machine (a local endpoint), which never
//! do. CloudFormation's client and the object store read the same rules.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use aws_smithy_http_client::proxy::ProxyConfig;
use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Whether `endpoint` is on this machine: `localhost`, a loopback address, or no host.
pub(super) fn is_local(endpoint: &str) -> bool {
    let Ok(uri) = endpoint.parse::<Uri>() else {
        return false;
    };
    let Some(host) = uri.host() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The CloudFormation client's proxies for a target's endpoint.
pub(super) fn for_sdk(endpoint: Option<&str>) -> ProxyConfig {
    match endpoint {
        Some(url) if is_local(url) => ProxyConfig::disabled(),
        _ => ProxyConfig::from_env(),
    }
}

/// The object store's proxies for a target's endpoint.
pub(super) fn matcher(endpoint: Option<&str>) -> Matcher {
    match endpoint {
        Some(url) if is_local(url) => Matcher::builder().build(),
        _ => Matcher::from_env(),
    }
}

/// Connects directly, or through an HTTP CONNECT tunnel when the matcher names a proxy
/// for the destination; TLS to the destination runs inside the tunnel.
#[derive(Clone)]
pub(super) struct ProxyConnector {
    direct: HttpConnector,
    proxies: std::sync::Arc<Matcher>,
}

impl ProxyConnector {
    pub(super) fn new(proxies: Matcher) -> Self {
        let mut direct = HttpConnector::new();
        // The TLS layer above checks the scheme; a tunnel's destination is `https`.
        direct.enforce_http(false);
        Self {
            direct,
            proxies: std::sync::Arc::new(proxies),
        }
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
        match self.proxies.intercept(&destination) {
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), self.direct.clone());
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move { tunnel.call(destination).await.map_err(Into::into) })
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
    use super::is_local;

    #[test]
    fn only_this_machine_is_local() {
        for url in [
            "http://127.0.0.1:4566",
            "http://localhost:4566",
            "http://LOCALHOST",
            "http://127.8.0.1",
            "http://[::1]:4566",
        ] {
            assert!(is_local(url), "{url}");
        }
        for url in [
            "https://cloudformation.eu-west-2.amazonaws.com",
            "http://10.0.0.1:4566",
            "http://localhost.example.com",
            "not a url",
        ] {
            assert!(!is_local(url), "{url}");
        }
    }
}
