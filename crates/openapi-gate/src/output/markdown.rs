//! The report as Markdown: a headline, a table of findings, the fixes.
//! For a pull-request comment or `$GITHUB_STEP_SUMMARY`.

use crate::report::{ChangeLevel, ChangeVerdict, Finding, Kind, Outcome, Report, Severity};

pub fn render(report: &Report) -> String {
    let headline = match report.status {
        Outcome::Ok => "passed",
        Outcome::Breaking => "breaking change",
        Outcome::NoBase => "no base to compare with",
        Outcome::Stale => "generated code is stale",
        Outcome::Failure => "invalid input",
    };
    let mut text = format!("### OpenAPI contract: {headline}\n\n");
    let s = &report.summary;
    match &report.base {
        Some(base) => text.push_str(&format!(
            "`{}` compared with `{}`: **{} error**, {} warning, {} info ({} unclassified), {} accepted; fails on `{}` and above.\n",
            report.spec,
            base.label,
            s.error,
            s.warning,
            s.info,
            s.unclassified,
            s.accepted,
            report.fail_on.as_str()
        )),
        None => text.push_str(&format!("`{}`: not compared with a base.\n", report.spec)),
    }
    if report.command == "check" {
        text.push_str(&format!("Generated files: {} fresh, {} stale.\n", s.fresh_files, s.stale_files));
    }
    let rows: Vec<&Finding> = report.findings.iter().filter(|f| f.kind != Kind::StaleFile).collect();
    if !rows.is_empty() {
        text.push_str("\n| | Rule | Where | Operation | What |\n|---|---|---|---|---|\n");
        for finding in &rows {
            let pointer = finding.pointer.as_deref().filter(|p| finding.kind == Kind::Problem && !p.is_empty());
            let what = match pointer {
                Some(pointer) => format!("{} (at `{pointer}`)", finding.message),
                None => finding.message.clone(),
            };
            text.push_str(&format!(
                "| {} | `{}` | `{}` | {} | {} |\n",
                mark(finding),
                cell(&finding.rule),
                cell(&finding.location()),
                finding.operation.as_deref().map(|o| format!("`{}`", cell(o))).unwrap_or_default(),
                cell(&what),
            ));
        }
    }
    for finding in report.findings.iter().filter(|f| f.kind == Kind::StaleFile) {
        text.push_str(&format!(
            "\n<details><summary>Stale: <code>{}</code></summary>\n\n```diff\n{}```\n</details>\n",
            finding.path,
            finding.diff.as_deref().unwrap_or_default()
        ));
    }
    let fixes: Vec<&str> = report.findings.iter().filter(|f| f.severity == Severity::Error).filter_map(|f| f.fix.as_deref()).collect();
    if let Some(fix) = fixes.first() {
        text.push_str(&format!("\n**To fix:** {}\n", cell(fix)));
    }
    text
}

fn mark(finding: &Finding) -> &'static str {
    match (finding.severity, finding.accepted.is_some(), finding.verdict, finding.level) {
        (_, true, _, _) => "accepted",
        (_, _, Some(ChangeVerdict::Unclassified), _) => "**unclassified**",
        (_, _, _, Some(ChangeLevel::Error)) => "**error**",
        (_, _, _, Some(ChangeLevel::Warning)) => "warning",
        (_, _, _, Some(ChangeLevel::Info)) => "info",
        (Severity::Error, _, _, None) => "**error**",
        (Severity::Warning, _, _, None) => "warning",
        (Severity::Notice, _, _, None) => "note",
    }
}

/// A table cell: pipes escaped, one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
