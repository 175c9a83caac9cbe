//! Breaking changes accepted on purpose: `openapi-breaking.yaml` beside the
//! spec lists them by rule and pointer, each with its reason. Accepting is
//! a reviewed act: the entry is part of the change under review, and an
//! entry that matches no change is an error (no stale waivers). Entries
//! that were already in the base's file belong to changes that have landed:
//! they accept nothing more and may be deleted.
//!
//! ```yaml
//! accepted:
//!   - rule: request-range-narrowed
//!     pointer: /paths/~1items/get/parameters/0/schema/maximum
//!     reason: values above 50 were never served; agreed with client teams
//! ```

use openapi_compat::{Change, Verdict};
use openapi_spec::source::{self, Position};
use openapi_spec::{Diagnostic, Error};
use serde_json::Value;

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    /// The rule id of the accepted change.
    pub rule: String,
    /// Where the change is (RFC 6901).
    pub pointer: String,
    /// Why it is accepted.
    pub reason: String,
    /// Where the entry is written.
    pub position: Option<Position>,
}

impl Acceptance {
    fn same(&self, other: &Acceptance) -> bool {
        self.rule == other.rule && self.pointer == other.pointer
    }

    /// Whether this entry accepts `change` (same rule and place).
    pub fn matches(&self, change: &Change) -> bool {
        self.rule == change.rule && self.pointer == change.pointer
    }
}

/// The entries of a gate file of one key holding a list (`accepted:`,
/// `levels:`): the YAML read, each entry with its pointer, and a way to
/// report a located problem. `None` when the text is no YAML.
pub struct ListFile {
    /// Its name in messages.
    pub file: String,
    /// Its content.
    pub value: Value,
    /// Where each value is written.
    pub map: source::SourceMap,
    /// The problems found so far.
    pub problems: Vec<Diagnostic>,
}

impl ListFile {
    /// Parses `text` (YAML or JSON).
    pub fn read(file: &str, text: &str) -> Result<ListFile, Error> {
        let (value, map) = source::parse(text).map_err(|e| {
            Error::Invalid(vec![Diagnostic { file: file.to_owned(), pointer: e.pointer, position: e.position, message: e.message }])
        })?;
        Ok(ListFile { file: file.to_owned(), value, map, problems: Vec::new() })
    }

    /// Records a problem at `pointer`.
    pub fn problem(&mut self, pointer: String, message: String) {
        self.problems.push(Diagnostic { file: self.file.clone(), position: self.map.position(&pointer), pointer, message });
    }

    /// The items of the list under `key`, cloned (the file is small).
    pub fn entries(&mut self, key: &str) -> Vec<Value> {
        let value = self.value.clone();
        match &value {
            Value::Null => Vec::new(),
            Value::Object(top) => {
                for other in top.keys().filter(|k| *k != key) {
                    self.problem(format!("/{other}"), format!("unknown key `{other}` (the file has one key, `{key}`)"));
                }
                match top.get(key) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(entries)) => entries.clone(),
                    Some(_) => {
                        self.problem(format!("/{key}"), format!("`{key}` must be a list"));
                        Vec::new()
                    }
                }
            }
            _ => {
                self.problem(String::new(), format!("expected a mapping with the key `{key}`"));
                Vec::new()
            }
        }
    }

    /// `items`, or every problem found.
    pub fn finish<T>(self, items: T) -> Result<T, Error> {
        if self.problems.is_empty() { Ok(items) } else { Err(Error::Invalid(self.problems)) }
    }
}

