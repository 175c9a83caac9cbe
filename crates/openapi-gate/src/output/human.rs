//! The report as cargo-style status lines: what a person reads in a
//! terminal or a CI log.

use super::{Styles, Word};
use crate::report::{ChangeLevel, ChangeVerdict, Finding, Kind, Outcome, Report, Severity};

pub fn render(report: &Report, styles: &Styles) -> String {
    let mut lines = Vec::new();
    let problems: Vec<&Finding> = report.findings.iter().filter(|f| f.kind == Kind::Problem).collect();
    if let Some(first) = problems.first() {
        lines.push(styles.status_line(Word::Failure, &first.file));
        lines.push(format!("    {} problem(s):", problems.len()));
        for problem in &problems {
            let pointer = problem.pointer.as_deref().filter(|p| !p.is_empty()).unwrap_or("/");
            lines.push(format!("      {}: at {pointer}: {}", problem.location(), problem.message));
        }
        let fix = first.fix.as_deref().unwrap_or("fix the input and run the command again");
        lines.push(styles.error(fix));
        return lines.join("\n") + "\n";
    }
    if report.command == "check" {
        check_files(report, &mut lines, styles);
    }
    if let Some(base) = &report.base {
        if report.command == "check" {
            base_check(report, base, &mut lines, styles);
        } else {
            diff(report, &base.file, &mut lines, styles);
        }
    }
    for finding in &report.findings {
        match finding.kind {
            Kind::NoBase if finding.severity == Severity::Error => lines.push(styles.error(&format!("{}; {}", finding.message, finding.fix.as_deref().unwrap_or_default()))),
            Kind::NoBase => lines.push(styles.note(&finding.message)),
            Kind::StaleAcceptance => lines.push(located(finding, &format!("{} (rule `{}`, pointer `{}`)", finding.message, finding.rule, finding.pointer.as_deref().unwrap_or_default()), styles)),
            Kind::LandedAcceptance => lines.push(styles.note(&format!("{}: {}", finding.location(), finding.message))),
            Kind::RustApi => lines.push(located(finding, &format!("Rust API of the generated crates: {}", finding.message), styles)),
            _ => {}
        }
    }
    match report.status {
        Outcome::Stale => lines.push(styles.error(&format!("generated files are stale; run `{}` and commit the result", styles.fix_command))),
        Outcome::Breaking if report.command == "check" => lines.push(styles.error(
            "the spec breaks existing clients and --deny-breaking is set; make the change compatible, or accept it in openapi-breaking.yaml",
        )),
        Outcome::Breaking => {
            let count = report.failing_changes();
            let kind = match report.fail_on {
                ChangeLevel::Error => "breaking change",
                _ => "breaking change or warning",
            };
            lines.push(styles.error(&format!("the spec change breaks existing clients ({}; failing on `{}` and above)", plural(count, kind), report.fail_on.as_str())));
        }
        Outcome::Failure => lines.push(styles.error("fix openapi-breaking.yaml and run the command again")),
        Outcome::Ok | Outcome::NoBase => {}
    }
    lines.join("\n") + "\n"
}

fn located(finding: &Finding, text: &str, styles: &Styles) -> String {
    let text = format!("{}: {text}", finding.location());
    match finding.severity {
        Severity::Error => styles.error(&text),
        Severity::Warning => styles.warning(&text),
        Severity::Notice => styles.note(&text),
    }
}

fn check_files(report: &Report, lines: &mut Vec<String>, styles: &Styles) {
    lines.push(styles.status_line(Word::Valid, &report.spec));
    for file in &report.files {
        if file.fresh {
            lines.push(styles.status_line(Word::Fresh, &file.path));
        } else {
            lines.push(styles.status_line(Word::Stale, &file.path));
            let diff = report.findings.iter().find(|f| f.kind == Kind::StaleFile && f.path == file.path).and_then(|f| f.diff.as_deref());
            lines.push(diff.unwrap_or_default().trim_end().to_owned());
        }
    }
    let s = &report.summary;
    lines.push(format!("{} generated files checked: {} fresh, {} stale, 0 failed", s.fresh_files + s.stale_files, s.fresh_files, s.stale_files));
}

fn changes(report: &Report) -> impl Iterator<Item = &Finding> {
    report.findings.iter().filter(|f| f.kind == Kind::Change)
}

/// What `check` prints about the base: a status line, then a line per
/// change that fails the gate.
fn base_check(report: &Report, base: &crate::report::BaseInfo, lines: &mut Vec<String>, styles: &Styles) {
    let failing: Vec<&Finding> = changes(report).filter(|f| f.accepted.is_none() && f.level > Some(ChangeLevel::Info)).collect();
    if failing.is_empty() {
        let accepted = report.summary.accepted;
        let tail = if accepted > 0 { format!(" ({} accepted)", plural(accepted, "breaking change")) } else { String::new() };
        lines.push(styles.status_line(Word::Compatible, &format!("{} against {}: no breaking change{tail}", report.spec, base.label)));
        return;
    }
    lines.push(styles.status_line(Word::Breaking, &format!("{} against {}: {}", report.spec, base.label, counts(report))));
    for finding in failing {
        let operation = finding.operation.as_deref().map(|o| format!("{o}: ")).unwrap_or_default();
        lines.push(located(finding, &format!("{operation}{} [{}]", finding.message, finding.rule), styles));
    }
}

/// The whole comparison: every change, breaking ones first.
fn diff(report: &Report, old: &str, lines: &mut Vec<String>, styles: &Styles) {
    lines.push(styles.status_line(Word::Comparing, &format!("{old} with {}", report.spec)));
    let rank = |f: &&Finding| match (f.accepted.is_some(), f.verdict, f.level) {
        (false, _, Some(ChangeLevel::Error)) => 0,
        (false, _, Some(ChangeLevel::Warning)) => 1,
        (true, _, _) => 2,
        _ => 3,
    };
    let mut sorted: Vec<&Finding> = changes(report).collect();
    sorted.sort_by_key(rank);
    for finding in sorted {
        let word = match (finding.accepted.is_some(), finding.verdict, finding.level) {
            (true, _, _) => Word::Accepted,
            (false, Some(ChangeVerdict::Unclassified), _) => Word::Unclassified,
            (false, _, Some(ChangeLevel::Error)) => Word::Breaking,
            (false, _, Some(ChangeLevel::Warning)) => Word::Warning,
            _ => Word::Compatible,
        };
        let level = finding.level.map_or("", ChangeLevel::as_str);
        let subject = match &finding.operation {
            Some(operation) => format!("{} [{level}] {operation}", finding.rule),
            None => format!("{} [{level}]", finding.rule),
        };
        lines.push(styles.status_line(word, &subject));
        lines.push(format!("{:>12} {}", "", finding.message));
        lines.push(format!("{:>12} at {} (#{})", "", finding.location(), finding.pointer.as_deref().unwrap_or_default()));
        if let Some(reason) = &finding.accepted {
            lines.push(format!("{:>12} accepted: {reason}", ""));
        }
    }
    lines.push(counts(report));
}

fn counts(report: &Report) -> String {
    let s = &report.summary;
    let mut text = format!("{} (error), {}, {}", plural(s.error, "breaking change"), plural(s.warning, "warning"), plural(s.info, "compatible change"));
    if s.unclassified > 0 {
        text.push_str(&format!(" ({} unclassified)", s.unclassified));
    }
    if s.accepted > 0 {
        text.push_str(&format!(", {} accepted", s.accepted));
    }
    text
}

pub(crate) fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
