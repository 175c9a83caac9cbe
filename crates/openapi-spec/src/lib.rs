//! One reading of an OpenAPI 3.0 document for every tool of the workspace:
//! the text parsed once into JSON, a source map (`line:column` of every
//! pointer) and the typed `openapiv3` model ([`Spec`]); validation against
//! the official schema, local `$ref`s and examples ([`validate`]); one
//! resolver and one operation iterator ([`document`]); the one typed model
//! of operations and parameters, schema facts included ([`model`]), with
//! the generators' Rust names ([`names`]); the normalized operation table
//! ([`normalize`]). Generic: it knows OpenAPI, not any one
//! API. No I/O: text in, values and diagnostics out.

#![warn(missing_docs)]

mod diagnostic;
pub mod document;
pub mod model;
pub mod names;
pub mod normalize;
pub mod pointer;
pub mod source;
mod spec;
mod to31;
mod validate;

pub use diagnostic::{Diagnostic, Error};
pub use source::{Position, SourceMap};
pub use spec::{Document, Spec};
pub use to31::to_openapi_31;
pub use validate::{to_json_schema, unresolved_refs, validate};
