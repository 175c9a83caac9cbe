//! Answers kept above the [`Store`]: a `200` is kept as the bytes sent
//! (compressed or not), with its `ETag`, at the store's data version read
//! *before* it was computed, and served again while that version holds. A
//! write through `StoreWriter`, on this server or another sharing the
//! database, moves the version: nothing kept before it is served after it.
//! Clients polling the same page get the bytes without a query, a
//! serialization or a compression, and `304 Not Modified` when they send
//! the `ETag` back in `If-None-Match`.
//!
//! The key is everything an answer depends on besides the data: the method,
//! the URL its links are built from (public origin and path), the request
//! target as it came, the `Authorization`, `X-Popsell-Brand`, `Accept` and
//! `Accept-Encoding` headers, all compared in full (a hash collision must
//! never hand one token's page to another).

use std::hash::Hasher;
use std::sync::Arc;

use openapi_server_runtime::reexports::axum;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hashlink::LruCache;
use openapi_server_runtime::request_url::RequestUrl;
use parking_lot::Mutex;

use crate::store::Store;

/// The request headers an answer depends on, in the key in this order.
const KEYED_HEADERS: [HeaderName; 4] =
    [header::AUTHORIZATION, HeaderName::from_static("x-popsell-brand"), header::ACCEPT, header::ACCEPT_ENCODING];

/// The kept answers of one server, at most `budget` bytes (keys included),
/// least recently used first out.
pub struct PageCache<S> {
    store: Arc<S>,
    kept: Mutex<Kept>,
    budget: usize,
}

struct Kept {
    answers: LruCache<Vec<u8>, Arc<Answer>>,
    bytes: usize,
}

/// A `200` as it was sent.
struct Answer {
    version: u64,
    headers: HeaderMap,
    body: Bytes,
    etag: HeaderValue,
}

impl Answer {
    fn size(&self, key: &[u8]) -> usize {
        // The headers and the bookkeeping, roughly.
        key.len() + self.body.len() + 512
    }

    /// The answer, or `304` when the client holds it already.
    fn respond(&self, if_none_match: Option<&HeaderValue>) -> Response {
        let mut response = if if_none_match.is_some_and(|tags| matches(tags, &self.etag)) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            // RFC 9110 15.4.5: the headers a 200 would carry, but not the content's.
            for (name, value) in &self.headers {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && name != header::CONTENT_ENCODING {
                    response.headers_mut().append(name, value.clone());
                }
            }
            response
        } else {
            let mut response = Response::new(Body::from(self.body.clone()));
            *response.headers_mut() = self.headers.clone();
            response
        };
        response.headers_mut().insert(header::ETAG, self.etag.clone());
        response
    }
}

/// `If-None-Match` (a list, `*`, weak or strong tags) against our strong tag,
/// compared weakly as RFC 9110 13.1.2 says for GET.
fn matches(tags: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(tags) = tags.to_str() else { return false };
    let ours = etag.as_bytes();
    tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/").as_bytes() == ours)
}

/// A strong tag of the bytes: the same bytes give the same tag on every
/// instance of this build (SipHash with its fixed keys).
fn etag_of(body: &[u8]) -> HeaderValue {
    #[allow(deprecated)] // SipHasher: fixed keys on purpose, stable across processes.
    let mut hasher = std::hash::SipHasher::new();
    hasher.write(body);
    HeaderValue::from_str(&format!("\"{:016x}-{:x}\"", hasher.finish(), body.len())).expect("hex is a valid header value")
}

impl<S: Store> PageCache<S> {
    /// A cache over `store` keeping at most `budget` bytes (0: none kept,
    /// `ETag` and `304` still answered).
    pub fn new(store: Arc<S>, budget: usize) -> Self {
        PageCache { store, kept: Mutex::new(Kept { answers: LruCache::new_unbounded(), bytes: 0 }), budget }
    }

    fn key(request: &Request, url: &RequestUrl) -> Vec<u8> {
        // NUL cannot occur in a header value or a URL: a separator no part can forge.
        let mut key = Vec::with_capacity(256);
        key.extend_from_slice(request.method().as_str().as_bytes());
        key.push(0);
        // The origin links start with, and the target as it came (raw: the
        // validation reads it so).
        key.extend_from_slice(url.path.as_bytes());
        key.push(0);
        key.extend_from_slice(request.uri().path_and_query().map_or("", |p| p.as_str()).as_bytes());
        for name in &KEYED_HEADERS {
            for value in request.headers().get_all(name) {
                key.push(0);
                key.extend_from_slice(value.as_bytes());
            }
            key.push(1);
        }
        key
    }

    fn get(&self, key: &[u8], version: u64) -> Option<Arc<Answer>> {
        let mut kept = self.kept.lock();
        let answer = kept.answers.get(key)?.clone();
        if answer.version == version {
            return Some(answer);
        }
        // Older than the data: never served again.
        if let Some(gone) = kept.answers.remove(key) {
            kept.bytes -= gone.size(key);
        }
        None
    }

    fn put(&self, key: Vec<u8>, answer: Arc<Answer>) {
        let size = answer.size(&key);
        if size > self.budget / 4 {
            return;
        }
        let mut kept = self.kept.lock();
        if let Some(old) = kept.answers.insert(key.clone(), answer) {
            kept.bytes -= old.size(&key);
        }
        kept.bytes += size;
        while kept.bytes > self.budget {
            let Some((key, gone)) = kept.answers.remove_lru() else { break };
            kept.bytes -= gone.size(&key);
        }
    }
}

/// The middleware: `axum::middleware::from_fn_with_state(cache, page_cache::serve)`,
/// inside the layer that captures the [`RequestUrl`].
pub async fn serve<S: Store>(State(cache): State<Arc<PageCache<S>>>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let url = RequestUrl::current();
    let key = PageCache::<S>::key(&request, &url);
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    // Read before the answer is computed: a write during it moves the
    // version past this one, so the answer kept is never newer than its tag.
    let Ok(version) = cache.store.data_version().await else { return next.run(request).await };
    if let Some(answer) = cache.get(&key, version) {
        return answer.respond(if_none_match.as_ref());
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "an answer's body could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let etag = etag_of(&body);
    let mut headers = parts.headers;
    // One Vary naming every header of the key (the compression layer's `accept-encoding` among them).
    headers.insert(header::VARY, HeaderValue::from_static("authorization, x-popsell-brand, accept, accept-encoding"));
    let answer = Arc::new(Answer { version, headers, body, etag });
    if cache.budget > 0 {
        cache.put(key, answer.clone());
    }
    answer.respond(if_none_match.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_weak_tags_and_star() {
        let etag = etag_of(b"page");
        let tag = etag.to_str().unwrap();
        for sent in [tag.to_owned(), format!("W/{tag}"), format!("\"other\", {tag}"), "*".to_owned()] {
            assert!(matches(&HeaderValue::from_str(&sent).unwrap(), &etag), "{sent}");
        }
        for sent in ["\"other\"", "", "W/\"page\""] {
            assert!(!matches(&HeaderValue::from_str(sent).unwrap(), &etag), "{sent}");
        }
    }

    #[test]
    fn tags_follow_the_bytes() {
        assert_eq!(etag_of(b"page"), etag_of(b"page"));
        assert_ne!(etag_of(b"page"), etag_of(b"page "));
    }
}
