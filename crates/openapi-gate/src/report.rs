//! What `check` and `openapi diff` found, as data: every renderer (human,
//! JSON, GitHub annotations, Markdown) reads this one model. Its JSON form
//! is documented by `report.schema.json` beside this crate (derived from these types
//! and checked by a test): field names are stable.

use openapi_compat::{Change, Document, Level, Verdict};
use openapi_spec::{Diagnostic, Error};
use schemars::JsonSchema;
use serde::Serialize;

use crate::accept::{Acceptance, Judgement};

/// The version of the JSON report's format; bumped on an incompatible change.
pub const FORMAT_VERSION: u32 = 2;

/// The report of one run of a gate (`check`, or `openapi diff`): the one
/// result of the library, with the exit code it means.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report {
    /// The version of this format (see [`FORMAT_VERSION`]).
    pub format_version: u32,
    /// `check` or `openapi diff`.
    pub command: String,
    /// The outcome, as the exit code says it.
    pub status: Outcome,
    /// The process's exit code.
    pub exit_code: u8,
    /// The spec checked (or the new side of a diff).
    pub spec: String,
    /// The level at and above which an unaccepted change fails the run
    /// (`--fail-on`).
    pub fail_on: ChangeLevel,
    /// What the spec was compared with, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<BaseInfo>,
    /// Every generated file and whether it is fresh (`check` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileStatus>,
    /// Everything found, in the order it was found.
    pub findings: Vec<Finding>,
    /// Counts of the findings.
    pub summary: Summary,
    /// Whether the public API of the generated Rust crates changed
    /// incompatibly (`--semver` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_api: Option<RustApi>,
}

/// Exit codes: distinct for "breaks clients", "nothing to compare with",
/// "regenerate" and "an input is broken".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Status {
    /// Nothing fails the gate.
    Ok = 0,
    /// A breaking or unclassified change that nothing accepts.
    Breaking = 1,
    /// No base, where a comparison is required.
    NoBase = 3,
    /// A generated file is stale.
    Stale = 4,
    /// An invalid input, or a generator failed.
    Failure = 100,
}

/// A change's verdict (see crates/openapi-compat/src/rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeVerdict {
    /// Some existing client may fail or misbehave.
    Breaking,
    /// No rule knows the change: a person must judge it; fails a gate until accepted.
    Unclassified,
    /// Existing clients keep working.
    Compatible,
}

impl From<Verdict> for ChangeVerdict {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Breaking => ChangeVerdict::Breaking,
            Verdict::Unclassified => ChangeVerdict::Unclassified,
            Verdict::Compatible => ChangeVerdict::Compatible,
        }
    }
}

/// A change's level (see crates/openapi-compat/src/rules.md): what it
/// breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeLevel {
    /// Nothing breaks.
    Info,
    /// Breaks clients that rely on more than the contract promises (a typed
    /// client losing an optional field, a closed enum meeting a new value).
    Warning,
    /// Breaks clients that follow the contract.
    Error,
}

impl From<Level> for ChangeLevel {
    fn from(level: Level) -> Self {
        match level {
            Level::Info => ChangeLevel::Info,
            Level::Warning => ChangeLevel::Warning,
            Level::Error => ChangeLevel::Error,
        }
    }
}

impl ChangeLevel {
    /// `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeLevel::Info => "info",
            ChangeLevel::Warning => "warning",
            ChangeLevel::Error => "error",
        }
    }
}

/// The outcome of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1: a change breaks existing clients (or no rule knows it) and nothing accepts it.
    Breaking,
    /// Exit 3: no base to compare with, and a comparison was required.
    NoBase,
    /// Exit 4: a generated file differs from what the spec gives.
    Stale,
    /// Exit 100: an input is invalid (spec, accepted-changes file) or a generator failed.
    Failure,
}

impl From<Status> for Outcome {
    fn from(status: Status) -> Self {
        match status {
            Status::Ok => Outcome::Ok,
            Status::Breaking => Outcome::Breaking,
            Status::NoBase => Outcome::NoBase,
            Status::Stale => Outcome::Stale,
            Status::Failure => Outcome::Failure,
        }
    }
}

