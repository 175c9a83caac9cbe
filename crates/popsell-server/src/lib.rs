//! Server stub of the Popsell API, generated from `openapi.yaml`.
//!
//! Implement [`Api`] and serve [`router`]: every route, parameter parsing
//! and validation, the bearer token, response statuses and `/openapi.json`
//! come from the spec; the server's own answers (401, 422, 404, 405) are
//! written by [`LaravelErrors`], the one hand-written part.

mod generated;
mod laravel;
mod listing;

pub use generated::*;
pub use laravel::{LaravelErrors, not_found};
pub use popsell_types::LARAVEL_REQUESTS;
pub use openapi_server_runtime::BearerToken;
