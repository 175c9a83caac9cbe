//! Compatibility of a change between two OpenAPI 3.0 documents for the
//! clients built against the old one: every difference is either matched
//! by a rule of [`RULES`] (breaking or compatible, with its reason) or
//! reported as [`rules::UNCLASSIFIED`], so that nothing a rule does not
//! know passes as compatible.
//!
//! [`diff`] walks both documents from their operations: parameters and
//! request bodies are the *request* side, responses the *response* side.
//! Local `$ref`s are followed (component schemas are matched by name), so a
//! change inside a component is found wherever an operation reaches it,
//! and judged by the side it is reached from: a component used on both
//! sides gets both sides' rules. `allOf` members are merged before they are
//! compared (as oasdiff's `--flatten-allof`), and both nullable-`$ref`
//! idioms (`anyOf: [$ref, {enum: [null]}]`, `nullable: true` + `allOf:
//! [$ref]`) read as the referenced schema plus `null`. Each change is
//! reported once, with the first operation (in document order) that reaches
//! it. Operations are matched by method and path template with parameter
//! names left out (a renamed path parameter changes no URL); parameters by
//! location and name (header names case-insensitively). Components no
//! operation reaches are compared as a whole.
//!
//! Every object the walk visits has a list of the keys its rules judge;
//! any other key that differs is documentation (`description`, `example`,
//! ...), an extension (`x-...`), or unclassified.
//!
//! The full table ([`RULES`], rendered in `rules.md`):
//!
#![doc = include_str!("rules.md")]
#![warn(missing_docs)]

mod reach;
pub mod reduce;
pub mod rules;
mod schema;
mod schemas;
mod security;
mod servers;
mod subject;
mod unchanged;
mod walk;

use openapi_spec::{Error, Position};
use serde::Serialize;
use serde_json::Value;

pub use rules::{Level, RULES, Rule, Side, Verdict, markdown_table, rule};

/// The document a change's pointer points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Document {
    /// The old document: the change is a removal.
    Old,
    /// The new document: an addition or a change.
    New,
}

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The [`Rule`] id (`operation-removed`).
    pub rule: &'static str,
    /// The rule's verdict.
    pub verdict: Verdict,
    /// How much it matters: the rule's level, unless a gate set another.
    pub level: Level,
    /// The document [`Change::pointer`] points into: old for removals.
    pub document: Document,
    /// RFC 6901 pointer to the changed place.
    pub pointer: String,
    /// Where the pointer is written in that document, when known.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// `GET /path (operationId)`, when an operation is concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// What changed, in one line.
    pub reason: String,
}

impl Change {
    /// Whether the change breaks existing clients.
    pub fn is_breaking(&self) -> bool {
        self.verdict == Verdict::Breaking
    }
}

/// Every change from `old` to `new`, in document order, each located in
/// the source of the document it points into.
pub fn diff(old: &openapi_spec::Document, new: &openapi_spec::Document) -> Vec<Change> {
    let mut changes = diff_values(&old.json, &new.json);
    for change in &mut changes {
        let source = match change.document {
            Document::Old => &old.source,
            Document::New => &new.source,
        };
        change.position = source.position(&change.pointer);
    }
    changes
}

/// Every change from `old` to `new` (OpenAPI 3.0 documents as JSON), in
/// document order, without positions. Documents should be valid ([`load`]):
/// an unresolved `$ref` is compared as an empty schema.
pub fn diff_values(old: &Value, new: &Value) -> Vec<Change> {
    walk::Walk::new(old, new).run()
}

/// Reads a document ([`openapi_spec::Document::read`]: YAML or JSON,
/// checked against the official OpenAPI 3.0 schema) and checks that every
/// `$ref` is local and resolves, which [`diff`] needs. No other rule (the
/// typed model's, examples, the generators' own) is applied: any document
/// the official schema accepts compares.
pub fn load(file: &str, text: &str) -> Result<openapi_spec::Document, Error> {
    let document = openapi_spec::Document::read(file, text)?;
    let problems = openapi_spec::unresolved_refs(&document);
    if problems.is_empty() { Ok(document) } else { Err(Error::Invalid(problems)) }
}
