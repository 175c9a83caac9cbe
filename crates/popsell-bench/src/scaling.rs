//! Scaling: `Store::chatrooms` called directly (no HTTP) on databases of
//! growing size of one backend, page 1 for alice and for a typical
//! ambassador, and deep pages on the largest database.

use std::hint::black_box;
use std::time::Duration;

use popsell_reference::store::{AnyStore, Store};

use crate::fixture::{self, ALICE, Backend, Seeded, block_on};
use crate::stats::{Spread, mean_per_call, us};

/// How the store calls are timed.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Runs per case (cases interleave within a run).
    pub runs: usize,
    /// Time per case per run (each run yields the mean per call).
    pub budget: Duration,
}

/// One timed call shape: a page of an ambassador on one of the databases.
pub struct Case {
    pub label: String,
    /// Index of the database among those timed together.
    pub store: usize,
    pub ambassador: i64,
    pub page: i64,
    /// Rooms on the page.
    pub rows: usize,
    /// Mean µs per call, one value per run.
    pub runs_us: Vec<f64>,
}

impl Case {
    pub fn new(store: usize, ambassador: i64, page: i64, label: impl Into<String>) -> Case {
        Case { label: label.into(), store, ambassador, page, rows: 0, runs_us: Vec::new() }
    }

    pub fn spread(&self) -> Spread {
        Spread::of(&self.runs_us).unwrap_or(Spread { min: 0.0, median: 0.0, max: 0.0, runs: 0 })
    }
}

/// Per-run ratios `a / b` of two cases timed in the same runs.
pub fn ratio(a: &Case, b: &Case) -> Spread {
    let ratios: Vec<f64> = a.runs_us.iter().zip(&b.runs_us).map(|(x, y)| x / y).collect();
    Spread::of(&ratios).unwrap_or(Spread { min: 0.0, median: 0.0, max: 0.0, runs: 0 })
}

/// Times `cases` interleaved: run 1 of each case, then run 2 of each, … so
/// that the machine's drifts hit all alike and ratios can be taken per run.
pub fn time_cases(stores: &[&AnyStore], cases: &mut [Case], timing: Timing) -> Result<(), String> {
    for case in cases.iter_mut() {
        let store = stores[case.store];
        let q = fixture::query(case.ambassador, case.page);
        case.rows = block_on(store.chatrooms(&q)).map_err(|e| e.to_string())?.0.len();
        // Warm-up (statement cache, pages in the CPU caches), not counted.
        mean_per_call(1, timing.budget / 2, 3, || {
            let _ = black_box(block_on(store.chatrooms(black_box(&q))));
        });
    }
    for _ in 0..timing.runs {
        for case in cases.iter_mut() {
            let store = stores[case.store];
            let q = fixture::query(case.ambassador, case.page);
            let mean = mean_per_call(1, timing.budget, 3, || {
                let _ = black_box(block_on(store.chatrooms(black_box(&q))));
            });
            case.runs_us.push(us(mean[0]));
        }
    }
    Ok(())
}

/// One database size.
pub struct SizeResult {
    pub rooms: usize,
    pub generate: Duration,
    pub load: Duration,
    pub alice_rooms: i64,
    pub typical: (i64, i64),
    /// alice page 1, typical page 1.
    pub cases: Vec<Case>,
}

/// Deep pages on the largest database, with page 1 there and on the
/// smallest database timed in the same runs.
pub struct Deep {
    pub rooms: usize,
    pub alice_rooms: i64,
    /// Page 1 first, then the deep pages.
    pub cases: Vec<Case>,
    /// alice's page 1 on the smallest database.
    pub smallest_page1: Case,
    pub smallest_rooms: usize,
}

pub struct Scaling {
    /// The backend's name and what its databases are.
    pub backend: &'static str,
    pub storage: String,
    pub timing: Timing,
    pub sizes: Vec<SizeResult>,
    pub deep: Option<Deep>,
}

