//! Construction: base URL, bearer token and brand set once, timeouts, and
//! an optional custom `reqwest::Client`.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};

use crate::generated::{client_scoped_headers, Client};
use crate::hooks::ClientHeaders;

/// Why a [`ClientBuilder`] could not build a client.
#[derive(Debug)]
pub enum BuildError {
    /// The bearer token cannot be sent in a header (control characters).
    InvalidToken,
    /// `reqwest` refused the configuration.
    Http(reqwest::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::InvalidToken => f.write_str("the bearer token contains characters not allowed in a header"),
            BuildError::Http(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::InvalidToken => None,
            BuildError::Http(e) => Some(e),
        }
    }
}

/// Builds a [`Client`]: `Client::builder(url).bearer(token).brand(42).build()`.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    bearer: Option<String>,
    brand: Option<i64>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    reqwest_client: Option<reqwest::Client>,
}

impl Client {
    /// Starts a [`ClientBuilder`] for the API at `base_url` (for example
    /// `https://domain.tld/api/v2`).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            bearer: None,
            brand: None,
            timeout: None,
            connect_timeout: None,
            reqwest_client: None,
        }
    }
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` on every request (the value is
    /// marked sensitive, so it is not printed by `Debug`).
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Sends `X-Popsell-Brand: <brand>` on every request.
    pub fn brand(mut self, brand: i64) -> Self {
        self.brand = Some(brand);
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
    /// bearer token and brand are still added to every request.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest_client = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut headers = HeaderMap::new();
        if let Some(token) = &self.bearer {
            let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| BuildError::InvalidToken)?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        if let Some(brand) = self.brand {
            let name = HeaderName::from_bytes(client_scoped_headers::X_POPSELL_BRAND.as_bytes())
                .expect("the spec's header names are HTTP tokens");
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
        Ok(Client::new_with_client(&self.base_url, http, ClientHeaders::new(headers)))
    }
}