/// The base of a comparison.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BaseInfo {
    /// How it was chosen: `main (merge-base 1a2b3c4)`, or the old file.
    pub label: String,
    /// How messages name the old spec: `1a2b3c4:openapi.yaml`, `old.yaml`.
    pub file: String,
}

/// A generated file and whether it matches the spec.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileStatus {
    /// Path relative to the workspace root.
    pub path: String,
    /// `true` when the committed file is what the spec gives.
    pub fresh: bool,
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run.
    Error,
    /// Worth a look; does not fail the run.
    Warning,
    /// For the record.
    Notice,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The spec (or another input) is invalid.
    Problem,
    /// A generated file differs from what the spec gives.
    StaleFile,
    /// A change between the base and the spec.
    Change,
    /// An entry of the accepted-changes file that matches no change.
    StaleAcceptance,
    /// An entry of the accepted-changes file whose change has landed.
    LandedAcceptance,
    /// No base to compare with.
    NoBase,
    /// The Rust API verdict.
    RustApi,
}

/// One thing found, located where a reviewer looks.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    /// What it is about.
    pub kind: Kind,
    /// How much it matters in this run.
    pub severity: Severity,
    /// The rule (`parameter-removed`) of a change or an acceptance; the
    /// kind of problem otherwise (`invalid-spec`, `stale-generated-file`).
    pub rule: String,
    /// A change's verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<ChangeVerdict>,
    /// A change's level (its rule's, or the one the levels file sets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<ChangeLevel>,
    /// Why it was accepted (an entry of the accepted-changes file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
    /// The file as messages name it: `openapi.yaml`, `1a2b3c4:openapi.yaml`.
    pub file: String,
    /// The file's path in the work tree, for annotations (a base file is
    /// annotated at its work-tree path).
    pub path: String,
    /// Line, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// JSON pointer into the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// `GET /path (operationId)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// What is wrong or what changed, in one line.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The unified diff of a stale file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

impl Finding {
    /// `file:line:column`, or `file`.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// Counts.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Summary {
    /// Changes at level `error` not accepted (unclassified ones among them).
    pub error: usize,
    /// Changes at level `warning` not accepted.
    pub warning: usize,
    /// Changes at level `info`.
    pub info: usize,
    /// Unclassified changes not accepted (counted in `error` too).
    pub unclassified: usize,
    /// Changes at or above `fail_on` not accepted: what fails the run.
    pub failing: usize,
    /// Changes accepted by the accepted-changes file.
    pub accepted: usize,
    /// Problems in the inputs.
    pub problems: usize,
    /// Generated files checked and found stale.
    pub stale_files: usize,
    /// Generated files checked and found fresh.
    pub fresh_files: usize,
}

/// The verdict on the generated crates' public Rust API.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RustApi {
    /// `false` when the check could not run (the summary says why).
    pub checked: bool,
    /// `true` when a crate's public API changed incompatibly.
    pub breaking: bool,
    /// The tool and what it said, in one line.
    pub summary: String,
    /// The crates checked.
    pub crates: Vec<String>,
}

impl Report {
    /// An empty report of `command` on `spec`.
    pub fn new(command: &str, spec: &str) -> Report {
        Report {
            format_version: FORMAT_VERSION,
            command: command.to_owned(),
            status: Outcome::Ok,
            exit_code: 0,
            spec: spec.to_owned(),
            fail_on: ChangeLevel::Error,
            base: None,
            files: Vec::new(),
            findings: Vec::new(),
            summary: Summary::default(),
            rust_api: None,
        }
    }

    /// The problems of an invalid input, each located.
    pub fn problems(&mut self, error: &Error, fix: &str) {
        for diagnostic in error.diagnostics() {
            self.problem(&diagnostic, fix);
        }
    }

    fn problem(&mut self, diagnostic: &Diagnostic, fix: &str) {
        self.summary.problems += 1;
        self.findings.push(Finding {
            kind: Kind::Problem,
            severity: Severity::Error,
            rule: "invalid-input".into(),
            verdict: None,
            level: None,
            accepted: None,
            file: diagnostic.file.clone(),
            path: work_tree_path(&diagnostic.file),
            line: diagnostic.position.map(|p| p.line),
            column: diagnostic.position.map(|p| p.column),
            pointer: Some(diagnostic.pointer.clone()),
            operation: None,
            message: diagnostic.message.clone(),
            fix: Some(fix.to_owned()),
            diff: None,
        });
    }

