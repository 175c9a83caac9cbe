//! `cargo xtask check`: validate the spec and compare what it generates with
//! the committed files, writing nothing; in a git checkout, also compare the
//! spec with the base's for changes that break existing clients.

use popsell_codegen::{Error, compat};

use crate::output::{FIX_COMMAND, Status, Tally, Word, status_line, unified_diff};
use crate::workspace::{NoBase, Workspace};

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

/// Prints a spec failure in the common shape and returns its status.
pub fn report_failure(workspace: &Workspace, error: &Error) -> Status {
    println!("{}", status_line(Word::Failure, &workspace.spec_name()));
    for line in error.to_string().lines() {
        println!("    {line}");
    }
    println!("error: no file was generated or changed; fix {} and run the command again", workspace.spec_name());
    Status::Failure
}

/// Prints how the spec compares with the base's and returns the number of
/// breaking changes. Outside a git checkout it prints nothing, so that
/// checking a plain copy of the workspace reads as before.
fn against_base(workspace: &Workspace) -> usize {
    let base = match workspace.base_spec(None) {
        Ok(base) => base,
        Err(NoBase::NotGit(_)) => return 0,
        Err(NoBase::Unresolved(message)) => {
            println!("note: breaking changes not checked: {message}");
            return 0;
        }
    };
    let old = match compat::load(&base.name, &base.text) {
        Ok(old) => old,
        Err(error) => {
            let first = match &error {
                Error::Invalid(problems) => problems.first().map(ToString::to_string).unwrap_or_default(),
                other => other.to_string(),
            };
            println!("note: breaking changes not checked: the base spec is invalid: {first}");
            return 0;
        }
    };
    // `compare` validated the spec already; it is read again for its JSON.
    let new = std::fs::read_to_string(&workspace.spec).ok().and_then(|text| compat::load(&workspace.spec_name(), &text).ok());
    let Some(new) = new else { return 0 };
    let changes = compat::diff(&old.json, &new.json);
    print!("{}", crate::output::compat::base_check(&workspace.spec_name(), &base.label, &changes));
    changes.iter().filter(|c| c.is_breaking()).count()
}

pub fn run(workspace: &Workspace, deny_breaking: bool) -> Status {
    let comparisons = match compare(workspace) {
        Ok(comparisons) => comparisons,
        Err(error) => return report_failure(workspace, &error),
    };
    println!("{}", status_line(Word::Valid, &workspace.spec_name()));
    let mut tally = Tally::default();
    for comparison in &comparisons {
        match &comparison.diff {
            None => {
                tally.fresh += 1;
                println!("{}", status_line(Word::Fresh, &comparison.path));
            }
            Some(diff) => {
                tally.stale += 1;
                println!("{}", status_line(Word::Stale, &comparison.path));
                print!("{diff}");
            }
        }
    }
    println!("{}", tally.summary("generated files"));
    let breaking = against_base(workspace);
    if tally.stale > 0 {
        println!("error: generated files are stale; run `{FIX_COMMAND}` and commit the result");
        Status::Stale
    } else if deny_breaking && breaking > 0 {
        println!("error: the spec breaks existing clients and --deny-breaking is set; see `cargo xtask openapi diff`");
        Status::Breaking
    } else {
        Status::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails on stale generated code, like `cargo xtask check`.
    #[test]
    fn generated_files_are_fresh() {
        let comparisons = compare(&Workspace::new(None, None)).unwrap_or_else(|e| panic!("{e}"));
        let stale: Vec<String> = comparisons.iter().filter_map(|c| c.diff.clone()).collect();
        assert!(stale.is_empty(), "generated files are stale; run `{FIX_COMMAND}`:\n{}", stale.join("\n"));
        assert!(comparisons.len() >= 2, "expected the types and the client, got {}", comparisons.len());
    }
}
