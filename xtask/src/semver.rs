//! The Rust API verdict: whether the public API of the generated crates
//! (`popsell-types`, `popsell-client`) changed incompatibly between the
//! base and the work tree, by cargo-semver-checks (pinned, installed under
//! `target/contract-tools`). A wire-compatible spec change can still break
//! every Rust caller (an `operationId` renamed renames a method). Slow (it
//! builds rustdoc JSON of both trees), hence behind `--semver`.

use std::path::Path;
use std::process::Command;

use openapi_gate::git;
use openapi_gate::report::RustApi;
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

/// `lint: item` for each failed lint of the tool's report.
fn failures(report: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut lint = None;
    let mut places = false;
    for line in report.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            lint = rest.split(':').next().map(str::to_owned);
            places = false;
        } else if line.trim() == "Failed in:" {
            places = true;
        } else if places && line.starts_with("  ") && !line.starts_with("   ") {
            let place = line.trim().split(", previously in file").next().unwrap_or_default();
            found.push(format!("{}: {place}", lint.as_deref().unwrap_or("?")));
        } else {
            places = false;
        }
    }
    found
}

pub fn check(workspace: &Workspace, requested: Option<&str>) -> RustApi {
    let crates: Vec<String> = CRATES.iter().map(|c| (*c).to_owned()).collect();
    let verdict = |breaking: bool, summary: String| RustApi { checked: true, breaking, summary, crates: crates.clone() };
    let result = (|| -> Result<RustApi, String> {
        let base = git::resolve(workspace.spec_dir(), requested).map_err(|e| e.message().to_owned())?;
        // Unchanged sources, unchanged API: no need for the tool (the usual
        // run on the main branch).
        let dirs: Vec<String> = CRATES.iter().map(|c| format!("crates/{c}")).collect();
        let mut diff = vec!["diff", "--quiet", &base.commit, "--"];
        diff.extend(dirs.iter().map(String::as_str));
        if git::git(&workspace.root, &diff).is_ok() {
            return Ok(verdict(false, format!("{} did not change since {}", CRATES.join(" and "), base.label)));
        }
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
        if output.status.success() {
            return Ok(verdict(false, format!("no public API change needs a major version against {} (cargo-semver-checks {SEMVER_CHECKS})", base.label)));
        }
        let failures = failures(&String::from_utf8_lossy(&output.stdout));
        if !failures.is_empty() {
            return Ok(verdict(true, format!("breaking against {} (cargo-semver-checks {SEMVER_CHECKS}): {}", base.label, failures.join("; "))));
        }
        match text.lines().find_map(|l| l.split("failure to build rustdoc for crate ").nth(1)) {
            Some(krate) => Err(format!("{} does not build (run `cargo build` to see why)", krate.trim())),
            None => Err(format!("cargo-semver-checks failed: {}", text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().trim())),
        }
    })();
    result.unwrap_or_else(|message| RustApi { checked: false, breaking: false, summary: format!("not checked: {message}"), crates: crates.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_lint_and_the_item() {
        let report = "--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---\n\nDescription:\nA field.\n\nFailed in:\n  field topic of struct Summary, previously in file /x/generated.rs:355\n  field id of struct Rating, previously in file /x/generated.rs:300\n\n     Summary semver requires new major version: 2 major and 0 minor checks failed\n";
        assert_eq!(failures(report), ["struct_pub_field_missing: field topic of struct Summary", "struct_pub_field_missing: field id of struct Rating"]);
    }
}
