//! A project's own levels for rules: `openapi-levels.yaml` beside the spec
//! raises or lowers a rule's level, each with its reason (a team whose
//! clients decode enums closed makes `response-enum-value-added` an
//! error; one whose clients ignore statuses they do not know makes
//! `response-success-status-added` info). Like the accepted-changes file,
//! it is part of the change under review.
//!
//! ```yaml
//! levels:
//!   - rule: response-enum-value-added
//!     level: error
//!     reason: our mobile clients decode enums closed and cannot be updated in time
//! ```

use openapi_compat::{Change, Level};
use openapi_spec::Error;
use serde_json::Value;

/// One rule's level, set by the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The rule id.
    pub rule: String,
    /// The project's level for it.
    pub level: Level,
    /// Why.
    pub reason: String,
}

/// Reads the file's entries; every problem located.
pub fn parse(file: &str, text: &str) -> Result<Vec<Override>, Error> {
    let mut list = crate::accept::ListFile::read(file, text)?;
    let entries = list.entries("levels");
    let mut overrides: Vec<Override> = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let at = format!("/levels/{i}");
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        for key in entry.as_object().into_iter().flatten().map(|(k, _)| k).filter(|k| !matches!(k.as_str(), "rule" | "level" | "reason")) {
            list.problem(format!("{at}/{key}"), format!("unknown key `{key}` (an entry has `rule`, `level` and `reason`)"));
        }
        let (Some(rule), Some(level), Some(reason)) = (text("rule"), text("level"), text("reason")) else {
            list.problem(at, "an entry needs `rule`, `level` and a non-empty `reason`".into());
            continue;
        };
        let level = match level.parse::<Level>() {
            Ok(level) => level,
            Err(message) => {
                list.problem(format!("{at}/level"), message);
                continue;
            }
        };
        match openapi_compat::rule(&rule) {
            None => list.problem(format!("{at}/rule"), format!("unknown rule `{rule}` (see crates/openapi-compat/src/rules.md)")),
            Some(_) if overrides.iter().any(|o| o.rule == rule) => list.problem(format!("{at}/rule"), format!("`{rule}` has a level already")),
            // A change no rule knows has not been judged: it cannot pass unseen.
            Some(r) if r.id == openapi_compat::rules::UNCLASSIFIED.id && level == Level::Info => {
                list.problem(format!("{at}/level"), "`unclassified` changes were judged by no rule: their level is `warning` at least".into())
            }
            Some(_) => overrides.push(Override { rule, level, reason }),
        }
    }
    list.finish(overrides)
}

/// Sets each change's level to the project's, where it has one.
pub fn apply(changes: &mut [Change], overrides: &[Override]) {
    for change in changes {
        if let Some(level) = overrides.iter().find(|o| o.rule == change.rule) {
            change.level = level.level;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_sets_its_rules_level_and_only_its() {
        let overrides = parse("l.yaml", "levels:\n  - rule: response-enum-value-added\n    level: error\n    reason: closed enums\n").unwrap();
        let change = |rule: &'static str| {
            let r = openapi_compat::rule(rule).unwrap();
            Change { rule, verdict: r.verdict, level: r.level, document: openapi_compat::Document::New, pointer: "/x".into(), position: None, operation: None, reason: "r".into() }
        };
        let mut changes = [change("response-enum-value-added"), change("response-success-status-added")];
        apply(&mut changes, &overrides);
        assert_eq!(changes[0].level, Level::Error);
        assert_eq!(changes[1].level, Level::Warning);
    }

    #[test]
    fn mistakes_are_located() {
        let text = "levels:\n  - rule: nope\n    level: error\n    reason: r\n  - rule: operation-added\n    level: loud\n    reason: r\n  - rule: unclassified\n    level: info\n    reason: r\n  - rule: deprecated\n";
        let error = parse("l.yaml", text).unwrap_err().to_string();
        assert!(error.contains("l.yaml:2:5: at /levels/0/rule: unknown rule `nope`"), "{error}");
        assert!(error.contains("l.yaml:6:5: at /levels/1/level: `loud` is not a level"), "{error}");
        assert!(error.contains("l.yaml:9:5: at /levels/2/level: `unclassified` changes"), "{error}");
        assert!(error.contains("at /levels/3: an entry needs"), "{error}");
        assert!(parse("l.yaml", "").unwrap().is_empty());
    }
}
