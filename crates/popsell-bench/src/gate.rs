//! Section 6: the contract gate on a real 1.8 MB pair (Box's document, two
//! consecutive versions, `data/box-openapi/`), as published and re-indented
//! to over 2 MB: the `xtask` binary as `cargo xtask` builds it (dev profile),
//! the whole `cargo xtask openapi diff` (cargo's own start included), and
//! other diff tools on the same files when they can be had. Wall time per
//! run, warm (one run first, not counted); peak memory from GNU time.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One tool on one pair.
pub struct ToolRun {
    pub tool: String,
    /// Seconds per run, or why there is none.
    pub seconds: Result<Vec<f64>, String>,
    /// Peak resident memory of one run, KiB.
    pub rss_kib: Option<u64>,
}

/// One pair and every tool on it.
pub struct PairRuns {
    pub name: String,
    pub bytes: (usize, usize),
    pub tools: Vec<ToolRun>,
}

pub struct Gate {
    pub pairs: Vec<PairRuns>,
}

/// The npm tools tried beside the gate, pinned (installed under
/// `target/contract-tools/gate-peers`).
const NPM_PEERS: [(&str, &str); 1] = [("openapi-diff@0.24.1", "openapi-diff")];

pub fn run(root: &Path, runs: usize, progress: impl Fn(&str)) -> Result<Gate, String> {
    let dir = crate::codegen::target_dir(root).join("popsell-bench").join("gate");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let data = root.join("crates/popsell-bench/data/box-openapi");
    let mut files = Vec::new();
    for version in ["165", "166"] {
        let mut text = String::new();
        let file = std::fs::File::open(data.join(format!("{version}.json.gz"))).map_err(|e| format!("{version}.json.gz: {e}"))?;
        flate2::read::GzDecoder::new(file).read_to_string(&mut text).map_err(|e| format!("{version}.json.gz: {e}"))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{version}.json: {e}"))?;
        let published = dir.join(format!("box-{version}.json"));
        std::fs::write(&published, &text).map_err(|e| e.to_string())?;
        // The same document over 2 MB: four spaces of indentation.
        let mut wide = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        serde::Serialize::serialize(&value, &mut serde_json::Serializer::with_formatter(&mut wide, formatter)).map_err(|e| e.to_string())?;
        let indented = dir.join(format!("box-{version}-indent4.json"));
        std::fs::write(&indented, wide).map_err(|e| e.to_string())?;
        files.push((published, indented));
    }
    let xtask = xtask_binary(root)?;
    let pairs_in = [("Box 165 → 166 as published", &files[0].0, &files[1].0), ("Box 165 → 166, four-space indentation", &files[0].1, &files[1].1)];
    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len() as usize).unwrap_or(0);
    let mut pairs = Vec::new();
    for (name, old, new) in pairs_in {
        progress(&format!("6. gate: {name}"));
        let tools = vec![
            measure("`xtask openapi diff` (the binary cargo xtask runs)", Command::new(&xtask).args(["openapi", "diff"]).arg(old).arg(new), runs),
            measure(
                "`cargo xtask openapi diff` (cargo's start included)",
                Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).current_dir(root).args(["xtask", "openapi", "diff"]).arg(old).arg(new),
                runs,
            ),
        ];
        pairs.push(PairRuns { name: name.into(), bytes: (size(old), size(new)), tools });
    }
    // Other tools last: one that runs out of time or memory must not slow
    // the gate's own runs.
    let peers = install_peers(root, &progress);
    for (pair, (name, old, new)) in pairs.iter_mut().zip(pairs_in) {
        for (tool, command) in &peers {
            progress(&format!("6. gate: {tool} on {name}"));
            match command {
                Ok(binary) => pair.tools.push(measure(tool, Command::new(binary).arg(old).arg(new), runs.min(3))),
                Err(e) => pair.tools.push(ToolRun { tool: tool.clone(), seconds: Err(e.clone()), rss_kib: None }),
            }
        }
    }
    Ok(Gate { pairs })
}

/// The dev-profile `xtask` binary, built as `cargo xtask` builds it.
fn xtask_binary(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo).current_dir(root).args(["build", "--quiet", "-p", "xtask"]).status().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build -p xtask failed".into());
    }
    Ok(crate::codegen::target_dir(root).join("debug").join("xtask"))
}

