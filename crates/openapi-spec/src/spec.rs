//! Loading: YAML text to a JSON value (for pointers and schema validation),
//! a source map (for `line:column`), and the typed `openapiv3` model (for
//! the generators).

use crate::diagnostic::{Diagnostic, Error};
use crate::pointer::escape;
use crate::source::{self, SourceMap};

/// A parsed spec: its name, its JSON value, where each value is written,
/// and its typed model.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The name used in messages (`openapi.yaml`, `1a2b3c4:openapi.yaml`).
    pub file: String,
    /// The document as JSON, for pointers and JSON Schema validation.
    pub json: serde_json::Value,
    /// The typed document the generators read.
    pub openapi: openapiv3::OpenAPI,
    /// Where each pointer is written in the text.
    pub source: SourceMap,
}

impl Spec {
    /// Parses YAML (or JSON) text and checks it against the official
    /// OpenAPI 3.0 JSON Schema, then reads the typed model. Every problem is
    /// reported with a pointer and a position; [`crate::validate`] adds the
    /// semantic checks (`$ref`s, examples).
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        let (json, source) = source::parse(text).map_err(|e| {
            Error::Invalid(vec![Diagnostic { file: file.to_owned(), pointer: e.pointer, position: e.position, message: e.message }])
        })?;
        let located = |pointer: String, message: String| Diagnostic {
            file: file.to_owned(),
            position: source.position(&pointer),
            pointer,
            message,
        };
        // The schema names the place; the typed model, parsed even when the
        // schema fails, often names the reason (`unknown variant body`).
        let mut problems: Vec<Diagnostic> =
            crate::validate::against_openapi_schema(&json).into_iter().map(|(pointer, message)| located(pointer, message)).collect();
        let openapi = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&json)
            .map_err(|e| located(path_to_pointer(e.path()), format!("not an OpenAPI 3.0 document: {}", e.inner())));
        match openapi {
            Ok(openapi) if problems.is_empty() => Ok(Spec { file: file.to_owned(), json, openapi, source }),
            Ok(_) => Err(Error::Invalid(problems)),
            Err(problem) => {
                problems.push(problem);
                Err(Error::Invalid(problems))
            }
        }
    }

    /// A diagnostic about this spec, located.
    pub fn diagnostic(&self, pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        let pointer = pointer.into();
        Diagnostic { file: self.file.clone(), position: self.source.position(&pointer), pointer, message: message.into() }
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", escape(key))),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}
