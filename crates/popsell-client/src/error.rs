//! Typed errors: what a caller matches on, never by string.

use std::collections::BTreeMap;

use bytes::Bytes;
use popsell_types::ErrorBody;
use reqwest::StatusCode;

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// 401: the bearer token is missing, malformed or unknown.
    Unauthorized(ErrorBody),
    /// 403: the token may not act in this brand or see this ambassador.
    Forbidden(ErrorBody),
    /// 422: a parameter failed validation; see [`ApiError::field_errors`].
    Validation(ErrorBody),
    /// Any other status. An error body that is not the spec's shape (empty,
    /// HTML from a proxy) arrives as `message` = its text.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The body, in the spec's error shape.
        body: ErrorBody,
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
    /// The request was not built: a required parameter is missing or a
    /// value is out of its type's range.
    InvalidRequest(String),
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Unauthorized(_) => Some(StatusCode::UNAUTHORIZED),
            ApiError::Forbidden(_) => Some(StatusCode::FORBIDDEN),
            ApiError::Validation(_) => Some(StatusCode::UNPROCESSABLE_ENTITY),
            ApiError::Status { status, .. } => Some(*status),
            ApiError::Transport(e) => e.status(),
            ApiError::Decode { .. } => Some(StatusCode::OK),
            ApiError::InvalidRequest(_) => None,
        }
    }

    /// The messages by parameter name of a 422 (empty otherwise).
    pub fn field_errors(&self) -> &BTreeMap<String, Vec<String>> {
        static NONE: BTreeMap<String, Vec<String>> = BTreeMap::new();
        match self {
            ApiError::Validation(body) => &body.errors,
            _ => &NONE,
        }
    }

    /// From the generated client's error. Async: an undocumented response's
    /// body is read.
    pub async fn from_generated(error: progenitor_client::Error<ErrorBody>) -> ApiError {
        use progenitor_client::Error as E;
        match error {
            E::ErrorResponse(response) => {
                let status = response.status();
                let body = response.into_inner();
                match status {
                    StatusCode::UNAUTHORIZED => ApiError::Unauthorized(body),
                    StatusCode::FORBIDDEN => ApiError::Forbidden(body),
                    StatusCode::UNPROCESSABLE_ENTITY => ApiError::Validation(body),
                    status => ApiError::Status { status, body },
                }
            }
            E::UnexpectedResponse(response) => {
                let status = response.status();
                match response.bytes().await {
                    Ok(bytes) => ApiError::Status { status, body: error_body(status, &bytes) },
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
            ApiError::Unauthorized(body) => write!(f, "401 Unauthorized: {}", body.message),
            ApiError::Forbidden(body) => write!(f, "403 Forbidden: {}", body.message),
            ApiError::Validation(body) => write!(f, "422 Unprocessable Entity: {}", body.message),
            ApiError::Status { status, body } => write!(f, "{status}: {}", body.message),
            ApiError::Transport(e) => write!(f, "request failed: {e}"),
            ApiError::Decode { source, .. } => write!(f, "the response does not match the spec: {source}"),
            ApiError::InvalidRequest(message) => write!(f, "invalid request: {message}"),
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
