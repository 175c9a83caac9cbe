//! A compatibility report (`cargo xtask openapi diff`, and the base check
//! of `cargo xtask check`): breaking changes first, as status lines or as
//! JSON for bots.

use popsell_codegen::compat::{Change, Verdict};
use popsell_codegen::{Diagnostic, Error};
use serde_json::json;

use super::{Word, status_line, warning};

/// The two documents compared, as named in messages.
pub struct Sides<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

/// Breaking changes first, each group in document order.
pub fn sorted(mut changes: Vec<Change>) -> Vec<Change> {
    changes.sort_by_key(|change| change.verdict);
    changes
}

fn count(n: usize, verdict: &str) -> String {
    format!("{n} {verdict} change{}", if n == 1 { "" } else { "s" })
}

fn breaking_count(changes: &[Change]) -> usize {
    changes.iter().filter(|c| c.is_breaking()).count()
}

/// Where a change is: `file#pointer` in the document it points into.
fn location(sides: &Sides<'_>, change: &Change) -> String {
    let file = match change.document {
        popsell_codegen::compat::Document::Old => sides.old,
        popsell_codegen::compat::Document::New => sides.new,
    };
    format!("{file}#{}", change.pointer)
}

/// The report as status lines, a summary and, when something breaks, an
/// error line.
pub fn human(sides: &Sides<'_>, changes: &[Change]) -> String {
    let mut lines = vec![status_line(Word::Comparing, &format!("{} with {}", sides.old, sides.new))];
    for change in changes {
        let word = match change.verdict {
            Verdict::Breaking => Word::Breaking,
            Verdict::Compatible => Word::Compatible,
        };
        let subject = match &change.operation {
            Some(operation) => format!("{} {operation}", change.rule),
            None => change.rule.to_owned(),
        };
        lines.push(status_line(word, &subject));
        lines.push(format!("{:>12} {}", "", change.reason));
        lines.push(format!("{:>12} at {}", "", location(sides, change)));
    }
    let breaking = breaking_count(changes);
    lines.push(format!("{}, {}", count(breaking, "breaking"), count(changes.len() - breaking, "compatible")));
    if breaking > 0 {
        lines.push(format!("error: the spec change breaks existing clients ({})", count(breaking, "breaking")));
    }
    lines.join("\n") + "\n"
}

/// The report as one JSON document.
pub fn json(sides: &Sides<'_>, changes: &[Change]) -> String {
    let breaking = breaking_count(changes);
    let report = json!({
        "old": sides.old,
        "new": sides.new,
        "breaking": breaking,
        "compatible": changes.len() - breaking,
        "changes": changes,
    });
    serde_json::to_string_pretty(&report).expect("a report is JSON") + "\n"
}

fn diagnostics(error: &Error) -> Vec<Diagnostic> {
    match error {
        Error::Invalid(diagnostics) => diagnostics.clone(),
        Error::Generation { file, message, .. } => vec![Diagnostic { file: file.clone(), pointer: String::new(), message: message.clone() }],
    }
}

/// An input that could not be compared, as status lines.
pub fn human_error(error: &Error) -> String {
    let file = diagnostics(error).first().map(|d| d.file.clone()).unwrap_or_default();
    let mut lines = vec![status_line(Word::Failure, &file)];
    lines.extend(error.to_string().lines().map(|line| format!("    {line}")));
    lines.push("error: nothing was compared; fix the input and run the command again".to_owned());
    lines.join("\n") + "\n"
}

/// An input that could not be compared, as JSON.
pub fn json_error(error: &Error) -> String {
    let problems: Vec<_> = diagnostics(error).into_iter().map(|d| json!({ "file": d.file, "pointer": d.pointer, "message": d.message })).collect();
    serde_json::to_string_pretty(&json!({ "error": "invalid input", "problems": problems })).expect("an error is JSON") + "\n"
}

/// What `cargo xtask check` prints about the base: one status line, then a
/// warning per breaking change.
pub fn base_check(spec: &str, base: &str, changes: &[Change]) -> String {
    let breaking: Vec<&Change> = changes.iter().filter(|c| c.is_breaking()).collect();
    if breaking.is_empty() {
        return status_line(Word::Compatible, &format!("{spec} against {base}: no breaking change")) + "\n";
    }
    let mut lines = vec![status_line(Word::Breaking, &format!("{spec} against {base}: {}", count(breaking.len(), "breaking")))];
    for change in breaking {
        let operation = change.operation.as_deref().map(|o| format!("{o}: ")).unwrap_or_default();
        lines.push(warning(&format!("{operation}{} [{}] at {}", change.reason, change.rule, change.pointer)));
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use popsell_codegen::compat::Document;

    use super::*;

    fn change(rule: &'static str, verdict: Verdict, document: Document) -> Change {
        Change { rule, verdict, document, pointer: "/paths/~1a/get".into(), operation: Some("GET /a (a)".into()), reason: "why".into() }
    }

    #[test]
    fn breaking_changes_come_first_and_name_their_document() {
        let changes = sorted(vec![
            change("operation-added", Verdict::Compatible, Document::New),
            change("operation-removed", Verdict::Breaking, Document::Old),
        ]);
        let text = human(&Sides { old: "main:openapi.yaml", new: "openapi.yaml" }, &changes);
        let breaking = text.find("Breaking operation-removed GET /a (a)").expect(&text);
        let compatible = text.find("Compatible operation-added GET /a (a)").expect(&text);
        assert!(breaking < compatible, "{text}");
        assert!(text.contains("at main:openapi.yaml#/paths/~1a/get\n"), "{text}");
        assert!(text.contains("at openapi.yaml#/paths/~1a/get\n"), "{text}");
        assert!(
            text.ends_with("1 breaking change, 1 compatible change\nerror: the spec change breaks existing clients (1 breaking change)\n"),
            "{text}"
        );
    }

    #[test]
    fn json_counts_and_lists_every_change() {
        let changes = vec![change("operation-removed", Verdict::Breaking, Document::Old)];
        let value: serde_json::Value = serde_json::from_str(&json(&Sides { old: "a.yaml", new: "b.yaml" }, &changes)).unwrap();
        assert_eq!(value["breaking"], 1);
        assert_eq!(value["compatible"], 0);
        assert_eq!(value["changes"][0]["rule"], "operation-removed");
        assert_eq!(value["changes"][0]["verdict"], "breaking");
        assert_eq!(value["changes"][0]["document"], "old");
    }
}
