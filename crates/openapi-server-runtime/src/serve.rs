//! Serving a router on the open network: hyper's HTTP/1 connections with a
//! header-read timer (slow or idle sockets are closed), header and URI
//! limits, a connection cap and an in-flight cap that shed with 503 and
//! `Retry-After`, a request timeout, and a graceful stop that drains
//! in-flight requests within a deadline. Every answer of the transport is
//! in the API's error format, hyper's own parse errors included (their
//! bare heads are rewritten on the way out); only bytes that are not HTTP
//! at all get a bare 400 from the parser.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::rejection::{ErrorFormat, Reason, Rejection};

/// The limits of the transport. The defaults are those of a public API
/// behind nothing: nginx's header sizes, a 10 s header timer.
#[derive(Clone, Debug)]
pub struct Transport {
    /// Time to receive a request's whole head; also how long an idle
    /// keep-alive connection is kept.
    pub header_read_timeout: Duration,
    /// Time a request may take once its head is read (503 after it).
    pub request_timeout: Duration,
    /// Bytes of a request head (431 over it).
    pub max_header_bytes: usize,
    /// Headers of a request (431 over it).
    pub max_headers: usize,
    /// Bytes of a request target (414 over it).
    pub max_uri_bytes: usize,
    /// Open connections; more are answered 503 and closed.
    pub max_connections: usize,
    /// Requests being handled at once; more are answered 503.
    pub max_in_flight: usize,
    /// How long a stop waits for in-flight requests.
    pub shutdown_timeout: Duration,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_header_bytes: 16 * 1024,
            max_headers: 100,
            max_uri_bytes: 8 * 1024,
            max_connections: 1024,
            max_in_flight: 512,
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

/// Writes the body of a rejection.
type WriteBody = Arc<dyn Fn(&Rejection) -> Vec<u8> + Send + Sync>;

/// The API's error bodies for the transport's own answers.
#[derive(Clone)]
pub struct ErrorBodies {
    content_type: &'static str,
    write: WriteBody,
}

impl ErrorBodies {
    /// The bodies of the error format `F`, sent as `content_type`.
    pub fn of<F: ErrorFormat>(content_type: &'static str) -> Self
    where
        F::Body: Serialize,
    {
        ErrorBodies { content_type, write: Arc::new(|rejection| serde_json::to_vec(&F::body(rejection)).unwrap_or_default()) }
    }

    /// Bodies written by `write` (for a service's own `rejection_body`).
    pub fn from_fn(content_type: &'static str, write: impl Fn(&Rejection) -> Vec<u8> + Send + Sync + 'static) -> Self {
        ErrorBodies { content_type, write: Arc::new(write) }
    }

    /// The response of a rejection; a 503 says when to retry.
    pub fn response(&self, rejection: &Rejection) -> Response {
        let mut response = (rejection.status, [(header::CONTENT_TYPE, self.content_type)], (self.write)(rejection)).into_response();
        if rejection.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }

    /// The whole HTTP/1.1 response of a rejection, closing the connection.
    fn raw(&self, rejection: &Rejection) -> Vec<u8> {
        let body = (self.write)(rejection);
        let status = rejection.status;
        let retry = if status == StatusCode::SERVICE_UNAVAILABLE { "retry-after: 1\r\n" } else { "" };
        let mut raw = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\n{retry}connection: close\r\n\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            self.content_type,
            body.len()
        )
        .into_bytes();
        raw.extend(body);
        raw
    }
}

/// Serves `app` on `listener` until `stop` completes, then stops
/// accepting and lets in-flight requests finish within the shutdown
/// timeout. `true`: every connection closed in time.
pub async fn serve(listener: TcpListener, app: Router, transport: Transport, errors: ErrorBodies, stop: impl Future<Output = ()>) -> bool {
    let guard = Guard { transport: transport.clone(), errors: errors.clone(), in_flight: Arc::new(Semaphore::new(transport.max_in_flight)) };
    let app = app.layer(axum::middleware::from_fn_with_state(Arc::new(guard), guard_request));
    let connections = Arc::new(Semaphore::new(transport.max_connections));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            let refusal = errors.raw(&Rejection::new(StatusCode::SERVICE_UNAVAILABLE, Reason::Overloaded));
            tokio::spawn(async move {
                let mut stream = stream;
                let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&refusal)).await;
            });
            continue;
        };
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(transport.header_read_timeout)
            .max_headers(transport.max_headers)
            .max_header_size(transport.max_header_bytes)
            .max_buf_size(transport.max_header_bytes.max(8192) + transport.max_uri_bytes);
        let io = TokioIo::new(ParseErrorsInTheApiFormat::new(stream, errors.clone()));
        // The peer's address, for trusting proxies (`ConnectInfo`).
        let service = tower::ServiceExt::map_request(app.clone(), move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            request
        });
        let connection = graceful.watch(http.serve_connection(io, TowerToHyperService::new(service)));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    let open = graceful.count();
    tracing::info!(open, "stopping: no new connections; waiting for in-flight requests");
    tokio::select! {
        () = graceful.shutdown() => {
            tracing::info!("stopped: every request finished");
            true
        }
        () = tokio::time::sleep(transport.shutdown_timeout) => {
            tracing::warn!(timeout = ?transport.shutdown_timeout, "stopped at the deadline with requests still open");
            false
        }
    }
}

