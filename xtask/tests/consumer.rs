//! A consumer crate outside the workspace (`crates/popsell-client/tests/
//! consumer-crate`, its own `[workspace]`, written from the README and the
//! docs only) builds against `popsell-client` by path and lists every room
//! of ambassador 1 from the reference server, in a `while let` and from a
//! stream returned by a function that dropped its client.
//!
//! Slow (a second dependency graph to build), hence ignored by `cargo
//! test`; `.ci/run` runs it with `--ignored`.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn workspace_root() -> PathBuf {
    let xtask = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).expect("cargo test sets CARGO_MANIFEST_DIR");
    xtask.parent().unwrap().to_path_buf()
}

fn cargo(args: &[&str], dir: &Path, target: &Path) {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .unwrap();
    assert!(status.success(), "cargo {args:?} failed in {}", dir.display());
}

/// The reference server (SQLite in memory) on a free port, killed on drop.
struct Reference(Child);

impl Drop for Reference {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
#[ignore = "builds a crate outside the workspace (minutes); .ci/run runs it with --ignored"]
fn a_crate_outside_the_workspace_lists_every_room_of_ambassador_1() {
    let root = workspace_root();
    let target = root.join("target");
    // The consumer, copied with the path to the client made absolute and the
    // workspace's lockfile (the same versions, nothing resolved anew).
    let dir = tempfile::tempdir().unwrap();
    let source = root.join("crates/popsell-client/tests/consumer-crate");
    let manifest = std::fs::read_to_string(source.join("Cargo.toml")).unwrap();
    let client = root.join("crates/popsell-client");
    assert!(manifest.contains("path = \"../..\""), "the consumer depends on the client by path");
    std::fs::write(dir.path().join("Cargo.toml"), manifest.replace("path = \"../..\"", &format!("path = {:?}", client.display().to_string())))
        .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::copy(source.join("src/main.rs"), dir.path().join("src/main.rs")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    cargo(&["build", "--quiet"], dir.path(), &target.join("consumer-crate"));
    cargo(&["build", "--quiet", "-p", "popsell-reference", "--no-default-features"], &root, &target);

    let mut server = Command::new(target.join("debug/popsell-reference"))
        .args(["--bind", "127.0.0.1:0", "--chatrooms", "3000"])
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let _server = Reference(server);
    let base_url = loop {
        let line = lines.next().expect("the server printed its address").unwrap();
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break format!("{url}/api/v2");
        }
    };
    std::thread::spawn(move || lines.for_each(drop));

    let run = Command::new(target.join("consumer-crate/debug/popsell-consumer")).args([&base_url, "demo-alice", "1", "1"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    let (ids, total) = stdout.trim_end().rsplit_once('\n').expect("ids, then the total");
    let total: usize = total.strip_prefix("total ").expect("the total line").parse().unwrap();
    let ids: Vec<i64> = ids.lines().map(|l| l.parse().unwrap()).collect();
    assert!(total > 100, "several pages of 100: {total}");
    assert_eq!(ids.len(), total, "every room once");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), total, "no room twice");
}
