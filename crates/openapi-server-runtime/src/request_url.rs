//! The request's URL as the client sent it (page links repeat the query as
//! it came), captured by a middleware into a task-local: the generated
//! handler passes typed inputs only, and a service needs nothing else from
//! HTTP to build links. Install [`capture`] with
//! `axum::middleware::from_fn(capture)` around the router.

use axum::extract::Request;
use axum::http::header::HOST;
use axum::middleware::Next;
use axum::response::Response;

/// `scheme://host/path` and the query pairs in their order.
#[derive(Clone, Debug, Default)]
pub struct RequestUrl {
    /// `scheme://host/path`, without the query.
    pub path: String,
    /// The query pairs, decoded, in the order they came.
    pub query: Vec<(String, String)>,
}

tokio::task_local! {
    static CURRENT: RequestUrl;
}

impl RequestUrl {
    /// The URL of the request being handled (empty outside a request).
    pub fn current() -> RequestUrl {
        CURRENT.try_with(Clone::clone).unwrap_or_default()
    }
}

/// The middleware: runs the rest of the stack with the URL in scope.
pub async fn capture(request: Request, next: Next) -> Response {
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = request.headers().get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    let url = RequestUrl {
        path: format!("{scheme}://{host}{}", request.uri().path()),
        query: request.uri().query().map(|q| serde_html_form::from_str(q).unwrap_or_default()).unwrap_or_default(),
    };
    CURRENT.scope(url, next.run(request)).await
}
