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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
///
/// Keyed by a 64-bit hash of the pointer's tokens, built token by token as
/// the reader descends (`SourceMap::child`): reading a document of
/// megabytes builds no pointer strings. Two pointers of one document
/// sharing a hash is as likely as a collision of 64 random bits; the price
/// would be a wrong line in a message, never a wrong verdict.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    positions: HashMap<u64, Position, BuildHasherDefault<Prehashed>>,
}

/// The key of the document itself.
const ROOT: u64 = 0xcbf2_9ce4_8422_2325;

impl SourceMap {
    /// The position of `pointer`, or of its nearest ancestor that has one
    /// (a value reached through a YAML alias is located at the alias).
    pub fn position(&self, pointer: &str) -> Option<Position> {
        let mut keys = vec![ROOT];
        for token in pointer.split('/').skip(1) {
            let token = if token.contains('~') { std::borrow::Cow::Owned(crate::pointer::unescape(token)) } else { std::borrow::Cow::Borrowed(token) };
            let parent = *keys.last().expect("the root is first");
            keys.push(SourceMap::child(parent, &token));
        }
        keys.iter().rev().find_map(|key| self.positions.get(key).copied())
    }

    /// The key of the document itself.
    pub(crate) fn root() -> u64 {
        ROOT
    }

    /// The key of `token` (unescaped) below the value whose key is `parent`.
    pub(crate) fn child(parent: u64, token: &str) -> u64 {
        // FNV-1a over the token, seeded by the parent and closed by a
        // separator no token byte can be.
        let mut hash = parent ^ 0x9e37_79b9_7f4a_7c15;
        for byte in token.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        (hash ^ 0x1ff).wrapping_mul(0x0000_0100_0000_01b3)
    }

    pub(crate) fn insert(&mut self, key: u64, position: Position) {
        self.positions.insert(key, position);
    }

    /// The key of a pointer string (readers that build them anyway).
    pub(crate) fn key(pointer: &str) -> u64 {
        pointer.split('/').skip(1).fold(ROOT, |key, token| SourceMap::child(key, &crate::pointer::unescape(token)))
    }
}

/// The keys are hashes already: used as they are.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 << 8) | u64::from(*byte);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
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

/// `(line, column)` of a pointer, for the readers' tests.
#[cfg(test)]
fn at(map: &SourceMap, pointer: &str) -> (usize, usize) {
    let p = map.position(pointer).unwrap_or_else(|| panic!("no position for {pointer}"));
    (p.line, p.column)
}
