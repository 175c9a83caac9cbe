//! The contract gate as a library, as dropshot-api-manager is to its
//! command: a spec compared with its git base (or two files), judged at the
//! project's levels (`openapi-levels.yaml`) and acceptances
//! (`openapi-breaking.yaml`), into one [`Report`] whose
//! [`Report::exit_code`] a CI job exits with, rendered by
//! [`output::render`] for people and for CI (human, JSON, GitHub
//! annotations, Markdown, SARIF, JUnit) with the caller's [`Styles`].
//! Generic: it knows OpenAPI, git and the rules of `openapi-compat`, not any
//! one API. `cargo xtask check` and `openapi diff` call it; the
//! `openapi-gate` binary runs it on any repository's spec.
//!
//! - [`diff`]: a spec against its base or another file; [`args`]: the
//!   clap arguments commands flatten;
//! - [`compare`]: the spec and its base read side by side, then compared;
//! - [`accept`], [`levels`]: the project's list files;
//! - [`git`]: which revision is the base;
//! - [`report`]: what was found, as data; [`output`]: how it is printed.

#![warn(missing_docs)]

pub mod accept;
pub mod args;
pub mod compare;
mod diff;
pub mod git;
pub mod levels;
pub mod output;
mod project;
pub mod report;

pub use diff::{Gate, Inputs, RustApiJudge, diff, read_spec};
pub use output::{ColorChoice, Format, Styles, Word, render};
pub use project::{ACCEPTED_FILE, LEVELS_FILE, Project, unreadable};
pub use report::{Report, RustApi, Status};
