//! A closed-loop HTTP/1.1 load generator on loopback: `connections`
//! keep-alive connections, each sending the next request as soon as the
//! previous response body has arrived, for a bounded time.
//!
//! Only responses that complete inside the measured window (after the
//! warm-up) count, for throughput and for latency; a non-200 response or a
//! transport error counts as an error. Every request has a deadline, so a
//! run never outlasts `warmup + duration + GRACE`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::stats::percentile;

/// How long past the end a request may still take before it is dropped.
const GRACE: Duration = Duration::from_secs(5);

/// What to request.
#[derive(Clone, Debug)]
pub struct Target {
    pub address: SocketAddr,
    /// Path and query, e.g. `/api/v2/chat/ambassadors/1/chatrooms?per_page=25`.
    pub path: String,
    /// Extra request headers (`Host` is always sent).
    pub headers: Vec<(String, String)>,
}

/// How hard and how long.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub connections: usize,
    pub warmup: Duration,
    pub duration: Duration,
    /// Worker threads of the generator's runtime.
    pub threads: usize,
}

/// One run's outcome.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Latencies of the 200 responses completed in the window, sorted.
    pub latencies: Vec<Duration>,
    /// Non-200 responses and transport errors in the window.
    pub errors: u64,
    /// The measured window.
    pub window: Duration,
    /// Body size of the last 200 response.
    pub body_bytes: usize,
}

impl Outcome {
    pub fn requests_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.window.as_secs_f64()
    }

    pub fn p50(&self) -> Duration {
        percentile(&self.latencies, 50.0).unwrap_or_default()
    }

    pub fn p99(&self) -> Duration {
        percentile(&self.latencies, 99.0).unwrap_or_default()
    }
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: u64,
    body_bytes: usize,
}

/// One GET on an existing connection: status and body length.
async fn get(sender: &mut http1::SendRequest<Empty<Bytes>>, target: &Target) -> Result<(u16, Bytes), String> {
    let mut request = Request::get(target.path.as_str()).header(hyper::header::HOST, target.address.to_string());
    for (name, value) in &target.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let request = request.body(Empty::<Bytes>::new()).map_err(|e| e.to_string())?;
    sender.ready().await.map_err(|e| e.to_string())?;
    let response = sender.send_request(request).await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok((status, body))
}

async fn connect(address: SocketAddr) -> Result<http1::SendRequest<Empty<Bytes>>, String> {
    let stream = tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(address))
        .await
        .map_err(|_| "connect timed out".to_owned())?
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

async fn connection_loop(target: Target, measure_from: Instant, end: Instant) -> Tally {
    let mut tally = Tally::default();
    let in_window = |at: Instant| at >= measure_from && at <= end;
    while Instant::now() < end {
        let mut sender = match connect(target.address).await {
            Ok(sender) => sender,
            Err(_) => {
                if in_window(Instant::now()) {
                    tally.errors += 1;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        while Instant::now() < end {
            let began = Instant::now();
            let outcome = tokio::time::timeout_at((end + GRACE).into(), get(&mut sender, &target)).await;
            let done = Instant::now();
            match outcome {
                Ok(Ok((200, body))) => {
                    if in_window(done) {
                        tally.latencies.push(done - began);
                        tally.body_bytes = body.len();
                    }
                }
                Ok(Ok(_)) => {
                    if in_window(done) {
                        tally.errors += 1;
                    }
                }
                Ok(Err(_)) | Err(_) => {
                    if in_window(done) {
                        tally.errors += 1;
                    }
                    break; // reconnect
                }
            }
        }
    }
    tally
}

/// Runs the load on a runtime of its own and returns the outcome.
pub fn run(target: &Target, settings: Settings) -> std::io::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(settings.threads.max(1)).enable_all().build()?;
    let outcome = runtime.block_on(async {
        let started = Instant::now();
        let measure_from = started + settings.warmup;
        let end = measure_from + settings.duration;
        let tasks: Vec<_> =
            (0..settings.connections).map(|_| tokio::spawn(connection_loop(target.clone(), measure_from, end))).collect();
        let mut outcome = Outcome { window: settings.duration, ..Outcome::default() };
        for task in tasks {
            let tally = task.await.unwrap_or_default();
            outcome.latencies.extend(tally.latencies);
            outcome.errors += tally.errors;
            if tally.body_bytes > 0 {
                outcome.body_bytes = tally.body_bytes;
            }
        }
        outcome.latencies.sort_unstable();
        outcome
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(outcome)
}

/// One request on a fresh connection: status and body (to check a server
/// and to capture the bytes the ceiling serves).
pub fn fetch_once(target: &Target) -> Result<(u16, Bytes), String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let work = async {
            let mut sender = connect(target.address).await?;
            get(&mut sender, target).await
        };
        tokio::time::timeout(Duration::from_secs(10), work).await.map_err(|_| "timed out".to_owned())?
    })
}
