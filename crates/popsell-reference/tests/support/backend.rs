//! The backends every store test runs against, as one test matrix:
//! [`backend_tests!`](crate::backend_tests) turns each `async fn
//! name(backend: Backend)` into the tests `sqlite::name` and
//! `postgres::name`.
//!
//! PostgreSQL is the database of `DATABASE_URL`, else a throwaway local
//! server started once for the test binary (gone when it exits); every
//! store gets a schema of its own there. When there is neither (or the
//! crate is built without its `postgres` feature), a PostgreSQL test passes
//! after saying on stderr, which the test harness does not capture, that it
//! was skipped and why: never silently. Under CI, a build with the feature
//! and no database fails.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use popsell_reference::seed::Dataset;
use popsell_reference::store::{AnyStore, BUCKET_ROWS, SqliteStore, StoreWriter};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A store, and what keeps its database alive as long as it.
pub struct TestStore {
    pub store: AnyStore,
    _database: Option<PostgresDatabase>,
}

impl std::ops::Deref for TestStore {
    type Target = AnyStore;
    fn deref(&self) -> &AnyStore {
        &self.store
    }
}

impl Backend {
    pub const ALL: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

    /// An empty store (buckets of `bucket_rows` rows), or `None` when this
    /// backend cannot run here (said on stderr).
    pub async fn empty_store(self, bucket_rows: i64) -> Option<TestStore> {
        match self {
            Backend::Sqlite => {
                let store = SqliteStore::open_with(None, bucket_rows).expect("an in-memory SQLite database");
                Some(TestStore { store: store.into(), _database: None })
            }
            Backend::Postgres => postgres_store(bucket_rows).await,
        }
    }

    /// A store holding `data` (buckets of the default size), or `None`.
    pub async fn seeded(self, data: &Dataset) -> Option<TestStore> {
        let store = self.empty_store(BUCKET_ROWS).await?;
        assert!(store.seed(data.clone()).await.expect("seeding"), "a new store is empty");
        Some(store)
    }
}

/// Runs `future` on a runtime shared by the synchronous tests (a store
/// made on it keeps its connections there between calls).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().expect("a tokio runtime")).block_on(future)
}

/// Says on the test process's stderr (not captured) that the running test
/// is skipped, once per test. Under CI (`CI` set, not `false`), a build
/// that asked for PostgreSQL (the `postgres` feature) and could not have a
/// database fails instead: a green run there means the tests ran.
fn skip(reason: &str) {
    if cfg!(feature = "postgres") && under_ci() {
        panic!("PostgreSQL was asked for (feature `postgres`) under CI, and {reason}: set DATABASE_URL or install PostgreSQL");
    }
    static SAID: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test").to_owned();
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said.contains(&test) {
        let _ = writeln!(std::io::stderr(), "SKIPPED {test} on PostgreSQL: {reason}");
        said.push(test);
    }
}

/// A PostgreSQL database of one's own (a schema, dropped with this), for
/// the tests that start servers on it.
pub struct PostgresDatabase {
    /// Its URL (with the schema on the search path).
    pub url: String,
    #[cfg(feature = "postgres")]
    _schema: popsell_reference::local_postgres::ScratchSchema,
}

/// Whether this runs under CI: `CI` set to anything but `false` or empty,
/// as GitHub Actions, GitLab and this repository's `.ci/run` set it.
fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// An empty PostgreSQL database, or `None` when there is none here (said on stderr).
#[cfg(not(feature = "postgres"))]
pub async fn postgres_database() -> Option<PostgresDatabase> {
    skip("built without the `postgres` feature (cargo test -p popsell-reference --features postgres)");
    None
}

/// An empty PostgreSQL database, or `None` when there is none here (said on stderr).
#[cfg(feature = "postgres")]
pub async fn postgres_database() -> Option<PostgresDatabase> {
    use popsell_reference::local_postgres::ScratchSchema;

    let url = match database_url() {
        Ok(url) => url,
        Err(reason) => {
            skip(&format!("no PostgreSQL: DATABASE_URL is unset and {reason}"));
            return None;
        }
    };
    let schema = ScratchSchema::create(url).await.unwrap_or_else(|e| panic!("a schema in {url}: {e}"));
    Some(PostgresDatabase { url: schema.url().to_owned(), _schema: schema })
}

#[cfg(not(feature = "postgres"))]
async fn postgres_store(_bucket_rows: i64) -> Option<TestStore> {
    // There is none; this says why.
    postgres_database().await.and(None)
}

#[cfg(feature = "postgres")]
async fn postgres_store(bucket_rows: i64) -> Option<TestStore> {
    use popsell_reference::store::PostgresStore;

    let database = postgres_database().await?;
    let store = PostgresStore::connect_with(&database.url, bucket_rows, popsell_reference::store::DEFAULT_QUERY_BUDGET).await.expect("a pool on the schema");
    store.migrate().await.expect("the migrations");
    Some(TestStore { store: store.into(), _database: Some(database) })
}

/// `DATABASE_URL`, else the URL of a throwaway server started once for this
/// process (never dropped: it stops when the process exits).
#[cfg(feature = "postgres")]
fn database_url() -> Result<&'static str, &'static str> {
    use popsell_reference::local_postgres::LocalPostgres;

    static FROM_ENV: OnceLock<Option<String>> = OnceLock::new();
    static LOCAL: OnceLock<Result<LocalPostgres, String>> = OnceLock::new();
    if let Some(url) = FROM_ENV.get_or_init(|| std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty())) {
        return Ok(url);
    }
    match LOCAL.get_or_init(LocalPostgres::start) {
        Ok(server) => Ok(server.url()),
        Err(reason) => Err(reason),
    }
}

/// Each `async fn name(backend: Backend)` listed, as the tests
/// `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! backend_tests {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($crate::support::backend::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($crate::support::backend::Backend::Postgres).await
                }
            )*
        }
    };
}
