//! The runtime of the server stubs that `openapi-server-gen` generates:
//! what every operation needs and no spec describes. Generic: it knows
//! OpenAPI and HTTP, not any one API, and answers no text of its own.
//!
//! - [`RequestParts`]: the raw path, query, headers and cookies of a
//!   request, taken without any rejection, so that every problem becomes
//!   the spec's error body rather than axum's plain text;
//! - [`Validator`]: parses each parameter from its raw text by the rules
//!   the generator read from the spec (type, bounds, lengths, enums,
//!   arrays, `deepObject`) and the body by its media type, and collects
//!   every problem; a platform's habits (a key sent twice, `1`/`0` for
//!   booleans) are [`Settings`] the API chooses, neutral by default;
//! - [`bearer`], [`basic`], [`api_key`]: credentials as the security
//!   schemes send them;
//! - [`Rejection`]: what was refused and why, in neutral terms; the API's
//!   [`ErrorFormat`] (or its service) writes the spec's error body;
//! - [`json_response`], [`raw_response`], [`with_header`]: responses;
//! - [`serve`]: the router on the open network: timeouts, limits, load
//!   shedding, graceful stop, every transport answer in the API's format;
//! - [`request_url`]: the request's URL as sent, for links a service builds.

#![warn(missing_docs)]

mod accept;
mod auth;
mod body;
mod document;
mod json;
mod params;
mod pattern;
mod rejection;
pub mod request_url;
mod serve;

pub use accept::Accept;
pub use auth::{ApiKey, BasicCredentials, BearerToken, KeyIn, api_key, basic, bearer};
pub use body::{BodyFormat, BodySpec, RawBody, body_format, is_json};
pub use document::{patch_document, status, status_in};
pub use json::{json_document, json_response, raw_response, with_header};
pub use params::{ArrayStyle, Booleans, Bounds, Invalid, Kind, ParamSpec, RepeatedHeader, RepeatedKey, RequestParts, Settings, Validator};
pub use serve::{ErrorBodies, Transport, serve, stop_signal};
pub use rejection::{ErrorFormat, Expected, Location, Member, Problem, Reason, Rejection, Rule};

/// Re-exported for generated code.
#[doc(hidden)]
pub mod reexports {
    pub use axum;
    pub use serde_json;
}
