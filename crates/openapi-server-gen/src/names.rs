//! Rust names of spec names: the component types as typify names them
//! (from `openapi_spec::names`), response variants after their status.

use heck::ToPascalCase;

use crate::model::StatusKey;

/// The Rust type typify generates for the component schema `name`
/// (one rule for every generator: `openapi_spec::names`).
pub use openapi_spec::names::typify_type as rust_type_name;

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
    fn variants_after_statuses() {
        assert_eq!(variant_of_status(StatusKey::Code(404)), "NotFound");
        assert_eq!(variant_of_status(StatusKey::Code(299)), "Status299");
        assert_eq!(variant_of_status(StatusKey::Range(4)), "ClientError");
        assert_eq!(variant_of_status(StatusKey::Default), "Default");
    }
}
