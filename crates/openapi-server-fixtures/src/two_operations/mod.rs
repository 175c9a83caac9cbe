//! `crates/openapi-server-gen/fixtures/two_operations.yaml`.

#[allow(clippy::all)]
pub mod server;
#[allow(clippy::all)]
pub mod types;
#[allow(clippy::all)]
mod utoipa_schemas;
