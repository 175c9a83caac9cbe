//! Seeded databases on each backend, and the page the benchmarks ask for.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use popsell_reference::seed::{Dataset, generate};
use popsell_reference::store::{AnyStore, ChatroomQuery, SqliteStore, Store, StoreWriter};
use popsell_types::{ChatroomPage, PageRequest};

/// The demo data's seed (the reference server's default).
pub const SEED: u64 = 42;
/// The page size every benchmark asks for.
pub const PER_PAGE: i64 = 25;
/// The demo ambassador alice (brand 1), whose rooms are ~5% of all rooms.
pub const ALICE: i64 = 1;
/// alice's brand.
pub const BRAND: i64 = 1;

/// Runs `future` on the benchmarks' runtime (the stores are asynchronous).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().expect("a tokio runtime")).block_on(future)
}

/// Where the benchmarks' databases are.
pub enum Backend {
    /// In memory, one database per size.
    Sqlite,
    /// One schema per size in the database of `url` (of `local` when the
    /// command started a throwaway server); `version` is the server's.
    #[cfg(feature = "postgres")]
    Postgres { url: String, version: String, local: Option<popsell_reference::local_postgres::LocalPostgres> },
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            #[cfg(feature = "postgres")]
            Backend::Postgres { .. } => "PostgreSQL",
        }
    }

    /// What the database is, for the report.
    pub fn storage(&self) -> String {
        match self {
            Backend::Sqlite => "an in-memory SQLite database".into(),
            #[cfg(feature = "postgres")]
            Backend::Postgres { version, local: Some(_), .. } => format!(
                "PostgreSQL {version} (a throwaway local server the command started: \
                 `crates/popsell-reference/scripts/throwaway-postgres.sh`, durability off), one schema per size, over loopback TCP"
            ),
            #[cfg(feature = "postgres")]
            Backend::Postgres { version, .. } => format!("PostgreSQL {version} (the database of `--database-url`), one schema per size"),
        }
    }

    /// PostgreSQL: the database of `database_url`, else a throwaway local server.
    #[cfg(feature = "postgres")]
    pub fn postgres(database_url: Option<String>) -> Result<Backend, String> {
        use popsell_reference::local_postgres::LocalPostgres;
        use popsell_reference::store::PostgresStore;
        let local = if database_url.is_none() { Some(LocalPostgres::start()?) } else { None };
        let url = database_url.or_else(|| local.as_ref().map(|l| l.url().to_owned())).unwrap_or_default();
        let version = block_on(async { PostgresStore::connect(&url).await?.server_version().await }).map_err(|e| e.to_string())?;
        Ok(Backend::Postgres { url, version, local })
    }

    /// A new empty store.
    async fn store(&self) -> Result<(AnyStore, Guard), String> {
        match self {
            Backend::Sqlite => Ok((SqliteStore::open(None).map_err(|e| e.to_string())?.into(), Guard::default())),
            #[cfg(feature = "postgres")]
            Backend::Postgres { url, .. } => {
                use popsell_reference::local_postgres::ScratchSchema;
                use popsell_reference::store::PostgresStore;
                let schema = ScratchSchema::create(url).await.map_err(|e| e.to_string())?;
                let store = PostgresStore::connect(schema.url()).await.map_err(|e| e.to_string())?;
                store.migrate().await.map_err(|e| e.to_string())?;
                Ok((store.into(), Guard { _schema: Some(schema) }))
            }
        }
    }
}

/// What keeps a store's database alive (PostgreSQL: its schema).
#[derive(Default)]
pub struct Guard {
    #[cfg(feature = "postgres")]
    _schema: Option<popsell_reference::local_postgres::ScratchSchema>,
}

/// A seeded store and what was learnt while seeding it.
pub struct Seeded {
    pub rooms: usize,
    pub backend: &'static str,
    pub store: AnyStore,
    _guard: Guard,
    pub generate_time: Duration,
    pub load_time: Duration,
    /// Rooms listed for alice (with her guests), brand 1.
    pub alice_rooms: i64,
    /// A typical ambassador of brand 1: the host with the median number of
    /// listed rooms (his and his guests'), and that number.
    pub typical: (i64, i64),
}

/// For each ambassador who may be asked for, the number of distinct rooms
/// of `brand` listed for him (rooms where he or one of his guests is a
/// member), computed from the dataset without the store.
pub fn listed_rooms(data: &Dataset, brand: i64) -> HashMap<i64, i64> {
    let host: HashMap<i64, i64> = data.ambassadors.iter().filter_map(|a| Some((a.profile.id_ambassador, a.host?))).collect();
    let mut counts: HashMap<i64, i64> = HashMap::new();
    let mut listed: Vec<i64> = Vec::new();
    for room in data.chatrooms.iter().filter(|r| r.brand == brand) {
        listed.clear();
        for m in &room.members {
            listed.push(m.ambassador);
            listed.extend(host.get(&m.ambassador));
        }
        listed.sort_unstable();
        listed.dedup();
        for a in &listed {
            *counts.entry(*a).or_default() += 1;
        }
    }
    counts
}

