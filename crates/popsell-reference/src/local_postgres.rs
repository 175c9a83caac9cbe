//! PostgreSQL for trying the server, the tests and the benchmarks (feature
//! `postgres`): a throwaway local server ([`LocalPostgres`]), and a schema
//! of one's own in a shared database ([`ScratchSchema`]).

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, Stdio};

use tokio_postgres::NoTls;

use crate::store::StoreError;

/// `scripts/throwaway-postgres.sh`: initdb and pg_ctl in a temporary
/// directory; it stops the server and removes everything when its standard
/// input closes.
const SCRIPT: &str = include_str!("../scripts/throwaway-postgres.sh");

/// A throwaway PostgreSQL server on a free loopback port, stopped and
/// removed when this is dropped, or when the process exits however it ends
/// (the script holds the read end of a pipe this process writes to).
pub struct LocalPostgres {
    child: Child,
    /// Closed on drop: the script's signal to stop.
    stdin: Option<ChildStdin>,
    url: String,
}

impl LocalPostgres {
    /// Starts one (a few seconds: initdb, then the server). Needs
    /// PostgreSQL's programs (`initdb`, `pg_ctl`: on `PATH` or Debian's
    /// `/usr/lib/postgresql/*/bin`), and, as root, a `postgres` user to run
    /// them as.
    pub fn start() -> Result<LocalPostgres, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        // The script in the environment, not on the command line (which `ps` shows).
        let mut child = Command::new("bash")
            .args(["-c", "eval \"$POPSELL_THROWAWAY_POSTGRES\"", "throwaway-postgres", &port.to_string()])
            .env("POPSELL_THROWAWAY_POSTGRES", SCRIPT)
            // A group of its own: a Ctrl-C for this process reaches neither
            // the script nor the server; the closed pipe stops them.
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run bash: {e}"))?;
        let stdin = child.stdin.take();
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
        }
        let url = line.trim().to_owned();
        if !url.starts_with("postgres://") {
            drop(stdin);
            let mut reason = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = stderr.read_to_string(&mut reason);
            }
            let _ = child.wait();
            return Err(format!("a throwaway PostgreSQL could not be started: {}", reason.trim()));
        }
        Ok(LocalPostgres { child, stdin, url })
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for LocalPostgres {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// A schema of its own in a database, dropped (with everything in it) when
/// this is: so tests and benchmarks share one database without seeing each
/// other's tables. Its URL sets the connections' `search_path` to it.
pub struct ScratchSchema {
    database_url: String,
    name: String,
    url: String,
}

impl ScratchSchema {
    /// Creates `popsell_scratch_<pid>_<n>` in the database of `database_url`.
    pub async fn create(database_url: &str) -> Result<ScratchSchema, StoreError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!("popsell_scratch_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        execute(database_url, &format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}")).await?;
        let url = with_search_path(database_url, &name);
        Ok(ScratchSchema { database_url: database_url.to_owned(), name, url })
    }

    /// The database URL with this schema first on the search path.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchSchema {
    fn drop(&mut self) {
        let (url, sql) = (self.database_url.clone(), format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        // On a thread with a runtime of its own: drop may run inside or outside one.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(execute(&url, &sql)).map_err(|e| e.to_string())
        })
        .join();
        if let Ok(Err(e)) = dropped {
            tracing::warn!(schema = %self.name, error = %e, "could not drop a scratch schema");
        }
    }
}

/// Runs `sql` on a connection of its own.
async fn execute(database_url: &str, sql: &str) -> Result<(), StoreError> {
    let (client, connection) =
        tokio_postgres::connect(database_url, NoTls).await.map_err(|e| StoreError::Failed(format!("cannot connect to PostgreSQL: {e}")))?;
    let driver = tokio::spawn(connection);
    let done = client.batch_execute(sql).await.map_err(|e| StoreError::Failed(e.to_string()));
    drop(client);
    let _ = driver.await;
    done
}

/// `database_url` with `search_path` set to `schema` (URL or `key=value` form).
fn with_search_path(database_url: &str, schema: &str) -> String {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        let separator = if database_url.contains('?') { '&' } else { '?' };
        format!("{database_url}{separator}options=-c%20search_path%3D{schema}")
    } else {
        format!("{database_url} options='-c search_path={schema}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_path_goes_into_either_form_of_url() {
        assert_eq!(with_search_path("postgres://u@h/db", "s1"), "postgres://u@h/db?options=-c%20search_path%3Ds1");
        assert_eq!(with_search_path("postgres://u@h/db?port=5", "s1"), "postgres://u@h/db?port=5&options=-c%20search_path%3Ds1");
        assert_eq!(with_search_path("host=h dbname=db", "s1"), "host=h dbname=db options='-c search_path=s1'");
    }
}
