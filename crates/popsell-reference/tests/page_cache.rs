//! The page cache above the store, on each backend: a page polled again is
//! the same bytes with the same `ETag`, `If-None-Match` gets `304`; a
//! write through the store's writers (on this server, or on another one
//! sharing the PostgreSQL database) is in the very next answer; answers
//! are kept per token, brand and encoding.

mod support;

use std::io::Read;
use std::sync::Arc;

use chrono::Utc;
use openapi_server_runtime::reexports::axum::Router;
use openapi_server_runtime::reexports::axum::body::{Body, Bytes};
use openapi_server_runtime::reexports::axum::http::{HeaderMap, Request, StatusCode};
use openapi_server_runtime::request_url::PublicUrl;
use http_body_util::BodyExt;
use popsell_reference::AppOptions;
use popsell_reference::seed::{ChatroomRow, MemberRow, generate};
use popsell_reference::store::{Access, ChatroomQuery, StoreError, StoreWriter};
use popsell_types::Chatroom;
use std::sync::atomic::{AtomicUsize, Ordering};
use serde_json::Value;
use support::backend::{Backend, TestStore};
use tower::ServiceExt;

const PAGE: &str = "/api/v2/chat/ambassadors/1/chatrooms?per_page=5";

fn router<S: popsell_reference::store::Store>(store: S, page_cache_bytes: usize) -> Router {
    popsell_reference::app_with(Arc::new(store), PublicUrl::new("http://api.test").unwrap(), AppOptions { page_cache_bytes })
}

async fn served(backend: Backend, page_cache_bytes: usize) -> Option<(Router, TestStore)> {
    let store = backend.seeded(&generate(300, 9)).await?;
    Some((router(store.store.clone(), page_cache_bytes), store))
}

async fn get(router: &Router, token: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Bytes) {
    let mut request = Request::get(PAGE).header("authorization", format!("Bearer {token}")).header("x-popsell-brand", "1");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes())
}

fn first_room(body: &Bytes) -> i64 {
    let page: Value = serde_json::from_slice(body).unwrap();
    page["data"][0]["id_chatroom"].as_i64().unwrap()
}

/// A new room of brand 1 where alice is a member, the newest of all.
fn newest_room_of_alice() -> ChatroomRow {
    let alice = MemberRow { ambassador: 1, last_read_message: None, is_blocked: false, archived: false };
    support::plain_room(9_000_001, vec![alice], Utc::now(), None)
}

