//! `serve` over real sockets (what `oneshot` never meets): the header timer
//! closes slow and idle sockets, limits answer 414/431 in the API's format
//! (hyper's own bare answers rewritten), load is shed with 503 and
//! `Retry-After`, slow requests time out, and a stop drains in-flight
//! requests. Loopback only; each test bounded to a few seconds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use openapi_server_runtime::{ErrorBodies, Transport, serve};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};

fn transport() -> Transport {
    Transport {
        header_read_timeout: Duration::from_millis(600),
        request_timeout: Duration::from_millis(400),
        max_header_bytes: 4096,
        max_headers: 20,
        max_uri_bytes: 1024,
        max_connections: 16,
        max_in_flight: 2,
        shutdown_timeout: Duration::from_secs(3),
    }
}

/// A format of this test's own: the status and the reason.
fn errors() -> ErrorBodies {
    ErrorBodies::from_fn("application/problem+json", |r| format!(r#"{{"status":{},"reason":"{:?}"}}"#, r.status.as_u16(), r.reason).into_bytes())
}

struct Server {
    address: std::net::SocketAddr,
    release: Arc<Notify>,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<bool>,
}

async fn start(transport: Transport) -> Server {
    let release = Arc::new(Notify::new());
    let held = release.clone();
    let app = Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await }))
        .route(
            "/hold",
            get(move || {
                let held = held.clone();
                async move {
                    held.notified().await;
                    "released"
                }
            }),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(serve(listener, app, transport, errors(), async {
        let _ = stopped.await;
    }));
    Server { address, release, stop: Some(stop), done }
}

/// Sends `request` and reads until the server closes (or 3 s pass).
async fn exchange(address: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();
    read_all(&mut stream).await
}

async fn read_all(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut bytes)).await;
    String::from_utf8_lossy(&bytes).into_owned()
}

fn status(response: &str) -> u16 {
    response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn body(response: &str) -> Value {
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

fn get_request(target: &str, extra: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n{extra}\r\n").into_bytes()
}

#[tokio::test]
async fn slow_sockets_are_closed_by_the_header_timer_while_others_are_served() {
    let server = start(transport()).await;
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        stream.write_all(b"GET /ok HTTP/1.1\r\nhost: te").await.unwrap();
        slow.push(stream);
    }
    let served = exchange(server.address, &get_request("/ok", "")).await;
    assert_eq!(status(&served), 200, "{served}");
    for stream in &mut slow {
        // Another byte now and then: the timer is for the whole head.
        let _ = stream.write_all(b"s").await;
        let answer = read_all(stream).await;
        assert!(answer.is_empty() || status(&answer) == 408 || status(&answer) == 400, "{answer}");
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(600) * 4, "slow sockets closed after {elapsed:?}");
}

#[tokio::test]
async fn oversize_heads_and_targets_are_refused_in_the_apis_format() {
    let server = start(transport()).await;
    let big_header = format!("x-big: {}\r\n", "a".repeat(8 * 1024));
    let flood: String = (0..40).map(|i| format!("x-h{i}: v\r\n")).collect();
    let long_target = format!("/ok?q={}", "b".repeat(2048));
    let huge_target = format!("/ok?q={}", "c".repeat(64 * 1024));
    for (request, expected, reason) in [
        (get_request("/ok", &big_header), 431, "HeadersTooLarge"),
        (get_request("/ok", &flood), 431, "HeadersTooLarge"),
        (get_request(&long_target, ""), 414, "UriTooLong"),
        (get_request(&huge_target, ""), 431, "HeadersTooLarge"),
        (b"GET /ok HTTP/1.1\r\nhost: test\r\nbad header\r\n\r\n".to_vec(), 400, "Malformed"),
    ] {
        let answer = exchange(server.address, &request).await;
        assert_eq!(status(&answer), expected, "{answer}");
        assert!(answer.to_ascii_lowercase().contains("content-type: application/problem+json"), "{answer}");
        assert_eq!(body(&answer)["reason"], reason, "{answer}");
    }
}

#[tokio::test]
async fn load_beyond_the_caps_is_shed_with_503_and_retry_after() {
    let server = start(transport()).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        stream.write_all(&get_request("/hold", "")).await.unwrap();
        held.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let shed = exchange(server.address, &get_request("/ok", "")).await;
    assert_eq!(status(&shed), 503, "{shed}");
    assert!(shed.to_ascii_lowercase().contains("retry-after: 1"), "{shed}");
    assert_eq!(body(&shed)["reason"], "Overloaded");
    server.release.notify_waiters();
    for stream in &mut held {
        assert!(read_all(stream).await.contains("released"));
    }
    assert_eq!(status(&exchange(server.address, &get_request("/ok", "")).await), 200);

    let slow = exchange(server.address, &get_request("/slow", "")).await;
    assert_eq!((status(&slow), body(&slow)["reason"].clone()), (503, Value::from("TimedOut")));
}

#[tokio::test]
async fn connections_beyond_the_cap_get_503_in_the_apis_format() {
    let server = start(Transport { max_connections: 3, ..transport() }).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        stream.write_all(b"GET /ok HTTP/1.1\r\n").await.unwrap();
        open.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let refused = exchange(server.address, &get_request("/ok", "")).await;
    assert_eq!((status(&refused), body(&refused)["reason"].clone()), (503, Value::from("Overloaded")), "{refused}");
    // The header timer frees the slots.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(status(&exchange(server.address, &get_request("/ok", "")).await), 200);
}

#[tokio::test]
async fn a_stop_finishes_in_flight_requests_and_refuses_new_ones() {
    let mut server = start(Transport { max_in_flight: 64, request_timeout: Duration::from_secs(10), ..transport() }).await;
    let mut in_flight = Vec::new();
    for _ in 0..16 {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        stream.write_all(&get_request("/hold", "")).await.unwrap();
        in_flight.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.stop.take().unwrap().send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(server.address).await.is_err(), "no new connections after a stop");
    server.release.notify_waiters();
    for stream in &mut in_flight {
        let answer = read_all(stream).await;
        assert_eq!(status(&answer), 200, "{answer}");
    }
    assert!(tokio::time::timeout(Duration::from_secs(3), server.done).await.unwrap().unwrap(), "drained in time");
}