impl Scaling {
    /// Per-run growth of page 1 (case `i`: 0 alice, 1 typical) from the
    /// smallest to the largest database, timed in the same runs.
    pub fn growth(&self, i: usize) -> Option<Spread> {
        let (first, last) = (self.sizes.first()?, self.sizes.last()?);
        Some(ratio(&last.cases[i], &first.cases[i]))
    }
}

/// The deep page the brief names (page 4000 of 25 at 1M rooms).
pub const NAMED_DEEP_PAGE: i64 = 4_000;

/// Seeds every size on `backend` (all kept), then times page 1 on all of
/// them interleaved, and deep pages on the largest. Hands the database of
/// `keep` rooms (when among the sizes) back for the HTTP benchmarks.
pub fn run(
    backend: &Backend,
    sizes: &[usize],
    keep: usize,
    timing: Timing,
    progress: impl Fn(&str),
) -> Result<(Scaling, Option<Seeded>), String> {
    let name = backend.name();
    let mut seeded = Vec::new();
    for &rooms in sizes {
        progress(&format!("{name}: seeding {rooms} rooms"));
        let s = fixture::seed(backend, rooms)?;
        progress(&format!("{name}: seeded {rooms} rooms (generate {:.1} s, load {:.1} s)", s.generate_time.as_secs_f64(), s.load_time.as_secs_f64()));
        seeded.push(s);
    }
    let stores: Vec<&AnyStore> = seeded.iter().map(|s| &s.store).collect();
    progress(&format!("{name}: timing page 1 on every size"));
    let mut cases: Vec<Case> = Vec::new();
    for (i, s) in seeded.iter().enumerate() {
        let typical = s.typical.0;
        cases.push(Case::new(i, ALICE, 1, "alice, page 1"));
        cases.push(Case::new(i, typical, 1, format!("typical ({typical}), page 1")));
    }
    time_cases(&stores, &mut cases, timing)?;
    let mut deep = None;
    let smallest = seeded.iter().enumerate().min_by_key(|(_, s)| s.rooms).map(|(i, s)| (i, s.rooms));
    if let (Some((i, s)), Some((j, smallest_rooms))) = (seeded.iter().enumerate().max_by_key(|(_, s)| s.rooms), smallest) {
        progress(&format!("{name}: timing deep pages"));
        let last = fixture::last_page(s.alice_rooms);
        let middle = (last + 1) / 2;
        let typical = s.typical.0;
        let typical_last = fixture::last_page(s.typical.1);
        let mut deep_cases = vec![
            Case::new(i, ALICE, 1, "alice, page 1"),
            Case::new(i, ALICE, NAMED_DEEP_PAGE, format!("alice, page {NAMED_DEEP_PAGE}")),
            Case::new(i, ALICE, middle, format!("alice, middle page {middle}")),
            Case::new(i, ALICE, last, format!("alice, last page {last}")),
            Case::new(i, typical, typical_last, format!("typical ({typical}), last page {typical_last}")),
            Case::new(j, ALICE, 1, "alice, page 1 at the smallest size"),
        ];
        time_cases(&stores, &mut deep_cases, timing)?;
        let smallest_page1 = deep_cases.pop().ok_or("no cases")?;
        deep = Some(Deep { rooms: s.rooms, alice_rooms: s.alice_rooms, cases: deep_cases, smallest_page1, smallest_rooms });
    }
    let mut cases = cases.into_iter();
    let mut results = Vec::new();
    let mut kept = None;
    for s in seeded {
        results.push(SizeResult {
            rooms: s.rooms,
            generate: s.generate_time,
            load: s.load_time,
            alice_rooms: s.alice_rooms,
            typical: s.typical,
            cases: cases.by_ref().take(2).collect(),
        });
        if s.rooms == keep {
            kept = Some(s);
        }
    }
    Ok((Scaling { backend: name, storage: backend.storage(), timing, sizes: results, deep }, kept))
}
