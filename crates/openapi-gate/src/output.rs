//! Everything the commands print: cargo-style status lines, unified diffs,
//! summaries, and the exit codes CI relies on. A [`Report`] renders in six
//! formats: `human` (status lines), `json` (the report itself), `github`
//! (workflow commands, so annotations sit on the changed line),
//! `markdown` (a pull-request comment or a step summary), `sarif` (code
//! scanning) and `junit` (CI test reports).

use std::io::IsTerminal;

use crate::report::Report;

pub(crate) mod github;
#[cfg(test)]
mod colour_tests;
mod human;
mod junit;
mod markdown;
mod sarif;

/// How a report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Status lines, breaking changes first (coloured on a terminal).
    Human,
    /// One JSON document (its schema: report.schema.json of openapi-gate).
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
pub fn render(report: &Report, format: Format, styles: &Styles) -> String {
    match format {
        Format::Human => human::render(report, styles),
        Format::Json => serde_json::to_string_pretty(report).expect("a report is JSON") + "\n",
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
    }
}

/// How the text is styled, chosen once by the caller (`--color`) and
/// handed to every renderer: no renderer looks at the terminal itself.
#[derive(Clone, Copy, Debug)]
pub struct Styles {
    /// ANSI colours.
    pub color: bool,
    /// The command that brings generated files up to date, as the project
    /// names it (said when a generated file is stale).
    pub fix_command: &'static str,
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colours when the output is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colours (even piped, even with `NO_COLOR`).
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a terminal (`is_terminal`) or not.
    pub fn colors(self, is_terminal: bool) -> bool {
        self.decide(is_terminal, std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
    }

    /// <https://no-color.org>: a non-empty `NO_COLOR` turns `auto` off.
    fn decide(self, is_terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        }
    }
}

impl Styles {
    /// Plain text.
    pub const PLAIN: Styles = Styles { color: false, fix_command: "the code generator" };

    /// Styles for standard output, by `choice`.
    pub fn for_stdout(choice: ColorChoice, fix_command: &'static str) -> Styles {
        Styles { color: choice.colors(std::io::stdout().is_terminal()), fix_command }
    }
}

/// The word of a status line.
#[derive(Clone, Copy)]
#[allow(missing_docs)]
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

impl Styles {
    /// `       Fresh crates/x/src/generated.rs`, the word right-aligned as cargo does.
    pub fn status_line(&self, word: Word, subject: &str) -> String {
        if self.color {
            format!("{}{:>12}\x1b[0m {subject}", word.color(), word.text())
        } else {
            format!("{:>12} {subject}", word.text())
        }
    }

    /// `warning: {text}`, the label in bold yellow as cargo does.
    pub fn warning(&self, text: &str) -> String {
        self.label("warning", "\x1b[1;33m", text)
    }

    /// `error: {text}`, the label in bold red as cargo does.
    pub fn error(&self, text: &str) -> String {
        self.label("error", "\x1b[1;31m", text)
    }

    /// `note: {text}`.
    pub fn note(&self, text: &str) -> String {
        self.label("note", "\x1b[1;36m", text)
    }

    fn label(&self, label: &str, color: &str, text: &str) -> String {
        if self.color { format!("{color}{label}\x1b[0m: {text}") } else { format!("{label}: {text}") }
    }

    /// A unified diff from the committed text to the expected one.
    pub fn unified_diff(&self, path: &str, committed: &str, expected: &str) -> String {
        let diff = similar::TextDiff::from_lines(committed, expected);
        let text = diff.unified_diff().context_radius(3).header(&format!("a/{path} (committed)"), &format!("b/{path} (generated)")).to_string();
        if !self.color {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_both_sides_and_the_change() {
        let diff = Styles::PLAIN.unified_diff("x.rs", "a\nb\n", "a\nc\n");
        assert!(diff.contains("--- a/x.rs (committed)"), "{diff}");
        assert!(diff.contains("+++ b/x.rs (generated)"), "{diff}");
        assert!(diff.contains("-b\n+c\n"), "{diff}");
    }
}
