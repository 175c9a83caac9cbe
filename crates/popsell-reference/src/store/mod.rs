//! Storage behind two traits: the service asks [`Store`] for access
//! decisions and pages of chatrooms; the seed and the tests write rooms,
//! members and messages through [`StoreWriter`], whose writes keep the
//! derived listing tables true in the same transaction.
//!
//! Each backend keeps all its SQL in one file: `sqlite.rs` (the default,
//! embedded) and `postgres.rs` (feature `postgres`; its schema is the
//! versioned migrations under `migrations/postgres/`). What the backends
//! share is SQL-free: the page plan ([`plan`]) and the payload built from
//! a row's columns ([`rows`]). [`AnyStore`] is the backend chosen at run time.

mod any;
pub(crate) mod plan;
pub(crate) mod rows;
mod sqlite;

#[cfg(feature = "postgres")]
pub mod postgres;

use std::future::Future;

use popsell_server::GetAmbassadorChatroomsQuery;
use popsell_types::listing::ChatroomFilter;
use popsell_types::{Chatroom, ChatroomSort};

pub use any::AnyStore;
pub use plan::BUCKET_ROWS;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::seed::{ChatroomRow, Dataset, MemberRow, MessageRow};

/// How long one read (access check or page) may run before the backend
/// interrupts it and the request is answered 503, unless the server says
/// otherwise (`--query-timeout`).
pub const DEFAULT_QUERY_BUDGET: std::time::Duration = std::time::Duration::from_secs(2);

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
    pub filter: ChatroomFilter,
    pub sort: ChatroomSort,
    pub page: i64,
    pub per_page: i64,
}

impl ChatroomQuery {
    /// The default listing of `ambassador` in `brand`: no filter, and the
    /// spec's defaults (most recent first, page 1 of 15), as the generated
    /// server has them.
    pub fn new(brand: i64, ambassador: i64) -> Self {
        ChatroomQuery {
            brand,
            ambassador,
            filter: ChatroomFilter::default(),
            sort: ChatroomSort::default(),
            page: GetAmbassadorChatroomsQuery::DEFAULT_PAGE.into(),
            per_page: GetAmbassadorChatroomsQuery::DEFAULT_PER_PAGE.into(),
        }
    }
}

/// Why the store did not answer.
#[derive(Debug)]
pub enum StoreError {
    /// A storage failure (the service answers 500).
    Failed(String),
    /// A read ran over its time budget and was interrupted (the service
    /// answers 503: the server is overloaded, the request had no effect).
    OverBudget,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Failed(message) => write!(f, "storage error: {message}"),
            StoreError::OverBudget => f.write_str("a query ran over its time budget"),
        }
    }
}

impl std::error::Error for StoreError {}

/// The data the service needs. Implementations must scope every read to
/// `query.brand`, down to the people shown: a member or a last message's
/// author of another brand is left out of the page. Every method is asynchronous and must not block the
/// runtime (a blocking backend does its work on the blocking pool).
pub trait Store: Send + Sync + 'static {
    /// Whether `token` is known (checked before anything else).
    fn authenticate(&self, token: &str) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The access of `token` to `ambassador`'s chatrooms in `brand`.
    fn access(&self, token: &str, brand: i64, ambassador: i64) -> impl Future<Output = Result<Access, StoreError>> + Send;

    /// The page of chatrooms and the total count.
    fn chatrooms(&self, query: &ChatroomQuery) -> impl Future<Output = Result<(Vec<Chatroom>, i64), StoreError>> + Send;

    /// A number that changes with every write through [`StoreWriter`] (on
    /// any server sharing the database) and only then: an answer computed
    /// after reading version `v` stays true while the version is `v`.
    fn data_version(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

/// A member joining a room that already exists.
#[derive(Clone, Debug)]
pub struct RoomMember {
    pub chatroom: i64,
    pub member: MemberRow,
}

/// A message posted in a room that already exists: it becomes the room's
/// last message when it is the latest (by date, then id).
#[derive(Clone, Debug)]
pub struct RoomMessage {
    pub chatroom: i64,
    pub message: MessageRow,
}

/// The writes. Each call is one transaction that also updates the derived
/// tables the pages are read from (listings, their counts and buckets), so
/// the next page shows what was written. Ids are the caller's.
pub trait StoreWriter: Send + Sync + 'static {
    /// Whether the database holds no ambassador (it needs seeding; a
    /// database seeded with no rooms is not empty).
    fn is_empty(&self) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Writes `data` (ambassadors, tokens, rooms) when the database holds no
    /// ambassador, checked in the same transaction; whether it did.
    fn seed(&self, data: Dataset) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// New rooms, each with its members and last message.
    fn add_rooms(&self, rooms: Vec<ChatroomRow>) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Members joining existing rooms.
    fn add_members(&self, members: Vec<RoomMember>) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Messages posted in existing rooms.
    fn add_messages(&self, messages: Vec<RoomMessage>) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// What the seed and the writers hand a backend for one transaction.
#[derive(Default)]
pub(crate) struct Writes {
    pub data: Option<Dataset>,
    pub rooms: Vec<ChatroomRow>,
    pub members: Vec<RoomMember>,
    pub messages: Vec<RoomMessage>,
}

impl Writes {
    /// The rooms whose listing rows the writes change, sorted, once each.
    pub fn affected_rooms(&self) -> Vec<i64> {
        let seeded = self.data.iter().flat_map(|d| &d.chatrooms);
        let mut ids: Vec<i64> = seeded
            .chain(&self.rooms)
            .map(|r| r.id)
            .chain(self.members.iter().map(|m| m.chatroom))
            .chain(self.messages.iter().map(|m| m.chatroom))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Every new room, the seed's and the others.
    pub fn all_rooms(&self) -> impl Iterator<Item = &ChatroomRow> {
        self.data.iter().flat_map(|d| &d.chatrooms).chain(&self.rooms)
    }
}

/// What the stores keep of a bearer token: its SHA-256, in hex (as Laravel
/// Sanctum does), so a copy of the database gives away no usable token.
pub fn token_digest(token: &str) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    sha2::Sha256::digest(token.as_bytes()).iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

/// The token's holder as a backend reads him.
pub(crate) struct Holder {
    pub ambassador: i64,
    pub status: i32,
    /// His own brand: an administrator administers that brand only.
    pub brand: i64,
}

/// The holder of a token and the ambassador asked for, as a backend reads
/// them; the decision is the same everywhere.
pub(crate) struct AccessFacts {
    /// `None`: unknown token.
    pub holder: Option<Holder>,
    /// The token may act in the brand asked for.
    pub in_brand: bool,
    /// The brand and host of the ambassador asked for, when he exists.
    pub target: Option<(i64, Option<i64>)>,
}

impl AccessFacts {
    /// Himself, his guest accounts, or anyone of the brand for an
    /// administrator of that brand (a token that may act in several brands
    /// administers its holder's own brand only).
    pub fn decide(&self, brand: i64, ambassador: i64) -> Access {
        const ADMINISTRATOR: i32 = 2;
        let Some(holder) = &self.holder else { return Access::UnknownToken };
        if !self.in_brand {
            return Access::Forbidden;
        }
        let granted = match self.target {
            Some((target_brand, host)) if target_brand == brand => {
                holder.ambassador == ambassador
                    || host == Some(holder.ambassador)
                    || (holder.status == ADMINISTRATOR && holder.brand == brand)
            }
            _ => false,
        };
        if granted { Access::Granted } else { Access::Forbidden }
    }
}