/// The host of `brand` (not a demo identity) with the median listed count.
pub fn typical_ambassador(data: &Dataset, brand: i64) -> (i64, i64) {
    let counts = listed_rooms(data, brand);
    let mut hosts: Vec<(i64, i64)> = data
        .ambassadors
        .iter()
        .filter(|a| a.brand == brand && a.host.is_none() && a.profile.id_ambassador > 5)
        .map(|a| (counts.get(&a.profile.id_ambassador).copied().unwrap_or(0), a.profile.id_ambassador))
        .collect();
    hosts.sort_unstable();
    hosts.get(hosts.len() / 2).map(|&(n, id)| (id, n)).unwrap_or((6, 0))
}

/// Generates `rooms` rooms and loads them into a new store of `backend`
/// (`StoreWriter::seed`: the rows and their listings).
pub fn seed(backend: &Backend, rooms: usize) -> Result<Seeded, String> {
    let started = Instant::now();
    let data = generate(rooms, SEED);
    let generate_time = started.elapsed();
    let typical = typical_ambassador(&data, BRAND);
    let (store, guard) = block_on(backend.store())?;
    let started = Instant::now();
    block_on(store.seed(data)).map_err(|e| e.to_string())?;
    let load_time = started.elapsed();
    let alice_rooms = block_on(store.chatrooms(&query(ALICE, 1))).map_err(|e| e.to_string())?.1;
    Ok(Seeded { rooms, backend: backend.name(), store, _guard: guard, generate_time, load_time, alice_rooms, typical })
}

/// The default listing (no filter, newest first) of `ambassador`, page
/// `page` of [`PER_PAGE`].
pub fn query(ambassador: i64, page: i64) -> ChatroomQuery {
    ChatroomQuery { page, per_page: PER_PAGE, ..ChatroomQuery::new(BRAND, ambassador) }
}

/// The last page of `total` rooms.
pub fn last_page(total: i64) -> i64 {
    ((total + PER_PAGE - 1) / PER_PAGE).max(1)
}

/// The page the reference server answers to
/// `GET http://127.0.0.1/api/v2/chat/ambassadors/{ambassador}/chatrooms?per_page=25`.
pub fn page(store: &impl Store, ambassador: i64, page: i64) -> Result<ChatroomPage, String> {
    let (rooms, total) = block_on(store.chatrooms(&query(ambassador, page))).map_err(|e| e.to_string())?;
    let path = format!("http://127.0.0.1/api/v2/chat/ambassadors/{ambassador}/chatrooms");
    let pairs = [("per_page".to_owned(), PER_PAGE.to_string())];
    Ok(ChatroomPage::laravel(rooms, total, &PageRequest { path: &path, query: &pairs, page, per_page: PER_PAGE }))
}

/// The JSON of alice's first 25-room page from a small seeded database
/// (2,000 rooms: she has ~100), for the decoding benchmarks.
pub fn sample_page_json() -> Result<Vec<u8>, String> {
    let store = SqliteStore::open(None).map_err(|e| e.to_string())?;
    block_on(store.seed(generate(2_000, SEED))).map_err(|e| e.to_string())?;
    let page = page(&store, ALICE, 1)?;
    if page.data.len() != PER_PAGE as usize {
        return Err(format!("the sample page has {} rooms, not {PER_PAGE}", page.data.len()));
    }
    serde_json::to_vec(&page).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_page_rounds_up() {
        assert_eq!(last_page(0), 1);
        assert_eq!(last_page(25), 1);
        assert_eq!(last_page(26), 2);
        assert_eq!(last_page(45_000), 1_800);
    }

    #[test]
    fn listed_rooms_count_guests_once_per_room() {
        let data = generate(300, 3);
        let counts = listed_rooms(&data, BRAND);
        let store = SqliteStore::open(None).unwrap();
        block_on(store.seed(data.clone())).unwrap();
        for ambassador in [ALICE, 2, typical_ambassador(&data, BRAND).0] {
            let total = block_on(store.chatrooms(&query(ambassador, 1))).unwrap().1;
            assert_eq!(counts.get(&ambassador).copied().unwrap_or(0), total, "ambassador {ambassador}");
        }
    }
}
