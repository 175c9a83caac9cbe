//! The served binary on a real socket (what `oneshot` never meets): slow
//! and oversize requests, header floods and duplicates, `Host` and
//! `X-Forwarded-*` injection, HTTP/1.0, pipelining, an abandon burst, and
//! SIGTERM under load. Loopback only; every case is bounded in time.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const GOOD: &str = "authorization: Bearer demo-alice\r\nx-popsell-brand: 1\r\n";
const PAGE: &str = "/api/v2/chat/ambassadors/1/chatrooms?per_page=3";

/// `popsell-reference` on a free loopback port with small limits, killed on drop.
struct Served {
    child: Child,
    address: SocketAddr,
}

impl Served {
    fn start(extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_popsell-reference"))
            .args(["--bind", "127.0.0.1:0", "--chatrooms", "2000", "--header-timeout", "2", "--shutdown-timeout", "5"])
            .args(["--public-url", "https://api.popsell.test"])
            .args(extra)
            .env("RUST_LOG", "warn")
            // SQLite in memory, whatever the environment says.
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let line = lines.next().expect("the server printed its address").unwrap();
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                break url.trim_start_matches("http://").parse().unwrap();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Served { child, address }
    }

    fn signal(&self, signal: &str) {
        Command::new("kill").args(["-s", signal, &self.child.id().to_string()]).status().unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `request`, reads until the server closes (at most 5 s).
async fn exchange(address: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let _ = stream.write_all(request).await;
    let mut bytes = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut bytes)).await;
    String::from_utf8_lossy(&bytes).into_owned()
}

fn request(target: &str, headers: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n{headers}\r\n").into_bytes()
}

fn status(response: &str) -> u16 {
    response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().find_map(|l| l.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()))
}

fn json(response: &str) -> Value {
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {response}"))
}

/// Every answer is the API's JSON error body (or a page), never a bare head.
fn assert_api_json(response: &str, expected: u16) {
    assert_eq!(status(response), expected, "{response}");
    assert_eq!(header(response, "content-type"), Some("application/json"), "{response}");
    assert!(json(response)["message"].is_string() || json(response)["data"].is_array(), "{response}");
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_sockets_are_closed_within_the_header_timeout_while_pages_are_served() {
    let served = Served::start(&[]);
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut stream = TcpStream::connect(served.address).await.unwrap();
        stream.write_all(b"GET /api/v2/chat HTTP/1.1\r\nhost: te").await.unwrap();
        slow.push(stream);
    }
    for _ in 0..3 {
        assert_api_json(&exchange(served.address, &request(PAGE, GOOD)).await, 200);
    }
    for stream in &mut slow {
        let mut rest = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
    }
    let closed_after = started.elapsed();
    assert!(closed_after < Duration::from_secs(4), "slow sockets closed after {closed_after:?} (header timeout 2 s)");
}

