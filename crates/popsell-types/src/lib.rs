//! The schemas of the Popsell API as Rust types.
//!
//! Everything in `generated.rs` comes from `openapi.yaml` (`cargo xtask
//! codegen`) and is re-exported here; the few types whose wire form or
//! names a generator cannot derive well are written by hand beside it, and
//! `tests/hand_written.rs` checks them against the spec.

#![warn(missing_docs)]

mod codes;
mod error_body;
#[allow(clippy::all, missing_docs)]
mod generated;
mod laravel_datetime;
mod laravel_requests;
pub mod listing;
mod paginator;
mod parse_error;
mod query_boolean;
mod query_enums;
mod string_enum;
mod timestamp;
#[cfg(feature = "utoipa")]
#[allow(clippy::all)]
mod utoipa_schemas;

pub use codes::{AmbassadorStatus, ChatroomSource, ChatroomType, DiscussionType};
pub use error_body::ErrorBody;
pub use generated::*;
pub use laravel_datetime::LaravelDateTime;
pub use laravel_requests::LARAVEL_REQUESTS;
pub use paginator::PageRequest;
pub use query_boolean::QueryBoolean;
pub use query_enums::{ChatroomSort, ChatroomTypeFilter, CommentedFilter, FlagFilter};
pub use timestamp::Timestamp;
pub use parse_error::ParseError;
