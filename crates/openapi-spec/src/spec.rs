//! Loading: text to a JSON value (for pointers and schema validation) and a
//! source map (for `line:column`), checked against the official schema: a
//! [`Document`]; then, for the generators, the typed `openapiv3` model: a
//! [`Spec`]. Comparing documents needs no typed model, and a document the
//! official schema accepts is never refused for the model's sake.

use crate::diagnostic::{Diagnostic, Error};
use crate::pointer::escape;
use crate::source::{self, SourceMap};

/// A document read and checked against the official OpenAPI 3.0 schema:
/// its name, its JSON value and where each value is written.
#[derive(Debug, Clone)]
pub struct Document {
    /// The name used in messages (`openapi.yaml`, `1a2b3c4:openapi.yaml`).
    pub file: String,
    /// The document as JSON, for pointers and JSON Schema validation.
    pub json: serde_json::Value,
    /// Where each pointer is written in the text.
    pub source: SourceMap,
}

/// A parsed spec: its [`Document`] and its typed model.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The document: name, JSON value, positions.
    pub document: Document,
    /// The typed document the generators read.
    pub openapi: openapiv3::OpenAPI,
}

impl std::ops::Deref for Spec {
    type Target = Document;

    fn deref(&self) -> &Document {
        &self.document
    }
}

impl Document {
    /// Parses YAML or JSON text and checks it against the official OpenAPI
    /// 3.0 JSON Schema. Every problem is reported with a pointer and a
    /// position.
    pub fn read(file: &str, text: &str) -> Result<Document, Error> {
        let document = Document::parse_text(file, text)?;
        let problems = document.schema_problems();
        if problems.is_empty() { Ok(document) } else { Err(Error::Invalid(problems)) }
    }

    fn parse_text(file: &str, text: &str) -> Result<Document, Error> {
        let (json, source) = source::parse(text).map_err(|e| {
            Error::Invalid(vec![Diagnostic { file: file.to_owned(), pointer: e.pointer, position: e.position, message: e.message }])
        })?;
        Ok(Document { file: file.to_owned(), json, source })
    }

    fn schema_problems(&self) -> Vec<Diagnostic> {
        crate::validate::against_openapi_schema(&self.json).into_iter().map(|(pointer, message)| self.diagnostic(pointer, message)).collect()
    }

    /// A diagnostic about this document, located.
    pub fn diagnostic(&self, pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        let pointer = pointer.into();
        Diagnostic { file: self.file.clone(), position: self.source.position(&pointer), pointer, message: message.into() }
    }
}

impl Spec {
    /// Parses YAML (or JSON) text and checks it against the official
    /// OpenAPI 3.0 JSON Schema, then reads the typed model. Every problem is
    /// reported with a pointer and a position; [`crate::validate`] adds the
    /// semantic checks (`$ref`s, examples).
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        let document = Document::parse_text(file, text)?;
        // The schema names the place; the typed model, parsed even when the
        // schema fails, often names the reason (`unknown variant body`).
        let mut problems = document.schema_problems();
        let openapi = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document.json)
            .map_err(|e| document.diagnostic(path_to_pointer(e.path()), format!("not an OpenAPI 3.0 document: {}", e.inner())));
        match openapi {
            Ok(openapi) if problems.is_empty() => Ok(Spec { document, openapi }),
            Ok(_) => Err(Error::Invalid(problems)),
            Err(problem) => {
                problems.push(problem);
                Err(Error::Invalid(problems))
            }
        }
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
