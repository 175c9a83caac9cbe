//! `openapi diff`: whether a spec change breaks existing clients. The old
//! spec is the one at a git base (default: the merge-base of `HEAD` with
//! `main`, else `origin/main`, else the pull request's base branch) or a
//! file; detection is `openapi_compat`.

use std::path::{Path, PathBuf};

use openapi_compat::Level;
use openapi_spec::{Document, Error};

use crate::accept;
use crate::compare::{self, NotCompared};
use crate::levels::{self, Override};
use crate::project::{LEVELS_FILE, Project, unreadable};
use crate::report::{BaseInfo, Kind, Report, RustApi, Status};

/// What to compare.
#[derive(Clone, Debug)]
pub enum Inputs {
    /// The project's spec against itself at a git base (`None`: the default base).
    Base(Option<String>),
    /// Two files, and optionally a file of accepted changes.
    Files {
        /// The old spec.
        old: PathBuf,
        /// The new spec.
        new: PathBuf,
        /// Accepted breaking changes (format of `openapi-breaking.yaml`).
        accepted: Option<PathBuf>,
    },
}

/// How a comparison judges changes: the level that fails the run, and the
/// project's levels for rules (`--fail-on`, `--levels`).
#[derive(Clone, Debug)]
pub struct Gate {
    /// Unaccepted changes at this level and above fail.
    pub fail_on: Level,
    /// The levels file; `None`: the project's, when it exists.
    pub levels: Option<PathBuf>,
}

impl Gate {
    /// The overrides of the levels file (none when the default one is absent).
    pub fn overrides(&self, project: &Project) -> Result<Vec<Override>, Error> {
        let (path, required) = match &self.levels {
            Some(path) => (path.clone(), true),
            None => (project.levels_file(), false),
        };
        let name = if required { path.display().to_string() } else { LEVELS_FILE.to_owned() };
        match std::fs::read_to_string(&path) {
            Ok(text) => levels::parse(&name, &text),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(unreadable(&name, &e)),
        }
    }
}

/// A spec file, read for comparison (JSON as JSON, YAML as YAML).
pub fn read_spec(path: &Path) -> Result<Document, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(&name, &e))?;
    openapi_compat::load(&name, &text)
}

/// A judge of the generated code's public API at a base revision
/// (`None`: the default base).
pub type RustApiJudge<'a> = &'a dyn Fn(Option<&str>) -> RustApi;

/// Compares `inputs` at `gate`'s levels. `rust_api`, with a git base: a
/// judge of the generated code's public API at that base, whose verdict
/// joins the report.
pub fn diff(project: &Project, inputs: &Inputs, gate: &Gate, rust_api: Option<RustApiJudge<'_>>) -> Report {
    const FIX: &str = "nothing was compared; fix the input and run the command again";
    let spec = match inputs {
        Inputs::Files { new, .. } => new.display().to_string(),
        Inputs::Base(_) => project.spec_name(),
    };
    let mut report = Report::new("openapi diff", &spec);
    report.fail_on = gate.fail_on.into();
    let overrides = match gate.overrides(project) {
        Ok(overrides) => overrides,
        Err(error) => {
            report.problems(&error, FIX);
            return report.finish(Status::Failure);
        }
    };
    match inputs {
        Inputs::Files { old, new, accepted } => {
            let (old, new) = compare::both(|| read_spec(old), || read_spec(new));
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
            levels::apply(&mut changes, &overrides);
            let judgement = accept::judge(&changes, &entries, &[]);
            report.changes((&old.file, &new.file), &changes, &judgement, true);
            report.base = Some(BaseInfo { label: old.file.clone(), file: old.file.clone() });
            // The process ends soon after: no need to free the documents.
            std::mem::forget((old, new));
            finish(report)
        }
        Inputs::Base(requested) => match compare::with_base(project, requested.as_deref(), &overrides) {
            Ok(comparison) => {
                report.changes((&comparison.base.file, &project.spec_name()), &comparison.changes, &comparison.judgement, true);
                report.base = Some(comparison.base);
                if let Some(judge) = rust_api {
                    report.rust_api(&project.spec_name(), judge(requested.as_deref()), true);
                }
                finish(report)
            }
            Err(NotCompared::NoBase(reason)) => {
                report.no_base(&project.spec_name(), reason.message(), true);
                report.finish(Status::NoBase)
            }
            Err(NotCompared::BaseInvalid(message)) => {
                report.no_base(&project.spec_name(), &message, true);
                report.finish(Status::NoBase)
            }
            Err(NotCompared::Invalid(error)) => {
                let fix = format!("nothing was compared; fix {} and run the command again", error.file());
                report.problems(&error, &fix);
                report.finish(Status::Failure)
            }
        },
    }
}

fn finish(report: Report) -> Report {
    let stale_acceptance = report.findings.iter().any(|f| f.kind == Kind::StaleAcceptance);
    let status = if stale_acceptance {
        Status::Failure
    } else if report.failing_changes() > 0 || report.rust_api_fails() {
        Status::Breaking
    } else {
        Status::Ok
    };
    report.finish(status)
}
