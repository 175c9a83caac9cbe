//! The Rust API verdict: whether the public API of the generated crates
//! (`popsell-types`, `popsell-client`) changed incompatibly between the
//! base and the work tree, by cargo-semver-checks (pinned, installed under
//! `target/contract-tools`). A wire-compatible spec change can still break
//! every Rust caller (an `operationId` renamed renames a method). Slow (it
//! builds rustdoc JSON of both trees), hence behind `--semver`.

use std::path::Path;
use std::process::Command;

use crate::git;
use crate::report::RustApi;
use crate::workspace::Workspace;

/// Pinned: a bump is a reviewed change.
const SEMVER_CHECKS: &str = "0.51.0";
/// The crates whose public API the spec generates.
const CRATES: [&str; 2] = ["popsell-types", "popsell-client"];

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The tool, installed on first use.
fn tool(root: &Path) -> Result<std::path::PathBuf, String> {
    let install_root = root.join("target/contract-tools/cargo");
    let binary = install_root.join("bin/cargo-semver-checks");
    if binary.exists() {
        return Ok(binary);
    }
    eprintln!("installing cargo-semver-checks {SEMVER_CHECKS} under target/contract-tools (once; a few minutes)");
    let status = Command::new(cargo())
        .args(["install", "--quiet", "--locked", "cargo-semver-checks", "--version", SEMVER_CHECKS, "--root"])
        .arg(&install_root)
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() { Ok(binary) } else { Err(format!("cargo install cargo-semver-checks {SEMVER_CHECKS} failed")) }
}

/// The base's tree, exported (`git archive`) into `target/semver-baseline`.
fn baseline(workspace: &Workspace, commit: &str) -> Result<std::path::PathBuf, String> {
    let dir = workspace.root.join("target/semver-baseline");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let archive = Command::new("git")
        .args(["archive", "--format=tar", commit])
        .current_dir(&workspace.root)
        .output()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    if !archive.status.success() {
        return Err(format!("git archive {commit} failed: {}", String::from_utf8_lossy(&archive.stderr).trim()));
    }
    let mut tar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    std::io::Write::write_all(tar.stdin.as_mut().ok_or("no stdin")?, &archive.stdout).map_err(|e| e.to_string())?;
    let status = tar.wait().map_err(|e| e.to_string())?;
    if status.success() { Ok(dir) } else { Err("tar could not extract the base".into()) }
}

pub fn check(workspace: &Workspace, requested: Option<&str>) -> RustApi {
    let crates: Vec<String> = CRATES.iter().map(|c| (*c).to_owned()).collect();
    let verdict = |breaking: bool, summary: String| RustApi { checked: true, breaking, summary, crates: crates.clone() };
    let result = (|| -> Result<RustApi, String> {
        let base = git::resolve(workspace.spec_dir(), requested).map_err(|e| e.message().to_owned())?;
        let tool = tool(&workspace.root)?;
        let baseline = baseline(workspace, &base.commit)?;
        let mut command = Command::new(&tool);
        command
            .args(["semver-checks", "--manifest-path"])
            .arg(workspace.root.join("Cargo.toml"))
            .arg("--baseline-root")
            .arg(&baseline)
            // No default features: the TLS backend (a C build) is not API.
            .args(["--only-explicit-features", "--release-type", "minor", "--color", "never"])
            .env("CARGO_TARGET_DIR", workspace.root.join("target/semver-checks"));
        for name in CRATES {
            command.args(["-p", name]);
        }
        let output = command.output().map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        let summary: Vec<&str> = text.lines().map(str::trim).filter(|l| l.starts_with("Summary") || l.starts_with("--- failure")).collect();
        let summary = if summary.is_empty() { text.lines().last().unwrap_or_default().trim().to_owned() } else { summary.join("; ") };
        match output.status.code() {
            Some(0) => Ok(verdict(false, format!("compatible against {} (cargo-semver-checks {SEMVER_CHECKS}: {summary})", base.label))),
            Some(1) => Ok(verdict(true, format!("breaking against {} (cargo-semver-checks {SEMVER_CHECKS}: {summary})", base.label))),
            _ => Err(format!("cargo-semver-checks could not run: {summary}")),
        }
    })();
    result.unwrap_or_else(|message| RustApi { checked: false, breaking: false, summary: format!("not checked: {message}"), crates: crates.clone() })
}
