//! Builders for the generated structs, so that a new optional property of
//! the spec (wire-compatible) does not break the Rust code that builds
//! values: every struct gets `#[derive(bon::Builder)]` and
//! `#[non_exhaustive]`.
//!
//! bon's builders are typestate: an `Option` field, or a field with a
//! serde default, may be left out (`None`, the default); every other field
//! must be set, and leaving one out is a compile error that names it. So a
//! new optional property adds a setter and breaks nothing; a new required
//! one breaks the builders that do not set it, at compile time.
//! `#[non_exhaustive]` keeps code outside the types crate from writing
//! struct literals that a new field would break (and tells
//! cargo-semver-checks that adding a field is not a major change).
//!
//! typify builds the structs; this pass only adds attributes, on the syntax
//! tree, before formatting. For the types crate it also puts the
//! `schemars::JsonSchema` derives behind its `schemars` feature: clients
//! never need JSON Schemas at run time.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Fields, Item, parse_quote};

/// `tokens` (typify's output) with builders on every struct with named
/// fields; with `schemars_feature`, `JsonSchema` derived only under the
/// crate's `schemars` feature.
pub(crate) fn with_builders(tokens: TokenStream, schemars_feature: bool) -> Result<TokenStream, String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("typify's output does not parse: {e}"))?;
    if schemars_feature {
        for item in &mut file.items {
            match item {
                Item::Struct(item) => gate_json_schema(&mut item.attrs),
                Item::Enum(item) => gate_json_schema(&mut item.attrs),
                _ => {}
            }
        }
    }
    for item in &mut file.items {
        let Item::Struct(item) = item else { continue };
        let Fields::Named(fields) = &mut item.fields else { continue };
        for field in &mut fields.named {
            let optional = matches!(&field.ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
            if !optional && has_serde_default(&field.attrs) {
                field.attrs.push(parse_quote!(#[builder(default)]));
            }
        }
        item.attrs.push(parse_quote!(#[derive(::bon::Builder)]));
        item.attrs.push(parse_quote!(#[builder(on(::std::string::String, into))]));
        item.attrs.push(parse_quote!(#[non_exhaustive]));
    }
    Ok(quote!(#file))
}

/// `#[derive(.., ::schemars::JsonSchema, ..)]` loses `JsonSchema`, which is
/// derived under `#[cfg_attr(feature = "schemars", ..)]` instead.
fn gate_json_schema(attrs: &mut Vec<syn::Attribute>) {
    let mut found = false;
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) else { continue };
        let kept: Vec<&syn::Path> = paths.iter().filter(|p| p.segments.last().is_none_or(|s| s.ident != "JsonSchema")).collect();
        if kept.len() != paths.len() {
            found = true;
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    if found {
        attrs.push(parse_quote!(#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]));
    }
}

/// `#[serde(default)]` or `#[serde(default = "...")]` among the attributes.
fn has_serde_default(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("serde")).any(|a| {
        let mut found = false;
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                found = true;
            }
            // Skip the value of `key = "..."` items.
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_schema_can_be_put_behind_a_feature() {
        let tokens = quote! {
            #[derive(::schemars::JsonSchema, Clone, Debug)]
            pub enum E { X }
        };
        let text = prettyplease::unparse(&syn::parse2(with_builders(tokens, true).unwrap()).unwrap());
        assert!(text.contains("#[derive(Clone, Debug)]\n#[cfg_attr(feature = \"schemars\", derive(::schemars::JsonSchema))]\npub enum E"), "{text}");
    }

    #[test]
    fn structs_get_a_builder_and_defaults_where_serde_has_them() {
        let tokens = quote! {
            pub struct A {
                pub id: i64,
                #[serde(default, skip_serializing_if = "::std::collections::BTreeMap::is_empty")]
                pub errors: ::std::collections::BTreeMap<String, String>,
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub note: ::std::option::Option<String>,
            }
            pub enum E { X }
        };
        let text = prettyplease::unparse(&syn::parse2(with_builders(tokens, false).unwrap()).unwrap());
        assert!(text.contains("#[derive(::bon::Builder)]\n#[builder(on(::std::string::String, into))]\n#[non_exhaustive]\npub struct A"), "{text}");
        assert!(text.contains("#[builder(default)]\n    pub errors"), "{text}");
        assert!(!text.contains("#[builder(default)]\n    pub note"), "{text}");
        assert!(!text.contains("#[builder(default)]\n    pub id"), "{text}");
        assert!(text.contains("pub enum E"), "{text}");
    }
}
