pub mod check;
pub mod codegen;
pub mod openapi;
pub mod server_gen;
pub mod bench;
pub mod contract;

/// A backend of the reference server's store (`bench` and `contract`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}
