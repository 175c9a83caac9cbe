//! Storage behind a trait: the service asks for access decisions and pages
//! of chatrooms; SQLite is one implementation (SQL stays in `sqlite.rs`).

mod sqlite;

use chrono::{DateTime, Utc};
use popsell_types::{Chatroom, ChatroomSort, ChatroomTypeFilter, CommentedFilter};

pub use sqlite::SqliteStore;

/// What a bearer token may do in a brand for an ambassador.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The token is unknown.
    UnknownToken,
    /// The token may not act in the brand, or not see the ambassador.
    Forbidden,
    /// Allowed.
    Granted,
}

/// One page request, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatroomQuery {
    pub brand: i64,
    /// The path ambassador; his guest accounts' rooms are included.
    pub ambassador: i64,
    pub archived: Option<bool>,
    pub commented: Option<CommentedFilter>,
    pub flag: Option<i32>,
    pub type_chatroom: Option<ChatroomTypeFilter>,
    pub last_action_before: Option<DateTime<Utc>>,
    pub sort: ChatroomSort,
    pub page: i64,
    pub per_page: i64,
}

impl ChatroomQuery {
    /// The default listing of `ambassador` in `brand`: no filter, most
    /// recent first, page 1 of 15 (the spec's defaults).
    pub fn new(brand: i64, ambassador: i64) -> Self {
        ChatroomQuery {
            brand,
            ambassador,
            archived: None,
            commented: None,
            flag: None,
            type_chatroom: None,
            last_action_before: None,
            sort: ChatroomSort::LastActionDateDesc,
            page: 1,
            per_page: 15,
        }
    }
}

/// A storage failure (the service answers 500).
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage error: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// The data the service needs. Implementations must scope every read to
/// `query.brand`.
pub trait Store: Send + Sync + 'static {
    /// Whether `token` is known (checked before anything else, on the async
    /// runtime: it must answer without blocking).
    fn authenticate(&self, token: &str) -> Result<bool, StoreError>;

    /// The access of `token` to `ambassador`'s chatrooms in `brand`.
    fn access(&self, token: &str, brand: i64, ambassador: i64) -> Result<Access, StoreError>;

    /// The page of chatrooms and the total count.
    fn chatrooms(&self, query: &ChatroomQuery) -> Result<(Vec<Chatroom>, i64), StoreError>;
}
