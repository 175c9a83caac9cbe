//! `cargo xtask openapi diff`: whether a spec change breaks existing
//! clients. The old spec is the one at a git base (default: the merge-base
//! of `HEAD` with `main`, else `origin/main`, else the pull request's base
//! branch) or a file; detection is `openapi_compat`, display `output`.

use std::path::PathBuf;

use openapi_spec::{Error, Spec};

use crate::accept;
use crate::compare::{self, NotCompared};
use crate::output::{Format, Status, render};
use crate::report::{BaseInfo, Report};
use crate::workspace::{Workspace, unreadable};

/// What to compare.
pub enum Inputs {
    /// The workspace spec against itself at a git base (`None`: the default base).
    Base(Option<String>),
    /// Two files, and optionally a file of accepted changes.
    Files { old: PathBuf, new: PathBuf, accepted: Option<PathBuf> },
}

fn read(path: &PathBuf) -> Result<Spec, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(&name, &e))?;
    openapi_compat::load(&name, &text)
}

pub fn diff(workspace: &Workspace, inputs: &Inputs, format: Format, semver: bool) -> Status {
    let report = compare_inputs(workspace, inputs, semver);
    print!("{}", render(&report, format));
    match report.exit_code {
        0 => Status::Ok,
        1 => Status::Breaking,
        3 => Status::NoBase,
        _ => Status::Failure,
    }
}

fn compare_inputs(workspace: &Workspace, inputs: &Inputs, semver: bool) -> Report {
    const FIX: &str = "nothing was compared; fix the input and run the command again";
    match inputs {
        Inputs::Files { old, new, accepted } => {
            let mut report = Report::new("openapi diff", &new.display().to_string());
            let (old, new) = match read(old).and_then(|old| Ok((old, read(new)?))) {
                Ok(specs) => specs,
                Err(error) => {
                    report.problems(&error, FIX);
                    return report.finish(Status::Failure);
                }
            };
            let entries = match accepted {
                Some(path) => {
                    let name = path.display().to_string();
                    match std::fs::read_to_string(path).map_err(|e| unreadable(&name, &e)).and_then(|text| accept::parse(&name, &text)) {
                        Ok(entries) => entries,
                        Err(error) => {
                            report.problems(&error, FIX);
                            return report.finish(Status::Failure);
                        }
                    }
                }
                None => Vec::new(),
            };
            let changes = openapi_compat::diff(&old, &new);
            let judgement = accept::judge(&changes, &entries, &[]);
            report.changes((&old.file, &new.file), &changes, &judgement, true);
            report.base = Some(BaseInfo { label: old.file.clone(), file: old.file.clone() });
            finish(report)
        }
        Inputs::Base(requested) => {
            let mut report = Report::new("openapi diff", &workspace.spec_name());
            let new = match compare::load_new(workspace) {
                Ok(new) => new,
                Err(error) => {
                    report.problems(&error, FIX);
                    return report.finish(Status::Failure);
                }
            };
            match compare::with_base(workspace, requested.as_deref(), &new) {
                Ok(comparison) => {
                    report.changes((&comparison.base.file, &new.file), &comparison.changes, &comparison.judgement, true);
                    report.base = Some(comparison.base);
                    if semver {
                        let verdict = crate::semver::check(workspace, requested.as_deref());
                        report.rust_api(&workspace.spec_name(), verdict, true);
                    }
                    finish(report)
                }
                Err(NotCompared::NoBase(reason)) => {
                    report.no_base(&workspace.spec_name(), reason.message(), true);
                    report.finish(Status::NoBase)
                }
                Err(NotCompared::BaseInvalid(message)) => {
                    report.no_base(&workspace.spec_name(), &message, true);
                    report.finish(Status::NoBase)
                }
                Err(NotCompared::Invalid(error)) => {
                    report.problems(&error, "fix openapi-breaking.yaml and run the command again");
                    report.finish(Status::Failure)
                }
            }
        }
    }
}

fn finish(report: Report) -> Report {
    let stale_acceptance = report.findings.iter().any(|f| f.kind == crate::report::Kind::StaleAcceptance);
    let status = if stale_acceptance {
        Status::Failure
    } else if report.failing_changes() > 0 || report.rust_api_fails() {
        Status::Breaking
    } else {
        Status::Ok
    };
    report.finish(status)
}
