//! Text to a JSON value and a map from JSON pointers to where they are
//! written, in one pass, so that every finding about the document can name
//! `file:line:column`.
//!
//! A document whose first character is `{` or `[` is read as **JSON**
//! (RFC 8259: every escape, surrogate pairs included, numbers of any size,
//! any depth), anything else as **YAML** 1.2 with the core schema. JSON is
//! not quite a subset of YAML: a YAML reader refuses the surrogate-pair
//! escapes JSON allows (`"\ud83d\udc4d"`), so a JSON document is never
//! handed to one. A YAML flow mapping that is not JSON (`{a: 1}`) is still
//! read as YAML.

use rustc_hash::FxHashMap;

mod json;
mod yaml;

/// A place in the source text: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Where each value of the document is written. A mapping member is
/// located at its key (where a reader's eye goes: `maximum: 50`), a
/// sequence item at its first character.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Keyed by pointers this process builds, never by input: a fast,
    /// unkeyed hash is safe.
    positions: FxHashMap<String, Position>,
}

impl SourceMap {
    /// The position of `pointer`, or of its nearest ancestor that has one
    /// (a value reached through a YAML alias is located at the alias).
    pub fn position(&self, pointer: &str) -> Option<Position> {
        let mut pointer = pointer;
        loop {
            if let Some(position) = self.positions.get(pointer) {
                return Some(*position);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }

    fn insert(&mut self, pointer: String, position: Position) {
        self.positions.insert(pointer, position);
    }
}

/// Why the text is not a document this reader accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The pointer of the value being read (`""` for the document).
    pub pointer: String,
    /// Where in the text.
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
}

/// The syntax a text is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// RFC 8259 JSON.
    Json,
    /// YAML 1.2, core schema.
    Yaml,
}

/// The syntax `text` is read with: JSON when its first character (after a
/// byte-order mark and white space) opens an object or an array.
pub fn syntax(text: &str) -> Syntax {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with(['{', '[']) { Syntax::Json } else { Syntax::Yaml }
}

/// Parses `text` into its JSON value and its source map.
pub fn parse(text: &str) -> Result<(serde_json::Value, SourceMap), SyntaxError> {
    match syntax(text) {
        Syntax::Yaml => yaml::parse(text),
        // A flow-style YAML document (`{a: 1}`) also starts with `{`: it
        // is read as YAML when it is not JSON; the JSON error is the one
        // reported when neither reads it.
        Syntax::Json => json::parse(text).or_else(|json_error| yaml::parse(text).map_err(|_| json_error)),
    }
}
