//! `utoipa::ToSchema` for every component schema, built from the spec's own
//! schema (converted to OpenAPI 3.1, which utoipa models). Implemented in
//! the types crate (the orphan rule) rather than derived: utoipa's derive
//! would describe `Option` fields as optional where the spec has them
//! required and nullable.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use openapi_spec::to_openapi_31;
use serde_json::Value;

use crate::Error;
use crate::server::raw_string;
use crate::utoipa_json::{for_utoipa, unreadable};

/// The impls for every component schema of `doc`; `types` is the path of
/// the module holding the types. A schema utoipa's model cannot hold is
/// refused with its pointer.
pub fn utoipa_schemas(doc: &Value, types: &TokenStream) -> Result<TokenStream, Vec<Error>> {
    let mut errors = Vec::new();
    let mut impls = Vec::new();
    for (name, schema) in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
        let converted = for_utoipa(&to_openapi_31(schema));
        if let Some(reason) = unreadable(&converted) {
            errors.push(Error::at(openapi_spec::pointer::child("/components/schemas", name), format!("utoipa's document model cannot hold this schema: {reason}")));
            continue;
        }
        let ty = format_ident!("{}", crate::rust_type_name(name));
        let json = raw_string(&serde_json::to_string_pretty(&converted).unwrap_or_default());
        impls.push(quote! {
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
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(quote! {
        #(#impls)*

        /// The schema is the spec's, read by this utoipa when generated (a
        /// schema it cannot read is refused then): the fallback is not reached.
        fn schema(json: &str) -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
            ::serde_json::from_str(json).unwrap_or_else(|_| ::utoipa::openapi::ObjectBuilder::new().into())
        }
    })
}


