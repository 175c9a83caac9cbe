//! Responses: JSON bodies under their declared media type, raw bodies,
//! typed headers. Never panicking: what cannot be encoded is a 500
//! without body (a bug of the service, not of the request).

use std::fmt::Display;

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::body::RawBody;

/// `status` with `body` as JSON, sent as `content_type` (`application/json`,
/// `application/problem+json`, …).
pub fn json_response<T: Serialize>(status: StatusCode, body: &T, content_type: &'static str) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `status` with a body as the service gave it.
pub fn raw_response(status: StatusCode, body: RawBody) -> Response {
    match HeaderValue::from_str(&body.content_type) {
        Ok(content_type) => (status, [(header::CONTENT_TYPE, content_type)], body.bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Adds a response header declared by the spec; a value that is not a
/// valid header value turns the response into a 500.
pub fn with_header(mut response: Response, name: &'static str, value: &impl Display) -> Response {
    match HeaderValue::from_str(&value.to_string()) {
        Ok(value) => {
            response.headers_mut().insert(HeaderName::from_static(name), value);
            response
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A `GET` route answering the same JSON document every time, serialized
/// once (the server's OpenAPI document); other methods get `fallback`.
pub fn json_document<S: Clone + Send + Sync + 'static>(document: &impl Serialize) -> axum::routing::MethodRouter<S> {
    let (status, bytes) = match serde_json::to_vec(document) {
        Ok(bytes) => (StatusCode::OK, bytes),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Vec::new()),
    };
    let bytes = axum::body::Bytes::from(bytes);
    axum::routing::get(move || {
        let bytes = bytes.clone();
        async move { (status, [(header::CONTENT_TYPE, "application/json")], bytes) }
    })
}
