//! The PostgreSQL store (feature `postgres`): every query (parameterized),
//! on a pool of tokio-postgres connections (deadpool; plain TCP or a Unix
//! socket, no TLS). The schema is the migrations of `migrations/postgres/`,
//! applied by [`PostgresStore::migrate`].
//!
//! Several servers may share one database. A read is one statement per
//! round trip (its own snapshot); a write is one transaction that first
//! takes an advisory lock of the schema, so writes (the seed and the tests'
//! writers, rare) never race on a bucket split while reads never wait.

use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Transaction};
use popsell_types::{Chatroom, ChatroomSort, LaravelDateTime};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{NoTls, Row};

use super::plan::{self, BUCKET_ROWS, Filters, Selection, Start};
use super::rows::{self, Columns};
use super::{Access, AccessFacts, ChatroomQuery, Holder, RoomMember, RoomMessage, Store, StoreError, StoreWriter, Writes, token_digest};
use crate::seed::{ChatroomRow, Dataset, MemberRow, MessageRow};

/// One migration: its version, name and SQL, in the order they apply.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

/// Every file of `migrations/postgres/`, in order (a test checks the list
/// against the directory).
const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_schema.sql", sql: include_str!("../../migrations/postgres/0001_schema.sql") },
    Migration { version: 2, name: "0002_hashed_tokens.sql", sql: include_str!("../../migrations/postgres/0002_hashed_tokens.sql") },
    Migration { version: 3, name: "0003_data_version.sql", sql: include_str!("../../migrations/postgres/0003_data_version.sql") },
];

/// Connections per server: a request holds one for its few statements.
const POOL_SIZE: usize = 16;

/// The advisory locks of a schema (its own in a shared database): one for
/// migrations, one for writes.
const LOCK_MIGRATIONS: &str = "SELECT pg_advisory_xact_lock(hashtextextended('popsell-reference migrations ' || current_schema(), 0))";
const LOCK_WRITES: &str = "SELECT pg_advisory_xact_lock(hashtextextended('popsell-reference writes ' || current_schema(), 0))";

const MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

