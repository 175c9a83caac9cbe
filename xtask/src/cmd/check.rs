//! `cargo xtask check`: validate the spec and compare what it generates with
//! the committed files, writing nothing.

use popsell_codegen::Error;

use crate::output::{FIX_COMMAND, Status, Tally, Word, status_line, unified_diff};
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

/// Prints a spec failure in the common shape and returns its status.
pub fn report_failure(workspace: &Workspace, error: &Error) -> Status {
    println!("{}", status_line(Word::Failure, &workspace.spec_name()));
    for line in error.to_string().lines() {
        println!("    {line}");
    }
    println!("error: no file was generated or changed; fix {} and run the command again", workspace.spec_name());
    Status::Failure
}

pub fn run(workspace: &Workspace) -> Status {
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
    if tally.stale > 0 {
        println!("error: generated files are stale; run `{FIX_COMMAND}` and commit the result");
        Status::Stale
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
