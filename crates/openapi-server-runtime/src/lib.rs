//! The runtime of the server stubs that `openapi-server-gen` generates: what
//! every operation needs and no spec describes. Generated code calls it;
//! services never need to.
//!
//! - [`RequestParts`]: the raw path, query and headers of a request, taken
//!   without any rejection, so that every problem becomes the spec's error
//!   body rather than axum's plain text;
//! - [`Validator`]: parses each parameter from its raw text by the rules
//!   the generator read from the spec (type, bounds, required, default),
//!   and collects every problem, keyed by parameter name;
//! - [`bearer`]: the `Authorization: Bearer` token or a 401;
//! - [`ErrorResponse`]: the `{"message", "errors"}` body of every error;
//! - [`request_url`]: the request's URL as sent, for links a service builds.

#![warn(missing_docs)]

mod auth;
mod error;
mod json;
mod params;
pub mod request_url;

pub use auth::{BearerToken, bearer};
pub use error::{ErrorResponse, method_not_allowed, not_found};
pub use json::{json_document, json_response};
pub use params::{Invalid, Kind, Location, ParamSpec, RequestParts, Validator};

/// Re-exported for generated code.
#[doc(hidden)]
pub mod reexports {
    pub use axum;
    pub use serde_json;
}
