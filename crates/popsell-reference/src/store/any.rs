//! The backend chosen at run time: one type for the server, the tests and
//! the benchmarks, whichever database is behind it.

use popsell_types::Chatroom;

#[cfg(feature = "postgres")]
use super::PostgresStore;
use super::{Access, ChatroomQuery, RoomMember, RoomMessage, SqliteStore, Store, StoreError, StoreWriter};
use crate::seed::{ChatroomRow, Dataset};

/// A store of either backend.
#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    #[cfg(feature = "postgres")]
    Postgres(PostgresStore),
}

/// The same call on whichever store is inside.
macro_rules! on_store {
    ($any:expr, $store:ident => $call:expr) => {
        match $any {
            AnyStore::Sqlite($store) => $call,
            #[cfg(feature = "postgres")]
            AnyStore::Postgres($store) => $call,
        }
    };
}

impl AnyStore {
    /// The backend's name, for logs and reports.
    pub fn backend(&self) -> &'static str {
        match self {
            AnyStore::Sqlite(_) => "SQLite",
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(_) => "PostgreSQL",
        }
    }
}

impl From<SqliteStore> for AnyStore {
    fn from(store: SqliteStore) -> Self {
        AnyStore::Sqlite(store)
    }
}

#[cfg(feature = "postgres")]
impl From<PostgresStore> for AnyStore {
    fn from(store: PostgresStore) -> Self {
        AnyStore::Postgres(store)
    }
}

impl Store for AnyStore {
    async fn authenticate(&self, token: &str) -> Result<bool, StoreError> {
        on_store!(self, s => s.authenticate(token).await)
    }

    async fn access(&self, token: &str, brand: i64, ambassador: i64) -> Result<Access, StoreError> {
        on_store!(self, s => s.access(token, brand, ambassador).await)
    }

    async fn chatrooms(&self, query: &ChatroomQuery) -> Result<(Vec<Chatroom>, i64), StoreError> {
        on_store!(self, s => s.chatrooms(query).await)
    }

    async fn data_version(&self) -> Result<u64, StoreError> {
        on_store!(self, s => s.data_version().await)
    }
}

impl StoreWriter for AnyStore {
    async fn is_empty(&self) -> Result<bool, StoreError> {
        on_store!(self, s => s.is_empty().await)
    }

    async fn seed(&self, data: Dataset) -> Result<bool, StoreError> {
        on_store!(self, s => s.seed(data).await)
    }

    async fn add_rooms(&self, rooms: Vec<ChatroomRow>) -> Result<(), StoreError> {
        on_store!(self, s => s.add_rooms(rooms).await)
    }

    async fn add_members(&self, members: Vec<RoomMember>) -> Result<(), StoreError> {
        on_store!(self, s => s.add_members(members).await)
    }

    async fn add_messages(&self, messages: Vec<RoomMessage>) -> Result<(), StoreError> {
        on_store!(self, s => s.add_messages(messages).await)
    }
}
