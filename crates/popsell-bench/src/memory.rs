//! The served binary's memory against the size of its SQLite file: the
//! release `popsell-reference` seeds a database file of N rooms (`--db`),
//! then is started again on that file, and its resident set is read from
//! `/proc` at rest and after a burst of load (which fills its page cache).
//! A child process, so that nothing of this benchmark's own heap counts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::{ALICE, BRAND, PER_PAGE};
use crate::load::{self, Settings, Target};

/// One size's figures, in bytes.
pub struct MemoryRow {
    pub rooms: usize,
    /// The database file and its WAL, after the seeding server stopped.
    pub file_bytes: u64,
    pub seeding: Duration,
    /// Peak resident set of the seeding run (the demo data is built in
    /// memory before it is written).
    pub seeding_peak_rss: u64,
    /// Serving the seeded file: at rest, and after the load burst.
    pub serving_rss: u64,
    pub serving_rss_after_load: u64,
    pub serving_peak_rss: u64,
}

impl MemoryRow {
    /// Resident set after load over the file's size.
    pub fn ratio(&self) -> f64 {
        self.serving_rss_after_load as f64 / self.file_bytes.max(1) as f64
    }
}

/// A served binary, killed on drop.
struct Served {
    child: Child,
    address: std::net::SocketAddr,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start(binary: &Path, db: &Path, rooms: usize) -> Result<Served, String> {
        let mut child = Command::new(binary)
            .args(["--bind", "127.0.0.1:0", "--chatrooms", &rooms.to_string(), "--db"])
            .arg(db)
            .env("RUST_LOG", "warn")
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        let address = loop {
            let line = lines.next().ok_or("the server exited before printing its address")?.map_err(|e| e.to_string())?;
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                break url.trim_start_matches("http://").parse().map_err(|e| format!("{url}: {e}"))?;
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Served { child, address })
    }

    /// `VmRSS` and `VmHWM` (peak) of `/proc/<pid>/status`, in bytes.
    fn rss(&self) -> Result<(u64, u64), String> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).map_err(|e| e.to_string())?;
        let field = |name: &str| {
            status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        };
        Ok((field("VmRSS:").ok_or("no VmRSS")? * 1024, field("VmHWM:").ok_or("no VmHWM")? * 1024))
    }
}

/// The release binary of the reference server, built if needed.
fn binary(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "-p", "popsell-reference", "--no-default-features"])
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build --release -p popsell-reference failed".into());
    }
    Ok(crate::codegen::target_dir(root).join("release/popsell-reference"))
}

/// Seeds and serves a file of each size in `sizes`.
pub fn run(root: &Path, sizes: &[usize], progress: impl Fn(&str)) -> Result<Vec<MemoryRow>, String> {
    let binary = binary(root)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for &rooms in sizes {
        progress(&format!("memory: seeding a file of {rooms} rooms"));
        let db = dir.path().join(format!("reference-{rooms}.sqlite"));
        let started = Instant::now();
        let seeding = Served::start(&binary, &db, rooms)?;
        let seeding_time = started.elapsed();
        let (_, seeding_peak_rss) = seeding.rss()?;
        drop(seeding);
        let file_bytes = std::fs::read_dir(dir.path())
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("reference-{rooms}.sqlite")))
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        progress(&format!("memory: serving the file of {rooms} rooms"));
        let serving = Served::start(&binary, &db, rooms)?;
        let (serving_rss, _) = serving.rss()?;
        let target = Target {
            address: serving.address,
            path: format!("/api/v2/chat/ambassadors/{ALICE}/chatrooms?per_page={PER_PAGE}"),
            headers: vec![("authorization".into(), "Bearer demo-alice".into()), ("x-popsell-brand".into(), BRAND.to_string())],
        };
        let settings = Settings { connections: 64, warmup: Duration::from_millis(200), duration: Duration::from_secs(2), threads: 1 };
        load::run(&target, settings).map_err(|e| e.to_string())?;
        let (serving_rss_after_load, serving_peak_rss) = serving.rss()?;
        rows.push(MemoryRow {
            rooms,
            file_bytes,
            seeding: seeding_time,
            seeding_peak_rss,
            serving_rss,
            serving_rss_after_load,
            serving_peak_rss,
        });
        let _ = std::fs::remove_file(&db);
    }
    Ok(rows)
}
