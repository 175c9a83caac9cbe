//! The generated client's hooks: credentials on every request, the spec's
//! parameter checks before it is sent, and error bodies brought to the
//! spec's shape so their status is never lost.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};

use openapi_server_runtime::OperationParameters;

use crate::error::error_body;
use crate::generated::Client;
use crate::generated::parameters::PARAMETERS;

/// Headers added to every request of a [`Client`]: the bearer token and the
/// brand. Kept in the client and applied by its request hook, so they work
/// with any `reqwest::Client`, including one passed to
/// [`crate::ClientBuilder::reqwest_client`].
#[derive(Clone, Debug, Default)]
pub struct ClientHeaders {
    headers: HeaderMap,
    /// Print each request line (`--> GET url`) on stderr.
    log_requests: bool,
}

impl ClientHeaders {
    pub(crate) fn new(headers: HeaderMap, log_requests: bool) -> Self {
        ClientHeaders { headers, log_requests }
    }
}

impl ClientHooks<ClientHeaders> for Client {
    /// Adds the client's headers, then checks the request as it would be
    /// sent with the spec's parameter table, through the engine the
    /// generated server reads requests with: a value out of bounds, outside
    /// an enum or not matching a pattern is refused here, in words, and
    /// nothing is sent.
    async fn pre<E>(&self, request: &mut reqwest::Request, info: &OperationInfo) -> Result<(), Error<E>> {
        for (name, value) in &self.inner.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        if let Some(table) = OperationParameters::find(PARAMETERS, info.operation_id) {
            // Read as the server reads it (Laravel's way: `1`/`0` booleans).
            let problems = table.check(request.url().path(), request.url().query(), request.headers(), popsell_types::LARAVEL_REQUESTS);
            if !problems.is_empty() {
                return Err(Error::InvalidRequest(problems.join("; ")));
            }
        }
        if self.inner.log_requests {
            // The request line only: the credentials are in headers.
            eprintln!("--> {} {}", request.method(), request.url());
        }
        Ok(())
    }

    /// An error status whose body is not the spec's error shape (empty, or
    /// HTML from a proxy) would fail to decode and lose its status; it is
    /// re-bodied as `{"message": <its text>}` with the same status.
    async fn exec(&self, request: reqwest::Request, _: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let response = self.client().execute(request).await?;
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return Ok(response);
        }
        let headers = response.headers().clone();
        let version = response.version();
        let bytes = response.bytes().await?;
        let body = match serde_json::from_slice::<popsell_types::ErrorBody>(&bytes) {
            Ok(_) => bytes.to_vec(),
            Err(_) => serde_json::to_vec(&error_body(status, &bytes)).unwrap_or_default(),
        };
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers;
        rebuilt.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        rebuilt.headers_mut().remove(CONTENT_LENGTH);
        Ok(reqwest::Response::from(rebuilt))
    }
}
