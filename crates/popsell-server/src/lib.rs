//! Server stub of the Popsell API, generated from `openapi.yaml`.
//!
//! Implement [`Api`] and serve [`router`]: every route, parameter parsing
//! and validation (errors in the spec's shape), the bearer token, response
//! statuses and `/openapi.json` come from the spec.

mod generated;

pub use generated::*;
pub use openapi_server_runtime::BearerToken;
