//! Server throughput and latency: the reference server, the ceiling and
//! Prism under the same closed-loop load, interleaved run by run.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use popsell_reference::store::{AnyStore, Store};

use crate::fixture::{self, ALICE, BRAND, PER_PAGE, Seeded, block_on};
use crate::load::{self, Outcome, Settings, Target};
use crate::servers;
use crate::stats::{Spread, mean_per_call, ms, us};

/// The load of every run.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub runs: usize,
    pub settings: Settings,
}

/// One run's figures for one server.
#[derive(Clone, Copy, Debug)]
pub struct RunFigures {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    pub body_bytes: usize,
}

impl From<&Outcome> for RunFigures {
    fn from(o: &Outcome) -> Self {
        RunFigures {
            requests_per_second: o.requests_per_second(),
            p50_ms: ms(o.p50()),
            p99_ms: ms(o.p99()),
            errors: o.errors,
            body_bytes: o.body_bytes,
        }
    }
}

/// A server's runs, or why it could not be measured.
pub struct ServerResult {
    pub name: String,
    pub runs: Result<Vec<RunFigures>, String>,
}

impl ServerResult {
    fn spread(&self, f: impl Fn(&RunFigures) -> f64) -> Option<Spread> {
        Spread::of(&self.runs.as_ref().ok()?.iter().map(f).collect::<Vec<_>>())
    }
    pub fn rps(&self) -> Option<Spread> {
        self.spread(|r| r.requests_per_second)
    }
    pub fn p50(&self) -> Option<Spread> {
        self.spread(|r| r.p50_ms)
    }
    pub fn p99(&self) -> Option<Spread> {
        self.spread(|r| r.p99_ms)
    }
    pub fn errors(&self) -> u64 {
        self.runs.as_ref().map(|r| r.iter().map(|x| x.errors).sum()).unwrap_or(0)
    }
    pub fn body_bytes(&self) -> usize {
        self.runs.as_ref().ok().and_then(|r| r.iter().map(|x| x.body_bytes).max()).unwrap_or(0)
    }
}

/// Per-run ratio of requests per second, `a / b`.
pub fn throughput_ratio(a: &ServerResult, b: &ServerResult) -> Option<Spread> {
    let (a, b) = (a.runs.as_ref().ok()?, b.runs.as_ref().ok()?);
    Spread::of(&a.iter().zip(b).map(|(x, y)| x.requests_per_second / y.requests_per_second).collect::<Vec<_>>())
}

/// Where the reference server's time goes, in-process, one thread.
pub struct Breakdown {
    /// µs per call: `access`, `chatrooms`, `ChatroomPage::laravel` + `serde_json::to_vec`.
    pub access_us: Spread,
    pub chatrooms_us: Spread,
    pub serialize_us: Spread,
    /// `Store::data_version`, read by the page cache before every page.
    pub data_version_us: Spread,
    /// The whole application for one request (`oneshot`, no socket): with
    /// no page cache (every step above, plus routing, validation, ETag),
    /// and answered from the page cache.
    pub app_uncached_us: Spread,
    pub app_cached_us: Spread,
}

impl Breakdown {
    /// The steps, named, in the order of the report.
    pub fn steps(&self) -> [(&'static str, Spread); 6] {
        [
            ("`Store::access` (token, brand, ambassador)", self.access_us),
            ("`Store::chatrooms` (count + page + members + last messages)", self.chatrooms_us),
            ("`ChatroomPage::laravel` + `serde_json::to_vec`", self.serialize_us),
            ("`Store::data_version` (the page cache's check)", self.data_version_us),
            ("whole app, no page cache (`oneshot`: routing, validation, the steps above, ETag)", self.app_uncached_us),
            ("whole app, page answered from the page cache (`oneshot`)", self.app_cached_us),
        ]
    }
}

pub struct Http {
    pub plan: Plan,
    pub rooms: usize,
    pub alice_rooms: i64,
    pub path: String,
    pub prism_path: String,
    pub prism_version: Option<String>,
    pub servers: Vec<ServerResult>,
    /// The same servers under wrk (reference on the judged backend, with
    /// and without page cache, ceiling, Prism), and wrk's version.
    pub wrk: Result<(String, Vec<ServerResult>), String>,
    /// The in-process breakdown of each backend's reference server.
    pub breakdowns: Vec<(&'static str, Breakdown)>,
    /// Every reference server answered the same bytes as the first (SQLite).
    pub same_bodies: bool,
}

impl Http {
    pub fn server(&self, name: &str) -> Option<&ServerResult> {
        self.servers.iter().find(|s| s.name == name)
    }

