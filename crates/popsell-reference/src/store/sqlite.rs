//! The SQLite store: schema, indexes, and every query (parameterized).
//! Instants are stored as microseconds since the epoch.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use parking_lot::{Mutex, MutexGuard};
use popsell_types::{Chatroom, LaravelDateTime};
use rusqlite::config::DbConfig;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};

use super::plan::{self, BUCKET_ROWS, Filters, Selection, Start};
use super::rows::{self, Columns};
use super::{Access, AccessFacts, ChatroomQuery, DEFAULT_QUERY_BUDGET, Holder, RoomMember, RoomMessage, Store, StoreError, StoreWriter, Writes, token_digest};
use crate::seed::{ChatroomRow, Dataset};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ambassadors (
    id INTEGER PRIMARY KEY,
    brand_id INTEGER NOT NULL,
    host_id INTEGER,
    image TEXT, firstname TEXT NOT NULL, lastname TEXT NOT NULL, username TEXT NOT NULL,
    email TEXT, email_tmp TEXT, active INTEGER NOT NULL, status INTEGER NOT NULL,
    online INTEGER NOT NULL, last_action_date INTEGER, customer_id TEXT, anonymized INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ambassadors_by_host ON ambassadors (host_id);
-- Tokens by their SHA-256 (`token_digest`), never in plain text.
CREATE TABLE IF NOT EXISTS tokens (token_sha256 TEXT PRIMARY KEY, ambassador_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS token_brands (token_sha256 TEXT NOT NULL, brand_id INTEGER NOT NULL, PRIMARY KEY (token_sha256, brand_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chatrooms (
    id INTEGER PRIMARY KEY,
    brand_id INTEGER NOT NULL,
    date_insert INTEGER NOT NULL,
    last_message_date INTEGER,
    last_action_at INTEGER NOT NULL,
    type_chatroom INTEGER NOT NULL, type_discussion INTEGER NOT NULL, source INTEGER NOT NULL,
    established_dialogue TEXT,
    rating_value INTEGER, rating_comment TEXT,
    summary_date TEXT, summary_text TEXT, summary_anomaly INTEGER, summary_topic INTEGER,
    last_message_id INTEGER
);
CREATE TABLE IF NOT EXISTS members (
    ambassador_id INTEGER NOT NULL, chatroom_id INTEGER NOT NULL,
    last_read_message INTEGER, is_blocked INTEGER NOT NULL, archived INTEGER NOT NULL,
    PRIMARY KEY (ambassador_id, chatroom_id)
) WITHOUT ROWID;
-- A page's members by room, pivot columns included (no lookup of the row).
DROP INDEX IF EXISTS members_by_room;
CREATE INDEX IF NOT EXISTS members_by_room_with_pivot ON members (chatroom_id, ambassador_id, last_read_message, is_blocked, archived);
-- The listing the operation pages through, derived from the tables above
-- by `RETIRE_LISTINGS` and `DERIVE_LISTINGS` for the rooms a write touches: one row per (ambassador who
-- may be asked for, room where he or one of his guest accounts is a
-- member), so a room shared by a host and his guest is listed once. The key
-- is the sort order, so a page is a range of this table read in order, its
-- count a count of a key range, and every filter a column of the row (no
-- lookup into `chatrooms` until the page is known).
CREATE TABLE IF NOT EXISTS listings (
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, last_action_at INTEGER NOT NULL, chatroom_id INTEGER NOT NULL,
    -- Some involved member's pivot row is archived / is not archived.
    archived_any INTEGER NOT NULL, unarchived_any INTEGER NOT NULL,
    commented INTEGER NOT NULL, anomaly INTEGER, type_chatroom INTEGER NOT NULL,
    PRIMARY KEY (ambassador_id, brand_id, last_action_at, chatroom_id)
) WITHOUT ROWID;
-- The totals of the listings by (ambassador, brand), all rooms and by the
-- archived filter: the page's total without counting when no other filter is set.
CREATE TABLE IF NOT EXISTS listing_counts (
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL,
    total INTEGER NOT NULL, archived INTEGER NOT NULL, unarchived INTEGER NOT NULL,
    PRIMARY KEY (ambassador_id, brand_id)
) WITHOUT ROWID;
-- Each listing cut into consecutive key ranges, each from its start key to
-- the next one's, with the rows it holds (see `plan`): a deep page starts
-- from the bucket holding its first row.
CREATE TABLE IF NOT EXISTS listing_buckets (
    id INTEGER PRIMARY KEY,
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, start_at INTEGER NOT NULL, start_id INTEGER NOT NULL,
    total INTEGER NOT NULL, archived INTEGER NOT NULL, unarchived INTEGER NOT NULL,
    UNIQUE (ambassador_id, brand_id, start_at, start_id)
);
-- A deep page walks its listing's buckets in order, counts included.
CREATE INDEX IF NOT EXISTS listing_buckets_walk ON listing_buckets (ambassador_id, brand_id, start_at, start_id, total, archived, unarchived);
-- Replaced by listing_buckets (a database file written before them).
DROP TABLE IF EXISTS listing_marks;
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, chatroom_id INTEGER NOT NULL, author_id INTEGER NOT NULL,
    date_insert INTEGER NOT NULL, content TEXT NOT NULL, type_message INTEGER NOT NULL, status_moderation INTEGER NOT NULL
);
-- The working tables of a write (this connection's only): the rooms it
-- touches, the listing rows that go (sign -1) and come (+1) in listings
-- that had rows before, the new rows, the listings that had none, and the
-- buckets that split.
CREATE TEMP TABLE IF NOT EXISTS affected (chatroom_id INTEGER PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS delta (
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, last_action_at INTEGER NOT NULL, chatroom_id INTEGER NOT NULL,
    archived_any INTEGER NOT NULL, unarchived_any INTEGER NOT NULL, sign INTEGER NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS fresh (
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, last_action_at INTEGER NOT NULL, chatroom_id INTEGER NOT NULL,
    archived_any INTEGER NOT NULL, unarchived_any INTEGER NOT NULL, commented INTEGER NOT NULL, anomaly INTEGER, type_chatroom INTEGER NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS new_listings (ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, PRIMARY KEY (ambassador_id, brand_id));
CREATE TEMP TABLE IF NOT EXISTS chunks (
    bucket INTEGER NOT NULL, chunk INTEGER NOT NULL, ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL,
    start_at INTEGER, start_id INTEGER, total INTEGER NOT NULL, archived INTEGER NOT NULL, unarchived INTEGER NOT NULL
);
";

/// The listing rows of the rooms in `temp.affected`, derived from
/// `members`, `ambassadors` and `chatrooms` (the member himself, and his
/// host when he is a guest account, once per room), in key order.
macro_rules! derived_listings {
    () => {
        "SELECT i.ambassador_id, c.brand_id, c.last_action_at, c.id AS chatroom_id,
                MAX(i.archived) AS archived_any, MAX(1 - i.archived) AS unarchived_any,
                COALESCE(c.rating_comment, '') <> '' AS commented, c.summary_anomaly AS anomaly, c.type_chatroom
         FROM (SELECT m.ambassador_id, m.chatroom_id, m.archived FROM members m
               WHERE m.chatroom_id IN (SELECT chatroom_id FROM temp.affected)
               UNION ALL
               SELECT a.host_id, m.chatroom_id, m.archived FROM members m JOIN ambassadors a ON a.id = m.ambassador_id
               WHERE a.host_id IS NOT NULL AND m.chatroom_id IN (SELECT chatroom_id FROM temp.affected)) i
         JOIN chatrooms c ON c.id = i.chatroom_id
         GROUP BY i.ambassador_id, c.brand_id, c.last_action_at, c.id
         ORDER BY 1, 2, 3, 4"
    };
}

/// Before the base rows are written: the listing rows of the rooms in
/// `temp.affected`, as the tables still derive them, go (by key: there is
/// no index by room to keep up); `temp.delta` keeps them (sign -1).
const RETIRE_LISTINGS: &str = concat!(
    "DELETE FROM temp.delta; DELETE FROM temp.new_listings; DELETE FROM temp.chunks;
     INSERT INTO temp.delta
     SELECT ambassador_id, brand_id, last_action_at, chatroom_id, archived_any, unarchived_any, -1 FROM (",
    derived_listings!(),
    ") AS old;
     DELETE FROM listings WHERE (ambassador_id, brand_id, last_action_at, chatroom_id) IN
         (SELECT ambassador_id, brand_id, last_action_at, chatroom_id FROM temp.delta WHERE sign = -1);"
);

/// After: the rooms' new listing rows come. In a listing that had rows
/// before, they go through `temp.delta` into its count; a new listing (all
/// of the seed's) is counted from its rows.
const DERIVE_LISTINGS: &str = concat!(
    "DELETE FROM temp.fresh;
     INSERT INTO temp.fresh ",
    derived_listings!(),
    ";
     INSERT INTO listings SELECT * FROM temp.fresh;
     INSERT INTO temp.delta
     SELECT ambassador_id, brand_id, last_action_at, chatroom_id, archived_any, unarchived_any, 1 FROM temp.fresh f
     WHERE EXISTS (SELECT 1 FROM listing_counts n WHERE n.ambassador_id = f.ambassador_id AND n.brand_id = f.brand_id);
     INSERT INTO temp.new_listings SELECT DISTINCT ambassador_id, brand_id FROM temp.fresh f
     WHERE NOT EXISTS (SELECT 1 FROM listing_counts n WHERE n.ambassador_id = f.ambassador_id AND n.brand_id = f.brand_id);
     UPDATE listing_counts SET total = listing_counts.total + d.total, archived = listing_counts.archived + d.archived,
         unarchived = listing_counts.unarchived + d.unarchived
     FROM (SELECT ambassador_id, brand_id, SUM(sign) AS total, SUM(sign * archived_any) AS archived, SUM(sign * unarchived_any) AS unarchived
           FROM temp.delta GROUP BY ambassador_id, brand_id) AS d
     WHERE listing_counts.ambassador_id = d.ambassador_id AND listing_counts.brand_id = d.brand_id;
     INSERT INTO listing_counts (ambassador_id, brand_id, total, archived, unarchived)
     SELECT ambassador_id, brand_id, COUNT(*), SUM(archived_any), SUM(unarchived_any)
     FROM temp.new_listings JOIN listings USING (ambassador_id, brand_id) GROUP BY ambassador_id, brand_id;"
);

/// Each row of `temp.delta` counts in the last bucket of its listing
/// starting at or before it; a new listing gets its first bucket, from the
/// smallest key (`?1`), holding all its rows.
const BUCKET_COUNTS: &str = "
UPDATE listing_buckets SET total = listing_buckets.total + d.total, archived = listing_buckets.archived + d.archived,
    unarchived = listing_buckets.unarchived + d.unarchived
FROM (SELECT bucket, SUM(sign) AS total, SUM(sign * archived_any) AS archived, SUM(sign * unarchived_any) AS unarchived
      FROM (SELECT (SELECT b.id FROM listing_buckets b
                    WHERE b.ambassador_id = d.ambassador_id AND b.brand_id = d.brand_id
                      AND (b.start_at, b.start_id) <= (d.last_action_at, d.chatroom_id)
                    ORDER BY b.start_at DESC, b.start_id DESC LIMIT 1) AS bucket,
                   d.sign, d.archived_any, d.unarchived_any
            FROM temp.delta d)
      GROUP BY bucket) AS d
WHERE listing_buckets.id = d.bucket
";

const FIRST_BUCKETS: &str = "
INSERT INTO listing_buckets (ambassador_id, brand_id, start_at, start_id, total, archived, unarchived)
SELECT ambassador_id, brand_id, ?1, ?1, total, archived, unarchived FROM listing_counts JOIN temp.new_listings USING (ambassador_id, brand_id)
";

/// The buckets grown past twice `?1` rows (in the listings the write
/// touched), cut into chunks of `?1` rows in key order: each chunk's rows
/// and first key.
const SPLIT_CHUNKS: &str = "
INSERT INTO temp.chunks (bucket, chunk, ambassador_id, brand_id, start_at, start_id, total, archived, unarchived)
SELECT bucket, position / ?1, ambassador_id, brand_id,
       MAX(last_action_at) FILTER (WHERE position % ?1 = 0), MAX(chatroom_id) FILTER (WHERE position % ?1 = 0),
       COUNT(*), SUM(archived_any), SUM(unarchived_any)
FROM (SELECT b.id AS bucket, b.ambassador_id, b.brand_id, l.last_action_at, l.chatroom_id, l.archived_any, l.unarchived_any,
             ROW_NUMBER() OVER (PARTITION BY b.id ORDER BY l.last_action_at, l.chatroom_id) - 1 AS position
      FROM (SELECT id, ambassador_id, brand_id, start_at, start_id, total,
                   LEAD(start_at) OVER w AS end_at, LEAD(start_id) OVER w AS end_id
            FROM listing_buckets
            WHERE (ambassador_id, brand_id) IN (SELECT ambassador_id, brand_id FROM temp.delta UNION SELECT * FROM temp.new_listings)
            WINDOW w AS (PARTITION BY ambassador_id, brand_id ORDER BY start_at, start_id)) b
      JOIN listings l ON l.ambassador_id = b.ambassador_id AND l.brand_id = b.brand_id
           AND (l.last_action_at, l.chatroom_id) >= (b.start_at, b.start_id)
           AND (b.end_at IS NULL OR (l.last_action_at, l.chatroom_id) < (b.end_at, b.end_id))
      WHERE b.total > 2 * ?1)
GROUP BY bucket, position / ?1
";

/// A split bucket keeps its start and its first chunk's rows; the other
/// chunks are new buckets.
const SPLIT_BUCKETS: &str = "
UPDATE listing_buckets SET total = c.total, archived = c.archived, unarchived = c.unarchived
FROM temp.chunks c WHERE c.bucket = listing_buckets.id AND c.chunk = 0;
INSERT INTO listing_buckets (ambassador_id, brand_id, start_at, start_id, total, archived, unarchived)
SELECT ambassador_id, brand_id, start_at, start_id, total, archived, unarchived FROM temp.chunks WHERE chunk > 0;
";

/// Columns of an ambassador, in the order [`rows::ambassador`] reads them.
const AMBASSADOR_COLUMNS: &str = "a.id, a.image, a.firstname, a.lastname, a.username, a.email, a.email_tmp, a.active, a.status, \
     a.online, a.last_action_date, a.customer_id, a.anonymized";

/// SQLite behind one connection: reads are short, indexed queries. Cheap to
/// clone (the clones share the connection).
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    /// Whose turn it is at the connection, in arrival order (tokio's
    /// semaphore is fair): a request cancelled while it waits (client gone,
    /// request timeout) leaves the queue instead of running for nobody.
    turn: tokio::sync::Semaphore,
    /// Taken by whoever holds the turn (and at open, before any turn).
    connection: Mutex<Connection>,
    /// Tokens seen valid (by digest) and when the store said so:
    /// `authenticate` runs before every request and need not wait for the
    /// connection, while a token deleted from the database stops working
    /// within [`TOKEN_FRESHNESS`]. Emptied by every write.
    tokens: RwLock<HashMap<String, Instant>>,
    budget: Arc<QueryBudget>,
    /// Incremented by every write: the data version of this store (one
    /// process owns an SQLite database; another process writing the same
    /// file is not seen, see the README).
    version: AtomicU64,
    bucket_rows: i64,
}

/// How long a token found valid is believed without asking the store again.
const TOKEN_FRESHNESS: Duration = Duration::from_secs(1);

/// The time budget of a read: SQLite's progress handler, called every few
/// thousand virtual-machine steps, interrupts a statement past the deadline.
struct QueryBudget {
    epoch: Instant,
    /// The budget of a read, in microseconds.
    limit: AtomicU64,
    /// The running read's deadline in microseconds since `epoch`; 0: none
    /// (writes, which must finish).
    deadline: AtomicU64,
    /// The handler interrupted the running read.
    fired: AtomicBool,
}

impl QueryBudget {
    fn new(limit: Duration) -> Self {
        QueryBudget { epoch: Instant::now(), limit: AtomicU64::new(micros_of(limit)), deadline: AtomicU64::new(0), fired: AtomicBool::new(false) }
    }

    fn start(&self) {
        self.fired.store(false, Ordering::Relaxed);
        let now = micros_of(self.epoch.elapsed());
        self.deadline.store(now.saturating_add(self.limit.load(Ordering::Relaxed)).max(1), Ordering::Relaxed);
    }

    /// Ends the read; whether it was interrupted.
    fn stop(&self) -> bool {
        self.deadline.store(0, Ordering::Relaxed);
        self.fired.load(Ordering::Relaxed)
    }

    /// The progress handler: `true` interrupts the statement.
    fn over(&self) -> bool {
        let deadline = self.deadline.load(Ordering::Relaxed);
        let over = deadline != 0 && micros_of(self.epoch.elapsed()) > deadline;
        if over {
            self.fired.store(true, Ordering::Relaxed);
        }
        over
    }
}

fn micros_of(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

fn error(e: rusqlite::Error) -> StoreError {
    StoreError::Failed(e.to_string())
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

fn instant(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

rows::impl_columns!(Row<'_>, get, error, i64 => instant);

impl SqliteStore {
    /// Opens (and creates) the database at `path`, or an in-memory one.
    pub fn open(path: Option<&std::path::Path>) -> Result<SqliteStore, StoreError> {
        Self::open_with(path, BUCKET_ROWS)
    }

    /// [`SqliteStore::open`] with buckets of `bucket_rows` rows (small ones
    /// let tests reach the bucket splits with little data).
    pub fn open_with(path: Option<&std::path::Path>, bucket_rows: i64) -> Result<SqliteStore, StoreError> {
        let connection = match path {
            Some(path) => Connection::open(path),
            None => Connection::open_in_memory(),
        }
        .map_err(error)?;
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;")
            .map_err(error)?;
        // The query planner stability guarantee: without it, SQLite (built
        // with STAT4) marks a statement with `LIMIT ?` or `IN (?, …)` to be
        // parsed and planned again whenever a parameter is bound, which
        // made every cached statement a fresh prepare (a third of a page's time).
        connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true).map_err(error)?;
        hash_plain_tokens(&connection)?;
        connection.execute_batch(SCHEMA).map_err(error)?;
        let budget = Arc::new(QueryBudget::new(DEFAULT_QUERY_BUDGET));
        let handler = budget.clone();
        connection.progress_handler(1_000, Some(move || handler.over()));
        let inner = Inner {
            turn: tokio::sync::Semaphore::new(1),
            connection: Mutex::new(connection),
            tokens: Default::default(),
            budget,
            version: AtomicU64::new(0),
            bucket_rows: bucket_rows.max(1),
        };
        inner.derive_if_missing()?;
        Ok(SqliteStore { inner: Arc::new(inner) })
    }

    /// How long one read (access check or page) may run before SQLite
    /// interrupts it and the request is answered 503.
    pub fn set_query_budget(&self, budget: Duration) {
        self.inner.budget.limit.store(micros_of(budget), Ordering::Relaxed);
    }

    /// Runs `work`, which blocks (SQLite), off the async runtime: on a
    /// multi-threaded runtime (the server's) in place, this worker handing
    /// its other tasks to another (no hop to another thread and back, which
    /// cost a page ~30 µs); elsewhere on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        use tokio::runtime::{Handle, RuntimeFlavor};
        let _turn = self.inner.turn.acquire().await.map_err(|e| StoreError::Failed(e.to_string()))?;
        if Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::MultiThread) {
            return tokio::task::block_in_place(|| work(&self.inner));
        }
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || work(&inner)).await.map_err(|e| StoreError::Failed(format!("the store's task failed: {e}")))?
    }
}

impl Inner {
    fn connection(&self) -> MutexGuard<'_, Connection> {
        self.connection.lock()
    }

    /// A database file written before the buckets existed: derive the
    /// listings once.
    fn derive_if_missing(&self) -> Result<(), StoreError> {
        let mut connection = self.connection();
        let missing: bool = connection
            .query_row("SELECT EXISTS (SELECT 1 FROM members) AND NOT EXISTS (SELECT 1 FROM listing_buckets)", [], |r| r.get(0))
            .map_err(error)?;
        if missing {
            let tx = connection.transaction().map_err(error)?;
            tx.execute_batch(
                "DELETE FROM listings; DELETE FROM listing_counts; DELETE FROM temp.delta; DELETE FROM temp.new_listings; \
                 DELETE FROM temp.chunks; DELETE FROM temp.affected; INSERT INTO temp.affected SELECT id FROM chatrooms;",
            )
            .map_err(error)?;
            derive(&tx, self.bucket_rows, |_| {})?;
            tx.commit().map_err(error)?;
        }
        Ok(())
    }

    /// Whether `digest` is a known token's, asked of the database.
    fn token_known(&self, digest: &str) -> Result<bool, StoreError> {
        let connection = self.connection();
        let known = connection
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM tokens WHERE token_sha256 = ?1)")
            .and_then(|mut s| s.query_row([digest], |r| r.get(0)))
            .map_err(error)?;
        let mut tokens = self.tokens.write().map_err(|_| StoreError::Failed("the token lock is poisoned".into()))?;
        if known {
            tokens.insert(digest.to_owned(), Instant::now());
        } else {
            tokens.remove(digest);
        }
        Ok(known)
    }

    /// A read within the query budget: interrupted past it.
    fn read<T>(&self, work: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let connection = self.connection();
        self.budget.start();
        let result = work(&connection);
        if self.budget.stop() {
            return Err(StoreError::OverBudget);
        }
        result
    }

    fn is_empty(&self) -> Result<bool, StoreError> {
        self.connection().query_row("SELECT NOT EXISTS (SELECT 1 FROM ambassadors)", [], |r| r.get(0)).map_err(error)
    }

    /// Writes, and replaces the listing rows of the rooms the writes touch,
    /// in one transaction; with a dataset, only into an empty database.
    fn write(&self, writes: Writes) -> Result<bool, StoreError> {
        let started = std::time::Instant::now();
        let step = |name: &str| tracing::debug!(step = name, elapsed = ?started.elapsed(), "write");
        let mut connection = self.connection();
        let tx = connection.transaction().map_err(error)?;
        if writes.data.is_some() {
            let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM ambassadors)", [], |r| r.get(0)).map_err(error)?;
            if !empty {
                return Ok(false);
            }
        }
        tx.execute("DELETE FROM temp.affected", []).map_err(error)?;
        {
            let mut affected = tx.prepare("INSERT INTO temp.affected (chatroom_id) VALUES (?1)").map_err(error)?;
            for id in writes.affected_rooms() {
                affected.execute([id]).map_err(error)?;
            }
        }
        tx.execute_batch(RETIRE_LISTINGS).map_err(error)?;
        step("old listing rows retired");
        insert(&tx, &writes)?;
        step("rows inserted");
        derive(&tx, self.bucket_rows, step)?;
        tx.commit().map_err(error)?;
        self.version.fetch_add(1, Ordering::Release);
        drop(connection);
        // Whatever was written, no token is believed on the old data.
        self.tokens.write().map_err(|_| StoreError::Failed("the token lock is poisoned".into()))?.clear();
        Ok(true)
    }
}

/// The base rows of `writes`: ambassadors and tokens of a dataset, rooms
/// with their members and last message, members, messages (each the room's
/// last when it is the latest).
fn insert(tx: &Transaction<'_>, writes: &Writes) -> Result<(), StoreError> {
    if let Some(data) = &writes.data {
        insert_people(tx, data)?;
    }
    let mut room = tx
        .prepare(
            "INSERT INTO chatrooms (id, brand_id, date_insert, last_message_date, last_action_at, type_chatroom, type_discussion, \
             source, established_dialogue, rating_value, rating_comment, summary_date, summary_text, summary_anomaly, summary_topic, \
             last_message_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )
        .map_err(error)?;
    let mut member = tx
        .prepare("INSERT INTO members (ambassador_id, chatroom_id, last_read_message, is_blocked, archived) VALUES (?1, ?2, ?3, ?4, ?5)")
        .map_err(error)?;
    let mut message = tx
        .prepare(
            "INSERT INTO messages (id, chatroom_id, author_id, date_insert, content, type_message, status_moderation) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .map_err(error)?;
    let mut latest = tx
        .prepare(
            "UPDATE chatrooms SET last_message_id = ?2, last_message_date = ?3, last_action_at = ?3 \
             WHERE id = ?1 AND (last_message_date IS NULL OR (last_message_date, last_message_id) < (?3, ?2))",
        )
        .map_err(error)?;
    for r in writes.all_rooms() {
        room.execute(room_values(r)).map_err(error)?;
        for m in &r.members {
            member.execute(params![m.ambassador, r.id, m.last_read_message, m.is_blocked, m.archived]).map_err(error)?;
        }
        if let Some(m) = &r.last_message {
            message
                .execute(params![m.id, r.id, m.author, micros(m.date_insert), m.content, m.type_message, m.status_moderation])
                .map_err(error)?;
        }
    }
    for RoomMember { chatroom, member: m } in &writes.members {
        member.execute(params![m.ambassador, chatroom, m.last_read_message, m.is_blocked, m.archived]).map_err(error)?;
    }
    for RoomMessage { chatroom, message: m } in &writes.messages {
        message
            .execute(params![m.id, chatroom, m.author, micros(m.date_insert), m.content, m.type_message, m.status_moderation])
            .map_err(error)?;
        latest.execute(params![chatroom, m.id, micros(m.date_insert)]).map_err(error)?;
    }
    Ok(())
}

fn room_values(r: &ChatroomRow) -> [Value; 16] {
    let rating = r.rating.as_ref();
    let summary = r.summary.as_ref();
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
    let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    [
        Value::Integer(r.id),
        Value::Integer(r.brand),
        Value::Integer(micros(r.date_insert)),
        int(r.last_message.as_ref().map(|m| micros(m.date_insert))),
        Value::Integer(micros(r.last_action_at())),
        Value::Integer(r.type_chatroom.into()),
        Value::Integer(r.type_discussion.into()),
        Value::Integer(r.source.into()),
        text(r.established_dialogue.as_ref().map(|d| LaravelDateTime::as_str(d).to_owned())),
        int(rating.map(|x| x.value.into())),
        text(rating.and_then(|x| x.comment.clone())),
        text(summary.map(|x| x.date_insert.clone())),
        text(summary.map(|x| x.summary.clone())),
        int(summary.map(|x| x.anomaly.into())),
        int(summary.map(|x| x.topic.into())),
        int(r.last_message.as_ref().map(|m| m.id)),
    ]
}

fn insert_people(tx: &Transaction<'_>, data: &Dataset) -> Result<(), StoreError> {
    let mut insert = tx
        .prepare(
            "INSERT INTO ambassadors (id, brand_id, host_id, image, firstname, lastname, username, email, email_tmp, \
             active, status, online, last_action_date, customer_id, anonymized) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )
        .map_err(error)?;
    for a in &data.ambassadors {
        let p = &a.profile;
        insert
            .execute(params![
                p.id_ambassador, a.brand, a.host, p.image, p.firstname, p.lastname, p.username, p.email, p.email_tmp,
                p.active, p.status, p.online, p.last_action_date.as_ref().map(|t| micros(t.to_utc())), p.customer_id, p.anonymized
            ])
            .map_err(error)?;
    }
    let mut token = tx.prepare("INSERT INTO tokens (token_sha256, ambassador_id) VALUES (?1, ?2)").map_err(error)?;
    let mut token_brand = tx.prepare("INSERT INTO token_brands (token_sha256, brand_id) VALUES (?1, ?2)").map_err(error)?;
    for t in &data.tokens {
        let digest = token_digest(&t.token);
        token.execute(params![digest, t.ambassador]).map_err(error)?;
        for brand in &t.brands {
            token_brand.execute(params![digest, brand]).map_err(error)?;
        }
    }
    Ok(())
}

/// A database file written when tokens were kept in plain text: each
/// replaced by its digest, once, at open.
fn hash_plain_tokens(connection: &Connection) -> Result<(), StoreError> {
    let plain: bool = connection
        .query_row("SELECT EXISTS (SELECT 1 FROM pragma_table_info('tokens') WHERE name = 'token')", [], |r| r.get(0))
        .map_err(error)?;
    if !plain {
        return Ok(());
    }
    let tokens: Vec<String> = connection
        .prepare("SELECT token FROM tokens")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(error)?;
    let digests = tokens.iter().map(|t| (t, token_digest(t)));
    let batch = "BEGIN; ALTER TABLE tokens RENAME COLUMN token TO token_sha256;                  ALTER TABLE token_brands RENAME COLUMN token TO token_sha256;";
    connection.execute_batch(batch).map_err(error)?;
    for (token, digest) in digests {
        for table in ["tokens", "token_brands"] {
            connection.execute(&format!("UPDATE {table} SET token_sha256 = ?2 WHERE token_sha256 = ?1"), params![token, digest]).map_err(error)?;
        }
    }
    connection.execute_batch("COMMIT").map_err(error)
}

/// The listing rows of the rooms in `temp.affected` come (the old ones are
/// gone), then the counts and buckets of their listings follow.
fn derive(tx: &Transaction<'_>, bucket_rows: i64, step: impl Fn(&str)) -> Result<(), StoreError> {
    tx.execute_batch(DERIVE_LISTINGS).map_err(error)?;
    step("listings derived");
    tx.execute(BUCKET_COUNTS, []).map_err(error)?;
    tx.execute(FIRST_BUCKETS, [i64::MIN]).map_err(error)?;
    step("buckets counted");
    tx.execute(SPLIT_CHUNKS, [bucket_rows]).map_err(error)?;
    tx.execute_batch(SPLIT_BUCKETS).map_err(error)?;
    step("buckets split");
    Ok(())
}

/// The listing of `query` with its filters, as a condition on `l` and its values.
fn listing_condition(query: &ChatroomQuery, filters: &Filters) -> (String, Vec<Value>) {
    let mut condition = String::from("l.ambassador_id = ? AND l.brand_id = ?");
    let mut values = vec![Value::Integer(query.ambassador), Value::Integer(query.brand)];
    match filters.selection {
        Selection::All => {}
        Selection::Archived => condition.push_str(" AND l.archived_any = 1"),
        Selection::Unarchived => condition.push_str(" AND l.unarchived_any = 1"),
    }
    if let Some(commented) = filters.commented {
        condition.push_str(if commented { " AND l.commented = 1" } else { " AND l.commented = 0" });
    }
    if let Some(anomaly) = filters.anomaly {
        condition.push_str(" AND l.anomaly = ?");
        values.push(Value::Integer(anomaly.into()));
    }
    if let Some(kind) = filters.type_chatroom {
        condition.push_str(" AND l.type_chatroom = ?");
        values.push(Value::Integer(kind.into()));
    }
    if let Some(before) = filters.before {
        condition.push_str(" AND l.last_action_at < ?");
        values.push(Value::Integer(micros(before)));
    }
    (condition, values)
}

impl Inner {
    fn access(&self, connection: &Connection, token: &str, brand: i64, ambassador: i64) -> Result<Access, StoreError> {
        // Cached statements: this runs before every page.
        let holder = connection
            .prepare_cached(
                "SELECT t.ambassador_id, a.status, a.brand_id FROM tokens t JOIN ambassadors a ON a.id = t.ambassador_id \
                 WHERE t.token_sha256 = ?1",
            )
            .and_then(|mut s| {
                s.query_row(params![token_digest(token)], |r| Ok(Holder { ambassador: r.get(0)?, status: r.get(1)?, brand: r.get(2)? }))
                    .optional()
            })
            .map_err(error)?;
        let in_brand: bool = connection
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM token_brands WHERE token_sha256 = ?1 AND brand_id = ?2)")
            .and_then(|mut s| s.query_row(params![token_digest(token), brand], |r| r.get(0)))
            .map_err(error)?;
        let target: Option<(i64, Option<i64>)> = connection
            .prepare_cached("SELECT brand_id, host_id FROM ambassadors WHERE id = ?1")
            .and_then(|mut s| s.query_row(params![ambassador], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(error)?;
        Ok(AccessFacts { holder, in_brand, target }.decide(brand, ambassador))
    }

    /// The page: its total, where it starts, its rooms, their members.
    fn chatrooms(&self, connection: &Connection, query: &ChatroomQuery) -> Result<(Vec<Chatroom>, i64), StoreError> {
        // The rooms where the ambassador or one of his guests is a member: his listing.
        let filters = Filters::of(query);
        let (mut condition, mut values) = listing_condition(query, &filters);
        let total = count(connection, query, &filters, &condition, &values)?;
        let Some(reading) = plan::reading(query, total, filters.counted(), self.bucket_rows) else {
            return Ok((Vec::new(), total));
        };
        let skip = match reading.start {
            Start::Skip(rows) => rows,
            Start::Bucket(position) => {
                let (start, before) = bucket_holding(connection, query, &filters, position)?;
                condition.push_str(" AND (l.last_action_at, l.chatroom_id) >= (?, ?)");
                values.extend([Value::Integer(start.0), Value::Integer(start.1)]);
                position - before
            }
        };
        let scan = plan::direction(reading.ascending);
        let order = plan::direction(query.sort == popsell_types::ChatroomSort::LastActionDateAsc);
        values.extend([Value::Integer(reading.limit), Value::Integer(skip)]);
        let mut rooms = page_rooms(connection, &condition, scan, order, &values)?;
        let members = page_members(connection, query.brand, &rooms)?;
        rows::attach(&mut rooms, members);
        Ok((rooms, total))
    }
}

/// The listing's total: from the count table when the filters allow, else
/// counted over the listing (`condition` and its `values`).
fn count(connection: &Connection, query: &ChatroomQuery, filters: &Filters, condition: &str, values: &[Value]) -> Result<i64, StoreError> {
    if filters.counted() {
        let column = filters.selection.count_column();
        return Ok(connection
            .prepare_cached(&format!("SELECT {column} FROM listing_counts WHERE ambassador_id = ?1 AND brand_id = ?2"))
            .and_then(|mut s| s.query_row(params![query.ambassador, query.brand], |r| r.get(0)).optional())
            .map_err(error)?
            .unwrap_or(0));
    }
    connection
        .prepare_cached(&format!("SELECT COUNT(*) FROM listings l WHERE {condition}"))
        .and_then(|mut s| s.query_row(params_from_iter(values.iter()), |r| r.get(0)))
        .map_err(error)
}

/// The start (instant, room) of the bucket holding row `position` of the
/// listing, and the rows before it: the buckets in order, counted here (a
/// window function over them took three times as long).
fn bucket_holding(connection: &Connection, query: &ChatroomQuery, filters: &Filters, position: i64) -> Result<((i64, i64), i64), StoreError> {
    let column = filters.selection.count_column();
    let mut buckets = connection
        .prepare_cached(&format!(
            "SELECT start_at, start_id, {column} FROM listing_buckets \
             WHERE ambassador_id = ?1 AND brand_id = ?2 ORDER BY start_at, start_id"
        ))
        .map_err(error)?;
    let mut rows = buckets.query(params![query.ambassador, query.brand]).map_err(error)?;
    let mut before = 0;
    while let Some(row) = rows.next().map_err(error)? {
        let held: i64 = row.get(2).map_err(error)?;
        if before + held > position {
            return Ok(((row.int(0)?, row.int(1)?), before));
        }
        before += held;
    }
    Err(StoreError::Failed("no bucket holds the page".into()))
}

/// The page's rooms with their last message and its author (of the room's
/// brand), in the order asked: the listing read in `scan` order from the
/// start (`condition`; `values` end with the limit and the rows to skip),
/// then sorted in `order`.
fn page_rooms(connection: &Connection, condition: &str, scan: &str, order: &str, values: &[Value]) -> Result<Vec<Chatroom>, StoreError> {
    let sql = format!(
        "SELECT c.id, c.date_insert, c.last_message_date, c.type_chatroom, c.type_discussion, c.source, c.established_dialogue, \
         c.rating_value, c.rating_comment, c.summary_date, c.summary_text, c.summary_anomaly, c.summary_topic, \
         msg.id, msg.date_insert, msg.content, msg.type_message, msg.status_moderation, {AMBASSADOR_COLUMNS} \
         FROM (SELECT l.chatroom_id, l.last_action_at FROM listings l WHERE {condition} \
         ORDER BY l.last_action_at {scan}, l.chatroom_id {scan} LIMIT ? OFFSET ?) p \
         JOIN chatrooms c ON c.id = p.chatroom_id \
         LEFT JOIN messages msg ON msg.id = c.last_message_id \
         LEFT JOIN ambassadors a ON a.id = msg.author_id AND a.brand_id = c.brand_id \
         ORDER BY p.last_action_at {order}, p.chatroom_id {order}"
    );
    let mut statement = connection.prepare_cached(&sql).map_err(error)?;
    let mut rows = statement.query(params_from_iter(values.iter())).map_err(error)?;
    let mut rooms = Vec::new();
    while let Some(row) = rows.next().map_err(error)? {
        rooms.push(rows::chatroom(row)?);
    }
    Ok(rooms)
}

/// The members of a page's rooms who belong to `brand`: a person of
/// another brand in a room (data imported or written by hand) is not shown.
fn page_members(connection: &Connection, brand: i64, rooms: &[Chatroom]) -> Result<Vec<(i64, popsell_types::ChatroomMember)>, StoreError> {
    if rooms.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT m.chatroom_id, m.last_read_message, m.is_blocked, m.archived, {AMBASSADOR_COLUMNS} \
         FROM members m JOIN ambassadors a ON a.id = m.ambassador_id AND a.brand_id = ? \
         WHERE m.chatroom_id IN ({}) ORDER BY m.chatroom_id, a.id",
        vec!["?"; rooms.len()].join(", ")
    );
    let mut statement = connection.prepare_cached(&sql).map_err(error)?;
    let values = std::iter::once(brand).chain(rooms.iter().map(|r| r.id_chatroom));
    let mut rows = statement.query(params_from_iter(values)).map_err(error)?;
    let mut members = Vec::new();
    while let Some(row) = rows.next().map_err(error)? {
        members.push(rows::member(row, 0)?);
    }
    Ok(members)
}

impl Store for SqliteStore {
    async fn authenticate(&self, token: &str) -> Result<bool, StoreError> {
        let digest = token_digest(token);
        let seen = {
            let tokens = self.inner.tokens.read().map_err(|_| StoreError::Failed("the token lock is poisoned".into()))?;
            tokens.get(&digest).copied()
        };
        if seen.is_some_and(|at| at.elapsed() < TOKEN_FRESHNESS) {
            return Ok(true);
        }
        self.blocking(move |inner| inner.token_known(&digest)).await
    }

    async fn data_version(&self) -> Result<u64, StoreError> {
        Ok(self.inner.version.load(Ordering::Acquire))
    }

    async fn access(&self, token: &str, brand: i64, ambassador: i64) -> Result<Access, StoreError> {
        let token = token.to_owned();
        self.blocking(move |inner| inner.read(|connection| inner.access(connection, &token, brand, ambassador))).await
    }

    async fn chatrooms(&self, query: &ChatroomQuery) -> Result<(Vec<Chatroom>, i64), StoreError> {
        let query = query.clone();
        self.blocking(move |inner| inner.read(|connection| inner.chatrooms(connection, &query))).await
    }
}

impl StoreWriter for SqliteStore {
    async fn is_empty(&self) -> Result<bool, StoreError> {
        self.blocking(Inner::is_empty).await
    }

    async fn seed(&self, data: Dataset) -> Result<bool, StoreError> {
        self.blocking(move |inner| inner.write(Writes { data: Some(data), ..Writes::default() })).await
    }

    async fn add_rooms(&self, rooms: Vec<ChatroomRow>) -> Result<(), StoreError> {
        self.blocking(move |inner| inner.write(Writes { rooms, ..Writes::default() }).map(drop)).await
    }

    async fn add_members(&self, members: Vec<RoomMember>) -> Result<(), StoreError> {
        self.blocking(move |inner| inner.write(Writes { members, ..Writes::default() }).map(drop)).await
    }

    async fn add_messages(&self, messages: Vec<RoomMessage>) -> Result<(), StoreError> {
        self.blocking(move |inner| inner.write(Writes { messages, ..Writes::default() }).map(drop)).await
    }
}
