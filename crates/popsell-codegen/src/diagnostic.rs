//! Errors that name the file, the JSON pointer and the problem.

use std::fmt;

/// One problem found in a spec, located by a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as given to [`crate::Spec::parse`].
    pub file: String,
    /// RFC 6901 pointer into the document (`""` for the whole document).
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}: at {pointer}: {}", self.file, self.message)
    }
}

/// Why a spec could not be turned into code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is not a valid OpenAPI 3.0 document for this workspace.
    #[error("{} problem(s) in the spec:\n{}", .0.len(), render(.0))]
    Invalid(Vec<Diagnostic>),
    /// The spec is valid but a generator failed on it.
    #[error("{file}: generating {target} failed: {message}")]
    Generation {
        /// The spec file.
        file: String,
        /// The generated file that could not be produced.
        target: String,
        /// The generator's own message.
        message: String,
    },
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a token to a pointer.
pub(crate) fn child(pointer: &str, token: impl AsRef<str>) -> String {
    format!("{pointer}/{}", escape_token(token.as_ref()))
}