/// The working tables of a write, dropped at its commit: the rooms it
/// touches, the rows that go (sign -1) and come (+1) in listings that had
/// rows before, the listings that had none, and the buckets that split.
const WRITE_TABLES: &str = "
CREATE TEMP TABLE affected (chatroom_id BIGINT PRIMARY KEY) ON COMMIT DROP;
CREATE TEMP TABLE delta (
    ambassador_id BIGINT NOT NULL, brand_id BIGINT NOT NULL, last_action_at TIMESTAMPTZ NOT NULL, chatroom_id BIGINT NOT NULL,
    archived_any BOOLEAN NOT NULL, unarchived_any BOOLEAN NOT NULL, sign INTEGER NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE new_listings (ambassador_id BIGINT NOT NULL, brand_id BIGINT NOT NULL, PRIMARY KEY (ambassador_id, brand_id)) ON COMMIT DROP;
CREATE TEMP TABLE chunks (
    bucket BIGINT NOT NULL, chunk BIGINT NOT NULL, ambassador_id BIGINT NOT NULL, brand_id BIGINT NOT NULL,
    start_at TIMESTAMPTZ, start_id BIGINT, total BIGINT NOT NULL, archived BIGINT NOT NULL, unarchived BIGINT NOT NULL
) ON COMMIT DROP;
";

/// The listing rows of the rooms in `affected`, derived from `members`,
/// `ambassadors` and `chatrooms` (the member himself, and his host when he
/// is a guest account, once per room), in key order.
macro_rules! derived_listings {
    () => {
        "SELECT i.ambassador_id, c.brand_id, c.last_action_at, c.id AS chatroom_id,
                bool_or(i.archived) AS archived_any, bool_or(NOT i.archived) AS unarchived_any,
                COALESCE(c.rating_comment, '') <> '' AS commented, c.summary_anomaly AS anomaly, c.type_chatroom
         FROM (SELECT m.ambassador_id, m.chatroom_id, m.archived FROM members m JOIN affected x ON x.chatroom_id = m.chatroom_id
               UNION ALL
               SELECT a.host_id, m.chatroom_id, m.archived FROM members m JOIN affected x ON x.chatroom_id = m.chatroom_id
               JOIN ambassadors a ON a.id = m.ambassador_id WHERE a.host_id IS NOT NULL) i
         JOIN chatrooms c ON c.id = i.chatroom_id
         GROUP BY i.ambassador_id, c.brand_id, c.last_action_at, c.id
         ORDER BY 1, 2, 3, 4"
    };
}

/// Before the base rows are written: the listing rows of the rooms in
/// `affected`, as the tables still derive them, go (by key: there is no
/// index by room to keep up).
const RETIRE_LISTINGS: &str = concat!(
    "ANALYZE affected;
     INSERT INTO delta
     SELECT ambassador_id, brand_id, last_action_at, chatroom_id, archived_any, unarchived_any, -1 FROM (",
    derived_listings!(),
    ") AS old;
     DELETE FROM listings l USING delta d
     WHERE d.sign = -1
       AND (l.ambassador_id, l.brand_id, l.last_action_at, l.chatroom_id) = (d.ambassador_id, d.brand_id, d.last_action_at, d.chatroom_id);"
);

/// After: the rooms' new listing rows come. In a listing that had rows
/// before, they go through `delta` into its count and its buckets (each
/// row in the last bucket starting at or before it); a new listing (all of
/// the seed's) is counted from its rows, and its first bucket (from
/// -infinity) holds them all.
const DERIVE_LISTINGS: &str = concat!(
    "WITH fresh AS (
         INSERT INTO listings (ambassador_id, brand_id, last_action_at, chatroom_id, archived_any, unarchived_any, commented, anomaly, type_chatroom) ",
    derived_listings!(),
    "    RETURNING ambassador_id, brand_id, last_action_at, chatroom_id, archived_any, unarchived_any),
     known AS (
         INSERT INTO delta SELECT f.*, 1 FROM fresh f
         WHERE EXISTS (SELECT 1 FROM listing_counts n WHERE n.ambassador_id = f.ambassador_id AND n.brand_id = f.brand_id))
     INSERT INTO new_listings SELECT DISTINCT ambassador_id, brand_id FROM fresh f
     WHERE NOT EXISTS (SELECT 1 FROM listing_counts n WHERE n.ambassador_id = f.ambassador_id AND n.brand_id = f.brand_id);
     ANALYZE delta;
     UPDATE listing_counts n SET total = n.total + d.total, archived = n.archived + d.archived, unarchived = n.unarchived + d.unarchived
     FROM (SELECT ambassador_id, brand_id, SUM(sign) AS total, SUM(sign * archived_any::int) AS archived,
                  SUM(sign * unarchived_any::int) AS unarchived
           FROM delta GROUP BY ambassador_id, brand_id) d
     WHERE n.ambassador_id = d.ambassador_id AND n.brand_id = d.brand_id;
     UPDATE listing_buckets b SET total = b.total + d.total, archived = b.archived + d.archived, unarchived = b.unarchived + d.unarchived
     FROM (SELECT k.id, SUM(x.sign) AS total, SUM(x.sign * x.archived_any::int) AS archived, SUM(x.sign * x.unarchived_any::int) AS unarchived
           FROM delta x CROSS JOIN LATERAL (
               SELECT id FROM listing_buckets b
               WHERE b.ambassador_id = x.ambassador_id AND b.brand_id = x.brand_id
                 AND (b.start_at, b.start_id) <= (x.last_action_at, x.chatroom_id)
               ORDER BY b.start_at DESC, b.start_id DESC LIMIT 1) k
           GROUP BY k.id) d
     WHERE b.id = d.id;
     INSERT INTO listing_counts (ambassador_id, brand_id, total, archived, unarchived)
     SELECT ambassador_id, brand_id, COUNT(*), SUM(archived_any::int), SUM(unarchived_any::int)
     FROM new_listings JOIN listings USING (ambassador_id, brand_id) GROUP BY ambassador_id, brand_id;
     INSERT INTO listing_buckets (ambassador_id, brand_id, start_at, start_id, total, archived, unarchived)
     SELECT ambassador_id, brand_id, '-infinity', 0, total, archived, unarchived FROM listing_counts JOIN new_listings USING (ambassador_id, brand_id);"
);

/// The buckets grown past twice `$1` rows (in the listings the write
/// touched), cut into chunks of `$1` rows in key order: each chunk's rows
/// and first key.
const SPLIT_CHUNKS: &str = "
INSERT INTO chunks (bucket, chunk, ambassador_id, brand_id, start_at, start_id, total, archived, unarchived)
SELECT bucket, position / $1::bigint, ambassador_id, brand_id,
       MAX(last_action_at) FILTER (WHERE position % $1::bigint = 0), MAX(chatroom_id) FILTER (WHERE position % $1::bigint = 0),
       COUNT(*), SUM(archived_any::int), SUM(unarchived_any::int)
FROM (SELECT b.id AS bucket, b.ambassador_id, b.brand_id, l.last_action_at, l.chatroom_id, l.archived_any, l.unarchived_any,
             ROW_NUMBER() OVER (PARTITION BY b.id ORDER BY l.last_action_at, l.chatroom_id) - 1 AS position
      FROM (SELECT id, ambassador_id, brand_id, start_at, start_id, total,
                   LEAD(start_at) OVER w AS end_at, LEAD(start_id) OVER w AS end_id
            FROM listing_buckets
            WHERE (ambassador_id, brand_id) IN (SELECT ambassador_id, brand_id FROM delta UNION SELECT * FROM new_listings)
            WINDOW w AS (PARTITION BY ambassador_id, brand_id ORDER BY start_at, start_id)) b
      JOIN listings l ON l.ambassador_id = b.ambassador_id AND l.brand_id = b.brand_id
           AND (l.last_action_at, l.chatroom_id) >= (b.start_at, b.start_id)
           AND (b.end_at IS NULL OR (l.last_action_at, l.chatroom_id) < (b.end_at, b.end_id))
      WHERE b.total > 2 * $1::bigint) numbered
GROUP BY bucket, position / $1::bigint, ambassador_id, brand_id
";

/// A split bucket keeps its start and its first chunk's rows; the other
/// chunks are new buckets.
const SPLIT_BUCKETS: &str = "
UPDATE listing_buckets b SET total = c.total, archived = c.archived, unarchived = c.unarchived
FROM chunks c WHERE c.bucket = b.id AND c.chunk = 0;
INSERT INTO listing_buckets (ambassador_id, brand_id, start_at, start_id, total, archived, unarchived)
SELECT ambassador_id, brand_id, start_at, start_id, total, archived, unarchived FROM chunks WHERE chunk > 0;
";

/// The latest of the posted messages of each room becomes its last message
/// when it is later than the one it has.
const LATEST_MESSAGES: &str = "
UPDATE chatrooms c SET last_message_id = p.id, last_message_date = p.date_insert, last_action_at = p.date_insert
FROM (SELECT DISTINCT ON (chatroom_id) chatroom_id, id, date_insert
      FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS p (chatroom_id, id, date_insert)
      ORDER BY chatroom_id, date_insert DESC, id DESC) p
WHERE c.id = p.chatroom_id AND (c.last_message_date IS NULL OR (c.last_message_date, c.last_message_id) < (p.date_insert, p.id))
";

/// Columns of the ambassador `alias`, in the order [`rows::ambassador`] reads them.
fn ambassador_columns(alias: &str) -> String {
    const COLUMNS: [&str; 13] = [
        "id", "image", "firstname", "lastname", "username", "email", "email_tmp", "active", "status", "online", "last_action_date",
        "customer_id", "anonymized",
    ];
    COLUMNS.map(|column| format!("{alias}.{column}")).join(", ")
}

/// A page room's members of the room's brand (`mm`; a person of another
/// brand in a room is not shown), in the order [`rows::member`] reads their
/// columns, from [`MEMBER_AT`] (after the room's, then its last message
/// author's). Lateral, so that the plan looks each room's few members up
/// whatever it guesses of the page's size.
fn members_join() -> String {
    format!(
        "LEFT JOIN LATERAL (SELECT m.chatroom_id, m.last_read_message, m.is_blocked, m.archived, {} \
         FROM members m JOIN ambassadors ma ON ma.id = m.ambassador_id AND ma.brand_id = c.brand_id \
         WHERE m.chatroom_id = c.id) mm ON true",
        ambassador_columns("ma")
    )
}

/// Where a member's columns start in a page's row.
const MEMBER_AT: usize = rows::CHATROOM_WIDTH;

/// Columns of a page's room, in the order [`rows::chatroom`] reads them.
const ROOM_COLUMNS: &str = "c.id, c.date_insert, c.last_message_date, c.type_chatroom, c.type_discussion, c.source, \
     c.established_dialogue, c.rating_value, c.rating_comment, c.summary_date, c.summary_text, c.summary_anomaly, c.summary_topic, \
     msg.id, msg.date_insert, msg.content, msg.type_message, msg.status_moderation";

/// PostgreSQL through a connection pool. Cheap to clone (the clones share the pool).
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    bucket_rows: i64,
}

/// The server's message when there is one (the driver's own says only "db
/// error"); a read cancelled by `statement_timeout` is over its budget.
fn error(e: impl std::error::Error + 'static) -> StoreError {
    let driver = (&e as &dyn std::error::Error).downcast_ref::<tokio_postgres::Error>();
    if driver.and_then(tokio_postgres::Error::code) == Some(&tokio_postgres::error::SqlState::QUERY_CANCELED) {
        return StoreError::OverBudget;
    }
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    StoreError::Failed(message)
}

/// A parameter of a query built at run time.
type Param = Box<dyn ToSql + Sync + Send>;

fn params(values: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v.as_ref() as &(dyn ToSql + Sync)).collect()
}

