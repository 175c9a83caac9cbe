//! `utoipa::ToSchema` for every component schema, built from the spec's own
//! schema (converted to OpenAPI 3.1, which utoipa models). Implemented in
//! the types crate (the orphan rule) rather than derived: utoipa's derive
//! would describe `Option` fields as optional where the spec has them
//! required and nullable.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use openapi_spec::to_openapi_31;
use serde_json::Value;

/// The impls for every component schema of `doc`; `types` is the path of
/// the module holding the types.
pub fn utoipa_schemas(doc: &Value, types: &TokenStream) -> TokenStream {
    let impls = doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten().map(|(name, schema)| {
        let ty = format_ident!("{}", name);
        let json = raw_string(&serde_json::to_string_pretty(&to_openapi_31(schema)).unwrap_or_default());
        quote! {
            impl ::utoipa::PartialSchema for #types::#ty {
                fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                    schema(#json)
                }
            }

            impl ::utoipa::ToSchema for #types::#ty {
                fn name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#name)
                }
            }
        }
    });
    quote! {
        #(#impls)*

        /// The schema is the spec's, checked when generated; a failure here
        /// is a generator bug, found by the parity test.
        fn schema(json: &str) -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
            ::serde_json::from_str(json).expect("a generated schema is valid")
        }
    }
}

/// A raw string literal, so the JSON keeps its lines and a schema change is
/// a readable diff.
fn raw_string(text: &str) -> proc_macro2::Literal {
    let hashes = "#".repeat((1..).find(|n| !text.contains(&format!("\"{}", "#".repeat(*n)))).unwrap_or(1));
    format!("r{hashes}\"{text}\"{hashes}").parse().expect("a raw string literal")
}

