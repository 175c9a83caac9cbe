//! JSON responses, never panicking.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// `status` with `body` as `application/json`. A body that cannot be
/// serialized (a map with non-string keys) is a 500 in the error shape,
/// never a panic.
pub fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(_) => {
            let fallback = br#"{"message":"Server Error."}"#.as_slice();
            let mut response = (StatusCode::INTERNAL_SERVER_ERROR, fallback).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
    }
}

/// A `GET` route answering the same JSON document every time, serialized
/// once (the server's OpenAPI document).
pub fn json_document<S: Clone + Send + Sync + 'static>(document: &impl Serialize) -> axum::routing::MethodRouter<S> {
    let (status, bytes) = match serde_json::to_vec(document) {
        Ok(bytes) => (StatusCode::OK, bytes),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, br#"{"message":"Server Error."}"#.to_vec()),
    };
    let bytes = axum::body::Bytes::from(bytes);
    axum::routing::get(move || {
        let bytes = bytes.clone();
        async move { (status, [(header::CONTENT_TYPE, "application/json")], bytes) }
    })
    .fallback(crate::error::method_not_allowed)
}
