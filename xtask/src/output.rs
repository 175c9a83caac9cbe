//! Everything the commands print: cargo-style status lines, unified diffs,
//! summaries, and the exit codes CI relies on. A [`Report`] renders in six
//! formats: `human` (status lines), `json` (the report itself), `github`
//! (workflow commands, so annotations sit on the changed line),
//! `markdown` (a pull-request comment or a step summary), `sarif` (code
//! scanning) and `junit` (CI test reports).

use std::io::IsTerminal;

use crate::report::Report;

pub(crate) mod github;
mod human;
mod junit;
mod markdown;
mod sarif;

/// How a report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Status lines, breaking changes first (coloured on a terminal).
    Human,
    /// One JSON document (its schema: xtask/report.schema.json).
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…`), then a summary line.
    Github,
    /// A Markdown table, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// SARIF 2.1.0, for code scanning (each finding a result with its rule, level and place).
    Sarif,
    /// JUnit XML, for CI test reports (a test case per rule and place; failing ones fail).
    Junit,
}

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Human => human::render(report),
        Format::Json => serde_json::to_string_pretty(report).expect("a report is JSON") + "\n",
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
    }
}

/// Exit codes: distinct for "breaks clients", "nothing to compare with",
/// "regenerate" and "an input is broken".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Status {
    Ok = 0,
    /// A breaking or unclassified change that nothing accepts.
    Breaking = 1,
    /// No base, where a comparison is required.
    NoBase = 3,
    /// A generated file is stale.
    Stale = 4,
    /// An invalid input, or a generator failed.
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
    Unclassified,
    Warning,
    Accepted,
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
            Word::Unclassified => "Unclassified",
            Word::Warning => "Warning",
            Word::Accepted => "Accepted",
            Word::Compatible => "Compatible",
            Word::Passed => "Passed",
        }
    }

    fn color(self) -> &'static str {
        match self {
            Word::Fresh | Word::Valid | Word::Updated | Word::Comparing | Word::Compatible | Word::Accepted | Word::Passed => "\x1b[1;32m",
            Word::Stale | Word::Unclassified | Word::Warning => "\x1b[1;33m",
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
    label("warning", "\x1b[1;33m", text)
}

/// `error: {text}`, the label in bold red as cargo does.
pub fn error(text: &str) -> String {
    label("error", "\x1b[1;31m", text)
}

/// `note: {text}`.
pub fn note(text: &str) -> String {
    label("note", "\x1b[1;36m", text)
}

fn label(label: &str, color: &str, text: &str) -> String {
    if colored() { format!("{color}{label}\x1b[0m: {text}") } else { format!("{label}: {text}") }
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
}