rows::impl_columns!(Row, try_get, error, DateTime<Utc> => std::convert::identity);

impl PostgresStore {
    /// A pool on `url` (`postgres://user[:password]@host[:port]/database`,
    /// or libpq's `key=value` form), connected once to fail early.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        Self::connect_with(url, BUCKET_ROWS, super::DEFAULT_QUERY_BUDGET).await
    }

    /// [`PostgresStore::connect`] with buckets of `bucket_rows` rows (small
    /// ones let tests reach the bucket splits with little data), and reads
    /// cancelled by the server past `query_budget` (`statement_timeout`;
    /// writes have none).
    pub async fn connect_with(url: &str, bucket_rows: i64, query_budget: Duration) -> Result<PostgresStore, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| StoreError::Failed(format!("invalid database URL: {e}")))?;
        // Prepared statements keep one generic plan: the page's, whose LIMIT
        // it cannot see, looks costlier than a custom one, so by default the
        // server planned it again at every call (~0.5 ms at 1M rooms). The
        // statements are written so that their generic plans are the good ones.
        let options = format!(
            "{} -c plan_cache_mode=force_generic_plan -c statement_timeout={}",
            config.get_options().unwrap_or_default(),
            query_budget.as_millis().max(1)
        );
        config.options(options.trim());
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build().map_err(error)?;
        let store = PostgresStore { pool, bucket_rows: bucket_rows.max(1) };
        drop(store.client().await?);
        Ok(store)
    }

    async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|e| StoreError::Failed(format!("cannot connect to PostgreSQL: {e}")))
    }

    /// The server's version (`SHOW server_version`).
    pub async fn server_version(&self) -> Result<String, StoreError> {
        Ok(self.client().await?.query_one("SHOW server_version", &[]).await.map_err(error)?.get(0))
    }

    /// Applies the migrations the database lacks, in order, in one
    /// transaction (several servers may start at once: one applies them);
    /// the names of those applied.
    pub async fn migrate(&self) -> Result<Vec<&'static str>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(error)?;
        tx.batch_execute(LOCK_MIGRATIONS).await.map_err(error)?;
        tx.batch_execute(MIGRATIONS_TABLE).await.map_err(error)?;
        let applied: Vec<i32> =
            tx.query("SELECT version FROM schema_migrations", &[]).await.map_err(error)?.iter().map(|r| r.get(0)).collect();
        let mut names = Vec::new();
        for migration in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
            tx.batch_execute(migration.sql).await.map_err(|e| StoreError::Failed(format!("migration {}: {e}", migration.name)))?;
            tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", &[&migration.version, &migration.name])
                .await
                .map_err(error)?;
            names.push(migration.name);
        }
        tx.commit().await.map_err(error)?;
        Ok(names)
    }

    /// Whether the database is at this server's schema version; the error
    /// says what to do when it is not.
    pub async fn check_schema(&self) -> Result<(), StoreError> {
        let client = self.client().await?;
        let migrated: bool =
            client.query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[]).await.map_err(error)?.get(0);
        let version: Option<i32> = if migrated {
            client.query_one("SELECT MAX(version) FROM schema_migrations", &[]).await.map_err(error)?.get(0)
        } else {
            None
        };
        let latest = MIGRATIONS.last().map_or(0, |m| m.version);
        match version {
            Some(v) if v == latest => Ok(()),
            Some(v) if v > latest => Err(StoreError::Failed(format!("the database is at schema version {v}, newer than this server's ({latest})"))),
            found => Err(StoreError::Failed(format!(
                "the database is at schema version {}, this server needs {latest}: run it once with --migrate",
                found.unwrap_or(0)
            ))),
        }
    }

    /// Writes and refreshes the listings of the rooms they touch, in one
    /// transaction; with a dataset, only into an empty database.
    async fn write(&self, writes: Writes) -> Result<bool, StoreError> {
        let started = std::time::Instant::now();
        let step = |name: &str| tracing::debug!(step = name, elapsed = ?started.elapsed(), "write");
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(error)?;
        // Memory for the sorts and hashes of a large write (the seed), this
        // transaction only; no JIT (compiling costs more than it saves here).
        tx.batch_execute(&format!(
            "SET LOCAL statement_timeout = 0; {LOCK_WRITES}; SET LOCAL work_mem = '256MB'; SET LOCAL jit = off; {WRITE_TABLES}"
        ))
            .await
            .map_err(error)?;
        if writes.data.is_some() {
            if !empty(&tx).await? {
                return Ok(false);
            }
            // New (empty) files for the tables the seed fills: with `wal_level = minimal`, their
            // writes then skip the WAL (the files are synced at commit).
            tx.batch_execute(
                "TRUNCATE ambassadors, tokens, token_brands, chatrooms, members, messages, listings, listing_counts, listing_buckets",
            )
            .await
            .map_err(error)?;
        }
        let listing_indexes = if writes.data.is_some() { drop_indexes(&tx, "listings").await? } else { Vec::new() };
        let affected = writes.affected_rooms();
        tx.execute("INSERT INTO affected SELECT unnest($1::bigint[])", &[&affected]).await.map_err(error)?;
        tx.batch_execute(RETIRE_LISTINGS).await.map_err(error)?;
        step("old listing rows retired");
        if let Some(data) = &writes.data {
            copy_people(&tx, data).await?;
        }
        copy_rooms(&tx, &writes).await?;
        post_messages(&tx, &writes.messages).await?;
        if affected.len() > 10_000 {
            // The plans of a large write need the new rows' statistics.
            tx.batch_execute("ANALYZE ambassadors, chatrooms, members").await.map_err(error)?;
        }
        step("rows copied");
        tx.batch_execute(DERIVE_LISTINGS).await.map_err(error)?;
        for definition in &listing_indexes {
            tx.batch_execute(definition).await.map_err(error)?;
        }
        step("listings derived");
        tx.execute(SPLIT_CHUNKS, &[&self.bucket_rows]).await.map_err(error)?;
        tx.batch_execute(SPLIT_BUCKETS).await.map_err(error)?;
        step("buckets split");
        tx.batch_execute("UPDATE data_version SET version = version + 1").await.map_err(error)?;
        tx.commit().await.map_err(error)?;
        if writes.data.is_some() {
            // Index-only scans need the visibility map of the new pages, and the planner their statistics.
            client
                .batch_execute("VACUUM (ANALYZE) ambassadors, chatrooms, members, messages, listings, listing_counts, listing_buckets")
                .await
                .map_err(error)?;
            step("vacuumed");
        }
        Ok(true)
    }

    /// The page's rooms in the order of the query, with their members: one
    /// statement, one row per member (the room's columns repeated).
    async fn page(&self, client: &Object, query: &ChatroomQuery, filters: &Filters, total: i64) -> Result<Vec<Chatroom>, StoreError> {
        let Some(reading) = plan::reading(query, total, filters.counted(), self.bucket_rows) else { return Ok(Vec::new()) };
        let (condition, mut values) = listing_condition(query, filters);
        let order = plan::direction(query.sort == ChatroomSort::LastActionDateAsc);
        let scan = plan::direction(reading.ascending);
        values.push(Box::new(reading.limit));
        let limit = values.len();
        let (with, from, offset) = match reading.start {
            Start::Skip(rows) => {
                values.push(Box::new(rows));
                (String::new(), String::new(), format!("${}", values.len()))
            }
            Start::Bucket(position) => {
                // The last bucket starting at or before the position, and the rows before it.
                values.push(Box::new(position));
                let position = values.len();
                let column = filters.selection.count_column();
                (
                    format!(
                        "WITH bucket AS MATERIALIZED (SELECT start_at, start_id, before FROM (SELECT start_at, start_id, \
                         (SUM({column}) OVER (ORDER BY start_at, start_id) - {column})::bigint AS before \
                         FROM listing_buckets WHERE ambassador_id = $1 AND brand_id = $2) s \
                         WHERE before <= ${position} ORDER BY start_at DESC, start_id DESC LIMIT 1) "
                    ),
                    // Two scalar subqueries (not a join): the range stays an index condition, read in order.
                    " AND (l.last_action_at, l.chatroom_id) >= ((SELECT start_at FROM bucket), (SELECT start_id FROM bucket))".to_owned(),
                    format!("(SELECT ${position} - before FROM bucket)"),
                )
            }
        };
        let sql = format!(
            "{with}SELECT {ROOM_COLUMNS}, {author}, mm.* \
             FROM (SELECT l.chatroom_id, l.last_action_at FROM listings l WHERE {condition}{from} \
             ORDER BY l.last_action_at {scan}, l.chatroom_id {scan} LIMIT ${limit} OFFSET {offset}) p \
             JOIN chatrooms c ON c.id = p.chatroom_id \
             LEFT JOIN messages msg ON msg.id = c.last_message_id \
             LEFT JOIN ambassadors a ON a.id = msg.author_id AND a.brand_id = c.brand_id \
             {members} \
             ORDER BY p.last_action_at {order}, p.chatroom_id {order}, mm.id",
            author = ambassador_columns("a"),
            members = members_join(),
        );
        let statement = client.prepare_cached(&sql).await.map_err(error)?;
        let found = client.query(&statement, &params(&values)).await.map_err(error)?;
        let mut rooms: Vec<Chatroom> = Vec::new();
        for row in &found {
            if rooms.last().map(|r| r.id_chatroom) != Some(row.int(0)?) {
                rooms.push(rows::chatroom(row)?);
            }
            if let (Some(room), Some(_)) = (rooms.last_mut(), row.opt_int(MEMBER_AT)?) {
                room.ambassadors.push(rows::member(row, MEMBER_AT)?.1);
            }
        }
        Ok(rooms)
    }
}

