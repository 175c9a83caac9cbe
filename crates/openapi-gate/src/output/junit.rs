//! The report as JUnit XML, which most CI systems show as test results
//! (Jenkins, GitLab, Azure Pipelines, CircleCI): one test suite per run,
//! one test case per rule and place. A finding that fails the run is a
//! `<failure>`; one reported but not failing is a passing case whose
//! `<system-out>` says what it is. Follows Jenkins' `junit-10.xsd`.

use crate::report::{Finding, Report, Severity};

pub fn render(report: &Report) -> String {
    let cases: Vec<String> = report.findings.iter().map(case).collect();
    let failures = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
    let name = format!("openapi {} {}", report.command, report.spec);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!("<testsuites name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n", escape(&name), cases.len().max(1)));
    xml.push_str(&format!("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n", escape(&name), cases.len().max(1)));
    if cases.is_empty() {
        // A run that found nothing is still a passing test.
        xml.push_str(&format!("    <testcase name=\"{}\" classname=\"openapi.contract\"/>\n", escape(&format!("{}: nothing found", report.spec))));
    }
    for case in cases {
        xml.push_str(&case);
    }
    xml.push_str(&format!("    <system-out>{}</system-out>\n", escape(&crate::output::github::summary(report))));
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

fn case(finding: &Finding) -> String {
    let place = match &finding.pointer {
        Some(pointer) if !pointer.is_empty() => format!("{} (#{pointer})", finding.location()),
        _ => finding.location(),
    };
    let level = finding.level.map(|l| format!(" [{}]", l.as_str())).unwrap_or_default();
    let name = escape(&format!("{}{level} at {place}", finding.rule));
    let classname = escape(&format!("openapi.{}", finding.rule));
    let mut text = match &finding.operation {
        Some(operation) => format!("{operation}: {}", finding.message),
        None => finding.message.clone(),
    };
    if let Some(reason) = &finding.accepted {
        text.push_str(&format!(" (accepted: {reason})"));
    }
    if let Some(fix) = &finding.fix {
        text.push_str(&format!("\nFix: {fix}"));
    }
    match finding.severity {
        Severity::Error => format!(
            "    <testcase name=\"{name}\" classname=\"{classname}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
            escape(&finding.message),
            escape(&finding.rule),
            escape(&text)
        ),
        Severity::Warning | Severity::Notice => {
            format!("    <testcase name=\"{name}\" classname=\"{classname}\">\n      <system-out>{}</system-out>\n    </testcase>\n", escape(&text))
        }
    }
}

/// Text for an attribute or element: XML's five characters, and control
/// characters XML 1.0 cannot hold left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_xml_needs() {
        assert_eq!(super::escape("a<b & \"c\"\n\u{1}"), "a&lt;b &amp; &quot;c&quot;&#10;");
    }
}