    /// A generated file, fresh or stale (with its diff).
    pub fn file(&mut self, path: &str, diff: Option<String>, fix: &str) {
        self.files.push(FileStatus { path: path.to_owned(), fresh: diff.is_none() });
        let Some(diff) = diff else {
            self.summary.fresh_files += 1;
            return;
        };
        self.summary.stale_files += 1;
        self.findings.push(Finding {
            kind: Kind::StaleFile,
            severity: Severity::Error,
            rule: "stale-generated-file".into(),
            verdict: None,
            level: None,
            accepted: None,
            file: path.to_owned(),
            path: path.to_owned(),
            line: first_changed_line(&diff),
            column: first_changed_line(&diff).map(|_| 1),
            pointer: None,
            operation: None,
            message: format!("{path} is not what the spec gives"),
            fix: Some(fix.to_owned()),
            diff: Some(diff),
        });
    }

    /// The changes from the base, judged by the accepted-changes file.
    /// `gate`: whether unaccepted changes at or above [`Report::fail_on`]
    /// fail the run (errors) or are only reported (warnings).
    pub fn changes(&mut self, sides: (&str, &str), changes: &[Change], judgement: &Judgement, gate: bool) {
        let fail_on = self.fail_on;
        for (change, accepted) in changes.iter().zip(&judgement.accepted) {
            let level = ChangeLevel::from(change.level);
            let failing = accepted.is_none() && level >= fail_on;
            let severity = match (accepted, level) {
                (Some(_), _) => Severity::Notice,
                _ if failing && gate => Severity::Error,
                (None, ChangeLevel::Info) => Severity::Notice,
                (None, _) => Severity::Warning,
            };
            match (accepted, level) {
                (Some(_), _) => self.summary.accepted += 1,
                (None, ChangeLevel::Error) => self.summary.error += 1,
                (None, ChangeLevel::Warning) => self.summary.warning += 1,
                (None, ChangeLevel::Info) => self.summary.info += 1,
            }
            if accepted.is_none() && change.verdict == Verdict::Unclassified {
                self.summary.unclassified += 1;
            }
            if failing {
                self.summary.failing += 1;
            }
            let file = match change.document {
                Document::Old => sides.0,
                Document::New => sides.1,
            };
            let fix = match (change.verdict, level, accepted) {
                (_, ChangeLevel::Info, _) | (_, _, Some(_)) => None,
                (Verdict::Unclassified, _, None) => Some(format!("no rule judges this change: review it, then accept it in openapi-breaking.yaml (`rule: unclassified`, `pointer: {}`) if clients are not affected", change.pointer)),
                (_, _, None) => Some(format!("make the change compatible, or accept it: add `rule: {}` and `pointer: {}` with a `reason` to openapi-breaking.yaml", change.rule, change.pointer)),
            };
            self.findings.push(Finding {
                kind: Kind::Change,
                severity,
                rule: change.rule.to_owned(),
                verdict: Some(change.verdict.into()),
                level: Some(level),
                accepted: accepted.clone(),
                file: file.to_owned(),
                path: work_tree_path(file),
                line: change.position.map(|p| p.line),
                column: change.position.map(|p| p.column),
                pointer: Some(change.pointer.clone()),
                operation: change.operation.clone(),
                message: change.reason.clone(),
                fix,
                diff: None,
            });
        }
        for entry in &judgement.stale {
            self.acceptance(Kind::StaleAcceptance, if gate { Severity::Error } else { Severity::Warning }, entry, "this accepted change matches no change of the spec; delete the entry (or fix its rule and pointer)");
        }
        for entry in &judgement.landed {
            self.acceptance(Kind::LandedAcceptance, Severity::Notice, entry, "accepted by a change that has landed; the entry can be deleted");
        }
    }

    fn acceptance(&mut self, kind: Kind, severity: Severity, entry: &Acceptance, message: &str) {
        self.findings.push(Finding {
            kind,
            severity,
            rule: entry.rule.clone(),
            verdict: None,
            level: None,
            accepted: None,
            file: crate::project::ACCEPTED_FILE.to_owned(),
            path: crate::project::ACCEPTED_FILE.to_owned(),
            line: entry.position.map(|p| p.line),
            column: entry.position.map(|p| p.column),
            pointer: Some(entry.pointer.clone()),
            operation: None,
            message: message.to_owned(),
            fix: None,
            diff: None,
        });
    }