/// Reads the file's entries; every problem located.
pub fn parse(file: &str, text: &str) -> Result<Vec<Acceptance>, Error> {
    let mut list = ListFile::read(file, text)?;
    let entries = list.entries("accepted");
    let mut accepted = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let at = format!("/accepted/{i}");
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        for key in entry.as_object().into_iter().flatten().map(|(k, _)| k).filter(|k| !matches!(k.as_str(), "rule" | "pointer" | "reason")) {
            list.problem(format!("{at}/{key}"), format!("unknown key `{key}` (an entry has `rule`, `pointer` and `reason`)"));
        }
        let (Some(rule), Some(pointer), Some(reason)) = (text("rule"), entry.get("pointer").and_then(Value::as_str), text("reason")) else {
            list.problem(at, "an entry needs `rule`, `pointer` and a non-empty `reason`".into());
            continue;
        };
        match openapi_compat::rule(&rule) {
            None => list.problem(format!("{at}/rule"), format!("unknown rule `{rule}` (see crates/openapi-compat/src/rules.md)")),
            Some(r) if r.verdict == Verdict::Compatible => list.problem(format!("{at}/rule"), format!("`{rule}` is compatible: there is nothing to accept")),
            Some(_) if !(pointer.is_empty() || pointer.starts_with('/')) => {
                list.problem(format!("{at}/pointer"), format!("`{pointer}` is not a JSON pointer (it starts with `/`)"))
            }
            Some(_) => accepted.push(Acceptance { rule, pointer: pointer.to_owned(), reason, position: list.map.position(&at) }),
        }
    }
    list.finish(accepted)
}

/// How the entries judge a list of changes.
#[derive(Debug, Default)]
pub struct Judgement {
    /// Per change: the reason it was accepted, if it was.
    pub accepted: Vec<Option<String>>,
    /// Entries of this change that match nothing: errors.
    pub stale: Vec<Acceptance>,
    /// Entries already in the base's file: landed, ignored.
    pub landed: Vec<Acceptance>,
}

/// Judges `changes` with the entries of the file as it is now (`current`)
/// and as it was at the base (`base`).
pub fn judge(changes: &[Change], current: &[Acceptance], base: &[Acceptance]) -> Judgement {
    let mut judgement = Judgement { accepted: vec![None; changes.len()], ..Judgement::default() };
    for entry in current {
        if base.iter().any(|b| b.same(entry)) {
            judgement.landed.push(entry.clone());
            continue;
        }
        let mut matched = false;
        for (change, accepted) in changes.iter().zip(&mut judgement.accepted) {
            // Any change that can fail a gate (`warning` and above) can be accepted.
            if entry.matches(change) && change.level > openapi_compat::Level::Info {
                *accepted = Some(entry.reason.clone());
                matched = true;
            }
        }
        if !matched {
            judgement.stale.push(entry.clone());
        }
    }
    judgement
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "accepted:\n  - rule: parameter-removed\n    pointer: /paths/~1a/get/parameters/0\n    reason: never used\n";

    fn change(rule: &'static str, pointer: &str) -> Change {
        let verdict = openapi_compat::rule(rule).unwrap().verdict;
        Change { rule, verdict, level: openapi_compat::rule(rule).unwrap().level, document: openapi_compat::Document::Old, pointer: pointer.into(), position: None, operation: None, reason: "r".into() }
    }

    #[test]
    fn an_entry_accepts_its_change_and_only_it() {
        let entries = parse("openapi-breaking.yaml", FILE).unwrap();
        assert_eq!(entries[0].position, Some(Position { line: 2, column: 5 }));
        let changes = [change("parameter-removed", "/paths/~1a/get/parameters/0"), change("parameter-removed", "/paths/~1a/get/parameters/1")];
        let judgement = judge(&changes, &entries, &[]);
        assert_eq!(judgement.accepted, [Some("never used".to_owned()), None]);
        assert!(judgement.stale.is_empty() && judgement.landed.is_empty());
    }

    #[test]
    fn an_entry_that_matches_nothing_is_stale_unless_it_landed() {
        let entries = parse("openapi-breaking.yaml", FILE).unwrap();
        assert_eq!(judge(&[], &entries, &[]).stale, entries);
        let landed = judge(&[], &entries, &entries);
        assert!(landed.stale.is_empty());
        assert_eq!(landed.landed, entries);
    }

    #[test]
    fn mistakes_are_located() {
        let error = parse("f.yaml", "accepted:\n  - rule: operation-added\n    pointer: /x\n    reason: r\n  - rule: nope\n").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("f.yaml:2:5: at /accepted/0/rule: `operation-added` is compatible"), "{text}");
        assert!(text.contains("f.yaml:5:5: at /accepted/1: an entry needs"), "{text}");
        assert!(parse("f.yaml", "").unwrap().is_empty());
        assert!(parse("f.yaml", "accepted: []\n").unwrap().is_empty());
    }
}