/// Drops the indexes of `table` (of the current schema); their definitions,
/// to build them again once it is filled.
async fn drop_indexes(tx: &Transaction<'_>, table: &str) -> Result<Vec<String>, StoreError> {
    let found = tx
        .query(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i \
             WHERE i.indrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1))",
            &[&table],
        )
        .await
        .map_err(error)?;
    let mut definitions = Vec::new();
    for row in found {
        let (name, definition): (String, String) = (row.get(0), row.get(1));
        tx.batch_execute(&format!("DROP INDEX {name}")).await.map_err(error)?;
        definitions.push(definition);
    }
    Ok(definitions)
}

async fn empty(tx: &Transaction<'_>) -> Result<bool, StoreError> {
    Ok(tx.query_one("SELECT NOT EXISTS (SELECT 1 FROM ambassadors)", &[]).await.map_err(error)?.get(0))
}

/// `COPY table (columns) FROM STDIN` in binary: write rows, then finish.
async fn copy_in(tx: &Transaction<'_>, table: &str, types: &[Type]) -> Result<Pin<Box<BinaryCopyInWriter>>, StoreError> {
    let sink = tx.copy_in(&format!("COPY {table} FROM STDIN (FORMAT binary)")).await.map_err(error)?;
    Ok(Box::pin(BinaryCopyInWriter::new(sink, types)))
}

