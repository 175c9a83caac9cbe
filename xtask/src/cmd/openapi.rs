//! `cargo xtask openapi diff`: whether a spec change breaks existing
//! clients. The old spec is the one at a git base (default: the merge-base
//! of `HEAD` with `main`, else `origin/main`, else the pull request's base
//! branch) or a file; detection is `openapi_compat`, display `output`.

use std::path::PathBuf;

use openapi_spec::{Document, Error};

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

fn read(path: &PathBuf) -> Result<Document, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(&name, &e))?;
    openapi_compat::load(&name, &text)
}

pub fn diff(workspace: &Workspace, inputs: &Inputs, format: Format, semver: bool, gate: &super::Gate) -> Status {
    let report = compare_inputs(workspace, inputs, semver, gate);
    print!("{}", render(&report, format));
    match report.exit_code {
        0 => Status::Ok,
        1 => Status::Breaking,
        3 => Status::NoBase,
        _ => Status::Failure,
    }
}

fn compare_inputs(workspace: &Workspace, inputs: &Inputs, semver: bool, gate: &super::Gate) -> Report {
    const FIX: &str = "nothing was compared; fix the input and run the command again";
    let spec = match inputs {
        Inputs::Files { new, .. } => new.display().to_string(),
        Inputs::Base(_) => workspace.spec_name(),
    };
    let mut report = Report::new("openapi diff", &spec);
    report.fail_on = gate.fail_on.into();
    let overrides = match gate.overrides(workspace) {
        Ok(overrides) => overrides,
        Err(error) => {
            report.problems(&error, FIX);
            return report.finish(Status::Failure);
        }
    };
    match inputs {
        Inputs::Files { old, new, accepted } => {
            let (old, new) = compare::both(|| read(old), || read(new));
            let (old, new) = match old.and_then(|old| Ok((old, new?))) {
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
            let mut changes = openapi_compat::diff(&old, &new);
            crate::levels::apply(&mut changes, &overrides);
            let judgement = accept::judge(&changes, &entries, &[]);
            report.changes((&old.file, &new.file), &changes, &judgement, true);
            report.base = Some(BaseInfo { label: old.file.clone(), file: old.file.clone() });
            // The process ends soon after: no need to free the documents.
            std::mem::forget((old, new));
            finish(report)
        }
        Inputs::Base(requested) => {
            match compare::with_base(workspace, requested.as_deref(), &overrides) {
                Ok(comparison) => {
                    report.changes((&comparison.base.file, &workspace.spec_name()), &comparison.changes, &comparison.judgement, true);
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
                    let fix = format!("nothing was compared; fix {} and run the command again", error.file());
                    report.problems(&error, &fix);
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

/// `cargo xtask openapi reduce`: the pair cut down, written only when the
/// comparison finds the same changes at `warning` and above on it as on
/// the whole pair.
pub fn reduce(old: &std::path::Path, new: &std::path::Path, out: &std::path::Path) -> Status {
    let (old, new) = compare::both(|| read(&old.to_path_buf()), || read(&new.to_path_buf()));
    let (old, new) = match old.and_then(|old| Ok((old, new?))) {
        Ok(specs) => specs,
        Err(error) => {
            print!("{}", crate::output::error(&error.to_string()));
            println!();
            return Status::Failure;
        }
    };
    let (reduced_old, reduced_new) = openapi_compat::reduce::reduce(&old.json, &new.json);
    // The verdict: every change at `warning` and above, as it is reported
    // (documentation and extensions are not in the reduced pair).
    let key = |changes: Vec<openapi_compat::Change>| -> Vec<String> {
        changes.into_iter().filter(|c| c.level > openapi_compat::Level::Info).map(|c| format!("{} {} {:?} {} {:?} {}", c.rule, c.level, c.document, c.pointer, c.operation, c.reason)).collect()
    };
    let (whole, reduced) = compare::both(|| key(openapi_compat::diff_values(&old.json, &new.json)), || key(openapi_compat::diff_values(&reduced_old, &reduced_new)));
    if whole != reduced {
        let lost: Vec<&String> = whole.iter().filter(|c| !reduced.contains(c)).collect();
        let gained: Vec<&String> = reduced.iter().filter(|c| !whole.contains(c)).collect();
        println!("{}", crate::output::error(&format!("the reduced pair compares differently; nothing written\n  only in the whole pair: {lost:#?}\n  only in the reduced pair: {gained:#?}")));
        return Status::Breaking;
    }
    // One line: a corpus of many pairs stays small (indentation would
    // double it); `jq .` reads it.
    let write = |name: &str, value: &serde_json::Value| std::fs::write(out.join(name), serde_json::to_string(value).expect("a document is JSON") + "\n");
    if let Err(e) = std::fs::create_dir_all(out).and_then(|()| write("old.json", &reduced_old)).and_then(|()| write("new.json", &reduced_new)) {
        println!("{}", crate::output::error(&format!("{}: {e}", out.display())));
        return Status::Failure;
    }
    let size = |v: &serde_json::Value| serde_json::to_string(v).map(|s| s.len()).unwrap_or(0);
    println!(
        "{}",
        crate::output::status_line(
            crate::output::Word::Updated,
            &format!("{} ({} changes; {} + {} bytes of {} + {})", out.display(), whole.len(), size(&reduced_old), size(&reduced_new), size(&old.json), size(&new.json))
        )
    );
    Status::Ok
}
