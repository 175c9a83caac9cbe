//! Spec-first code generation for the Popsell workspace.
//!
//! `openapi.yaml` is loaded ([`Spec::parse`]), validated ([`validate`]) and
//! turned into the full set of generated files ([`generate`]) entirely in
//! memory. This crate does no I/O: `xtask` reads the spec, compares the
//! [`GeneratedFile`]s with the tree and writes them.

pub mod compat;
mod diagnostic;
mod format;
mod generate;
pub mod normalize;
mod spec;
mod validate;

pub use diagnostic::{Diagnostic, Error};
pub use generate::{FIXTURES_CRATE, GeneratedFile, generate, generate_fixture};
pub use spec::Spec;
pub use validate::validate;

/// The extension that marks a header parameter as set once on the client
/// (by its builder) rather than passed on every call.
pub const CLIENT_SCOPED_EXTENSION: &str = "x-client-scoped";