async fn finish(writer: &mut Pin<Box<BinaryCopyInWriter>>) -> Result<(), StoreError> {
    writer.as_mut().finish().await.map(drop).map_err(error)
}

/// The ambassadors and tokens of a dataset.
async fn copy_people(tx: &Transaction<'_>, data: &Dataset) -> Result<(), StoreError> {
    use Type as T;
    let mut people = copy_in(
        tx,
        "ambassadors (id, brand_id, host_id, image, firstname, lastname, username, email, email_tmp, active, status, online, \
         last_action_date, customer_id, anonymized)",
        &[T::INT8, T::INT8, T::INT8, T::TEXT, T::TEXT, T::TEXT, T::TEXT, T::TEXT, T::TEXT, T::INT4, T::INT4, T::BOOL, T::TIMESTAMPTZ, T::TEXT, T::BOOL],
    )
    .await?;
    for a in &data.ambassadors {
        let p = &a.profile;
        let last_action = p.last_action_date.as_ref().map(|t| t.to_utc());
        people
            .as_mut()
            .write(&[
                &p.id_ambassador, &a.brand, &a.host, &p.image, &p.firstname, &p.lastname, &p.username, &p.email, &p.email_tmp,
                &p.active, &p.status, &p.online, &last_action, &p.customer_id, &p.anonymized,
            ])
            .await
            .map_err(error)?;
    }
    finish(&mut people).await?;
    let digests: Vec<String> = data.tokens.iter().map(|t| token_digest(&t.token)).collect();
    let mut tokens = copy_in(tx, "tokens (token_sha256, ambassador_id)", &[T::TEXT, T::INT8]).await?;
    for (t, digest) in data.tokens.iter().zip(&digests) {
        tokens.as_mut().write(&[digest, &t.ambassador]).await.map_err(error)?;
    }
    finish(&mut tokens).await?;
    let mut brands = copy_in(tx, "token_brands (token_sha256, brand_id)", &[T::TEXT, T::INT8]).await?;
    for (t, digest) in data.tokens.iter().zip(&digests) {
        for brand in &t.brands {
            brands.as_mut().write(&[digest, brand]).await.map_err(error)?;
        }
    }
    finish(&mut brands).await
}

