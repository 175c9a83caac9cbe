//! `cargo run -p popsell-reference`: seeds a database and serves the API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use popsell_reference::seed::{DEMO_TOKENS, generate};
use popsell_reference::store::SqliteStore;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(about = "Reference server of the Popsell API on embedded SQLite, with demo data")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// SQLite file; seeded when it holds no chatroom. Default: in memory,
    /// seeded at every start.
    #[arg(long)]
    db: Option<PathBuf>,
    /// How many chatrooms the demo data holds.
    #[arg(long, default_value_t = 20_000)]
    chatrooms: usize,
    /// Seed of the demo data (same seed and size, same data).
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))).init();
    let args = Args::parse();
    let store = SqliteStore::open(args.db.as_deref())?;
    if store.chatroom_count()? == 0 {
        let started = std::time::Instant::now();
        store.load(&generate(args.chatrooms, args.seed))?;
        tracing::info!(chatrooms = args.chatrooms, seed = args.seed, elapsed = ?started.elapsed(), "demo data loaded");
    }
    let listener = tokio::net::TcpListener::bind(args.bind).await?;
    let address = listener.local_addr()?;
    println!("Popsell reference server on http://{address}  (docs: http://{address}/docs)");
    println!("Demo bearer tokens:");
    for t in &DEMO_TOKENS {
        println!("  {:<12} brand {}  {}", t.token, t.brand, t.who);
    }
    println!(
        "Try:\n  curl -s -H 'Authorization: Bearer demo-alice' -H 'X-Popsell-Brand: 1' \
         'http://{address}/api/v2/chat/ambassadors/1/chatrooms?per_page=3&filter%5Barchived%5D=0'"
    );
    let app = popsell_reference::app(Arc::new(store));
    openapi_server_runtime::reexports::axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
        .await?;
    Ok(())
}