async fn a_polled_page_is_the_same_bytes_and_304_with_its_etag(backend: Backend) {
    let Some((router, _store)) = served(backend, 1 << 20).await else { return };
    let (status, headers, first) = get(&router, "demo-alice", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(headers["cache-control"], "no-cache, private");
    assert!(headers["vary"].to_str().unwrap().contains("authorization"));
    let (_, again_headers, again) = get(&router, "demo-alice", &[]).await;
    assert_eq!((again_headers["etag"].to_str().unwrap(), &again), (etag.as_str(), &first));

    let (status, headers, body) = get(&router, "demo-alice", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(headers["etag"], etag.as_str());
    assert_eq!(headers["cache-control"], "no-cache, private");
    assert!(headers.get("content-type").is_none());
    let (status, _, _) = get(&router, "demo-alice", &[("if-none-match", "\"something-else\"")]).await;
    assert_eq!(status, StatusCode::OK);
}

async fn a_write_is_in_the_next_answer(backend: Backend) {
    let Some((router, store)) = served(backend, 1 << 20).await else { return };
    let (_, headers, before) = get(&router, "demo-alice", &[]).await;
    let etag = headers["etag"].to_str().unwrap().to_owned();
    store.add_rooms(vec![newest_room_of_alice()]).await.unwrap();
    let (status, headers, after) = get(&router, "demo-alice", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::OK, "the page changed: no 304 on the old tag");
    assert_ne!(headers["etag"].to_str().unwrap(), etag);
    assert_ne!(first_room(&before), 9_000_001);
    assert_eq!(first_room(&after), 9_000_001);
}

async fn answers_are_kept_per_token_and_encoding(backend: Backend) {
    let Some((router, _store)) = served(backend, 1 << 20).await else { return };
    let (_, _, alice) = get(&router, "demo-alice", &[]).await;
    // Bob may not see alice's page: the page kept for alice's token is not his.
    let (status, _, refused) = get(&router, "demo-bob", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{}", String::from_utf8_lossy(&refused));
    let (status, _, _) = get(&router, "unknown-token", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The administrator of brand 1 sees the same rooms, under his own key.
    let (status, _, admin) = get(&router, "demo-admin", &[]).await;
    assert_eq!((status, &admin), (StatusCode::OK, &alice));

    let (status, headers, zipped) = get(&router, "demo-alice", &[("accept-encoding", "gzip")]).await;
    assert_eq!((status, headers["content-encoding"].to_str().unwrap()), (StatusCode::OK, "gzip"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped[..]).read_to_end(&mut unzipped).unwrap();
    assert_eq!(unzipped, alice.to_vec());
    assert!(zipped.len() * 3 < alice.len(), "{} bytes compressed to {}", alice.len(), zipped.len());
    let (_, again_headers, again) = get(&router, "demo-alice", &[("accept-encoding", "gzip")]).await;
    assert_eq!((again_headers["etag"].clone(), again), (headers["etag"].clone(), zipped));
}

async fn with_no_cache_etags_and_304_still_hold(backend: Backend) {
    let Some((router, store)) = served(backend, 0).await else { return };
    let (_, headers, _) = get(&router, "demo-alice", &[]).await;
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, _) = get(&router, "demo-alice", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    store.add_rooms(vec![newest_room_of_alice()]).await.unwrap();
    let (status, _, after) = get(&router, "demo-alice", &[("if-none-match", &etag)]).await;
    assert_eq!((status, first_room(&after)), (StatusCode::OK, 9_000_001));
}

/// A store that counts the pages it was asked for.
struct Counting<S> {
    store: S,
    pages: Arc<AtomicUsize>,
}

impl<S: popsell_reference::store::Store> popsell_reference::store::Store for Counting<S> {
    async fn authenticate(&self, token: &str) -> Result<bool, StoreError> {
        self.store.authenticate(token).await
    }
    async fn access(&self, token: &str, brand: i64, ambassador: i64) -> Result<Access, StoreError> {
        self.store.access(token, brand, ambassador).await
    }
    async fn chatrooms(&self, query: &ChatroomQuery) -> Result<(Vec<Chatroom>, i64), StoreError> {
        self.pages.fetch_add(1, Ordering::SeqCst);
        self.store.chatrooms(query).await
    }
    async fn data_version(&self) -> Result<u64, StoreError> {
        self.store.data_version().await
    }
}

/// The cache at work, seen from the store: a page asked again is answered
/// without reading it again; with the cache off, every answer reads it;
/// after a write, it is read again once.
async fn a_page_asked_again_is_not_read_from_the_store_again(backend: Backend) {
    let Some(store) = backend.seeded(&generate(300, 9)).await else { return };
    for (cache_bytes, reads_for_two) in [(1 << 20, 1), (0, 2)] {
        let pages = Arc::new(AtomicUsize::new(0));
        let router = router(Counting { store: store.store.clone(), pages: pages.clone() }, cache_bytes);
        let (_, _, first) = get(&router, "demo-alice", &[]).await;
        let (_, _, again) = get(&router, "demo-alice", &[]).await;
        assert_eq!(first, again);
        assert_eq!(pages.load(Ordering::SeqCst), reads_for_two, "store reads for two identical requests, cache of {cache_bytes} bytes");
    }
    let pages = Arc::new(AtomicUsize::new(0));
    let router = router(Counting { store: store.store.clone(), pages: pages.clone() }, 1 << 20);
    get(&router, "demo-alice", &[]).await;
    store.add_rooms(vec![newest_room_of_alice()]).await.unwrap();
    let (_, _, after) = get(&router, "demo-alice", &[]).await;
    get(&router, "demo-alice", &[]).await;
    assert_eq!((first_room(&after), pages.load(Ordering::SeqCst)), (9_000_001, 2), "read once before the write, once after");
}

backend_tests!(
    a_page_asked_again_is_not_read_from_the_store_again,
    a_polled_page_is_the_same_bytes_and_304_with_its_etag,
    a_write_is_in_the_next_answer,
    answers_are_kept_per_token_and_encoding,
    with_no_cache_etags_and_304_still_hold,
);

/// Two servers on one PostgreSQL database: a write through one is in the
/// next answer of the other, whose cache held the page before it.
#[cfg(feature = "postgres")]
#[tokio::test]
async fn a_write_on_one_instance_invalidates_the_pages_of_another() {
    use popsell_reference::store::{BUCKET_ROWS, DEFAULT_QUERY_BUDGET, PostgresStore};

    let Some(database) = support::backend::postgres_database().await else { return };
    let connect = || PostgresStore::connect_with(&database.url, BUCKET_ROWS, DEFAULT_QUERY_BUDGET);
    let (writer, reader) = (connect().await.unwrap(), connect().await.unwrap());
    writer.migrate().await.unwrap();
    assert!(writer.seed(generate(300, 9)).await.unwrap());
    let other_instance = router(reader, 1 << 20);
    let (_, _, before) = get(&other_instance, "demo-alice", &[]).await;
    assert_eq!(get(&other_instance, "demo-alice", &[]).await.2, before, "kept");
    writer.add_rooms(vec![newest_room_of_alice()]).await.unwrap();
    let (_, _, after) = get(&other_instance, "demo-alice", &[]).await;
    assert_eq!(first_room(&after), 9_000_001);
}