/// New rooms, their members and last messages, the other members and the
/// posted messages.
async fn copy_rooms(tx: &Transaction<'_>, writes: &Writes) -> Result<(), StoreError> {
    use Type as T;
    let mut rooms = copy_in(
        tx,
        "chatrooms (id, brand_id, date_insert, last_message_id, last_message_date, last_action_at, type_chatroom, type_discussion, \
         source, established_dialogue, rating_value, rating_comment, summary_date, summary_text, summary_anomaly, summary_topic)",
        &[
            T::INT8, T::INT8, T::TIMESTAMPTZ, T::INT8, T::TIMESTAMPTZ, T::TIMESTAMPTZ, T::INT4, T::INT4, T::INT4, T::TEXT, T::INT4, T::TEXT,
            T::TEXT, T::TEXT, T::INT4, T::INT4,
        ],
    )
    .await?;
    for r in writes.all_rooms() {
        write_room(&mut rooms, r).await?;
    }
    finish(&mut rooms).await?;
    let mut members = copy_in(
        tx,
        "members (chatroom_id, ambassador_id, last_read_message, is_blocked, archived)",
        &[T::INT8, T::INT8, T::INT8, T::BOOL, T::BOOL],
    )
    .await?;
    // Collected first: an iterator of closures held across `.await` is not `Send`.
    let joined = writes.members.iter().map(|m| (m.chatroom, &m.member));
    let all: Vec<(i64, &MemberRow)> = writes.all_rooms().flat_map(|r| r.members.iter().map(|m| (r.id, m))).chain(joined).collect();
    for (room, m) in all {
        members.as_mut().write(&[&room, &m.ambassador, &m.last_read_message, &m.is_blocked, &m.archived]).await.map_err(error)?;
    }
    finish(&mut members).await?;
    let mut messages = copy_in(
        tx,
        "messages (id, chatroom_id, author_id, date_insert, content, type_message, status_moderation)",
        &[T::INT8, T::INT8, T::INT8, T::TIMESTAMPTZ, T::TEXT, T::INT4, T::INT4],
    )
    .await?;
    let posted = writes.messages.iter().map(|m| (m.chatroom, &m.message));
    let all: Vec<(i64, &MessageRow)> = writes.all_rooms().filter_map(|r| Some((r.id, r.last_message.as_ref()?))).chain(posted).collect();
    for (room, m) in all {
        messages
            .as_mut()
            .write(&[&m.id, &room, &m.author, &m.date_insert, &m.content, &m.type_message, &m.status_moderation])
            .await
            .map_err(error)?;
    }
    finish(&mut messages).await
}

