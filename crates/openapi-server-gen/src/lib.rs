//! A server-stub generator: an OpenAPI 3.0 document (as JSON) in, Rust
//! tokens out. It reads operations, parameter locations, schemas and status
//! codes, never the names of one particular API, and has no I/O.
//!
//! For each operation it emits typed parameter structs (with utoipa
//! `IntoParams`), a request struct, a response enum with one variant per
//! documented status (`IntoResponse`), an axum handler annotated with
//! `#[utoipa::path]`, and one method of the `Api` trait; then a `router`
//! and the `ApiDoc` utoipa document. [`utoipa_schemas`] emits the
//! `ToSchema` impls of the component schemas, for the types crate.
//!
//! The generated code calls a runtime crate (`openapi-server-runtime`) for
//! what does not depend on the spec: raw request parts, parameter parsing
//! and messages, bearer extraction, error bodies.

#![warn(missing_docs)]

mod model;
mod schemas;
mod server;
mod spec;

use proc_macro2::TokenStream;

pub use schemas::utoipa_schemas;
pub use server::server;

/// Paths the generated code refers to.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The module or crate holding the component schemas as Rust types.
    pub types: TokenStream,
    /// The runtime crate.
    pub runtime: TokenStream,
}

/// What the generator cannot turn into code, with the JSON pointer.
#[derive(Debug, thiserror::Error)]
#[error("at {pointer}: {message}")]
pub struct Error {
    /// Where in the document (RFC 6901).
    pub pointer: String,
    /// What the generator cannot do there.
    pub message: String,
}

impl Error {
    pub(crate) fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error { pointer: pointer.into(), message: message.into() }
    }
}
