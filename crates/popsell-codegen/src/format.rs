//! Token streams to committed source text, under the header every
//! generated file of `cargo xtask codegen` carries.

use proc_macro2::TokenStream;

/// Formats `tokens` as a file that starts with the `@generated` header.
pub(crate) fn rust_file(tokens: TokenStream, spec_file: &str, what: &str) -> Result<String, String> {
    openapi_server_gen::standalone::rust_file(tokens, &header(spec_file, what))
}

/// The first lines of every generated file.
pub(crate) fn header(spec_file: &str, what: &str) -> String {
    openapi_server_gen::standalone::header("cargo xtask codegen", spec_file, what)
}
