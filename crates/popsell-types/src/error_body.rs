//! The error body of the API (`ErrorBody`), written by hand: Laravel sends
//! `message` before `errors`, and a derived type would serialize its
//! fields in alphabetical order. Its JSON Schema snapshot (`tests/schemas.rs`) is the one the
//! generated type had.

use std::collections::BTreeMap;

/// The error body of every 4xx response. `errors` is present on validation errors (422) only.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, bon::Builder)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct ErrorBody {
    /// Human-readable message. Its text is not part of the contract.
    pub message: String,
    /// Validation messages by parameter name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[builder(default)]
    pub errors: BTreeMap<String, Vec<String>>,
}
