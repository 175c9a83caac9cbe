//! Construction: base URL, bearer token and brand set once, timeouts, and
//! an optional custom `reqwest::Client`; mistakes found by `build()`.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::generated::{Client, client_scoped_headers};
use crate::hooks::ClientHeaders;

/// Why a [`ClientBuilder`] could not build a client.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidUrl(String),
    /// An `https` base URL, but no TLS backend: enable the `rustls`
    /// feature, or pass a `reqwest::Client` built with TLS.
    NoTls(String),
    /// No brand: every request of this API needs `X-Popsell-Brand`. Set
    /// it with [`ClientBuilder::brand`], or say
    /// [`ClientBuilder::without_brand`] when a proxy adds it.
    MissingBrand,
    /// The bearer token cannot be sent in a header (control characters).
    InvalidToken,
    /// `reqwest` refused the configuration.
    Http(reqwest::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::InvalidUrl(url) => write!(f, "`{url}` is not an absolute http(s) URL"),
            BuildError::NoTls(url) => {
                write!(f, "`{url}` is https, but this build has no TLS backend: enable popsell-client's `rustls` feature or pass a reqwest::Client with TLS")
            }
            BuildError::MissingBrand => f.write_str("no brand: call .brand(id) (every request needs X-Popsell-Brand), or .without_brand()"),
            BuildError::InvalidToken => f.write_str("the bearer token contains characters not allowed in a header"),
            BuildError::Http(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// Builds a [`Client`]: `Client::builder(url).bearer(token).brand(42).build()`.
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    bearer: Option<String>,
    brand: Option<i64>,
    without_brand: bool,
    log_requests: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    reqwest_client: Option<reqwest::Client>,
}

/// The token is never printed.
impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("brand", &self.brand)
            .field("without_brand", &self.without_brand)
            .field("log_requests", &self.log_requests)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("reqwest_client", &self.reqwest_client.is_some())
            .finish()
    }
}

impl Client {
    /// Starts a [`ClientBuilder`] for the API at `base_url` (for example
    /// `https://domain.tld/api/v2`; a trailing `/` is ignored).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            bearer: None,
            brand: None,
            without_brand: false,
            log_requests: false,
            timeout: None,
            connect_timeout: None,
            reqwest_client: None,
        }
    }

    /// The base URL the client sends to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(self)
    }
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` on every request. The token is
    /// never printed: not by `Debug` of the builder or of the client, nor in
    /// errors.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Sends `X-Popsell-Brand: <brand>` on every request (required by the
    /// API: `build()` refuses a client without it).
    pub fn brand(mut self, brand: i64) -> Self {
        self.brand = Some(brand);
        self
    }

    /// Builds a client that sends no brand (a proxy adds it, say).
    pub fn without_brand(mut self) -> Self {
        self.without_brand = true;
        self
    }

    /// Prints each request line (`--> GET https://…?per_page=50`) on
    /// stderr, never its headers (so never the token).
    pub fn log_requests(mut self, log: bool) -> Self {
        self.log_requests = log;
        self
    }

    /// Total time allowed for each request (default: 15 s). Ignored with
    /// [`ClientBuilder::reqwest_client`], which carries its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to connect. Ignored with [`ClientBuilder::reqwest_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS roots, middleware…); the
    /// bearer token and brand are still added to every request. Build it
    /// with [`crate::reqwest`], the version this crate uses.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest_client = Some(client);
        self
    }

    /// Builds the client, or says what is wrong with the configuration.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&base_url).map_err(|_| BuildError::InvalidUrl(self.base_url.clone()))?;
        match url.scheme() {
            "http" => {}
            // Without a TLS feature, only a caller's own client may speak TLS.
            "https" if cfg!(feature = "rustls") || self.reqwest_client.is_some() => {}
            "https" => return Err(BuildError::NoTls(base_url)),
            _ => return Err(BuildError::InvalidUrl(self.base_url.clone())),
        }
        if self.brand.is_none() && !self.without_brand {
            return Err(BuildError::MissingBrand);
        }
        let mut headers = HeaderMap::new();
        if let Some(token) = &self.bearer {
            let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| BuildError::InvalidToken)?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        if let Some(brand) = self.brand {
            let name = HeaderName::from_bytes(client_scoped_headers::X_POPSELL_BRAND.as_bytes()).expect("the spec's header names are HTTP tokens");
            headers.insert(name, HeaderValue::from(brand));
        }
        let http = match self.reqwest_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(Duration::from_secs(15)))
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(15)))
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(Client::new_with_client(&base_url, http, ClientHeaders::new(headers, self.log_requests)))
    }
}
