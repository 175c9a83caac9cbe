//! The report as GitHub Actions workflow commands: each finding becomes an
//! annotation on its file and line (a removal in the base is annotated at
//! the base's line, on the work-tree path), then one summary line.
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>

use crate::report::{Report, Severity};

pub fn render(report: &Report) -> String {
    let mut lines = Vec::new();
    for finding in &report.findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        let mut properties = vec![format!("file={}", property(&finding.path))];
        if let Some(line) = finding.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = finding.column {
            properties.push(format!("col={column}"));
        }
        let title = match finding.level {
            Some(level) => format!("{} ({})", finding.rule, level.as_str()),
            None => finding.rule.clone(),
        };
        properties.push(format!("title={}", property(&title)));
        let mut message = match &finding.operation {
            Some(operation) => format!("{operation}: {}", finding.message),
            None => finding.message.clone(),
        };
        if finding.kind == crate::report::Kind::Problem
            && let Some(pointer) = finding.pointer.as_deref().filter(|p| !p.is_empty())
        {
            message.push_str(&format!(" (at {pointer})"));
        }
        if finding.file != finding.path {
            message.push_str(&format!(" (line {} of the base, {})", finding.line.unwrap_or(0), finding.file));
        }
        if let Some(reason) = &finding.accepted {
            message.push_str(&format!(" (accepted: {reason})"));
        }
        if let Some(fix) = &finding.fix {
            message.push_str(&format!("\nFix: {fix}"));
        }
        lines.push(format!("::{command} {}::{}", properties.join(","), data(&message)));
    }
    lines.push(summary(report));
    lines.join("\n") + "\n"
}

/// `openapi.yaml: 1 error, 0 warning, 2 info (0 unclassified), 0 accepted; fail on error; 0 problems; 0 stale files; exit 1 (breaking)`.
pub(crate) fn summary(report: &Report) -> String {
    let s = &report.summary;
    let status = serde_json::to_value(report.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    format!(
        "{}: {} error, {} warning, {} info ({} unclassified), {} accepted; fail on {}; {} problems; {} stale files; exit {} ({status})",
        report.spec,
        s.error,
        s.warning,
        s.info,
        s.unclassified,
        s.accepted,
        report.fail_on.as_str(),
        s.problems,
        s.stale_files,
        report.exit_code
    )
}

/// Escapes a message (`%`, CR, LF).
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(data("100% done\nnext"), "100%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
