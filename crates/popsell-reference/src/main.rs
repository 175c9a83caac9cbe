//! `cargo run -p popsell-reference`: opens a database (SQLite by default,
//! PostgreSQL with `--database-url` and the `postgres` feature), seeds it
//! when it holds no chatroom, and serves the API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use std::time::Duration;

use clap::Parser;
use openapi_server_runtime::request_url::PublicUrl;
use openapi_server_runtime::{Transport, serve, stop_signal};
use popsell_reference::seed::{DEMO_TOKENS, generate};
use popsell_reference::store::{AnyStore, SqliteStore, StoreWriter};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(about = "Reference server of the Popsell API on SQLite (or PostgreSQL), with demo data")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// SQLite file; seeded when it holds no ambassador. Default: in memory,
    /// seeded at every start.
    #[arg(long)]
    db: Option<PathBuf>,
    /// How many chatrooms the demo data holds (at most 10,000,000: the
    /// data is built in memory before it is written).
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(..=10_000_000))]
    chatrooms: u32,
    /// Seed of the demo data (same seed and size, same data).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The origin page links start with (scheme://host[:port]); default:
    /// http:// and the bound address. The request's `Host` is never used.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// A proxy whose X-Forwarded-Proto and X-Forwarded-Host are believed
    /// (repeatable).
    #[arg(long, value_name = "IP")]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// Milliseconds one query may run (then it is interrupted and the
    /// request answered 503).
    #[arg(long, default_value_t = 2_000, value_name = "MS")]
    query_timeout: u64,
    /// MiB of answers the page cache keeps (0: none; `ETag` and 304 are
    /// answered still). A write through the store invalidates them all.
    #[arg(long, default_value_t = 64, value_name = "MIB", value_parser = clap::value_parser!(u64).range(..=65_536))]
    page_cache_mb: u64,
    #[command(flatten)]
    transport: TransportArgs,
    #[cfg(feature = "postgres")]
    #[command(flatten)]
    postgres: postgres::PostgresArgs,
}

/// The transport's limits (see `openapi_server_runtime::Transport`).
#[derive(clap::Args)]
struct TransportArgs {
    /// Seconds to receive a request's head; also the idle keep-alive time.
    #[arg(long, default_value_t = 10)]
    header_timeout: u64,
    /// Seconds a request may take once its head is read (then 503).
    #[arg(long, default_value_t = 30)]
    request_timeout: u64,
    /// Bytes of a request's head (then 431).
    #[arg(long, default_value_t = 16 * 1024)]
    max_header_bytes: usize,
    /// Headers of a request (then 431).
    #[arg(long, default_value_t = 100)]
    max_headers: usize,
    /// Bytes of a request target (then 414).
    #[arg(long, default_value_t = 8 * 1024)]
    max_uri_bytes: usize,
    /// Open connections (then 503 and close).
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Requests handled at once (then 503 with Retry-After).
    #[arg(long, default_value_t = 512)]
    max_in_flight: usize,
    /// Seconds a stop waits for in-flight requests.
    #[arg(long, default_value_t = 30)]
    shutdown_timeout: u64,
}

