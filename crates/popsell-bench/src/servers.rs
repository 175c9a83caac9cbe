//! The servers under load: the reference server and the ceiling, both
//! in-process on a runtime of their own, and Prism, a child process.

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use bytes::Bytes;
use popsell_reference::store::AnyStore;

use crate::load::{Target, fetch_once};

/// The Prism version compared with (5.14.2 is the last 5.14.x; 5.15+ needs Node 24).
pub const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5.14.2";
/// The route of the operation (axum syntax).
pub const ROUTE: &str = "/api/v2/chat/ambassadors/{ambassador}/chatrooms";

/// An in-process server; dropping it stops it.
pub struct InProcess {
    pub address: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for InProcess {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// Serves `router` with axum's plain `serve` (no limits, no timers).
pub fn serve(router: Router) -> std::io::Result<InProcess> {
    on_loopback(|listener| async move {
        let _ = axum::serve(listener, router).await;
    })
}

/// Runs `serving` on a listener bound to `127.0.0.1:0`, on a multi-threaded
/// runtime with one worker per core (tokio's default, as the reference
/// server's `main`).
fn on_loopback<F: std::future::Future<Output = ()> + Send + 'static>(
    serving: impl FnOnce(tokio::net::TcpListener) -> F + Send + 'static,
) -> std::io::Result<InProcess> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    runtime.spawn(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
        serving(listener).await;
    });
    Ok(InProcess { address, runtime: Some(runtime) })
}

/// The origin of the reference servers' page links: one for all, so that
/// their bytes can be compared (the links are not followed).
pub const PUBLIC_URL: &str = "http://reference.bench";

/// The reference server (`popsell_reference::app_with`) over `store`, with
/// `options`, behind the transport of its binary (`openapi_server_runtime::
/// serve` with the default limits: header timer, request timeout, caps).
/// Request logs off (no tracing subscriber), as `RUST_LOG=off`.
pub fn reference(store: AnyStore, options: popsell_reference::AppOptions) -> std::io::Result<InProcess> {
    let public_url = openapi_server_runtime::request_url::PublicUrl::new(PUBLIC_URL).map_err(std::io::Error::other)?;
    let app = popsell_reference::app_with(Arc::new(store), public_url, options);
    on_loopback(|listener| async move {
        let transport = openapi_server_runtime::Transport::default();
        openapi_server_runtime::serve(listener, app, transport, popsell_reference::error_bodies(), std::future::pending()).await;
    })
}

/// The ceiling: an axum route that answers every request with `body`, the
/// bytes the reference server answered, without storage or serialization.
pub fn ceiling(body: Bytes) -> std::io::Result<InProcess> {
    let router = Router::new().route(
        ROUTE,
        get(move || {
            let body = body.clone();
            async move { ([(CONTENT_TYPE, "application/json")], body) }
        }),
    );
    serve(router)
}

/// A running Prism mock; dropping it kills it.
pub struct Prism {
    pub address: SocketAddr,
    pub version: String,
    child: Child,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_bounded(command: &mut Command, limit: Duration) -> Result<(), String> {
    let what = format!("{:?}", command.get_program());
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().map_err(|e| format!("{what}: {e}"))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            if status.success() {
                return Ok(());
            }
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = pipe.read_to_string(&mut stderr);
            }
            // The first line that says what went wrong (npm ends with where its log is).
            let reason = stderr.lines().map(str::trim).find(|l| !l.is_empty() && !l.contains("complete log")).unwrap_or("").to_owned();
            return Err(format!("{what} failed ({status}): {reason}"));
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{what} took more than {} s", limit.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Installs Prism with npm into `dir` (once; later runs reuse it) and
/// starts `prism mock openapi.yaml` on a free loopback port, waiting until
/// it answers `probe` (path and headers of the benchmark request).
pub fn prism(root: &Path, dir: &Path, probe: &Target) -> Result<Prism, String> {
    let bin: PathBuf = dir.join("node_modules/.bin/prism");
    if !bin.exists() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the Prism directory: {e}"))?;
        run_bounded(
            Command::new("npm").args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"]).arg(dir).arg(PRISM_PACKAGE),
            Duration::from_secs(300),
        )
        .map_err(|e| format!("npm install {PRISM_PACKAGE}: {e}"))?;
    }
    let version = Command::new(&bin)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .map_err(|e| format!("prism --version: {e}"))?;
    let port = free_port().map_err(|e| e.to_string())?;
    let log = std::fs::File::create(dir.join("prism.log")).map_err(|e| e.to_string())?;
    let child = Command::new(&bin)
        .args(["mock", "openapi.yaml", "--host", "127.0.0.1", "--port", &port.to_string(), "--verboseLevel", "warn"])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("prism mock: {e}"))?;
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let mut prism = Prism { address, version, child };
    let probe = Target { address, ..probe.clone() };
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = prism.child.try_wait() {
            return Err(format!("prism mock exited ({status}) before answering"));
        }
        match fetch_once(&probe) {
            Ok((200, _)) => return Ok(prism),
            Ok((status, body)) if started.elapsed() > Duration::from_secs(5) => {
                return Err(format!("prism mock answers {status}: {}", String::from_utf8_lossy(&body[..body.len().min(200)])));
            }
            _ if started.elapsed() > Duration::from_secs(90) => return Err("prism mock did not answer within 90 s".into()),
            _ => std::thread::sleep(Duration::from_millis(250)),
        }
    }
}
