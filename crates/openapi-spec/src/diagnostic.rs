//! Errors that name the file, the place (`line:column`, and the JSON
//! pointer) and the problem.

use std::fmt;

use crate::source::Position;

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The spec file, as given to [`crate::Spec::parse`].
    pub file: String,
    /// RFC 6901 pointer into the document (`""` for the whole document).
    pub pointer: String,
    /// Where the pointer is written in the file, when known.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with no known position.
    pub fn new(file: impl Into<String>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), pointer: pointer.into(), position: None, message: message.into() }
    }

    /// `file:line:column`, or `file` when the position is unknown.
    pub fn location(&self) -> String {
        match self.position {
            Some(position) => format!("{}:{position}", self.file),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}: at {pointer}: {}", self.location(), self.message)
    }
}

/// Why a spec could not be read, or turned into code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is not a valid OpenAPI 3.0 document (for this use).
    #[error("{} problem(s) in {}:\n{}", .0.len(), files(.0), render(.0))]
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

impl Error {
    /// The problems, one per finding (a generator failure is one, at the
    /// document).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Invalid(diagnostics) => diagnostics.clone(),
            Error::Generation { file, target, message } => {
                vec![Diagnostic::new(file.clone(), "", format!("generating {target} failed: {message}"))]
            }
        }
    }

    /// The file the (first) problem is in.
    pub fn file(&self) -> String {
        match self {
            Error::Invalid(diagnostics) => diagnostics.first().map(|d| d.file.clone()).unwrap_or_default(),
            Error::Generation { file, .. } => file.clone(),
        }
    }
}

fn files(diagnostics: &[Diagnostic]) -> String {
    let mut files: Vec<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
    files.dedup();
    if files.is_empty() { "the spec".to_owned() } else { files.join(", ") }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
}
