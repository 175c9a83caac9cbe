//! `cargo xtask openapi diff`: whether a spec change breaks existing
//! clients. The old spec is the one at a git revision (default: the
//! merge-base of `HEAD` with `main`) or a file; detection is
//! `popsell_codegen::compat`, display `output::compat`.

use std::path::{Path, PathBuf};

use popsell_codegen::compat;
use popsell_codegen::{Diagnostic, Error, Spec};

use crate::output::Status;
use crate::output::compat::{Sides, human, human_error, json, json_error, sorted};
use crate::workspace::Workspace;

/// How the report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Status lines, breaking changes first (coloured on a terminal).
    Human,
    /// One JSON document: `old`, `new`, `breaking`, `compatible`, `changes`.
    Json,
}

/// What to compare.
pub enum Inputs {
    /// The workspace spec against itself at a git revision (`None`: the merge-base).
    Base(Option<String>),
    /// Two files.
    Files { old: PathBuf, new: PathBuf },
}

fn invalid(file: &str, message: String) -> Error {
    Error::Invalid(vec![Diagnostic { file: file.to_owned(), pointer: String::new(), message }])
}

fn read(path: &Path) -> Result<Spec, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| invalid(&name, format!("cannot read: {e}")))?;
    compat::load(&name, &text)
}

/// Both specs, or why not.
fn load(workspace: &Workspace, inputs: &Inputs) -> Result<(Spec, Spec), Error> {
    match inputs {
        Inputs::Files { old, new } => Ok((read(old)?, read(new)?)),
        Inputs::Base(base) => {
            let old = workspace
                .base_spec(base.as_deref())
                .map_err(|e| invalid(&workspace.spec_name(), format!("no base to compare with: {}", e.message())))?;
            let old = compat::load(&old.name, &old.text)?;
            let text = std::fs::read_to_string(&workspace.spec).map_err(|e| invalid(&workspace.spec_name(), format!("cannot read: {e}")))?;
            Ok((old, compat::load(&workspace.spec_name(), &text)?))
        }
    }
}

pub fn diff(workspace: &Workspace, inputs: &Inputs, format: Format) -> Status {
    let (old, new) = match load(workspace, inputs) {
        Ok(specs) => specs,
        Err(error) => {
            match format {
                Format::Human => print!("{}", human_error(&error)),
                Format::Json => print!("{}", json_error(&error)),
            }
            return Status::Failure;
        }
    };
    let changes = sorted(compat::diff(&old.json, &new.json));
    let sides = Sides { old: &old.file, new: &new.file };
    match format {
        Format::Human => print!("{}", human(&sides, &changes)),
        Format::Json => print!("{}", json(&sides, &changes)),
    }
    if changes.iter().any(compat::Change::is_breaking) { Status::Breaking } else { Status::Ok }
}
