//! `cargo xtask check`: validate the spec and compare what it generates with
//! the committed files, writing nothing; then compare the spec with its base
//! for changes that break existing clients (a gate with `--deny-breaking`).

use popsell_codegen::Error;

use openapi_gate::args::GateArgs;
use openapi_gate::compare::{self, NotCompared};
use openapi_gate::git::NoBase;
use openapi_gate::report::{Kind, Report, Status};
use openapi_gate::{Styles, render};

use crate::workspace::{FIX_COMMAND, Workspace};

/// How one generated file compares with its committed copy.
pub struct Comparison {
    pub path: String,
    pub expected: String,
    /// `None` when the committed file equals the expected one.
    pub diff: Option<String>,
}

/// Generates in memory and compares every file with the tree.
pub fn compare(workspace: &Workspace, styles: &Styles) -> Result<Vec<Comparison>, Error> {
    let files = workspace.generate()?;
    Ok(files
        .into_iter()
        .map(|file| {
            let committed = workspace.read(&file);
            let diff = match committed {
                Some(text) if text == file.contents => None,
                Some(text) => Some(styles.unified_diff(&file.path, &text, &file.contents)),
                None => Some(format!("{} does not exist\n", file.path)),
            };
            Comparison { path: file.path, expected: file.contents, diff }
        })
        .collect())
}

/// What to do about an invalid spec: fix the file the problem is in (a
/// fixture's, perhaps, not `openapi.yaml`).
pub fn spec_fix(error: &Error) -> String {
    format!("no file was generated or changed; fix {} and run the command again", error.file())
}

/// `cargo xtask check`'s arguments, as clap reads them.
#[derive(clap::Args)]
pub struct Options {
    /// The spec to check (default: openapi.yaml at the workspace root).
    #[arg(long)]
    pub spec: Option<std::path::PathBuf>,
    /// Fail (exit 1) on a breaking or unclassified change that
    /// openapi-breaking.yaml does not accept, and (exit 3) when there is
    /// no base.
    #[arg(long)]
    pub deny_breaking: bool,
    /// The git revision to compare with (its merge-base with HEAD).
    #[arg(long, value_name = "GIT-REF")]
    pub base: Option<String>,
    /// Also judge the public Rust API of the generated crates
    /// (cargo-semver-checks; slow: it documents both trees).
    #[arg(long)]
    pub semver: bool,
    /// Levels and format.
    #[command(flatten)]
    pub gate: GateArgs,
}

pub fn run(workspace: &Workspace, options: &Options, styles: &Styles) -> u8 {
    let report = check(workspace, options, styles);
    print!("{}", render(&report, options.gate.format, styles));
    report.exit_code()
}

fn check(workspace: &Workspace, options: &Options, styles: &Styles) -> Report {
    let mut report = Report::new("check", &workspace.spec_name());
    let gate = options.gate.gate();
    report.fail_on = gate.fail_on.into();
    let comparisons = match compare(workspace, styles) {
        Ok(comparisons) => comparisons,
        Err(error) => {
            report.problems(&error, &spec_fix(&error));
            return report.finish(Status::Failure);
        }
    };
    for comparison in comparisons {
        report.file(&comparison.path, comparison.diff, &format!("run `{FIX_COMMAND}` and commit the result"));
    }
    let project = workspace.project();
    let compared = gate.overrides(project).map_err(NotCompared::Invalid).and_then(|overrides| compare::with_base(project, options.base.as_deref(), &overrides));
    let gate = options.deny_breaking;
    let mut no_base = false;
    match compared {
        Ok(comparison) => {
            report.changes((&comparison.base.file, &workspace.spec_name()), &comparison.changes, &comparison.judgement, gate);
            report.base = Some(comparison.base);
            if options.semver {
                let verdict = crate::semver::check(workspace, options.base.as_deref());
                report.rust_api(&workspace.spec_name(), verdict, gate);
            }
        }
        // Outside a git checkout, only a gate needs to say so.
        Err(NotCompared::NoBase(NoBase::NotGit(message))) => {
            if gate {
                no_base = true;
                report.no_base(&workspace.spec_name(), &message, gate);
            }
        }
        Err(NotCompared::NoBase(reason)) => {
            no_base = gate;
            report.no_base(&workspace.spec_name(), reason.message(), gate);
        }
        Err(NotCompared::BaseInvalid(message)) => {
            no_base = gate;
            report.no_base(&workspace.spec_name(), &message, gate);
        }
        Err(NotCompared::Invalid(error)) => {
            let fix = format!("fix {} and run the command again", error.file());
            report.problems(&error, &fix);
        }
    }
    let problems = report.findings.iter().any(|f| f.kind == Kind::Problem);
    let stale_acceptance = report.findings.iter().any(|f| f.kind == Kind::StaleAcceptance);
    let status = if problems || (gate && stale_acceptance) {
        Status::Failure
    } else if report.summary.stale_files > 0 {
        Status::Stale
    } else if no_base {
        Status::NoBase
    } else if gate && (report.failing_changes() > 0 || report.rust_api_fails()) {
        Status::Breaking
    } else {
        Status::Ok
    };
    report.finish(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails on stale generated code, like `cargo xtask check`.
    #[test]
    fn generated_files_are_fresh() {
        let root = crate::workspace::discover(None).unwrap();
        let comparisons = compare(&Workspace::new(root, None), &Styles::PLAIN).unwrap_or_else(|e| panic!("{e}"));
        let stale: Vec<String> = comparisons.iter().filter_map(|c| c.diff.clone()).collect();
        assert!(stale.is_empty(), "generated files are stale; run `{FIX_COMMAND}`:\n{}", stale.join("\n"));
        assert!(comparisons.len() >= 2, "expected the types and the client, got {}", comparisons.len());
    }
}
