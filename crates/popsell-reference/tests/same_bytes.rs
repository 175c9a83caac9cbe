//! The two backends answer the same bytes: the same demo data (the
//! server's default size, so that deep pages start from buckets) in SQLite
//! and in PostgreSQL, and a set of requests (every filter, both sorts, page
//! 1, deep, last and past the end, and each error) sent to both
//! applications with the same `Host`: status, content type and body are
//! equal to the byte.

mod support;

use std::sync::Arc;

use popsell_reference::seed::generate;
use openapi_server_runtime::reexports::axum::Router;
use openapi_server_runtime::reexports::axum::body::Body;
use openapi_server_runtime::reexports::axum::http::Request;
use support::backend::Backend;
use tower::ServiceExt;

/// The requests compared: (token, brand, path and query).
const REQUESTS: &[(&str, &str, &str)] = &[
    // The banner's curl line.
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?per_page=3&filter%5Barchived%5D=0"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?sort=last_action_date&per_page=25"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?per_page=25&page=24"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?per_page=10&page=61&sort=last_action_date"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?per_page=100&page=12"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?per_page=100&page=13"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?filter%5Barchived%5D=1&per_page=20&page=9"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?filter%5Bcommented%5D=1&page=3"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?filter%5Bcommented%5D=0&filter%5Bflag%5D=2"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?filter%5Btype_chatroom%5D=7&sort=last_action_date"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?filter%5Blast_action_date_before%5D=2024-06-01T00:00:00Z&page=2"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/2/chatrooms?per_page=50"),
    ("demo-admin", "1", "/api/v2/chat/ambassadors/6/chatrooms?per_page=5&page=2"),
    ("demo-bob", "2", "/api/v2/chat/ambassadors/5/chatrooms?filter%5Barchived%5D=0&page=4&per_page=7"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?page=100000"),
    ("no-such-token", "1", "/api/v2/chat/ambassadors/1/chatrooms"),
    ("demo-alice", "2", "/api/v2/chat/ambassadors/1/chatrooms"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/6/chatrooms"),
    ("demo-alice", "1", "/api/v2/chat/ambassadors/1/chatrooms?per_page=500&sort=id"),
];

async fn answer(app: &Router, (token, brand, target): (&str, &str, &str)) -> (u16, Option<String>, Vec<u8>) {
    let request = Request::get(target)
        .header("host", "reference.test")
        .header("authorization", format!("Bearer {token}"))
        .header("x-popsell-brand", brand)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes().to_vec();
    (status, content_type, body)
}

#[tokio::test]
async fn sqlite_and_postgres_answer_the_same_bytes() {
    let data = generate(20_000, 42);
    let sqlite = Backend::Sqlite.seeded(&data).await.expect("SQLite runs everywhere");
    let Some(postgres) = Backend::Postgres.seeded(&data).await else { return };
    let public = || openapi_server_runtime::request_url::PublicUrl::new("http://same.test").unwrap();
    let (sqlite_app, postgres_app) =
        (popsell_reference::app(Arc::new(sqlite.store.clone()), public()), popsell_reference::app(Arc::new(postgres.store.clone()), public()));
    let mut statuses = Vec::new();
    for &request in REQUESTS {
        let expected = answer(&sqlite_app, request).await;
        let got = answer(&postgres_app, request).await;
        assert!(expected == got, "{request:?}: SQLite answered {} bytes ({}), PostgreSQL {} bytes ({}):\n{}\n{}",
            expected.2.len(), expected.0, got.2.len(), got.0,
            String::from_utf8_lossy(&expected.2[..expected.2.len().min(300)]), String::from_utf8_lossy(&got.2[..got.2.len().min(300)]));
        statuses.push(expected.0);
    }
    // The set exercises what it says: pages with rooms, an empty page, and each error.
    for status in [200, 401, 403, 422] {
        assert!(statuses.contains(&status), "no {status} among the requests");
    }
}