    /// No base to compare with.
    pub fn no_base(&mut self, spec: &str, message: &str, gate: bool) {
        self.findings.push(Finding {
            kind: Kind::NoBase,
            severity: if gate { Severity::Error } else { Severity::Notice },
            rule: "no-base".into(),
            verdict: None,
            level: None,
            accepted: None,
            file: spec.to_owned(),
            path: spec.to_owned(),
            line: None,
            column: None,
            pointer: None,
            operation: None,
            message: format!("breaking changes not checked: {message}"),
            fix: Some(crate::git::NO_BASE_FIX.to_owned()),
            diff: None,
        });
    }

    /// The Rust API verdict.
    pub fn rust_api(&mut self, spec: &str, verdict: RustApi, gate: bool) {
        let severity = match (verdict.checked && !verdict.breaking, gate) {
            (false, true) => Severity::Error,
            (false, false) => Severity::Warning,
            (true, _) => Severity::Notice,
        };
        self.findings.push(Finding {
            kind: Kind::RustApi,
            severity,
            rule: match (verdict.checked, verdict.breaking) {
                (false, _) => "rust-api-not-checked".into(),
                (true, true) => "rust-api-breaking".into(),
                (true, false) => "rust-api-compatible".into(),
            },
            verdict: None,
            level: None,
            accepted: None,
            file: spec.to_owned(),
            path: spec.to_owned(),
            line: None,
            column: None,
            pointer: None,
            operation: None,
            message: verdict.summary.clone(),
            fix: verdict.breaking.then(|| "callers of the generated crates must change: bump the crates' major version, or keep the old names".to_owned()),
            diff: None,
        });
        self.rust_api = Some(verdict);
    }

    /// Whether the Rust API verdict fails a gate: breaking, or not checked.
    pub fn rust_api_fails(&self) -> bool {
        self.rust_api.as_ref().is_some_and(|r| r.breaking || !r.checked)
    }

    /// Changes that fail the gate: at or above `fail_on`, not accepted.
    pub fn failing_changes(&self) -> usize {
        self.summary.failing
    }

    /// The report with its outcome.
    pub fn finish(mut self, status: Status) -> Report {
        self.status = status.into();
        self.exit_code = status as u8;
        self
    }

    /// The process's exit code for this report.
    pub fn exit_code(&self) -> u8 {
        self.exit_code
    }
}

/// `openapi.yaml` for `1a2b3c4:openapi.yaml`: where the base's lines are annotated.
fn work_tree_path(file: &str) -> String {
    match file.split_once(':') {
        Some((revision, path)) if revision.len() == 7 && revision.chars().all(|c| c.is_ascii_hexdigit()) => path.to_owned(),
        _ => file.to_owned(),
    }
}

/// The first changed line of the committed side of a unified diff.
fn first_changed_line(diff: &str) -> Option<usize> {
    let hunk = diff.lines().find(|l| l.starts_with("@@ "))?;
    let old = hunk.trim_start_matches("@@ -").split([',', ' ']).next()?;
    old.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `UPDATE_EXPECT=1 cargo test -p openapi-gate report_schema` rewrites it.
    #[test]
    fn report_schema_json_is_the_schema_of_report() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report.schema.json");
        let schema = serde_json::to_string_pretty(&schemars::schema_for!(Report)).unwrap() + "\n";
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, &schema).unwrap();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), schema, "run `UPDATE_EXPECT=1 cargo test -p openapi-gate report_schema`");
    }

    #[test]
    fn base_files_are_annotated_at_their_work_tree_path() {
        assert_eq!(work_tree_path("1a2b3c4:openapi.yaml"), "openapi.yaml");
        assert_eq!(work_tree_path("openapi.yaml"), "openapi.yaml");
    }

    #[test]
    fn a_stale_file_points_at_its_first_hunk() {
        assert_eq!(first_changed_line("--- a\n+++ b\n@@ -12,7 +12,8 @@\n x\n"), Some(12));
    }
}
