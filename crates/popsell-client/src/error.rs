//! Typed errors: what a caller matches on, never by string.

use std::collections::BTreeMap;

use bytes::Bytes;
use popsell_types::ErrorBody;
use reqwest::StatusCode;

/// Why a call failed. Each answer of the server carries its
/// `x-request-id`, to quote when you report a problem.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// 401: the bearer token is missing, malformed or unknown.
    Unauthorized {
        /// The body, in the spec's error shape.
        body: ErrorBody,
        /// The response's `x-request-id`.
        request_id: Option<String>,
    },
    /// 403: the token may not act in this brand or see this ambassador.
    Forbidden {
        /// The body, in the spec's error shape.
        body: ErrorBody,
        /// The response's `x-request-id`.
        request_id: Option<String>,
    },
    /// 422: a parameter failed validation; see [`ApiError::field_errors`].
    Validation {
        /// The body: `message` and `errors` by parameter name.
        body: ErrorBody,
        /// The response's `x-request-id`.
        request_id: Option<String>,
    },
    /// Any other status. An error body that is not the spec's shape (empty,
    /// HTML from a proxy) arrives as `message` = its text.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The body, in the spec's error shape.
        body: ErrorBody,
        /// The response's `x-request-id`.
        request_id: Option<String>,
    },
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// A success response whose body does not match the spec.
    Decode {
        /// The body as received.
        body: Bytes,
        /// What did not match.
        source: serde_json::Error,
    },
    /// The request was not sent: a parameter is missing or outside what the
    /// spec allows (`per_page must be between 1 and 100, got 500`).
    InvalidRequest(String),
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            ApiError::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            ApiError::Validation { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
            ApiError::Status { status, .. } => Some(*status),
            ApiError::Transport(e) => e.status(),
            ApiError::Decode { .. } => Some(StatusCode::OK),
            ApiError::InvalidRequest(_) => None,
        }
    }

    /// The error body of the server's answer, when there is one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            ApiError::Unauthorized { body, .. } | ApiError::Forbidden { body, .. } | ApiError::Validation { body, .. } | ApiError::Status { body, .. } => {
                Some(body)
            }
            _ => None,
        }
    }

    /// The `x-request-id` of the server's answer, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Unauthorized { request_id, .. }
            | ApiError::Forbidden { request_id, .. }
            | ApiError::Validation { request_id, .. }
            | ApiError::Status { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The messages by parameter name of a 422 (empty otherwise).
    pub fn field_errors(&self) -> &BTreeMap<String, Vec<String>> {
        static NONE: BTreeMap<String, Vec<String>> = BTreeMap::new();
        match self {
            ApiError::Validation { body, .. } => &body.errors,
            _ => &NONE,
        }
    }

    /// From the generated client's error. Async: an undocumented response's
    /// body is read.
    pub async fn from_generated(error: progenitor_client::Error<ErrorBody>) -> ApiError {
        use progenitor_client::Error as E;
        let request_id = |headers: &reqwest::header::HeaderMap| headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        match error {
            E::ErrorResponse(response) => {
                let (status, request_id) = (response.status(), request_id(response.headers()));
                let body = response.into_inner();
                match status {
                    StatusCode::UNAUTHORIZED => ApiError::Unauthorized { body, request_id },
                    StatusCode::FORBIDDEN => ApiError::Forbidden { body, request_id },
                    StatusCode::UNPROCESSABLE_ENTITY => ApiError::Validation { body, request_id },
                    status => ApiError::Status { status, body, request_id },
                }
            }
            E::UnexpectedResponse(response) => {
                let (status, request_id) = (response.status(), request_id(response.headers()));
                match response.bytes().await {
                    Ok(bytes) => ApiError::Status { status, body: error_body(status, &bytes), request_id },
                    Err(e) => ApiError::Transport(e),
                }
            }
            E::CommunicationError(e) | E::ResponseBodyError(e) | E::InvalidUpgrade(e) => ApiError::Transport(e),
            E::InvalidResponsePayload(body, source) => ApiError::Decode { body, source },
            E::InvalidRequest(message) | E::Custom(message) => ApiError::InvalidRequest(message),
        }
    }
}

/// The body of an error response in the spec's shape: decoded when it is,
/// otherwise its text (or a note that it was empty) as the message.
pub(crate) fn error_body(status: StatusCode, bytes: &[u8]) -> ErrorBody {
    if let Ok(body) = serde_json::from_slice::<ErrorBody>(bytes) {
        return body;
    }
    const MAX: usize = 500;
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let message = if text.is_empty() {
        format!("HTTP {status} with an empty body")
    } else if text.len() > MAX {
        let cut = (0..=MAX).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        format!("{}…", &text[..cut])
    } else {
        text.to_owned()
    };
    ErrorBody::builder().message(message).build()
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Unauthorized { body, .. } => write!(f, "401 Unauthorized: {}", body.message)?,
            ApiError::Forbidden { body, .. } => write!(f, "403 Forbidden: {}", body.message)?,
            ApiError::Validation { body, .. } => {
                write!(f, "422 Unprocessable Entity: {}", body.message)?;
                for (field, messages) in &body.errors {
                    write!(f, "; {field}: {}", messages.join(" "))?;
                }
            }
            ApiError::Status { status, body, .. } => write!(f, "{status}: {}", body.message)?,
            ApiError::Transport(e) => return write!(f, "request failed: {e}"),
            ApiError::Decode { source, .. } => return write!(f, "the response does not match the spec: {source}"),
            ApiError::InvalidRequest(message) => return write!(f, "invalid request: {message}"),
        }
        match self.request_id() {
            Some(id) => write!(f, " (request id {id})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Transport(e) => Some(e),
            ApiError::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}
