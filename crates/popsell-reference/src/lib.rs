//! The reference server of the Popsell API: the generated server stub
//! implemented with the operation's real semantics on embedded SQLite, or
//! on PostgreSQL (feature `postgres`).
//!
//! - [`store`]: the storage traits and their implementations (all SQL, one
//!   file per backend);
//! - [`service`]: auth, brand scoping, guest accounts, filters, sort and
//!   Laravel pagination, implementing the generated `Api` trait;
//! - [`seed`]: deterministic demo data;
//! - [`page_cache`]: answers kept at the store's data version, `ETag`/`304`;
//! - [`docs`]: the docs page (Swagger UI, embedded);
//! - [`app`]: the router (`/api/v2/...`, `/api/v2/openapi.json`, `/docs`);
//! - `local_postgres` (feature `postgres`): a throwaway PostgreSQL server
//!   for trying the server, the tests and the benchmarks.

pub mod docs;
#[cfg(feature = "postgres")]
pub mod local_postgres;
pub mod page_cache;
pub mod seed;
pub mod service;
pub mod store;

use std::sync::Arc;

use openapi_server_runtime::reexports::axum::{self, Router};
use axum::http::{HeaderValue, header};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::SizeAbove;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use openapi_server_runtime::request_url::PublicUrl;

use crate::service::Service;
use crate::store::Store;

/// What an application keeps and how it answers, besides its store.
#[derive(Clone, Debug)]
pub struct AppOptions {
    /// Bytes of answers kept by the page cache (0: none kept; `ETag` and
    /// `304` still answered).
    pub page_cache_bytes: usize,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions { page_cache_bytes: 64 << 20 }
    }
}

/// The whole application with the default options: the API under its base
/// path, the docs page, request ids and request logs. Page links start
/// with `public_url`.
pub fn app<S: Store>(store: Arc<S>, public_url: PublicUrl) -> Router {
    app_with(store, public_url, AppOptions::default())
}

/// [`app`] with `options`.
pub fn app_with<S: Store>(store: Arc<S>, public_url: PublicUrl, options: AppOptions) -> Router {
    let cache = Arc::new(page_cache::PageCache::new(store.clone(), options.page_cache_bytes));
    // Compression inside the cache: a page polled again is not compressed
    // again. Pages are personal data: no shared cache keeps them, every use
    // revalidates (the ETag makes that a 304).
    // The cache sits right inside the layer that captures the request URL
    // (its key needs it), above the routing: a page answered from it skips
    // the router, the compression and the header layers (their work is in
    // the bytes kept).
    let api = popsell_server::router_serving(Service::new(store), &docs::document())
        .layer(CompressionLayer::new().gzip(true).compress_when(SizeAbove::new(1024)))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, private")));
    Router::new()
        .nest(popsell_server::BASE_PATH, api)
        .merge(docs::routes())
        .fallback(popsell_server::not_found)
        .layer(axum::middleware::from_fn_with_state(cache, page_cache::serve::<S>))
        .layer(axum::middleware::from_fn_with_state(Arc::new(public_url), openapi_server_runtime::request_url::capture))
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
        .layer(axum::middleware::from_fn(drop_unfit_request_id))
}

/// A client's `x-request-id` is kept (echoed and logged) only when it is a
/// short token (1 to 64 of `A-Z a-z 0-9 . _ : -`); another one is replaced
/// by the server's own.
async fn drop_unfit_request_id(mut request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let fit = |v: &HeaderValue| {
        let bytes = v.as_bytes();
        (1..=64).contains(&bytes.len()) && bytes.iter().all(|b| b.is_ascii_alphanumeric() || b".-_:".contains(b))
    };
    let ids: Vec<&HeaderValue> = request.headers().get_all("x-request-id").iter().collect();
    if !(ids.len() == 1 && fit(ids[0])) {
        request.headers_mut().remove("x-request-id");
    }
    next.run(request).await
}

/// The API's error bodies for the transport's own answers (431, 414, 503).
pub fn error_bodies() -> openapi_server_runtime::ErrorBodies {
    openapi_server_runtime::ErrorBodies::of::<popsell_server::LaravelErrors>("application/json")
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