fn install_peers(root: &Path, progress: &impl Fn(&str)) -> Vec<(String, Result<PathBuf, String>)> {
    let tools = crate::codegen::target_dir(root).join("contract-tools").join("gate-peers");
    NPM_PEERS
        .iter()
        .map(|(package, bin)| {
            let binary = tools.join("node_modules/.bin").join(bin);
            if !binary.exists() {
                progress(&format!("6. gate: npm install {package}"));
                let _ = std::fs::create_dir_all(&tools);
                let _ = Command::new("npm").args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"]).arg(&tools).arg(package).status();
            }
            let found = if binary.exists() { Ok(binary) } else { Err(format!("npm could not install {package}")) };
            (format!("Atlassian `{package}` (npm)"), found)
        })
        .collect()
}

/// `runs` timed runs after one warm-up; a run that fails or takes over a
/// minute and a half ends the tool's measurement with what it said.
fn measure(tool: &str, command: &mut Command, runs: usize) -> ToolRun {
    let mut seconds = Vec::new();
    let mut rss_kib = None;
    for i in 0..=runs {
        let gnu_time = Path::new("/usr/bin/time").exists();
        let rss_file = std::env::temp_dir().join(format!("popsell-bench-gate-rss-{}", std::process::id()));
        let mut timed = if gnu_time {
            let mut wrapped = Command::new("/usr/bin/time");
            wrapped.args(["-f", "%M", "-o"]).arg(&rss_file).arg(command.get_program()).args(command.get_args());
            if let Some(dir) = command.get_current_dir() {
                wrapped.current_dir(dir);
            }
            wrapped
        } else {
            let mut plain = Command::new(command.get_program());
            plain.args(command.get_args());
            if let Some(dir) = command.get_current_dir() {
                plain.current_dir(dir);
            }
            plain
        };
        timed.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped());
        // Its own process group: a tool stopped at the deadline is stopped
        // with every process it started.
        std::os::unix::process::CommandExt::process_group(&mut timed, 0);
        let started = Instant::now();
        let child = match timed.spawn() {
            Ok(child) => child,
            Err(e) => return ToolRun { tool: tool.into(), seconds: Err(format!("cannot run: {e}")), rss_kib: None },
        };
        let output = wait_at_most(child, 90);
        let elapsed = started.elapsed().as_secs_f64();
        match output {
            // 0: no change over the level; 1: a change at it (both are answers).
            Some(output) if matches!(output.status.code(), Some(0 | 1)) => {
                if i > 0 {
                    seconds.push(elapsed);
                }
                rss_kib = std::fs::read_to_string(&rss_file).ok().and_then(|t| t.lines().last()?.trim().parse().ok()).or(rss_kib);
            }
            Some(output) => {
                let said = String::from_utf8_lossy(&output.stderr);
                let last = said.lines().rev().find(|l| !l.trim().is_empty() && !l.chars().all(|c| c.is_ascii_digit())).unwrap_or("").trim().to_owned();
                let rss = std::fs::read_to_string(&rss_file).ok().and_then(|t| t.lines().last()?.trim().parse::<u64>().ok());
                let memory = rss.map(|kib| format!(", {} MB at its peak", kib / 1024)).unwrap_or_default();
                let last: String = if said.contains("heap out of memory") { "JavaScript heap out of memory".into() } else { last.chars().take(160).collect() };
                return ToolRun { tool: tool.into(), seconds: Err(format!("failed after {elapsed:.1} s ({}){memory}: {last}", output.status)), rss_kib: rss };
            }
            None => return ToolRun { tool: tool.into(), seconds: Err("did not finish within 90 s".into()), rss_kib: None },
        }
    }
    ToolRun { tool: tool.into(), seconds: Ok(seconds), rss_kib }
}

fn wait_at_most(mut child: std::process::Child, seconds: u64) -> Option<std::process::Output> {
    let deadline = Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().ok(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(std::time::Duration::from_millis(5)),
            _ => {
                // The whole group (GNU time and the tool under it).
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}
