//! Spec-first code generation for the Popsell workspace.
//!
//! `openapi.yaml` is loaded ([`Spec::parse`], from the generic
//! `openapi-spec` crate), validated ([`validate`]: the OpenAPI checks plus
//! the generators' own rules) and turned into the full set of generated
//! files ([`generate`]) entirely in memory. This crate does no I/O:
//! `xtask` reads the spec, compares the [`GeneratedFile`]s with the tree
//! and writes them.

mod builders;
mod client_patch;
mod format;
mod generate;
mod rules;

pub use generate::{GeneratedFile, generate};
pub use openapi_spec::{Diagnostic, Error, Spec};
pub use rules::validate;

/// The extension that marks a header parameter as set once on the client
/// (by its builder) rather than passed on every call.
pub const CLIENT_SCOPED_EXTENSION: &str = "x-client-scoped";
