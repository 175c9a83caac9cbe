//! The benchmark runner behind `cargo xtask bench [--quick]`
//! (`cargo run --release -p popsell-bench -- [--quick]`): it measures and
//! writes `BENCHMARKS.md`, which is never edited by hand.
//!
//! - [`http`]: server throughput and latency (reference, ceiling, Prism)
//!   with the closed-loop load generator of [`load`];
//! - [`scaling`]: `Store::chatrooms` on databases of growing size;
//! - [`codegen`]: `cargo xtask check` and in-process generation;
//! - [`decoding`]: a 25-room page into typed structs vs `serde_json::Value`
//!   (also `benches/decode.rs`, criterion);
//! - [`wrk`]: the same HTTP comparison measured with wrk;
//! - [`memory`]: the served binary's resident set against its SQLite file;
//! - [`report`]: the Markdown, with each target met or not.

pub mod codegen;
pub mod decoding;
pub mod gate;
pub mod fixture;
pub mod http;
pub mod load;
pub mod machine;
pub mod memory;
pub mod report;
pub mod scaling;
pub mod servers;
pub mod stats;
pub mod wrk;