async fn write_room(writer: &mut Pin<Box<BinaryCopyInWriter>>, r: &ChatroomRow) -> Result<(), StoreError> {
    let rating = r.rating.as_ref();
    let summary = r.summary.as_ref();
    let message = r.last_message.as_ref();
    writer
        .as_mut()
        .write(&[
            &r.id,
            &r.brand,
            &r.date_insert,
            &message.map(|m| m.id),
            &message.map(|m| m.date_insert),
            &r.last_action_at(),
            &r.type_chatroom,
            &r.type_discussion,
            &r.source,
            &r.established_dialogue.as_ref().map(LaravelDateTime::as_str),
            &rating.map(|x| x.value),
            &rating.and_then(|x| x.comment.as_deref()),
            &summary.map(|x| x.date_insert.as_str()),
            &summary.map(|x| x.summary.as_str()),
            &summary.map(|x| x.anomaly),
            &summary.map(|x| x.topic),
        ])
        .await
        .map_err(error)
}

/// Posted messages become their room's last when they are the latest.
async fn post_messages(tx: &Transaction<'_>, messages: &[RoomMessage]) -> Result<(), StoreError> {
    if messages.is_empty() {
        return Ok(());
    }
    let rooms: Vec<i64> = messages.iter().map(|m| m.chatroom).collect();
    let ids: Vec<i64> = messages.iter().map(|m| m.message.id).collect();
    let dates: Vec<DateTime<Utc>> = messages.iter().map(|m| m.message.date_insert).collect();
    tx.execute(LATEST_MESSAGES, &[&rooms, &ids, &dates]).await.map_err(error)?;
    Ok(())
}

/// The listing of `query` with its filters, as a condition on `l` and its
/// values (`$1` the ambassador, `$2` the brand).
fn listing_condition(query: &ChatroomQuery, filters: &Filters) -> (String, Vec<Param>) {
    let mut condition = String::from("l.ambassador_id = $1 AND l.brand_id = $2");
    let mut values: Vec<Param> = vec![Box::new(query.ambassador), Box::new(query.brand)];
    match filters.selection {
        Selection::All => {}
        Selection::Archived => condition.push_str(" AND l.archived_any"),
        Selection::Unarchived => condition.push_str(" AND l.unarchived_any"),
    }
    if let Some(commented) = filters.commented {
        condition.push_str(if commented { " AND l.commented" } else { " AND NOT l.commented" });
    }
    let mut compare = |column: &str, value: Param| {
        values.push(value);
        condition.push_str(&format!(" AND l.{column} ${}", values.len()));
    };
    if let Some(anomaly) = filters.anomaly {
        compare("anomaly =", Box::new(anomaly));
    }
    if let Some(kind) = filters.type_chatroom {
        compare("type_chatroom =", Box::new(kind));
    }
    if let Some(before) = filters.before {
        compare("last_action_at <", Box::new(before));
    }
    (condition, values)
}

