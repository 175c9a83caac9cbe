//! The SQLite store: schema, indexes, and every query (parameterized).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use popsell_types::{
    Ambassador, Chatroom, ChatroomMember, ChatroomPivot, ChatroomSort, CommentedFilter, LaravelDateTime, Message, Rating, Summary,
    Timestamp,
};
use parking_lot::{FairMutex, FairMutexGuard};
use rusqlite::config::DbConfig;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{Access, ChatroomQuery, Store, StoreError};
use crate::seed::Dataset;

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
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, ambassador_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS token_brands (token TEXT NOT NULL, brand_id INTEGER NOT NULL, PRIMARY KEY (token, brand_id)) WITHOUT ROWID;
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
-- The listing the operation pages through, derived from the tables above by
-- `REBUILD_LISTINGS`: one row per (ambassador who may be asked for, room where
-- he or one of his guest accounts is a member), so a room shared by a host and
-- his guest is listed once. The key is the sort order, so a page is a range of
-- this table read in order, its count a count of a key range, and every filter
-- a column of the row (no lookup into `chatrooms` until the page is known).
CREATE TABLE IF NOT EXISTS listings (
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, last_action_at INTEGER NOT NULL, chatroom_id INTEGER NOT NULL,
    -- Some involved member's pivot row is archived / is not archived.
    archived_any INTEGER NOT NULL, unarchived_any INTEGER NOT NULL,
    commented INTEGER NOT NULL, anomaly INTEGER, type_chatroom INTEGER NOT NULL,
    PRIMARY KEY (ambassador_id, brand_id, last_action_at, chatroom_id)
) WITHOUT ROWID;
-- Every 256th row of each listing in ascending order (position 0, 256, …),
-- for all rooms (selection 0), the archived ones (1) and the others (2): a
-- deep page starts from the nearest mark instead of an OFFSET from the start.
CREATE TABLE IF NOT EXISTS listing_marks (
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, selection INTEGER NOT NULL, position INTEGER NOT NULL,
    last_action_at INTEGER NOT NULL, chatroom_id INTEGER NOT NULL,
    PRIMARY KEY (ambassador_id, brand_id, selection, position)
) WITHOUT ROWID;
-- The totals of the listings by (ambassador, brand), all rooms and by the
-- archived filter: the page's total without counting when no other filter is set.
CREATE TABLE IF NOT EXISTS listing_counts (
    ambassador_id INTEGER NOT NULL, brand_id INTEGER NOT NULL,
    total INTEGER NOT NULL, archived INTEGER NOT NULL, unarchived INTEGER NOT NULL,
    PRIMARY KEY (ambassador_id, brand_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, chatroom_id INTEGER NOT NULL, author_id INTEGER NOT NULL,
    date_insert INTEGER NOT NULL, content TEXT NOT NULL, type_message INTEGER NOT NULL, status_moderation INTEGER NOT NULL
);
";

/// Derives `listings` from `members`, `ambassadors` and `chatrooms` (one row
/// per listed ambassador and room: the member himself, and his host when he
/// is a guest account), inserted in key order; then `listing_counts` and
/// `listing_marks` from it.
const REBUILD_LISTINGS: &str = "
DELETE FROM listings;
INSERT INTO listings (ambassador_id, brand_id, last_action_at, chatroom_id, archived_any, unarchived_any, commented, anomaly, type_chatroom)
SELECT i.ambassador_id, c.brand_id, c.last_action_at, c.id, MAX(i.archived), MAX(1 - i.archived),
       COALESCE(c.rating_comment, '') <> '', c.summary_anomaly, c.type_chatroom
FROM (SELECT m.ambassador_id, m.chatroom_id, m.archived FROM members m
      UNION ALL
      SELECT a.host_id, m.chatroom_id, m.archived FROM members m JOIN ambassadors a ON a.id = m.ambassador_id
      WHERE a.host_id IS NOT NULL) i
JOIN chatrooms c ON c.id = i.chatroom_id
GROUP BY i.ambassador_id, c.brand_id, c.last_action_at, c.id;
DELETE FROM listing_counts;
INSERT INTO listing_counts (ambassador_id, brand_id, total, archived, unarchived)
SELECT ambassador_id, brand_id, COUNT(*), SUM(archived_any), SUM(unarchived_any) FROM listings GROUP BY ambassador_id, brand_id;
DELETE FROM listing_marks;
INSERT INTO listing_marks (ambassador_id, brand_id, selection, position, last_action_at, chatroom_id)
SELECT ambassador_id, brand_id, selection, position, last_action_at, chatroom_id FROM (
    SELECT ambassador_id, brand_id, 0 AS selection, last_action_at, chatroom_id,
           ROW_NUMBER() OVER (PARTITION BY ambassador_id, brand_id ORDER BY last_action_at, chatroom_id) - 1 AS position
    FROM listings
    UNION ALL
    SELECT ambassador_id, brand_id, 1, last_action_at, chatroom_id,
           ROW_NUMBER() OVER (PARTITION BY ambassador_id, brand_id ORDER BY last_action_at, chatroom_id) - 1
    FROM listings WHERE archived_any = 1
    UNION ALL
    SELECT ambassador_id, brand_id, 2, last_action_at, chatroom_id,
           ROW_NUMBER() OVER (PARTITION BY ambassador_id, brand_id ORDER BY last_action_at, chatroom_id) - 1
    FROM listings WHERE unarchived_any = 1
) WHERE position % 256 = 0;
";

/// One row of a listing in this many is a mark (`listing_marks`; the
/// number is also in `REBUILD_LISTINGS`).
const MARK_EVERY: i64 = 256;

/// Columns of an ambassador, in the order [`ambassador`] reads them.
const AMBASSADOR_COLUMNS: &str = "a.id, a.image, a.firstname, a.lastname, a.username, a.email, a.email_tmp, a.active, a.status, \
     a.online, a.last_action_date, a.customer_id, a.anonymized";

/// SQLite behind one connection: reads are short, indexed queries.
pub struct SqliteStore {
    /// Strictly fair: under load, requests get the connection in arrival
    /// order (std's mutex is not fair, which stretched the latency tail).
    connection: FairMutex<Connection>,
    /// The known bearer tokens, read once: `authenticate` runs before every
    /// request and must not wait for the connection.
    tokens: std::sync::RwLock<std::collections::HashSet<String>>,
}

fn error(e: rusqlite::Error) -> StoreError {
    StoreError(e.to_string())
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

fn instant(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

impl SqliteStore {
    /// Opens (and creates) the database at `path`, or an in-memory one.
    pub fn open(path: Option<&std::path::Path>) -> Result<SqliteStore, StoreError> {
        let connection = match path {
            Some(path) => Connection::open(path),
            None => Connection::open_in_memory(),
        }
        .map_err(error)?;
        connection.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;").map_err(error)?;
        // The query planner stability guarantee: without it, SQLite (built
        // with STAT4) marks a statement with `LIMIT ?` or `IN (?, …)` to be
        // parsed and planned again whenever a parameter is bound, which
        // made every cached statement a fresh prepare (a third of a page's time).
        connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true).map_err(error)?;
        connection.execute_batch(SCHEMA).map_err(error)?;
        // A database file written before the derived tables existed: derive them once.
        let stale: bool = connection
            .query_row("SELECT EXISTS (SELECT 1 FROM members) AND NOT EXISTS (SELECT 1 FROM listing_marks)", [], |r| r.get(0))
            .map_err(error)?;
        if stale {
            connection.execute_batch(&format!("BEGIN; {REBUILD_LISTINGS} COMMIT;")).map_err(error)?;
        }
        let store = SqliteStore { connection: FairMutex::new(connection), tokens: Default::default() };
        store.reload_tokens()?;
        Ok(store)
    }

    fn connection(&self) -> Result<FairMutexGuard<'_, Connection>, StoreError> {
        Ok(self.connection.lock())
    }

    /// How many chatrooms are stored (0: the database needs seeding).
    pub fn chatroom_count(&self) -> Result<i64, StoreError> {
        self.connection()?.query_row("SELECT COUNT(*) FROM chatrooms", [], |r| r.get(0)).map_err(error)
    }

    /// Inserts a whole dataset in one transaction.
    pub fn load(&self, data: &Dataset) -> Result<(), StoreError> {
        let mut connection = self.connection()?;
        let tx = connection.transaction().map_err(error)?;
        {
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
            let mut token = tx.prepare("INSERT INTO tokens (token, ambassador_id) VALUES (?1, ?2)").map_err(error)?;
            let mut token_brand = tx.prepare("INSERT INTO token_brands (token, brand_id) VALUES (?1, ?2)").map_err(error)?;
            for t in &data.tokens {
                token.execute(params![t.token, t.ambassador]).map_err(error)?;
                for brand in &t.brands {
                    token_brand.execute(params![t.token, brand]).map_err(error)?;
                }
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
            for r in &data.chatrooms {
                let rating = r.rating.as_ref();
                let summary = r.summary.as_ref();
                room.execute(params![
                    r.id,
                    r.brand,
                    micros(r.date_insert),
                    r.last_message.as_ref().map(|m| micros(m.date_insert)),
                    micros(r.last_action_at()),
                    r.type_chatroom,
                    r.type_discussion,
                    r.source,
                    r.established_dialogue.as_ref().map(LaravelDateTime::as_str),
                    rating.map(|x| x.value),
                    rating.and_then(|x| x.comment.clone()),
                    summary.map(|x| x.date_insert.clone()),
                    summary.map(|x| x.summary.clone()),
                    summary.map(|x| x.anomaly),
                    summary.map(|x| x.topic),
                    r.last_message.as_ref().map(|m| m.id),
                ])
                .map_err(error)?;
                for m in &r.members {
                    member.execute(params![m.ambassador, r.id, m.last_read_message, m.is_blocked, m.archived]).map_err(error)?;
                }
                if let Some(m) = &r.last_message {
                    message
                        .execute(params![m.id, r.id, m.author, micros(m.date_insert), m.content, m.type_message, m.status_moderation])
                        .map_err(error)?;
                }
            }
        }
        tx.execute_batch(REBUILD_LISTINGS).map_err(error)?;
        tx.commit().map_err(error)?;
        drop(connection);
        self.reload_tokens()
    }

    fn reload_tokens(&self) -> Result<(), StoreError> {
        let connection = self.connection()?;
        let mut statement = connection.prepare("SELECT token FROM tokens").map_err(error)?;
        let tokens = statement.query_map([], |r| r.get(0)).map_err(error)?.collect::<rusqlite::Result<_>>().map_err(error)?;
        *self.tokens.write().map_err(|_| StoreError("the token lock is poisoned".into()))? = tokens;
        Ok(())
    }
}

fn ambassador(row: &Row<'_>, at: usize) -> rusqlite::Result<Ambassador> {
    Ok(Ambassador::builder()
        .id_ambassador(row.get(at)?)
        .maybe_image(row.get::<_, Option<String>>(at + 1)?)
        .firstname(row.get::<_, String>(at + 2)?)
        .lastname(row.get::<_, String>(at + 3)?)
        .username(row.get::<_, String>(at + 4)?)
        .maybe_email(row.get::<_, Option<String>>(at + 5)?)
        .maybe_email_tmp(row.get::<_, Option<String>>(at + 6)?)
        .active(row.get(at + 7)?)
        .status(row.get(at + 8)?)
        .online(row.get(at + 9)?)
        // The spellings of the real API: `+00:00` here, microseconds and `Z` for rooms and messages.
        .maybe_last_action_date(row.get::<_, Option<i64>>(at + 10)?.map(|m| Timestamp::with_offset(instant(m))))
        .maybe_customer_id(row.get::<_, Option<String>>(at + 11)?)
        .anonymized(row.get(at + 12)?)
        .build())
}

/// `?, ?, …` for `n` values.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl Store for SqliteStore {
    fn authenticate(&self, token: &str) -> Result<bool, StoreError> {
        let tokens = self.tokens.read().map_err(|_| StoreError("the token lock is poisoned".into()))?;
        Ok(tokens.contains(token))
    }

    fn access(&self, token: &str, brand: i64, ambassador: i64) -> Result<Access, StoreError> {
        let connection = self.connection()?;
        // Cached statements: this runs before every page.
        let holder: Option<(i64, i64)> = connection
            .prepare_cached("SELECT t.ambassador_id, a.status FROM tokens t JOIN ambassadors a ON a.id = t.ambassador_id WHERE t.token = ?1")
            .and_then(|mut s| s.query_row(params![token], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(error)?;
        let Some((holder, holder_status)) = holder else { return Ok(Access::UnknownToken) };
        let in_brand: bool = connection
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM token_brands WHERE token = ?1 AND brand_id = ?2)")
            .and_then(|mut s| s.query_row(params![token, brand], |r| r.get(0)))
            .map_err(error)?;
        if !in_brand {
            return Ok(Access::Forbidden);
        }
        let target: Option<(i64, Option<i64>)> = connection
            .prepare_cached("SELECT brand_id, host_id FROM ambassadors WHERE id = ?1")
            .and_then(|mut s| s.query_row(params![ambassador], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(error)?;
        // Himself, his guest accounts, or anyone of the brand for an administrator.
        const ADMINISTRATOR: i64 = 2;
        let granted = match target {
            Some((target_brand, host)) if target_brand == brand => {
                holder == ambassador || host == Some(holder) || holder_status == ADMINISTRATOR
            }
            _ => false,
        };
        Ok(if granted { Access::Granted } else { Access::Forbidden })
    }

    fn chatrooms(&self, query: &ChatroomQuery) -> Result<(Vec<Chatroom>, i64), StoreError> {
        let connection = self.connection()?;
        // The rooms where the ambassador or one of his guests is a member
        // (with the archived flag of that member's pivot row): his listing.
        let mut filter = String::from("l.ambassador_id = ? AND l.brand_id = ?");
        let mut values: Vec<Value> = vec![Value::Integer(query.ambassador), Value::Integer(query.brand)];
        match query.archived {
            Some(true) => filter.push_str(" AND l.archived_any = 1"),
            Some(false) => filter.push_str(" AND l.unarchived_any = 1"),
            None => {}
        }
        match query.commented {
            Some(CommentedFilter::Commented) => filter.push_str(" AND l.commented = 1"),
            Some(CommentedFilter::NotCommented) => filter.push_str(" AND l.commented = 0"),
            None => {}
        }
        if let Some(flag) = query.flag {
            filter.push_str(" AND l.anomaly = ?");
            values.push(Value::Integer(flag.into()));
        }
        if let Some(kind) = query.type_chatroom {
            filter.push_str(" AND l.type_chatroom = ?");
            values.push(Value::Integer(kind.as_str().parse().unwrap_or_default()));
        }
        if let Some(before) = query.last_action_before {
            // Stored instants are whole microseconds: `< before` is `< before
            // rounded up`, so an instant just past a microsecond keeps it.
            let sub_micro = before.timestamp_subsec_nanos() % 1_000 != 0;
            filter.push_str(" AND l.last_action_at < ?");
            values.push(Value::Integer(micros(before) + i64::from(sub_micro)));
        }
        // Without a filter on the room, the total is in `listing_counts`.
        let counted =
            query.commented.is_none() && query.flag.is_none() && query.type_chatroom.is_none() && query.last_action_before.is_none();
        let total: i64 = if counted {
            let column = match query.archived {
                None => "total",
                Some(true) => "archived",
                Some(false) => "unarchived",
            };
            connection
                .prepare_cached(&format!("SELECT {column} FROM listing_counts WHERE ambassador_id = ?1 AND brand_id = ?2"))
                .and_then(|mut s| s.query_row(params![query.ambassador, query.brand], |r| r.get(0)).optional())
                .map_err(error)?
                .unwrap_or(0)
        } else {
            connection
                .prepare_cached(&format!("SELECT COUNT(*) FROM listings l WHERE {filter}"))
                .and_then(|mut s| s.query_row(params_from_iter(values.iter()), |r| r.get(0)))
                .map_err(error)?
        };
        let (direction, reverse) = match query.sort {
            ChatroomSort::LastActionDateAsc => ("ASC", "DESC"),
            ChatroomSort::LastActionDateDesc => ("DESC", "ASC"),
        };
        let offset = (query.page - 1).saturating_mul(query.per_page);
        if offset >= total {
            return Ok((Vec::new(), total));
        }
        let limit = query.per_page.min(total - offset);
        // OFFSET steps over the skipped rows one by one, so read the page
        // from the nearer end of the listing (the total is exact and the
        // order total: last action, then id) and, without a filter on the
        // room, from the nearest mark at or before it in ascending order
        // (`listing_marks`: at most 255 rows to skip) when that is nearer.
        // The page is then sorted back into the requested order.
        let from_end = total - offset - limit;
        // (order of the scan, rows to skip, key to start from)
        let mut plan = if offset <= from_end { (direction, offset, None) } else { (reverse, from_end, None) };
        if counted && plan.1 > MARK_EVERY {
            let first = match query.sort {
                ChatroomSort::LastActionDateAsc => offset,
                ChatroomSort::LastActionDateDesc => from_end,
            };
            let selection = match query.archived {
                None => 0,
                Some(true) => 1,
                Some(false) => 2,
            };
            let mark: Option<(i64, i64, i64)> = connection
                .prepare_cached(
                    "SELECT position, last_action_at, chatroom_id FROM listing_marks \
                     WHERE ambassador_id = ?1 AND brand_id = ?2 AND selection = ?3 AND position <= ?4 ORDER BY position DESC LIMIT 1",
                )
                .and_then(|mut s| {
                    s.query_row(params![query.ambassador, query.brand, selection, first], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .optional()
                })
                .map_err(error)?;
            if let Some((position, at, id)) = mark.filter(|m| first - m.0 < plan.1) {
                plan = ("ASC", first - position, Some((at, id)));
            }
        }
        let (scan, skip, from) = plan;
        if let Some((at, id)) = from {
            filter.push_str(" AND (l.last_action_at, l.chatroom_id) >= (?, ?)");
            values.push(Value::Integer(at));
            values.push(Value::Integer(id));
        }
        let sql = format!(
            "SELECT c.id, c.date_insert, c.last_message_date, c.type_chatroom, c.type_discussion, c.source, c.established_dialogue, \
             c.rating_value, c.rating_comment, c.summary_date, c.summary_text, c.summary_anomaly, c.summary_topic, \
             msg.id, msg.date_insert, msg.content, msg.type_message, msg.status_moderation, {AMBASSADOR_COLUMNS} \
             FROM (SELECT l.chatroom_id, l.last_action_at FROM listings l WHERE {filter} \
             ORDER BY l.last_action_at {scan}, l.chatroom_id {scan} LIMIT ? OFFSET ?) p \
             JOIN chatrooms c ON c.id = p.chatroom_id \
             LEFT JOIN messages msg ON msg.id = c.last_message_id LEFT JOIN ambassadors a ON a.id = msg.author_id \
             ORDER BY p.last_action_at {direction}, p.chatroom_id {direction}"
        );
        values.push(Value::Integer(limit));
        values.push(Value::Integer(skip));
        let mut statement = connection.prepare_cached(&sql).map_err(error)?;
        let mut rooms: Vec<Chatroom> = statement
            .query_map(params_from_iter(values.iter()), |r| {
                let rating: Option<i32> = r.get(7)?;
                let summary_text: Option<String> = r.get(10)?;
                let established: Option<String> = r.get(6)?;
                // The last message, when it and its author exist.
                let last_message = match (r.get::<_, Option<i64>>(13)?, r.get::<_, Option<i64>>(18)?) {
                    (Some(id_message), Some(_)) => Some(
                        Message::builder()
                            .id_message(id_message)
                            .date_insert(instant(r.get(14)?).into())
                            .content(r.get::<_, String>(15)?)
                            .type_message(r.get(16)?)
                            .status_moderation(r.get(17)?)
                            .author(ambassador(r, 18)?)
                            .build(),
                    ),
                    _ => None,
                };
                let last_rating = match rating {
                    Some(value) => Some(Rating::builder().value(value).maybe_comment(r.get::<_, Option<String>>(8)?).build()),
                    None => None,
                };
                let last_summary = match summary_text {
                    Some(summary) => Some(
                        Summary::builder()
                            .date_insert(r.get::<_, Option<String>>(9)?.unwrap_or_default())
                            .summary(summary)
                            .anomaly(r.get::<_, Option<i32>>(11)?.unwrap_or_default())
                            .topic(r.get::<_, Option<i32>>(12)?.unwrap_or_default())
                            .build(),
                    ),
                    None => None,
                };
                Ok(Chatroom::builder()
                    .id_chatroom(r.get(0)?)
                    .ambassadors(Vec::new())
                    .date_insert(instant(r.get(1)?).into())
                    .maybe_last_message_date(r.get::<_, Option<i64>>(2)?.map(|m| instant(m).into()))
                    .type_chatroom(r.get(3)?)
                    .type_discussion(r.get(4)?)
                    .source(r.get(5)?)
                    .maybe_established_dialogue(established.and_then(|text| text.parse().ok()))
                    .maybe_last_rating(last_rating)
                    .maybe_last_summary(last_summary)
                    .maybe_last_message(last_message)
                    .build())
            })
            .map_err(error)?
            .collect::<rusqlite::Result<_>>()
            .map_err(error)?;
        drop(statement);
        attach_members(&connection, &mut rooms)?;
        Ok((rooms, total))
    }
}

fn attach_members(connection: &Connection, rooms: &mut [Chatroom]) -> Result<(), StoreError> {
    if rooms.is_empty() {
        return Ok(());
    }
    let index: HashMap<i64, usize> = rooms.iter().enumerate().map(|(i, r)| (r.id_chatroom, i)).collect();
    let sql = format!(
        "SELECT m.chatroom_id, m.last_read_message, m.is_blocked, m.archived, {AMBASSADOR_COLUMNS} \
         FROM members m JOIN ambassadors a ON a.id = m.ambassador_id WHERE m.chatroom_id IN ({}) ORDER BY m.chatroom_id, a.id",
        placeholders(rooms.len())
    );
    let mut statement = connection.prepare_cached(&sql).map_err(error)?;
    let ids = rooms.iter().map(|r| r.id_chatroom);
    let rows = statement
        .query_map(params_from_iter(ids), |r| {
            let room: i64 = r.get(0)?;
            let a = ambassador(r, 4)?;
            let pivot = ChatroomPivot::builder()
                .id_chatroom(room)
                .id_ambassador(a.id_ambassador)
                .maybe_last_read_message(r.get(1)?)
                .is_blocked(r.get(2)?)
                .archived(r.get(3)?)
                .build();
            Ok((room, member_of(a, pivot)))
        })
        .map_err(error)?;
    for row in rows {
        let (room, member) = row.map_err(error)?;
        if let Some(&i) = index.get(&room) {
            rooms[i].ambassadors.push(member);
        }
    }
    Ok(())
}

fn member_of(a: Ambassador, pivot: ChatroomPivot) -> ChatroomMember {
    ChatroomMember::builder()
        .active(a.active)
        .anonymized(a.anonymized)
        .chatroom_pivot_data(vec![pivot])
        .maybe_customer_id(a.customer_id)
        .maybe_email(a.email)
        .maybe_email_tmp(a.email_tmp)
        .firstname(a.firstname)
        .id_ambassador(a.id_ambassador)
        .maybe_image(a.image)
        .maybe_last_action_date(a.last_action_date)
        .lastname(a.lastname)
        .online(a.online)
        .status(a.status)
        .username(a.username)
        .build()
}
