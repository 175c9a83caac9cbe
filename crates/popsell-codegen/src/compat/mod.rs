//! Compatibility of a spec change for existing clients: which changes
//! between two OpenAPI 3.0 documents break clients built against the old
//! one, and which do not.
//!
//! [`diff`] walks both documents from their operations: parameters and
//! request bodies are the *request* side, responses the *response* side.
//! Local `$ref`s are followed (component schemas are matched by name), so
//! a change inside a component is found wherever an operation reaches it,
//! and judged by the side it is reached from: a component used on both
//! sides gets both sides' rules. Each change is reported once, with the
//! first operation (in document order) that reaches it.
//!
//! Rules, by direction:
//!
//! - **Request side** (what clients send): removing or restricting what was
//!   accepted is breaking (an enum value removed, a parameter or property
//!   made required or added as required, `null` no longer allowed);
//!   widening is compatible (an enum value added, something made optional).
//! - **Response side** (what clients receive): widening what may arrive is
//!   breaking (an enum value added, a required property made optional or
//!   removed, a value made nullable); narrowing is compatible (an enum value
//!   removed: clients never receive it; a property added: unknown keys are
//!   ignored).
//! - **Both sides**: a type or format change is breaking; a `$ref` moved to
//!   another schema is breaking unless both schemas have the same
//!   normalized shape (documentation, key order and `required` order aside).
//!
//! Operations are matched by method and path as written (renaming a path
//! parameter removes an operation and adds another), parameters by location
//! and name. Read-only properties are left out on the request side,
//! write-only ones on the response side. Not compared: bounds (`minimum`, `maxLength`, ...), patterns,
//! defaults, security, response headers, and schemas no operation reaches.
//!
//! The full table ([`RULES`]):
//!
#![doc = include_str!("rules.md")]

mod rules;
mod schema;
mod walk;

use serde::Serialize;
use serde_json::Value;

pub use rules::{Document, RULES, Rule, Verdict, markdown_table, rule};

use crate::diagnostic::{Error, child};
use crate::spec::Spec;

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The [`Rule`] id (`operation-removed`).
    pub rule: &'static str,
    /// The rule's verdict.
    pub verdict: Verdict,
    /// The document [`Change::pointer`] points into: old for removals.
    pub document: Document,
    /// RFC 6901 pointer to the changed place.
    pub pointer: String,
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

/// Every change from `old` to `new` (OpenAPI 3.0 documents as JSON), in
/// document order. Documents should come from [`load`]: an unresolved
/// `$ref` is compared as an empty schema.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    walk::Walk::new(old, new).run()
}

/// Parses a spec ([`Spec::parse`]) and checks that every `$ref` is local
/// and resolves, which [`diff`] needs; the generator's own rules are not
/// applied.
pub fn load(file: &str, text: &str) -> Result<Spec, Error> {
    let spec = Spec::parse(file, text)?;
    let mut problems = Vec::new();
    refs(&spec.json, "", &mut |pointer, target| match target.strip_prefix('#') {
        Some(local) if spec.json.pointer(local).is_some() => {}
        Some(_) => problems.push(spec.diagnostic(pointer, format!("$ref `{target}` does not resolve"))),
        None => problems.push(spec.diagnostic(pointer, format!("external $ref `{target}` is not supported"))),
    });
    if problems.is_empty() { Ok(spec) } else { Err(Error::Invalid(problems)) }
}

fn refs(value: &Value, pointer: &str, f: &mut impl FnMut(String, &str)) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(target)) => f(child(pointer, key), target),
                    _ => refs(v, &child(pointer, key), f),
                }
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| refs(v, &child(pointer, i.to_string()), f)),
        _ => {}
    }
}
