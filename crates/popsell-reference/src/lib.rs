//! The reference server of the Popsell API: the generated server stub
//! implemented with the operation's real semantics on embedded SQLite, or
//! on PostgreSQL (feature `postgres`).
//!
//! - [`store`]: the storage traits and their implementations (all SQL, one
//!   file per backend);
//! - [`service`]: auth, brand scoping, guest accounts, filters, sort and
//!   Laravel pagination, implementing the generated `Api` trait;
//! - [`seed`]: deterministic demo data;
//! - [`app`]: the router (`/api/v2/...`, `/api/v2/openapi.json`, `/docs`);
//! - `local_postgres` (feature `postgres`): a throwaway PostgreSQL server
//!   for trying the server, the tests and the benchmarks.

#[cfg(feature = "postgres")]
pub mod local_postgres;
pub mod request_url;
pub mod seed;
pub mod service;
pub mod store;

use std::sync::Arc;

use popsell_server_runtime::reexports::axum::{self, Router, response::Html, routing::get};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::service::Service;
use crate::store::Store;

/// The whole application: the API under its base path, the docs page,
/// request ids and request logs.
pub fn app<S: Store>(store: Arc<S>) -> Router {
    Router::new()
        .nest(popsell_server::BASE_PATH, popsell_server::router(Service::new(store)))
        .route("/docs", get(|| async { Html(include_str!("docs.html")) }))
        .fallback(popsell_server_runtime::not_found)
        .layer(axum::middleware::from_fn(request_url::capture))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(Sequential::default()))
}

/// Request ids `1`, `2`, … (unique per process, cheap, readable in logs).
#[derive(Clone, Default)]
struct Sequential(Arc<std::sync::atomic::AtomicU64>);

impl MakeRequestId for Sequential {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        Some(RequestId::new(id.into()))
    }
}