/// The first and the second stop signal (SIGINT or SIGTERM): the first
/// stops the server gracefully, the second should end the process.
pub async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => tracing::info!("SIGINT"),
        () = terminate => tracing::info!("SIGTERM"),
    }
}

struct Guard {
    transport: Transport,
    errors: ErrorBodies,
    in_flight: Arc<Semaphore>,
}

/// URI length, the in-flight cap and the request timeout, before the API.
async fn guard_request(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let refuse = |status, reason| guard.errors.response(&Rejection::new(status, reason));
    let target = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > guard.transport.max_uri_bytes {
        return refuse(StatusCode::URI_TOO_LONG, Reason::UriTooLong);
    }
    let Ok(_turn) = guard.in_flight.clone().try_acquire_owned() else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, Reason::Overloaded);
    };
    match tokio::time::timeout(guard.transport.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE, Reason::TimedOut),
    }
}

/// The connection's socket, with hyper's own answers to requests it cannot
/// parse (a bare 400, 414 or 431 head without body) replaced by the same
/// status in the API's error format.
struct ParseErrorsInTheApiFormat {
    stream: TcpStream,
    errors: ErrorBodies,
    /// A replacement still to be written.
    pending: Vec<u8>,
}

impl ParseErrorsInTheApiFormat {
    fn new(stream: TcpStream, errors: ErrorBodies) -> Self {
        ParseErrorsInTheApiFormat { stream, errors, pending: Vec::new() }
    }

    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let written = std::task::ready!(Pin::new(&mut self.stream).poll_write(cx, &self.pending))?;
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..written);
        }
        Poll::Ready(Ok(()))
    }

    /// The rejection for a head hyper wrote on its own: a 400, 414 or 431
    /// with `content-length: 0` and no `content-type` (the API's answers
    /// always have one).
    fn parser_answer(bytes: &[u8]) -> Option<Rejection> {
        // Every response head goes through here: look at its status first.
        let status = bytes.get(9..12)?;
        if !(bytes.starts_with(b"HTTP/1.") && matches!(status, b"400" | b"414" | b"431")) {
            return None;
        }
        let head = bytes.get(..bytes.windows(4).position(|w| w == b"\r\n\r\n")?)?;
        let head = std::str::from_utf8(head).ok()?.to_ascii_lowercase();
        let status = head.strip_prefix("http/1.1 ").or_else(|| head.strip_prefix("http/1.0 "))?.get(..3)?;
        if !head.contains("\r\ncontent-length: 0") || head.contains("\r\ncontent-type:") {
            return None;
        }
        let (status, reason) = match status {
            "400" => (StatusCode::BAD_REQUEST, Reason::Malformed),
            "414" => (StatusCode::URI_TOO_LONG, Reason::UriTooLong),
            "431" => (StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, Reason::HeadersTooLarge),
            _ => return None,
        };
        Some(Rejection::new(status, reason))
    }
}

impl AsyncRead for ParseErrorsInTheApiFormat {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ParseErrorsInTheApiFormat {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, bytes: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        if let Some(rejection) = Self::parser_answer(bytes) {
            this.pending = this.errors.raw(&rejection);
            // hyper's head counts as written; the replacement goes out instead.
            let _ = this.poll_pending(cx)?;
            return Poll::Ready(Ok(bytes.len()));
        }
        Pin::new(&mut this.stream).poll_write(cx, bytes)
    }

    /// hyper writes a response's head and body chunks in one call when the
    /// socket takes vectored writes; without this it copies every body
    /// into its own buffer first (a memmove of each page).
    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        // hyper's own answers are a head alone, in the first slice.
        if let Some(rejection) = bufs.iter().find(|b| !b.is_empty()).and_then(|head| Self::parser_answer(head)) {
            this.pending = this.errors.raw(&rejection);
            let _ = this.poll_pending(cx)?;
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        std::task::ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}
