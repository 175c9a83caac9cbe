//! A server-stub generator: an OpenAPI 3.0 document (as JSON) in, Rust
//! tokens out. Generic: it reads operations, parameters, bodies,
//! responses and security schemes, never the names of one particular
//! API, and has no I/O.
//!
//! For each operation it emits typed parameter structs (with utoipa
//! `IntoParams`), a request struct, a response enum with one variant per
//! documented status, range (`4XX`) or `default` (`IntoResponse`), an axum
//! handler annotated with `#[utoipa::path]`, and one method of the `Api`
//! trait; then a `router` and the `ApiDoc` utoipa document.
//! [`utoipa_schemas`] emits the `ToSchema` impls of the component schemas,
//! for the types crate; [`standalone`] makes a whole crate of a spec.
//!
//! The generated code calls a runtime crate (`openapi-server-runtime`) for
//! what does not depend on the spec: raw request parts, parameter and body
//! parsing, credentials, neutral rejections. What a rejection's body says
//! is the API's: a type implementing the runtime's `ErrorFormat`, named in
//! [`Settings::error_format`], or the service's `Api::rejection_body`.

#![warn(missing_docs)]

mod model;
mod names;
mod schemas;
mod server;
pub mod standalone;
mod utoipa_json;

use proc_macro2::TokenStream;

pub use names::rust_type_name;
pub use schemas::utoipa_schemas;
pub use server::{parameter_table, server};

/// Paths and choices of the generated code.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The module or crate holding the component schemas as Rust types.
    pub types: TokenStream,
    /// The runtime crate.
    pub runtime: TokenStream,
    /// The API's error format: the body of the answers the server gives
    /// itself. `None`: the service implements `Api::rejection_body`.
    pub error_format: Option<ErrorFormat>,
    /// The status of invalid input when the spec documents both 400 and
    /// 422, or neither (then through `4XX` or `default`); when it
    /// documents one of them, that one.
    pub validation_status: u16,
    /// A constant of the runtime's `Settings` (how a key sent twice and a
    /// boolean are read), as seen from the generated module. `None`: the
    /// runtime's neutral settings.
    pub request_settings: Option<TokenStream>,
}

impl Settings {
    /// Types at `types`, the runtime at `runtime`, no error format, 400
    /// for invalid input unless the spec says otherwise, neutral request
    /// settings.
    pub fn new(types: TokenStream, runtime: TokenStream) -> Self {
        Settings { types, runtime, error_format: None, validation_status: 400, request_settings: None }
    }
}

/// A type implementing the runtime's `ErrorFormat`, and the component
/// schema its `Body` is: every response the server answers itself must
/// declare that schema, or generation fails with the pointer.
#[derive(Clone, Debug)]
pub struct ErrorFormat {
    /// The type's path, as seen from the generated module.
    pub path: TokenStream,
    /// The component schema (`ErrorBody` for `#/components/schemas/ErrorBody`).
    pub schema: String,
}

/// What the generator cannot turn into code, with the JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
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
