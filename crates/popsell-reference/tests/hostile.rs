//! Hostile input against the real application (router + service + store),
//! in-process with `tower::ServiceExt::oneshot`, on each backend. Every case
//! answers the spec's JSON error body with the stated 4xx (or, where Laravel
//! would accept the request, a 200): never a 5xx, a panic or plain text.

mod support;

use std::sync::Arc;

use popsell_reference::seed::generate;
use openapi_server_runtime::reexports::axum::Router;
use openapi_server_runtime::reexports::axum::body::Body;
use openapi_server_runtime::reexports::axum::http::{Request, StatusCode};
use serde_json::Value;
use support::backend::{Backend, TestStore};
use tower::ServiceExt;

/// The application over `backend` with demo data, and its store (to keep
/// alive); `None` when the backend cannot run here.
async fn app(backend: Backend) -> Option<(Router, TestStore)> {
    let store = backend.seeded(&generate(500, 3)).await?;
    Some((popsell_reference::app(Arc::new(store.store.clone()), openapi_server_runtime::request_url::PublicUrl::new("http://api.test").unwrap()), store))
}

const ROUTE: &str = "/api/v2/chat/ambassadors/1/chatrooms";

struct Case {
    name: &'static str,
    target: String,
    headers: Vec<(&'static str, Vec<u8>)>,
    status: StatusCode,
    /// The parameter the 422 must name.
    field: Option<&'static str>,
}

fn query_case(name: &'static str, query: &str, status: StatusCode, field: Option<&'static str>) -> Case {
    Case { name, target: format!("{ROUTE}?{query}"), headers: good(), status, field }
}

fn good() -> Vec<(&'static str, Vec<u8>)> {
    vec![("authorization", b"Bearer demo-alice".to_vec()), ("x-popsell-brand", b"1".to_vec())]
}

fn with_header(name: &'static str, value: Vec<u8>) -> Vec<(&'static str, Vec<u8>)> {
    let mut headers: Vec<_> = good().into_iter().filter(|(n, _)| *n != name).collect();
    headers.push((name, value));
    headers
}

fn cases() -> Vec<Case> {
    use StatusCode as S;
    let unprocessable = S::UNPROCESSABLE_ENTITY;
    let big = "9".repeat(10_240);
    vec![
        query_case("per_page 0", "per_page=0", unprocessable, Some("per_page")),
        query_case("per_page negative", "per_page=-1", unprocessable, Some("per_page")),
        query_case("per_page 10^9", "per_page=1000000000", unprocessable, Some("per_page")),
        query_case("per_page float", "per_page=2.5", unprocessable, Some("per_page")),
        query_case("page 0", "page=0", unprocessable, Some("page")),
        query_case("page huge", "page=100000000000000000000", unprocessable, Some("page")),
        query_case("page i32 max", "page=2147483647", S::OK, None),
        query_case("page not a number", "page=abc", unprocessable, Some("page")),
        query_case("unknown sort", "sort=id", unprocessable, Some("sort")),
        query_case("unknown commented", "filter[commented]=yes", unprocessable, Some("filter[commented]")),
        query_case("unknown flag", "filter[flag]=7", unprocessable, Some("filter[flag]")),
        query_case("unknown type", "filter[type_chatroom]=1", unprocessable, Some("filter[type_chatroom]")),
        query_case("malformed date", "filter[last_action_date_before]=2024-13-45", unprocessable, Some("filter[last_action_date_before]")),
        query_case("date without offset", "filter[last_action_date_before]=2024-05-04%2009:42:00", unprocessable, Some("filter[last_action_date_before]")),
        query_case("boolean word", "filter[archived]=yes", unprocessable, Some("filter[archived]")),
        query_case("true and false accepted", "filter[archived]=true", S::OK, None),
        query_case("duplicated key, last wins (invalid)", "per_page=5&per_page=500", unprocessable, Some("per_page")),
        query_case("duplicated key, last wins (valid)", "per_page=500&per_page=5", S::OK, None),
        query_case("invalid UTF-8 in the query", "filter[commented]=%FF%FE", unprocessable, Some("filter[commented]")),
        query_case("invalid UTF-8 in a key", "%FF=1", S::OK, None),
        query_case("unknown keys are ignored, as Laravel does", "include=everything&filter[colour]=blue", S::OK, None),
        query_case("percent garbage", "per_page=%%%", unprocessable, Some("per_page")),
        Case { name: "non-integer path", target: "/api/v2/chat/ambassadors/abc/chatrooms".into(), headers: good(), status: unprocessable, field: Some("ambassador") },
        Case { name: "path overflow", target: format!("/api/v2/chat/ambassadors/{big}/chatrooms"), headers: good(), status: unprocessable, field: Some("ambassador") },
        Case { name: "negative path", target: "/api/v2/chat/ambassadors/-1/chatrooms".into(), headers: good(), status: S::FORBIDDEN, field: None },
        Case { name: "non-integer brand", target: ROUTE.into(), headers: with_header("x-popsell-brand", b"one".to_vec()), status: unprocessable, field: Some("X-Popsell-Brand") },
        Case { name: "10 kB brand", target: ROUTE.into(), headers: with_header("x-popsell-brand", big.clone().into_bytes()), status: unprocessable, field: Some("X-Popsell-Brand") },
        Case { name: "brand not UTF-8", target: ROUTE.into(), headers: with_header("x-popsell-brand", vec![0xff, 0xfe]), status: unprocessable, field: Some("X-Popsell-Brand") },
        Case { name: "10 kB token", target: ROUTE.into(), headers: with_header("authorization", format!("Bearer {big}").into_bytes()), status: S::UNAUTHORIZED, field: None },
        Case { name: "token not UTF-8", target: ROUTE.into(), headers: with_header("authorization", b"Bearer \xff".to_vec()), status: S::UNAUTHORIZED, field: None },
        Case {
            name: "unknown token with invalid parameters: 401 first",
            target: format!("{ROUTE}?per_page=0&sort=x"),
            headers: vec![("authorization", b"Bearer nope".to_vec())],
            status: S::UNAUTHORIZED,
            field: None,
        },
        Case { name: "brand of another token", target: ROUTE.into(), headers: with_header("x-popsell-brand", b"2".to_vec()), status: S::FORBIDDEN, field: None },
        Case { name: "unknown brand", target: ROUTE.into(), headers: with_header("x-popsell-brand", b"999999".to_vec()), status: S::FORBIDDEN, field: None },
    ]
}

async fn send(router: &Router, case: &Case) -> (StatusCode, Option<String>, Vec<u8>) {
    let mut request = Request::get(&case.target);
    for (name, value) in &case.headers {
        request = request.header(*name, value.as_slice());
    }
    let response = router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes().to_vec();
    (status, content_type, body)
}

async fn hostile_input_gets_a_4xx_in_the_error_shape(backend: Backend) {
    let Some((router, _store)) = app(backend).await else { return };
    let mut failures = Vec::new();
    for case in cases() {
        let (status, content_type, body) = send(&router, &case).await;
        let json: Option<Value> = serde_json::from_slice(&body).ok();
        let problem = if status != case.status {
            Some(format!("status {status}, want {}", case.status))
        } else if content_type.as_deref() != Some("application/json") {
            Some(format!("content type {content_type:?}"))
        } else if let Some(field) = case.field {
            match json.as_ref().and_then(|j| j["errors"][field].as_array()) {
                Some(messages) if !messages.is_empty() && json.as_ref().is_some_and(|j| j["message"].is_string()) => None,
                _ => Some(format!("no error for {field}: {}", String::from_utf8_lossy(&body))),
            }
        } else if !status.is_success() && !json.as_ref().is_some_and(|j| j["message"].is_string()) {
            Some(format!("not the error shape: {}", String::from_utf8_lossy(&body)))
        } else {
            None
        };
        if let Some(problem) = problem {
            failures.push(format!("{}: {problem}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn unknown_routes_and_methods_answer_in_the_error_shape(backend: Backend) {
    let Some((router, _store)) = app(backend).await else { return };
    for (method, uri, status) in [
        ("GET", "/", StatusCode::NOT_FOUND),
        ("GET", "/api/v3/anything", StatusCode::NOT_FOUND),
        ("POST", "/api/v2/openapi.json", StatusCode::METHOD_NOT_ALLOWED),
        ("DELETE", ROUTE, StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let request = Request::builder().method(method).uri(uri).body(Body::empty()).unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), status, "{method} {uri}");
        let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
        let json: Value = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{method} {uri}: not JSON"));
        assert!(json["message"].is_string(), "{method} {uri}: {json}");
    }
}

backend_tests!(hostile_input_gets_a_4xx_in_the_error_shape, unknown_routes_and_methods_answer_in_the_error_shape);