impl TransportArgs {
    fn transport(&self) -> Transport {
        Transport {
            header_read_timeout: Duration::from_secs(self.header_timeout),
            request_timeout: Duration::from_secs(self.request_timeout),
            max_header_bytes: self.max_header_bytes,
            max_headers: self.max_headers,
            max_uri_bytes: self.max_uri_bytes,
            max_connections: self.max_connections,
            max_in_flight: self.max_in_flight,
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout),
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))).init();
    let args = Args::parse();
    let query_budget = std::time::Duration::from_millis(args.query_timeout.max(1));
    let sqlite = |path: Option<&std::path::Path>| -> Result<AnyStore, Box<dyn std::error::Error>> {
        let store = SqliteStore::open(path)?;
        store.set_query_budget(query_budget);
        Ok(store.into())
    };
    #[cfg(feature = "postgres")]
    let (store, _throwaway) = postgres::open(&args.postgres, args.db.is_some(), query_budget).await?;
    #[cfg(feature = "postgres")]
    let store = match store {
        Some(store) => store,
        None => sqlite(args.db.as_deref())?,
    };
    #[cfg(not(feature = "postgres"))]
    let store = {
        if std::env::var_os("DATABASE_URL").is_some() {
            tracing::warn!("DATABASE_URL is set, but this build has no PostgreSQL support (cargo run --features postgres): serving SQLite");
        }
        sqlite(args.db.as_deref())?
    };
    if store.is_empty().await? {
        let started = std::time::Instant::now();
        // Several instances may start on one empty database: one seeds, the others find it seeded.
        if store.seed(generate(args.chatrooms as usize, args.seed)).await? {
            tracing::info!(chatrooms = args.chatrooms, seed = args.seed, elapsed = ?started.elapsed(), backend = store.backend(), "demo data loaded");
        }
    }
    let listener = tokio::net::TcpListener::bind(args.bind).await?;
    let address = listener.local_addr()?;
    println!("Popsell reference server on http://{address}  (docs: http://{address}/docs, {})", store.backend());
    println!("Demo bearer tokens:");
    for t in &DEMO_TOKENS {
        println!("  {:<12} brand {}  {}", t.token, t.brand, t.who);
    }
    println!(
        "Try:\n  curl -s -H 'Authorization: Bearer demo-alice' -H 'X-Popsell-Brand: 1' \
         'http://{address}/api/v2/chat/ambassadors/1/chatrooms?per_page=3&filter%5Barchived%5D=0'"
    );
    let public_url = match &args.public_url {
        Some(url) => PublicUrl::new(url)?,
        None => PublicUrl::of_bind(address),
    }
    .trusting(args.trusted_proxy.clone());
    let options = popsell_reference::AppOptions { page_cache_bytes: usize::try_from(args.page_cache_mb << 20).unwrap_or(usize::MAX) };
    let app = popsell_reference::app_with(Arc::new(store), public_url, options);
    // The first SIGINT or SIGTERM stops gracefully; a second one exits now.
    let (first, stopping) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        stop_signal().await;
        let _ = first.send(());
        stop_signal().await;
        tracing::warn!("second stop signal: exiting now");
        std::process::exit(130);
    });
    let drained = serve(listener, app, args.transport.transport(), popsell_reference::error_bodies(), async {
        let _ = stopping.await;
    })
    .await;
    if !drained {
        std::process::exit(1);
    }
    Ok(())
}

/// The PostgreSQL options and how they open the store.
#[cfg(feature = "postgres")]
mod postgres {
    use popsell_reference::local_postgres::LocalPostgres;
    use popsell_reference::store::{AnyStore, PostgresStore};

    #[derive(clap::Args)]
    pub struct PostgresArgs {
        /// PostgreSQL instead of SQLite: `postgres://user[:password]@host[:port]/database`
        /// (default: the DATABASE_URL environment variable). Plain TCP or a
        /// Unix socket (`?host=/run/postgresql`), no TLS.
        #[arg(long, conflicts_with = "db")]
        database_url: Option<String>,
        /// Apply the schema's migrations first (missing ones only; several
        /// instances may do it at once). Without it, a database that is not
        /// at the latest version is refused.
        #[arg(long)]
        migrate: bool,
        /// Start a throwaway PostgreSQL for this run (initdb and pg_ctl in a
        /// temporary directory, on a free loopback port, migrated and
        /// seeded), removed when the server stops.
        #[arg(long, conflicts_with_all = ["database_url", "db"])]
        temp_postgres: bool,
    }

    /// The PostgreSQL store the options ask for (`None`: SQLite), and the
    /// throwaway server to keep running while it is used.
    pub async fn open(
        args: &PostgresArgs,
        sqlite_file: bool,
        query_budget: std::time::Duration,
    ) -> Result<(Option<AnyStore>, Option<LocalPostgres>), Box<dyn std::error::Error>> {
        let throwaway = if args.temp_postgres { Some(LocalPostgres::start()?) } else { None };
        let from_env = if sqlite_file { None } else { std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) };
        let Some(url) = throwaway.as_ref().map(|t| t.url().to_owned()).or_else(|| args.database_url.clone()).or(from_env) else {
            return Ok((None, None));
        };
        if let Some(server) = &throwaway {
            println!("Throwaway PostgreSQL at {} (removed at exit)", server.url());
        }
        let store = PostgresStore::connect_with(&url, popsell_reference::store::BUCKET_ROWS, query_budget).await?;
        if args.migrate || throwaway.is_some() {
            for applied in store.migrate().await? {
                tracing::info!(migration = %applied, "migration applied");
            }
        } else {
            store.check_schema().await?;
        }
        Ok((Some(store.into()), throwaway))
    }
}
