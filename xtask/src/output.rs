//! Everything the commands print: cargo-style status lines, unified diffs,
//! summaries, and the exit codes CI relies on. `compat` renders spec
//! compatibility reports.

use std::io::IsTerminal;

pub mod compat;

/// Exit codes (distinct for "regenerate", "breaks clients" and "the spec
/// is broken").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Ok = 0,
    Breaking = 1,
    Stale = 4,
    Failure = 100,
}

/// The command that brings generated files up to date.
pub const FIX_COMMAND: &str = "cargo xtask codegen";

#[derive(Clone, Copy)]
pub enum Word {
    Fresh,
    Stale,
    Failure,
    Updated,
    Valid,
    Comparing,
    Breaking,
    Compatible,
    Passed,
}

impl Word {
    fn text(self) -> &'static str {
        match self {
            Word::Fresh => "Fresh",
            Word::Stale => "Stale",
            Word::Failure => "Failure",
            Word::Updated => "Updated",
            Word::Valid => "Valid",
            Word::Comparing => "Comparing",
            Word::Breaking => "Breaking",
            Word::Compatible => "Compatible",
            Word::Passed => "Passed",
        }
    }

    fn color(self) -> &'static str {
        match self {
            Word::Fresh | Word::Valid | Word::Updated | Word::Comparing | Word::Compatible | Word::Passed => "\x1b[1;32m",
            Word::Stale => "\x1b[1;33m",
            Word::Failure | Word::Breaking => "\x1b[1;31m",
        }
    }
}

fn colored() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `       Fresh crates/x/src/generated.rs`, the word right-aligned as cargo does.
pub fn status_line(word: Word, subject: &str) -> String {
    if colored() {
        format!("{}{:>12}\x1b[0m {subject}", word.color(), word.text())
    } else {
        format!("{:>12} {subject}", word.text())
    }
}

/// `warning: {text}`, the label in bold yellow as cargo does.
pub fn warning(text: &str) -> String {
    if colored() { format!("\x1b[1;33mwarning\x1b[0m: {text}") } else { format!("warning: {text}") }
}

/// A unified diff from the committed text to the expected one.
pub fn unified_diff(path: &str, committed: &str, expected: &str) -> String {
    let diff = similar::TextDiff::from_lines(committed, expected);
    let text = diff.unified_diff().context_radius(3).header(&format!("a/{path} (committed)"), &format!("b/{path} (generated)")).to_string();
    if !colored() {
        return text;
    }
    text.lines()
        .map(|line| match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => format!("\x1b[32m{line}\x1b[0m"),
            Some(b'-') if !line.starts_with("---") => format!("\x1b[31m{line}\x1b[0m"),
            Some(b'@') => format!("\x1b[36m{line}\x1b[0m"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Counts of one run, for the summary line.
#[derive(Default)]
pub struct Tally {
    pub fresh: usize,
    pub stale: usize,
    pub failed: usize,
}

impl Tally {
    pub fn summary(&self, noun: &str) -> String {
        let total = self.fresh + self.stale + self.failed;
        format!("{total} {noun} checked: {} fresh, {} stale, {} failed", self.fresh, self.stale, self.failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_both_sides_and_the_change() {
        let diff = unified_diff("x.rs", "a\nb\n", "a\nc\n");
        assert!(diff.contains("--- a/x.rs (committed)"), "{diff}");
        assert!(diff.contains("+++ b/x.rs (generated)"), "{diff}");
        assert!(diff.contains("-b\n+c\n"), "{diff}");
    }

    #[test]
    fn summary_counts_every_kind() {
        let tally = Tally { fresh: 1, stale: 2, failed: 0 };
        assert_eq!(tally.summary("files"), "3 files checked: 1 fresh, 2 stale, 0 failed");
    }
}
