//! `cargo xtask codegen`: regenerate every generated file from the spec.

use std::path::{Path, PathBuf};

use crate::cmd::check::{compare, spec_fix};
use openapi_gate::report::{Report, Status};
use openapi_gate::{Format, Styles, Word, render};

use crate::workspace::Workspace;

pub fn run(workspace: &Workspace, styles: &Styles) -> Status {
    let comparisons = match compare(workspace, styles) {
        Ok(comparisons) => comparisons,
        Err(error) => {
            let mut report = Report::new("codegen", &workspace.spec_name());
            report.problems(&error, &spec_fix(&error));
            print!("{}", render(&report.finish(Status::Failure), Format::Human, styles));
            return Status::Failure;
        }
    };
    println!("{}", styles.status_line(Word::Valid, &workspace.spec_name()));
    let changed: Vec<_> = comparisons.iter().filter(|c| c.diff.is_some()).collect();
    let writes = changed.iter().map(|c| (workspace.root.join(&c.path), c.expected.as_str()));
    if let Err(error) = write_all(writes) {
        println!("{}", styles.status_line(Word::Failure, &error));
        return Status::Failure;
    }
    for comparison in &comparisons {
        let word = if comparison.diff.is_some() { Word::Updated } else { Word::Fresh };
        println!("{}", styles.status_line(word, &comparison.path));
    }
    println!("{} generated files: {} updated, {} unchanged", comparisons.len(), changed.len(), comparisons.len() - changed.len());
    Status::Ok
}

/// Writes every file through a temporary sibling, then renames them all:
/// a failed write leaves every target as it was.
pub fn write_all<'a>(files: impl Iterator<Item = (PathBuf, &'a str)>) -> Result<(), String> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| staged.iter().for_each(|(tmp, _)| drop(std::fs::remove_file(tmp)));
    for (target, contents) in files {
        let tmp = temporary_sibling(&target);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&tmp, contents));
        if let Err(e) = written {
            cleanup(&staged);
            drop(std::fs::remove_file(&tmp));
            return Err(format!("{}: {e}", target.display()));
        }
        staged.push((tmp, target));
    }
    for (tmp, target) in &staged {
        std::fs::rename(tmp, target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

fn temporary_sibling(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.xtask-tmp"))
}