impl Store for PostgresStore {
    async fn authenticate(&self, token: &str) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached("SELECT EXISTS (SELECT 1 FROM tokens WHERE token_sha256 = $1)").await.map_err(error)?;
        Ok(client.query_one(&statement, &[&token_digest(token)]).await.map_err(error)?.get(0))
    }

    async fn access(&self, token: &str, brand: i64, ambassador: i64) -> Result<Access, StoreError> {
        let client = self.client().await?;
        // Holder, brand and target in one round trip (no row: unknown token).
        let statement = client
            .prepare_cached(
                "SELECT a.id, a.status, EXISTS (SELECT 1 FROM token_brands b WHERE b.token_sha256 = t.token_sha256 AND b.brand_id = $2), \
                 g.brand_id, g.host_id, a.brand_id \
                 FROM tokens t JOIN ambassadors a ON a.id = t.ambassador_id LEFT JOIN ambassadors g ON g.id = $3 \
                 WHERE t.token_sha256 = $1",
            )
            .await
            .map_err(error)?;
        let facts = match client.query_opt(&statement, &[&token_digest(token), &brand, &ambassador]).await.map_err(error)? {
            None => AccessFacts { holder: None, in_brand: false, target: None },
            Some(row) => AccessFacts {
                holder: Some(Holder { ambassador: row.int(0)?, status: row.code(1)?, brand: row.int(5)? }),
                in_brand: row.flag(2)?,
                target: row.opt_int(3)?.map(|target_brand| (target_brand, row.get(4))),
            },
        };
        Ok(facts.decide(brand, ambassador))
    }

    async fn data_version(&self) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached("SELECT version FROM data_version").await.map_err(error)?;
        let version: i64 = client.query_one(&statement, &[]).await.map_err(error)?.get(0);
        Ok(version as u64)
    }

    async fn chatrooms(&self, query: &ChatroomQuery) -> Result<(Vec<Chatroom>, i64), StoreError> {
        let client = self.client().await?;
        let filters = Filters::of(query);
        let (condition, values) = listing_condition(query, &filters);
        let sql = if filters.counted() {
            let column = filters.selection.count_column();
            format!("SELECT COALESCE((SELECT {column} FROM listing_counts WHERE ambassador_id = $1 AND brand_id = $2), 0)")
        } else {
            format!("SELECT COUNT(*) FROM listings l WHERE {condition}")
        };
        let count_values = if filters.counted() { &values[..2] } else { &values[..] };
        let count = async {
            let statement = client.prepare_cached(&sql).await.map_err(error)?;
            Ok::<i64, StoreError>(client.query_one(&statement, &params(count_values)).await.map_err(error)?.get(0))
        };
        if query.page == 1 {
            // Page 1 is the same rows whatever the total: both statements go
            // out together, pipelined on the connection (one round trip).
            let (total, rooms) = tokio::try_join!(count, self.page(&client, query, &filters, i64::MAX))?;
            return Ok((rooms, total));
        }
        let total = count.await?;
        Ok((self.page(&client, query, &filters, total).await?, total))
    }
}

impl StoreWriter for PostgresStore {
    async fn is_empty(&self) -> Result<bool, StoreError> {
        let client = self.client().await?;
        Ok(client.query_one("SELECT NOT EXISTS (SELECT 1 FROM ambassadors)", &[]).await.map_err(error)?.get(0))
    }

    async fn seed(&self, data: Dataset) -> Result<bool, StoreError> {
        self.write(Writes { data: Some(data), ..Writes::default() }).await
    }

    async fn add_rooms(&self, rooms: Vec<ChatroomRow>) -> Result<(), StoreError> {
        self.write(Writes { rooms, ..Writes::default() }).await.map(drop)
    }

    async fn add_members(&self, members: Vec<RoomMember>) -> Result<(), StoreError> {
        self.write(Writes { members, ..Writes::default() }).await.map(drop)
    }

    async fn add_messages(&self, messages: Vec<RoomMessage>) -> Result<(), StoreError> {
        self.write(Writes { messages, ..Writes::default() }).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files, MIGRATIONS.iter().map(|m| m.name).collect::<Vec<_>>(), "a file of {} is not in MIGRATIONS", dir.display());
        for (i, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, i as i32 + 1, "{}: versions count up from 1", migration.name);
            assert!(migration.name.starts_with(&format!("{:04}_", migration.version)), "{}: named after its version", migration.name);
        }
    }
}