    /// The reference server on `backend`.
    pub fn reference(&self, backend: &str) -> Option<&ServerResult> {
        self.server(&reference(backend))
    }
}

/// The name of the reference server on `backend` (with its page cache, as it ships).
pub fn reference(backend: &str) -> String {
    format!("reference server ({backend})")
}

/// The name of the reference server on `backend` without page cache.
pub fn reference_uncached(backend: &str) -> String {
    format!("reference server ({backend}, no page cache)")
}

/// The backend every target is judged on (the others are shown beside it).
pub const JUDGED: &str = "SQLite";
pub const CEILING: &str = "ceiling (same bytes, no work)";
pub const PRISM: &str = "Prism mock";

fn target(address: std::net::SocketAddr, path: &str) -> Target {
    Target {
        address,
        path: path.to_owned(),
        headers: vec![("authorization".into(), "Bearer demo-alice".into()), ("x-popsell-brand".into(), BRAND.to_string())],
    }
}

fn breakdown(store: &AnyStore, runs: usize) -> Result<Breakdown, String> {
    let budget = Duration::from_millis(100);
    let q = fixture::query(ALICE, 1);
    let spread = |v: Vec<Duration>| Spread::of(&v.into_iter().map(us).collect::<Vec<_>>()).ok_or("no runs");
    let access = mean_per_call(runs, budget, 3, || {
        let _ = black_box(block_on(store.access(black_box("demo-alice"), BRAND, ALICE)));
    });
    let chatrooms = mean_per_call(runs, budget, 3, || {
        let _ = black_box(block_on(store.chatrooms(black_box(&q))));
    });
    let (rooms, total) = block_on(store.chatrooms(&q)).map_err(|e| e.to_string())?;
    let path = "http://127.0.0.1/api/v2/chat/ambassadors/1/chatrooms".to_owned();
    let pairs = [("per_page".to_owned(), PER_PAGE.to_string())];
    let serialize = mean_per_call(runs, budget, 3, || {
        let request = popsell_types::PageRequest { path: &path, query: &pairs, page: 1, per_page: PER_PAGE };
        let page = popsell_types::ChatroomPage::laravel(rooms.clone(), total, &request);
        let _ = black_box(serde_json::to_vec(&page));
    });
    let data_version = mean_per_call(runs, budget, 3, || {
        let _ = black_box(block_on(store.data_version()));
    });
    let app_time = |page_cache_bytes: usize| -> Result<Vec<Duration>, String> {
        use tower::ServiceExt;
        let public_url = openapi_server_runtime::request_url::PublicUrl::new(servers::PUBLIC_URL)?;
        let options = popsell_reference::AppOptions { page_cache_bytes };
        let app = popsell_reference::app_with(std::sync::Arc::new(store.clone()), public_url, options);
        // As the server's: multi-threaded, where SQLite's work runs in place (one worker: one request at a time).
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().map_err(|e| e.to_string())?;
        let uri = format!("/api/v2/chat/ambassadors/{ALICE}/chatrooms?per_page={PER_PAGE}");
        let call = || {
            let request = axum::http::Request::get(&uri)
                .header("authorization", "Bearer demo-alice")
                .header("x-popsell-brand", BRAND.to_string())
                .body(axum::body::Body::empty())
                .expect("a valid request");
            runtime.block_on(async {
                let response = app.clone().oneshot(request).await.expect("infallible");
                axum::body::to_bytes(response.into_body(), usize::MAX).await.map(|b| b.len())
            })
        };
        if call().map_err(|e| e.to_string())? == 0 {
            return Err("the application answered an empty body".into());
        }
        Ok(mean_per_call(runs, budget, 3, || {
            let _ = black_box(call());
        }))
    };
    Ok(Breakdown {
        access_us: spread(access)?,
        chatrooms_us: spread(chatrooms)?,
        serialize_us: spread(serialize)?,
        data_version_us: spread(data_version)?,
        app_uncached_us: spread(app_time(0)?)?,
        app_cached_us: spread(app_time(64 << 20)?)?,
    })
}

/// Runs the comparison on seeded databases of the same size, one per
/// backend (SQLite first).
pub fn run(
    root: &Path,
    prism_dir: &Path,
    seeded: &[&Seeded],
    plan: Plan,
    with_prism: bool,
    progress: impl Fn(&str),
) -> Result<Http, String> {
    let path = format!("/api/v2/chat/ambassadors/{ALICE}/chatrooms?per_page={PER_PAGE}");
    // Prism serves the spec's paths without the server's base path.
    let prism_path = format!("/chat/ambassadors/{ALICE}/chatrooms?per_page={PER_PAGE}");
    let first = seeded.first().ok_or("no database to serve")?;
    let (rooms, alice_rooms) = (first.rooms, first.alice_rooms);
    let mut references = Vec::new();
    let mut bodies = Vec::new();
    for s in seeded {
        for (name, page_cache_bytes) in [(reference(s.backend), 64 << 20), (reference_uncached(s.backend), 0)] {
            let options = popsell_reference::AppOptions { page_cache_bytes };
            let server = servers::reference(s.store.clone(), options).map_err(|e| e.to_string())?;
            let target = target(server.address, &path);
            let (status, body) = load::fetch_once(&target)?;
            if status != 200 {
                return Err(format!("the reference server on {} answers {status}: {}", s.backend, String::from_utf8_lossy(&body)));
            }
            bodies.push(body);
            references.push((name, server, target));
        }
    }
    let same_bodies = bodies.windows(2).all(|pair| pair[0] == pair[1]);
    let ceiling = servers::ceiling(bodies.swap_remove(0)).map_err(|e| e.to_string())?;
    let ceiling_target = target(ceiling.address, &path);
    let prism = if with_prism {
        progress("starting Prism (npm install on the first run)");
        servers::prism(root, prism_dir, &target(references[0].1.address, &prism_path))
    } else {
        Err("skipped (--no-prism)".to_owned())
    };
    let prism_version = prism.as_ref().ok().map(|p| p.version.clone());
    let mut results: Vec<ServerResult> =
        references.iter().map(|(name, _, _)| ServerResult { name: name.clone(), runs: Ok(Vec::new()) }).collect();
    results.push(ServerResult { name: CEILING.into(), runs: Ok(Vec::new()) });
    results.push(ServerResult { name: PRISM.into(), runs: prism.as_ref().map(|_| Vec::new()).map_err(Clone::clone) });
    let prism_target = prism.as_ref().ok().map(|p| target(p.address, &prism_path));
    for run in 1..=plan.runs {
        progress(&format!("load run {run}/{}", plan.runs));
        let targets = references.iter().map(|(_, _, t)| Some(t)).chain([Some(&ceiling_target), prism_target.as_ref()]);
        for (result, target) in results.iter_mut().zip(targets) {
            let (Some(target), Ok(runs)) = (target, result.runs.as_mut()) else { continue };
            let outcome = load::run(target, plan.settings).map_err(|e| e.to_string())?;
            runs.push(RunFigures::from(&outcome));
        }
    }
    // wrk on the judged backend's two servers, the ceiling and Prism,
    // interleaved the same way, fewer runs.
    let wrk = crate::wrk::version().map(|version| {
        let judged = [reference(JUDGED), reference_uncached(JUDGED)];
        let mut under_wrk: Vec<(ServerResult, Option<&Target>)> = references
            .iter()
            .filter(|(name, _, _)| judged.contains(name))
            .map(|(name, _, t)| (ServerResult { name: name.clone(), runs: Ok(Vec::new()) }, Some(t)))
            .collect();
        under_wrk.push((ServerResult { name: CEILING.into(), runs: Ok(Vec::new()) }, Some(&ceiling_target)));
        under_wrk.push((ServerResult { name: PRISM.into(), runs: prism.as_ref().map(|_| Vec::new()).map_err(Clone::clone) }, prism_target.as_ref()));
        for run in 1..=plan.runs.min(5) {
            progress(&format!("wrk run {run}/{}", plan.runs.min(5)));
            for (result, target) in &mut under_wrk {
                let (Some(target), Ok(runs)) = (*target, result.runs.as_mut()) else { continue };
                match crate::wrk::run(target, plan.settings.connections, plan.settings.duration) {
                    Ok(figures) => runs.push(figures),
                    Err(e) => result.runs = Err(e),
                }
            }
        }
        (version, under_wrk.into_iter().map(|(result, _)| result).collect())
    });
    drop(prism);
    drop(ceiling);
    drop(references);
    let mut breakdowns = Vec::new();
    for s in seeded {
        progress(&format!("in-process breakdown ({})", s.backend));
        breakdowns.push((s.backend, breakdown(&s.store, plan.runs)?));
    }
    Ok(Http { plan, rooms, alice_rooms, path, prism_path, prism_version, servers: results, wrk, breakdowns, same_bodies })
}
