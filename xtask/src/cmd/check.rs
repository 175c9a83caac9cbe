//! `cargo xtask check`: validate the spec and compare what it generates with
//! the committed files, writing nothing; then compare the spec with its base
//! for changes that break existing clients (a gate with `--deny-breaking`).

use popsell_codegen::Error;

use crate::compare::{self, NotCompared};
use crate::git::NoBase;
use crate::output::{FIX_COMMAND, Format, Status, render, unified_diff};
use crate::report::{Kind, Report};
use crate::workspace::Workspace;

/// How one generated file compares with its committed copy.
pub struct Comparison {
    pub path: String,
    pub expected: String,
    /// `None` when the committed file equals the expected one.
    pub diff: Option<String>,
}

/// Generates in memory and compares every file with the tree.
pub fn compare(workspace: &Workspace) -> Result<Vec<Comparison>, Error> {
    let files = workspace.generate()?;
    Ok(files
        .into_iter()
        .map(|file| {
            let committed = workspace.read(&file);
            let diff = match committed {
                Some(text) if text == file.contents => None,
                Some(text) => Some(unified_diff(&file.path, &text, &file.contents)),
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

pub struct Options {
    pub deny_breaking: bool,
    pub base: Option<String>,
    pub format: Format,
    pub semver: bool,
    pub gate: super::Gate,
}

pub fn run(workspace: &Workspace, options: &Options) -> Status {
    let report = check(workspace, options);
    print!("{}", render(&report, options.format));
    match report.exit_code {
        0 => Status::Ok,
        1 => Status::Breaking,
        3 => Status::NoBase,
        4 => Status::Stale,
        _ => Status::Failure,
    }
}

fn check(workspace: &Workspace, options: &Options) -> Report {
    let mut report = Report::new("check", &workspace.spec_name());
    report.fail_on = options.gate.fail_on.into();
    let comparisons = match compare(workspace) {
        Ok(comparisons) => comparisons,
        Err(error) => {
            report.problems(&error, &spec_fix(&error));
            return report.finish(Status::Failure);
        }
    };
    for comparison in comparisons {
        report.file(&comparison.path, comparison.diff, &format!("run `{FIX_COMMAND}` and commit the result"));
    }
    let gate = options.deny_breaking;
    let mut no_base = false;
    let compared = options.gate.overrides(workspace).map_err(NotCompared::Invalid).and_then(|overrides| compare::with_base(workspace, options.base.as_deref(), &overrides));
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
        let comparisons = compare(&Workspace::new(root, None)).unwrap_or_else(|e| panic!("{e}"));
        let stale: Vec<String> = comparisons.iter().filter_map(|c| c.diff.clone()).collect();
        assert!(stale.is_empty(), "generated files are stale; run `{FIX_COMMAND}`:\n{}", stale.join("\n"));
        assert!(comparisons.len() >= 2, "expected the types and the client, got {}", comparisons.len());
    }
}
