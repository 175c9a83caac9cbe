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
//! - [`OperationParameters`]: an operation's parameter table, checked on
//!   a request as sent (the generated client's pre-request hook runs it:
//!   one engine, one set of words, [`describe`], for client and server);
//!   it and the [`Validator`] need no axum (feature `server`, default,
//!   brings the rest);
//! - [`serve`]: the router on the open network: timeouts, limits, load
//!   shedding, graceful stop, every transport answer in the API's format;
//! - [`request_url`]: the request's URL as sent, for links a service builds.

#![warn(missing_docs)]

#[cfg(feature = "server")]
mod accept;
#[cfg(feature = "server")]
mod auth;
#[cfg(feature = "server")]
mod body;
mod check;
#[cfg(feature = "server")]
mod document;
#[cfg(feature = "server")]
mod json;
mod params;
mod pattern;
mod rejection;
#[cfg(feature = "server")]
pub mod request_url;
#[cfg(feature = "server")]
mod serve;

#[cfg(feature = "server")]
pub use accept::Accept;
#[cfg(feature = "server")]
pub use auth::{ApiKey, BasicCredentials, BearerToken, KeyIn, api_key, basic, bearer};
#[cfg(feature = "server")]
pub use body::{BodyFormat, BodySpec, RawBody, body_format, is_json};
pub use check::{OperationParameters, describe};
#[cfg(feature = "server")]
pub use document::{patch_document, status, status_in};
#[cfg(feature = "server")]
pub use json::{json_document, json_response, raw_response, with_header};
pub use params::{ArrayStyle, Booleans, Bounds, Invalid, Kind, ParamSpec, RepeatedHeader, RepeatedKey, RequestParts, Settings, Validator};
#[cfg(feature = "server")]
pub use serve::{ErrorBodies, Transport, serve, stop_signal};
pub use rejection::{ErrorFormat, Expected, Location, Member, Problem, Reason, Rejection, Rule};

/// Re-exported for generated code.
#[doc(hidden)]
pub mod reexports {
    #[cfg(feature = "server")]
    pub use axum;
    pub use http;
    pub use serde_json;
}
