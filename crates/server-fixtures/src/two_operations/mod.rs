//! `crates/server-gen/fixtures/two_operations.yaml`.

pub mod server;
pub mod types;
mod utoipa_schemas;
