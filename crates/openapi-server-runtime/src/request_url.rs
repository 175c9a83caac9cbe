//! The request's URL for links a service builds (page links repeat the
//! query as it came), captured by a middleware into a task-local: the
//! generated handler passes typed inputs only, and a service needs nothing
//! else from HTTP to build links.
//!
//! The scheme and host are the configured public URL's, never the
//! request's `Host`: a client cannot make the server write links to its
//! own domain (or grow every page with a 300 kB `Host`). `X-Forwarded-Proto`
//! and `X-Forwarded-Host` are read only from configured proxies. Install
//! with `axum::middleware::from_fn_with_state(Arc::new(public_url), capture)`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// `scheme://host/path` and the query pairs in their order.
#[derive(Clone, Debug, Default)]
pub struct RequestUrl {
    /// `scheme://host/path`, without the query.
    pub path: String,
    /// The query pairs, decoded, in the order they came.
    pub query: Vec<(String, String)>,
}

tokio::task_local! {
    static CURRENT: RequestUrl;
}

impl RequestUrl {
    /// The URL of the request being handled (empty outside a request).
    pub fn current() -> RequestUrl {
        CURRENT.try_with(Clone::clone).unwrap_or_default()
    }
}

/// Where links point: the public origin of the server, and the proxies
/// whose `X-Forwarded-*` headers are believed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
    trusted_proxies: Vec<IpAddr>,
}

impl PublicUrl {
    /// `http(s)://host[:port]` (a path or trailing `/` is refused: links
    /// add the request's path).
    pub fn new(origin: &str) -> Result<Self, String> {
        let (scheme, rest) = origin.split_once("://").ok_or_else(|| format!("`{origin}` is not an absolute URL (http://host:port)"))?;
        if scheme != "http" && scheme != "https" {
            return Err(format!("`{origin}`: the scheme must be http or https"));
        }
        if !valid_host(rest) {
            return Err(format!("`{origin}`: expected scheme://host[:port], without path"));
        }
        Ok(PublicUrl { origin: origin.to_owned(), trusted_proxies: Vec::new() })
    }

    /// The origin a server bound to `address` is reached at, over plain HTTP.
    pub fn of_bind(address: SocketAddr) -> Self {
        PublicUrl { origin: format!("http://{address}"), trusted_proxies: Vec::new() }
    }

    /// Believe `X-Forwarded-Proto` and `X-Forwarded-Host` from these peers.
    pub fn trusting(mut self, proxies: Vec<IpAddr>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// The origin (`scheme://host[:port]`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The origin of one request: the forwarded one from a trusted proxy
    /// (when well-formed), else the configured one.
    fn origin_of(&self, request: &Request) -> String {
        let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        if !peer.is_some_and(|p| self.trusted_proxies.contains(&p)) {
            return self.origin.clone();
        }
        let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.split(',').next().unwrap_or(v).trim());
        let (configured_scheme, configured_host) = self.origin.split_once("://").unwrap_or(("http", ""));
        let scheme = header("x-forwarded-proto").filter(|s| *s == "http" || *s == "https").unwrap_or(configured_scheme);
        let host = header("x-forwarded-host").filter(|h| valid_host(h)).unwrap_or(configured_host);
        format!("{scheme}://{host}")
    }
}

/// `host[:port]`: a name or an address of at most 255 characters.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// The middleware: runs the rest of the stack with the URL in scope.
pub async fn capture(State(public): State<Arc<PublicUrl>>, request: Request, next: Next) -> Response {
    let url = RequestUrl {
        path: format!("{}{}", public.origin_of(&request), request.uri().path()),
        query: request.uri().query().map(|q| serde_html_form::from_str(q).unwrap_or_default()).unwrap_or_default(),
    };
    CURRENT.scope(url, next.run(request)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(peer: &str, headers: &[(&str, &str)]) -> Request {
        let mut request = Request::get("/api/items?page=2").header("host", "evil.example");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        request
    }

    #[test]
    fn the_host_header_is_never_the_origin() {
        let public = PublicUrl::new("https://api.example.com").unwrap();
        assert_eq!(public.origin_of(&request("203.0.113.9:5000", &[("x-forwarded-host", "evil.example")])), "https://api.example.com");
    }

    #[test]
    fn forwarded_headers_count_from_trusted_proxies_only_when_well_formed() {
        let public = PublicUrl::new("http://127.0.0.1:8080").unwrap().trusting(vec!["10.0.0.2".parse().unwrap()]);
        let forwarded = [("x-forwarded-proto", "https"), ("x-forwarded-host", "api.example.com")];
        assert_eq!(public.origin_of(&request("10.0.0.2:4000", &forwarded)), "https://api.example.com");
        assert_eq!(public.origin_of(&request("10.0.0.3:4000", &forwarded)), "http://127.0.0.1:8080");
        let hostile = [("x-forwarded-proto", "javascript"), ("x-forwarded-host", "a/b\"<>")];
        assert_eq!(public.origin_of(&request("10.0.0.2:4000", &hostile)), "http://127.0.0.1:8080");
    }

    #[test]
    fn public_urls_are_origins() {
        assert!(PublicUrl::new("https://api.example.com:8443").is_ok());
        for bad in ["api.example.com", "ftp://x", "https://x/api", "https://"] {
            assert!(PublicUrl::new(bad).is_err(), "{bad}");
        }
    }
}
