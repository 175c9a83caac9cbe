//! The base a spec change is judged against: a git revision, found the way
//! a CI checkout of a pull request allows (no local `main` there, often).

use std::path::Path;
use std::process::Command;

/// Runs git in `dir`; its stdout, or its first stderr line.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git").args(args).current_dir(dir).output().map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("git failed").trim_start_matches("fatal: ").to_owned())
    }
}

/// A resolved base revision.
#[derive(Debug, Clone)]
pub struct Base {
    /// The full commit id.
    pub commit: String,
    /// Its first 7 characters, how messages name it.
    pub short: String,
    /// How it was chosen: `main (merge-base 1a2b3c4)`, `v2.0.0 (merge-base ...)`.
    pub label: String,
}

/// Why there is no base.
#[derive(Debug, Clone)]
pub enum NoBase {
    /// Not in a git work tree (or git is missing).
    NotGit(String),
    /// In a git work tree, but no candidate revision resolves.
    Unresolved(String),
}

impl NoBase {
    /// Why there is no base, in words.
    pub fn message(&self) -> &str {
        match self {
            NoBase::NotGit(message) | NoBase::Unresolved(message) => message,
        }
    }
}

/// The one-line fix printed with a missing base.
pub const NO_BASE_FIX: &str =
    "pass `--base <ref>` (a branch, tag or commit), or fetch the base branch (`git fetch origin main`; with actions/checkout, `fetch-depth: 0`)";

/// The candidates tried when no `--base` is given, in order: `main`, then
/// `origin/main`, then the pull request's base branch that GitHub Actions
/// names in `GITHUB_BASE_REF`.
pub fn default_candidates() -> Vec<String> {
    let mut candidates = vec!["main".to_owned(), "origin/main".to_owned()];
    if let Some(base) = std::env::var("GITHUB_BASE_REF").ok().filter(|b| !b.is_empty()) {
        candidates.push(format!("origin/{base}"));
        candidates.push(base);
    }
    candidates
}

/// The base of `dir`'s HEAD: the merge-base with `requested`, or with the
/// first default candidate that has one (`git diff A...B` semantics, so
/// that changes landed on the base branch since are not counted).
pub fn resolve(dir: &Path, requested: Option<&str>) -> Result<Base, NoBase> {
    match git(dir, &["rev-parse", "--is-inside-work-tree"]) {
        Ok(inside) if inside.trim() == "true" => {}
        Ok(_) => return Err(NoBase::NotGit(format!("{} is not in a git work tree", dir.display()))),
        Err(message) => return Err(NoBase::NotGit(message)),
    }
    let candidates = match requested {
        Some(requested) => vec![requested.to_owned()],
        None => default_candidates(),
    };
    let mut tried = Vec::new();
    for candidate in &candidates {
        if git(dir, &["rev-parse", "--verify", "--quiet", &format!("{candidate}^{{commit}}")]).is_err() {
            tried.push(format!("`{candidate}` does not exist"));
            continue;
        }
        match git(dir, &["merge-base", "HEAD", candidate]) {
            Ok(commit) => {
                let commit = commit.trim().to_owned();
                let short = commit.get(..7).unwrap_or(&commit).to_owned();
                let label = format!("{candidate} (merge-base {short})");
                return Ok(Base { commit, short, label });
            }
            Err(_) => tried.push(format!("`{candidate}` shares no history with HEAD (a shallow clone?)")),
        }
    }
    Err(NoBase::Unresolved(format!("no base to compare with: {}", tried.join("; "))))
}

/// The text of `file` (relative to the repository root... of `dir`) at `commit`.
pub fn show(dir: &Path, commit: &str, file: &str) -> Result<String, String> {
    git(dir, &["show", &format!("{commit}:./{file}")])
}