#[tokio::test(flavor = "multi_thread")]
async fn limits_answer_in_the_apis_json() {
    let served = Served::start(&[]);
    let big = format!("x-big: {}\r\n", "a".repeat(20 * 1024));
    let flood: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let huge_host = format!("GET {PAGE} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n{GOOD}\r\n", "h".repeat(300 * 1024));
    let long_uri = format!("{PAGE}&q={}", "b".repeat(10 * 1024));
    for (bytes, expected) in [
        (request(PAGE, &big), 431),
        (request(PAGE, &flood), 431),
        (huge_host.into_bytes(), 431),
        (request(&long_uri, GOOD), 414),
    ] {
        assert_api_json(&exchange(served.address, &bytes).await, expected);
    }
    // Bytes that are not HTTP get the parser's 400, in the API's shape too.
    let garbage = exchange(served.address, b"GET / HTTP/1.1\r\nbad header line\r\n\r\n").await;
    assert_eq!(status(&garbage), 400, "{garbage}");
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicated_credentials_and_injected_hosts_change_nothing() {
    let served = Served::start(&["--trusted-proxy", "10.9.9.9"]);
    let twice_auth = request(PAGE, "authorization: Bearer demo-alice\r\nauthorization: Bearer demo-bob\r\nx-popsell-brand: 1\r\n");
    let refused = exchange(served.address, &twice_auth).await;
    assert_api_json(&refused, 401);
    assert_eq!(header(&refused, "www-authenticate"), Some("Bearer"));
    let twice_brand = request(PAGE, "authorization: Bearer demo-alice\r\nx-popsell-brand: 1\r\nx-popsell-brand: 2\r\n");
    assert_api_json(&exchange(served.address, &twice_brand).await, 422);

    // Links come from the configured public URL, whatever Host or
    // X-Forwarded-* say (this peer is not a trusted proxy).
    let injected = format!("GET {PAGE} HTTP/1.1\r\nhost: evil.example\r\nx-forwarded-host: evil.example\r\nx-forwarded-proto: http\r\nconnection: close\r\n{GOOD}\r\n");
    let page = exchange(served.address, injected.as_bytes()).await;
    assert_api_json(&page, 200);
    assert!(!page.contains("evil.example"), "{page}");
    assert!(json(&page)["next_page_url"].as_str().unwrap().starts_with("https://api.popsell.test/api/v2/"), "{page}");
    assert_eq!(header(&page, "cache-control"), Some("no-cache, private"));

    // HTTP/1.0 without Host: served, links from the public URL.
    let old = exchange(served.address, format!("GET {PAGE} HTTP/1.0\r\n{GOOD}\r\n").as_bytes()).await;
    assert_api_json(&old, 200);
    assert!(json(&old)["first_page_url"].as_str().unwrap().starts_with("https://api.popsell.test/"));

    // A client's request id is echoed only when it is a short token.
    let long_id = request(PAGE, &format!("{GOOD}x-request-id: {}\r\n", "z".repeat(500)));
    let answer = exchange(served.address, &long_id).await;
    assert!(header(&answer, "x-request-id").is_some_and(|id| id.len() < 64), "{answer}");
    let fit = exchange(served.address, &request(PAGE, &format!("{GOOD}x-request-id: abc-123\r\n"))).await;
    assert_eq!(header(&fit, "x-request-id"), Some("abc-123"));
}

#[tokio::test(flavor = "multi_thread")]
async fn pipelined_requests_are_answered_in_order() {
    let served = Served::start(&[]);
    let one = format!("GET {PAGE} HTTP/1.1\r\nhost: test\r\n{GOOD}\r\n");
    let two = format!("GET /api/v2/nope HTTP/1.1\r\nhost: test\r\nconnection: close\r\n{GOOD}\r\n");
    let both = exchange(served.address, format!("{one}{two}").as_bytes()).await;
    let statuses: Vec<&str> = both.match_indices("HTTP/1.1 ").map(|(i, _)| &both[i + 9..i + 12]).collect();
    assert_eq!(statuses, ["200", "404"], "{both}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_abandon_burst_leaves_the_server_fast() {
    let served = Served::start(&[]);
    let deep = "/api/v2/chat/ambassadors/4/chatrooms?per_page=100&page=3";
    let admin = "authorization: Bearer demo-admin\r\nx-popsell-brand: 1\r\n";
    let mut burst = Vec::new();
    for _ in 0..1000 {
        let address = served.address;
        burst.push(tokio::spawn(async move {
            if let Ok(mut stream) = TcpStream::connect(address).await {
                let _ = stream.write_all(&request(deep, admin)).await;
                // Gone before the answer.
            }
        }));
    }
    for task in burst {
        let _ = task.await;
    }
    let started = Instant::now();
    assert_api_json(&exchange(served.address, &request(PAGE, GOOD)).await, 200);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "a page after 1000 abandoned requests took {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_under_load_finishes_every_request_then_exits() {
    let mut served = Served::start(&[]);
    let address = served.address;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..64 {
        let stop = stop.clone();
        clients.push(tokio::spawn(async move {
            let (mut answered, mut broken) = (0, Vec::new());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let Ok(mut stream) = TcpStream::connect(address).await else { break };
                if stream.write_all(&request(PAGE, GOOD)).await.is_err() {
                    continue;
                }
                let mut bytes = Vec::new();
                let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut bytes)).await;
                match status(&String::from_utf8_lossy(&bytes)) {
                    200 => answered += 1,
                    // Accepted before the stop, closed unanswered: none may be.
                    _ if !bytes.is_empty() => broken.push(String::from_utf8_lossy(&bytes).into_owned()),
                    _ => {}
                }
            }
            (answered, broken)
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    served.signal("TERM");
    let signalled = Instant::now();
    let exit = tokio::task::spawn_blocking(move || {
        let status = served.child.wait().unwrap();
        (status, served)
    });
    let (status, _served) = tokio::time::timeout(Duration::from_secs(8), exit).await.expect("exited within the deadline").unwrap();
    let exited_after = signalled.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut answered, mut broken) = (0, Vec::new());
    for client in clients {
        let (a, b) = client.await.unwrap();
        answered += a;
        broken.extend(b);
    }
    assert!(status.success(), "{status:?}");
    assert!(answered > 64, "load before the stop: {answered} pages");
    assert!(broken.is_empty(), "answers cut short: {broken:?}");
    assert!(exited_after < Duration::from_secs(5), "exited {exited_after:?} after SIGTERM");
}

#[test]
fn a_huge_demo_size_is_refused_with_a_message_not_a_panic() {
    let run = Command::new(env!("CARGO_BIN_EXE_popsell-reference"))
        .args(["--bind", "127.0.0.1:0", "--chatrooms", "18446744073709551615"])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--chatrooms") && !stderr.contains("panicked"), "{stderr}");
}
