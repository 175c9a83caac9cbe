//! Rust names of spec names: the component types as typify names them,
//! response variants after their status.

use heck::ToPascalCase;

use crate::model::StatusKey;

/// The Rust type typify generates for the component schema `name`
/// (typify's own sanitizing: PascalCase, characters outside identifiers
/// as word breaks, an `X` before a leading digit, `_` after a keyword).
pub fn rust_type_name(name: &str) -> String {
    let cased = match name {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => name.replace('\'', "").replace(|c: char| !unicode_ident::is_xid_continue(c), "-").to_pascal_case(),
    };
    let cased = match cased.chars().next() {
        None => "X".to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => cased,
        Some(_) => format!("X{cased}"),
    };
    if syn::parse_str::<syn::Ident>(&cased).is_ok() { cased } else { format!("{cased}_") }
}

/// The response enum's variant for a status: the reason phrase
/// (`NotFound`), `Status299` for a code without one, `ClientError` for
/// `4XX`, `Default` for `default`.
pub(crate) fn variant_of_status(key: StatusKey) -> String {
    match key {
        StatusKey::Code(code) => match http::StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason()) {
            Some(reason) => reason.to_pascal_case(),
            None => format!("Status{code}"),
        },
        StatusKey::Range(1) => "Informational".into(),
        StatusKey::Range(2) => "Success".into(),
        StatusKey::Range(3) => "Redirection".into(),
        StatusKey::Range(4) => "ClientError".into(),
        StatusKey::Range(_) => "ServerError".into(),
        StatusKey::Default => "Default".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_typify_writes_them() {
        assert_eq!(rust_type_name("ErrorBody"), "ErrorBody");
        assert_eq!(rust_type_name("error_body"), "ErrorBody");
        assert_eq!(rust_type_name("v1.Thing-Name"), "V1ThingName");
        assert_eq!(rust_type_name("2fa"), "X2fa");
        assert_eq!(rust_type_name("Self"), "Self_");
    }

    #[test]
    fn variants_after_statuses() {
        assert_eq!(variant_of_status(StatusKey::Code(404)), "NotFound");
        assert_eq!(variant_of_status(StatusKey::Code(299)), "Status299");
        assert_eq!(variant_of_status(StatusKey::Range(4)), "ClientError");
        assert_eq!(variant_of_status(StatusKey::Default), "Default");
    }
}
