//! The server binary on PostgreSQL: two instances started at once on one
//! empty database (one migrates and seeds, the other finds it done) serve
//! the banner's curl line with the same bytes as the SQLite server for the
//! same seed; and when one is killed under load, the other answers every
//! request.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use support::backend::postgres_database;

/// The demo data of every instance here.
const DEMO: [&str; 4] = ["--chatrooms", "2000", "--seed", "42"];

/// A server process on a free port, killed on drop.
struct Instance {
    child: Child,
    address: String,
    /// The banner's `curl` line: its headers and URL path.
    curl: Curl,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Curl {
    headers: Vec<String>,
    target: String,
}

impl Instance {
    /// Starts the binary with `args` and reads its banner.
    fn start(args: &[&str], database_url: Option<&str>) -> Instance {
        let mut command = Command::new(env!("CARGO_BIN_EXE_popsell-reference"));
        // One public URL for every instance: their pages' links are the same bytes.
        command.args(["--bind", "127.0.0.1:0", "--public-url", "http://reference.test"]).args(args).env("RUST_LOG", "warn");
        command.env_remove("DATABASE_URL");
        if let Some(url) = database_url {
            command.args(["--database-url", url]);
        }
        let mut child = command.stdout(Stdio::piped()).spawn().expect("the server binary");
        let mut lines = BufReader::new(child.stdout.take().expect("its stdout")).lines();
        let mut address = String::new();
        let mut curl = Curl::default();
        for line in lines.by_ref() {
            let line = line.expect("a banner line");
            if let Some(rest) = line.strip_prefix("Popsell reference server on http://") {
                address = rest.split_whitespace().next().unwrap_or_default().to_owned();
            }
            if line.trim_start().starts_with("curl ") {
                curl = parse_curl(&line, &address);
                break;
            }
        }
        assert!(!address.is_empty() && !curl.target.is_empty(), "no banner from {args:?}");
        // Keep reading its output so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Instance { child, address, curl }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `curl -s -H 'A: b' -H 'C: d' 'http://host/path?query'`: the headers and the path with its query.
fn parse_curl(line: &str, address: &str) -> Curl {
    let quoted: Vec<&str> = line.split('\'').skip(1).step_by(2).collect();
    let (url, headers) = quoted.split_last().expect("a quoted URL");
    let target = url.strip_prefix(&format!("http://{address}")).expect("the URL of the server").to_owned();
    Curl { headers: headers.iter().map(|h| h.to_string()).collect(), target }
}

/// A GET over a new connection (HTTP/1.1, `Connection: close`), with a fixed
/// `Host` (page links repeat it): the status and the body.
async fn get(address: &str, curl: &Curl) -> Result<(u16, Vec<u8>), String> {
    let mut stream = tokio::net::TcpStream::connect(address).await.map_err(|e| e.to_string())?;
    let headers: String = curl.headers.iter().map(|h| format!("{h}\r\n")).collect();
    let request = format!("GET {} HTTP/1.1\r\nHost: reference.test\r\n{headers}Connection: close\r\n\r\n", curl.target);
    stream.write_all(request.as_bytes()).await.map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.map_err(|e| e.to_string())?;
    let end = response.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no end of headers")?;
    let head = String::from_utf8_lossy(&response[..end]).to_lowercase();
    if head.contains("transfer-encoding: chunked") {
        return Err("a chunked body (not read here)".into());
    }
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    Ok((status, response[end + 4..].to_vec()))
}

/// `GET`s of `curl` on `address` from 8 clients until `until`: (answered 200, failed).
async fn load(address: String, curl: Arc<Curl>, until: Instant) -> (u64, u64) {
    let (ok, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (address, curl, ok, failed) = (address.clone(), curl.clone(), ok.clone(), failed.clone());
            tokio::spawn(async move {
                while Instant::now() < until {
                    match get(&address, &curl).await {
                        Ok((200, _)) => ok.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();
    for client in clients {
        let _ = client.await;
    }
    (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_database_and_survive_each_other() {
    let Some(database) = postgres_database().await else { return };
    let url = database.url.clone();
    // Both at once, on the empty database: one migrates and seeds, the other waits for it.
    let (first, second) = tokio::task::spawn_blocking(move || {
        let other = url.clone();
        let first = std::thread::spawn(move || Instance::start(&[&DEMO[..], &["--migrate"]].concat(), Some(&url)));
        let second = Instance::start(&[&DEMO[..], &["--migrate"]].concat(), Some(&other));
        (first.join().expect("the first instance"), second)
    })
    .await
    .unwrap();
    let sqlite = tokio::task::spawn_blocking(|| Instance::start(&DEMO, None)).await.unwrap();
    assert_eq!(first.curl, sqlite.curl, "the same banner");

    // The banner's curl line, and a deeper page: the same bytes from the three.
    let deeper = Curl {
        headers: sqlite.curl.headers.clone(),
        target: "/api/v2/chat/ambassadors/1/chatrooms?per_page=7&page=9&sort=last_action_date".into(),
    };
    for curl in [&sqlite.curl, &deeper] {
        let expected = get(&sqlite.address, curl).await.unwrap();
        assert_eq!(expected.0, 200, "{}", String::from_utf8_lossy(&expected.1));
        assert!(get(&first.address, curl).await.unwrap() == expected, "{}: the first PostgreSQL instance differs from SQLite", curl.target);
        assert!(get(&second.address, curl).await.unwrap() == expected, "{}: the second PostgreSQL instance differs from SQLite", curl.target);
    }

    // Both under load; the first is killed a second in; the second answers everything.
    let curl = Arc::new(sqlite.curl.clone());
    let until = Instant::now() + Duration::from_secs(3);
    let on_first = tokio::spawn(load(first.address.clone(), curl.clone(), until));
    let on_second = tokio::spawn(load(second.address.clone(), curl, until));
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut first = first;
    tokio::task::spawn_blocking(move || first.kill()).await.unwrap();
    let (first_ok, _) = on_first.await.unwrap();
    let (second_ok, second_failed) = on_second.await.unwrap();
    assert!(first_ok > 0, "the first instance was under load before it was killed");
    assert_eq!(second_failed, 0, "requests failed on the instance left running ({second_ok} answered)");
    assert!(second_ok > 50, "the instance left running kept answering: {second_ok}");
}

#[tokio::test]
async fn a_database_is_refused_until_migrated_and_seeded_once() {
    let Some(database) = postgres_database().await else { return };
    let url = database.url.clone();
    let refused = Command::new(env!("CARGO_BIN_EXE_popsell-reference"))
        .args(["--bind", "127.0.0.1:0", "--database-url", &url])
        .env_remove("DATABASE_URL")
        .output()
        .expect("the server binary");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("--migrate"), "an unmigrated database is refused, saying what to do: {said}");

    let (first, url) = tokio::task::spawn_blocking(move || (Instance::start(&[&DEMO[..], &["--migrate"]].concat(), Some(&url)), url)).await.unwrap();
    let before = get(&first.address, &first.curl).await.unwrap();
    drop(first);
    // Migrated: served without --migrate; seeded: not seeded again (another seed would be other data).
    let again = tokio::task::spawn_blocking(move || Instance::start(&["--chatrooms", "300", "--seed", "7"], Some(&url))).await.unwrap();
    assert!(get(&again.address, &again.curl).await.unwrap() == before, "the same data after a restart");
}
