//! The error body of every 4xx response: `{"message": "...", "errors":
//! {"name": ["..."]}}`, Laravel's shape and the spec's `ErrorBody`.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error response: a status and the spec's error body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorResponse {
    /// The HTTP status (not in the body).
    #[serde(skip)]
    pub status: StatusCode,
    /// Human-readable message.
    pub message: String,
    /// Messages by parameter name (validation errors only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, Vec<String>>,
}

impl ErrorResponse {
    /// A response with a message and no field errors.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ErrorResponse { status, message: message.into(), errors: BTreeMap::new() }
    }

    /// 401 for a missing, malformed or unknown bearer token.
    pub fn unauthorized() -> Self {
        ErrorResponse::new(StatusCode::UNAUTHORIZED, "Unauthorized.")
    }

    /// 422 with field errors; the message is the first error, Laravel style
    /// (`… (and 2 more errors)`).
    pub fn validation(errors: BTreeMap<String, Vec<String>>) -> Self {
        let mut messages = errors.values().flatten();
        let first = messages.next().cloned().unwrap_or_else(|| "The given data was invalid.".into());
        let more = messages.count();
        let message = match more {
            0 => first,
            1 => format!("{first} (and 1 more error)"),
            n => format!("{first} (and {n} more errors)"),
        };
        ErrorResponse { status: StatusCode::UNPROCESSABLE_ENTITY, message, errors }
    }
}

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        crate::json::json_response(self.status, &self)
    }
}

/// The router's fallback: 404 in the error shape.
pub async fn not_found() -> ErrorResponse {
    ErrorResponse::new(StatusCode::NOT_FOUND, "Not Found.")
}

/// A known path with another method: 405 in the error shape.
pub async fn method_not_allowed(method: Method) -> ErrorResponse {
    ErrorResponse::new(StatusCode::METHOD_NOT_ALLOWED, format!("The {method} method is not supported for this route."))
}
