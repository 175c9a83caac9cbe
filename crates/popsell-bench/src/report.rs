//! The Markdown of `BENCHMARKS.md`: machine facts, commands, one section per
//! measurement, and every target met or not (with the gap and its cause).

use std::fmt::Write;
use std::time::Duration;

use crate::codegen::{CommandTimes, Codegen};
use crate::decoding::Decoding;
use crate::http::{self, Http};
use crate::machine::Machine;
use crate::scaling::{self, Scaling};
use crate::stats::Spread;

/// Targets of the issue.
pub const CEILING_RATIO_TARGET: f64 = 0.5;
pub const PRISM_RATIO_TARGET: f64 = 10.0;
pub const P99_TARGET_MS: f64 = 5.0;
pub const GROWTH_TARGET: f64 = 1.5;
pub const DEEP_TARGET: f64 = 3.0;
pub const CHECK_TARGET_S: f64 = 0.5;
pub const DECODE_TARGET: f64 = 1.0;

/// Everything measured in one run of the command.
pub struct Inputs<'a> {
    pub quick: bool,
    pub machine: &'a Machine,
    pub elapsed: Duration,
    /// One per backend, SQLite first.
    pub scaling: &'a [(&'static str, Result<Scaling, String>)],
    pub http: &'a Result<Http, String>,
    pub codegen: &'a Result<Codegen, String>,
    pub decoding: &'a Result<Decoding, String>,
}

/// One target's outcome.
pub struct Verdict {
    pub target: String,
    pub measured: String,
    /// `None`: not measured.
    pub met: Option<bool>,
    /// The gap and its cause, when not met (or why not measured).
    pub note: String,
}

fn verdict_word(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "**met**",
        Some(false) => "**not met**",
        None => "not measured",
    }
}

/// A Markdown table.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn size_name(rooms: usize) -> String {
    match rooms {
        n if n >= 1_000_000 && n.is_multiple_of(1_000_000) => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n.is_multiple_of(1_000) => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

fn show(s: Option<Spread>, digits: usize, unit: &str) -> String {
    s.map_or_else(|| "–".to_owned(), |s| s.show(digits, unit))
}

fn http_verdicts(h: &Result<Http, String>) -> Vec<Verdict> {
    let targets = [
        format!("reference ≥ {CEILING_RATIO_TARGET} × ceiling (req/s)"),
        format!("reference ≥ {PRISM_RATIO_TARGET} × Prism (req/s)"),
        format!("reference p99 ≤ {P99_TARGET_MS} ms"),
    ];
    let h = match h {
        Ok(h) => h,
        Err(e) => {
            return targets
                .into_iter()
                .map(|target| Verdict { target, measured: "–".into(), met: None, note: format!("the HTTP benchmark failed: {e}") })
                .collect();
        }
    };
    let judged = h.reference(http::JUDGED);
    let breakdown = h.breakdowns.iter().find(|(backend, _)| *backend == http::JUDGED).map(|(_, b)| b);
    let (Some(reference), Some(ceiling), Some(prism), Some(b)) = (judged, h.server(http::CEILING), h.server(http::PRISM), breakdown) else {
        return Vec::new();
    };
    let in_process = b.access_us.median + b.chatrooms_us.median + b.serialize_us.median;
    let mut out = Vec::new();
    let ratio = http::throughput_ratio(reference, ceiling);
    out.push(match ratio {
        Some(r) => Verdict {
            target: targets[0].clone(),
            measured: format!("{} ×", r.show(2, "")),
            met: Some(r.median >= CEILING_RATIO_TARGET),
            note: if r.median >= CEILING_RATIO_TARGET {
                String::new()
            } else {
                format!(
                    "{:.0}% short. Besides HTTP, the reference does ~{in_process:.0} µs of CPU work per request (access check \
                     {:.0} µs + store query {:.0} µs + building and serializing the page {:.0} µs, see the breakdown), and its \
                     store queries take turns on one SQLite connection; the ceiling does none of it, only HTTP and the {} bytes \
                     on loopback. Half the ceiling would leave ~{:.0} µs of CPU per request on these cores, less than the \
                     serialization alone.",
                    (1.0 - r.median / CEILING_RATIO_TARGET) * 100.0,
                    b.access_us.median,
                    b.chatrooms_us.median,
                    b.serialize_us.median,
                    thousands(ceiling.body_bytes()),
                    std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64) * 1e6
                        / (CEILING_RATIO_TARGET * ceiling.rps().map_or(1.0, |s| s.median)),
                )
            },
        },
        None => Verdict { target: targets[0].clone(), measured: "–".into(), met: None, note: "no runs".into() },
    });
    out.push(match (&prism.runs, http::throughput_ratio(reference, prism)) {
        (Ok(_), Some(r)) => Verdict {
            target: targets[1].clone(),
            measured: format!("{} ×", r.show(1, "")),
            met: Some(r.median >= PRISM_RATIO_TARGET),
            note: if r.median >= PRISM_RATIO_TARGET {
                String::new()
            } else {
                format!(
                    "{:.0}% short of {PRISM_RATIO_TARGET} ×. Prism reads nothing and sends the spec's {}-byte example; the reference \
                     is held back by the same per-request work as against the ceiling (~{in_process:.0} µs in-process, then its \
                     {}-byte page), with its store queries serialized on one SQLite connection.",
                    (1.0 - r.median / PRISM_RATIO_TARGET) * 100.0,
                    thousands(prism.body_bytes()),
                    thousands(reference.body_bytes()),
                )
            },
        },
        (Err(e), _) => Verdict { target: targets[1].clone(), measured: "–".into(), met: None, note: format!("Prism could not run: {e}") },
        _ => Verdict { target: targets[1].clone(), measured: "–".into(), met: None, note: "no runs".into() },
    });
    out.push(match reference.p99() {
        Some(p99) => Verdict {
            target: targets[2].clone(),
            measured: p99.show(2, " ms"),
            met: Some(p99.median <= P99_TARGET_MS),
            note: if p99.median <= P99_TARGET_MS {
                String::new()
            } else {
                let rps = reference.rps().map_or(0.0, |s| s.median);
                format!(
                    "{:.2} ms over. With 64 connections always busy, the mean latency is 64 / throughput (Little's law): \
                     {rps:.0} req/s gives {:.2} ms, so p99 ≤ {P99_TARGET_MS} ms at 64 connections needs well over {:.0} req/s. \
                     The store has one connection, taken in arrival order (a fair lock: with std's unfair mutex p99 was \
                     ~5× the mean); what remains of the tail is the machine's 2 cores shared with the load generator.",
                    p99.median - P99_TARGET_MS,
                    64.0 / rps * 1e3,
                    64.0 / (P99_TARGET_MS / 1e3),
                )
            },
        },
        None => Verdict { target: targets[2].clone(), measured: "–".into(), met: None, note: "no runs".into() },
    });
    out
}

fn scaling_verdicts(backend: &str, s: &Result<Scaling, String>, quick: bool) -> Vec<Verdict> {
    let growth_target = format!("{backend}: page 1 grows ≤ {GROWTH_TARGET} × from 1k to 1M rooms");
    let deep_target = format!("{backend}: deep page ≤ {DEEP_TARGET} × page 1 at 1M rooms");
    let deep_small_target = format!("{backend}: deep page at 1M ≤ {DEEP_TARGET} × page 1 at 1k rooms");
    let s = match s {
        Ok(s) => s,
        Err(e) => {
            return [growth_target, deep_target, deep_small_target]
                .into_iter()
                .map(|target| Verdict { target, measured: "–".into(), met: None, note: format!("the scaling benchmark failed: {e}") })
                .collect();
        }
    };
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (s.sizes.first(), s.sizes.last()) else { return out };
    let span = format!("{}→{}", size_name(first.rooms), size_name(last.rooms));
    let partial = if last.rooms < 1_000_000 { " (quick run: no 1M database; run the full benchmark)" } else { "" };
    // A quick run checks the targets on its largest database only, and says so.
    let (growth_target, deep_target, deep_small_target) = if partial.is_empty() {
        (growth_target, deep_target, deep_small_target)
    } else {
        let at = size_name(last.rooms);
        (format!("{growth_target} (here: {span})"), format!("{deep_target} (here: at {at})"), format!("{deep_small_target} (here: {span})"))
    };
    for (i, who) in ["alice", "typical ambassador"].iter().enumerate() {
        let (a, b) = (first.cases[i].spread().median, last.cases[i].spread().median);
        let spread = s.growth(i).unwrap_or(Spread { min: 0.0, median: 0.0, max: 0.0, runs: 0 });
        let growth = spread.median;
        let met = growth <= GROWTH_TARGET;
        let note = if met {
            partial.trim().to_owned()
        } else if i == 0 {
            format!(
                "{:.0}% over{partial}. alice's result set grows with the database ({} → {} rooms).",
                (growth / GROWTH_TARGET - 1.0) * 100.0,
                first.alice_rooms,
                last.alice_rooms
            )
        } else {
            let full = s.sizes.iter().find(|z| z.cases[1].rows == crate::fixture::PER_PAGE as usize);
            let from_full = match full {
                Some(z) if z.rooms != first.rooms && z.rooms != last.rooms => format!(
                    " From {}, the first size where his page 1 is full, to {}: {:.2} ×.",
                    size_name(z.rooms),
                    size_name(last.rooms),
                    scaling::ratio(&last.cases[1], &z.cases[1]).median
                ),
                _ => String::new(),
            };
            format!(
                "{:.0}% over{partial}. At {} rooms the typical ambassador has {} room(s), so page 1 holds {} room(s), not 25: \
                 the growth is the page filling up (members and last messages of 25 rooms to read), not the database's size.{from_full}",
                (growth / GROWTH_TARGET - 1.0) * 100.0,
                size_name(first.rooms),
                first.typical.1,
                first.cases[1].rows
            )
        };
        out.push(Verdict {
            target: format!("{growth_target}, {who}"),
            measured: format!("{span}: {a:.0} → {b:.0} µs; growth per run {}", spread.show(2, " ×")),
            met: Some(met),
            note,
        });
    }
    if let Some(deep) = &s.deep {
        let note = |r: &Spread, target: f64| {
            if r.median <= target {
                if quick { partial.trim().to_owned() } else { String::new() }
            } else {
                format!("{:.0}% over{partial}. OFFSET walks the skipped index entries one by one.", (r.median / target - 1.0) * 100.0)
            }
        };
        for (target, base, at) in [(deep_target, &deep.cases[0], deep.rooms), (deep_small_target, &deep.smallest_page1, deep.smallest_rooms)] {
            let worst = deep.cases[1..]
                .iter()
                .filter(|c| c.ambassador == base.ambassador)
                .map(|c| (c, scaling::ratio(c, base)))
                .max_by(|x, y| x.1.median.total_cmp(&y.1.median));
            if let Some((case, r)) = worst {
                out.push(Verdict {
                    target,
                    measured: format!(
                        "worst at {}: {} ({} × alice's page 1 at {})",
                        size_name(deep.rooms),
                        case.label,
                        r.show(2, ""),
                        size_name(at)
                    ),
                    met: Some(r.median <= DEEP_TARGET),
                    note: note(&r, DEEP_TARGET),
                });
            }
        }
    }
    out
}

fn codegen_verdicts(c: &Result<Codegen, String>) -> Vec<Verdict> {
    let target = format!("`cargo xtask check` warm ≤ {CHECK_TARGET_S} s");
    let times = match c {
        Ok(c) => &c.cargo_check,
        Err(e) => return vec![Verdict { target, measured: "–".into(), met: None, note: format!("failed: {e}") }],
    };
    match times.as_ref().map(|t| (t, t.spread())) {
        Ok((t, Some(s))) => {
            let met = s.median <= CHECK_TARGET_S;
            let mut note = if met {
                String::new()
            } else {
                format!("{:.2} s over.", s.median - CHECK_TARGET_S)
            };
            if !t.exit_codes.is_empty() {
                let _ = write!(note, " Exit code(s) {:?}: the generated files were not all fresh during the run.", t.exit_codes);
            }
            vec![Verdict { target, measured: s.show(3, " s"), met: Some(met), note: note.trim().to_owned() }]
        }
        Ok((_, None)) => vec![Verdict { target, measured: "–".into(), met: None, note: "no runs".into() }],
        Err(e) => vec![Verdict { target, measured: "–".into(), met: None, note: e.clone() }],
    }
}

fn decoding_verdicts(d: &Result<Decoding, String>) -> Vec<Verdict> {
    let target = format!("typed decoding ≥ {DECODE_TARGET} × as fast as `serde_json::Value`");
    match d.as_ref().map(|d| d.speedup()) {
        Ok(Some(s)) => vec![Verdict {
            target,
            measured: format!("{} ×", s.show(2, "")),
            met: Some(s.median >= DECODE_TARGET),
            note: if s.median >= DECODE_TARGET {
                String::new()
            } else {
                format!("{:.0}% slower than `Value`.", (1.0 - s.median) * 100.0)
            },
        }],
        Ok(None) => vec![Verdict { target, measured: "–".into(), met: None, note: "no runs".into() }],
        Err(e) => vec![Verdict { target, measured: "–".into(), met: None, note: e.clone() }],
    }
}

/// Every target, in the order of the sections.
pub fn verdicts(inputs: &Inputs<'_>) -> Vec<Verdict> {
    let mut out = http_verdicts(inputs.http);
    for (backend, scaling) in inputs.scaling {
        out.extend(scaling_verdicts(backend, scaling, inputs.quick));
    }
    out.extend(codegen_verdicts(inputs.codegen));
    out.extend(decoding_verdicts(inputs.decoding));
    out
}

fn http_section(out: &mut String, h: &Result<Http, String>) {
    out.push_str("## 1. Server throughput and latency\n\n");
    let h = match h {
        Ok(h) => h,
        Err(e) => {
            let _ = writeln!(out, "Not measured: {e}\n");
            return;
        }
    };
    let s = h.plan.settings;
    let _ = writeln!(
        out,
        "`GET {}` with `Authorization: Bearer demo-alice` and `X-Popsell-Brand: 1`: alice's first page of {} rooms out of her \
         {} in a database of {} rooms (demo data of seed 42, on each backend measured). The load generator is this crate's own \
         (`src/load.rs`: hyper's HTTP/1.1 client on tokio, {} worker thread(s)), closed loop: {} keep-alive connections on \
         loopback, each sending its next request when the previous response body has arrived. Each run is {:.1} s of warm-up, then \
         {:.1} s measured; only the 200 responses completed inside the measured window count, for req/s and for latency. \
         **{} runs per server**, the servers interleaved run by run (reference(s), ceiling, Prism, then again), so that the machine's \
         drifts hit all of them; ratios are taken within a run, then summarized. Cells read `median (min–max)` over the runs. \
         Server and load generator share the machine's {} cores.\n",
        h.path,
        crate::fixture::PER_PAGE,
        thousands(h.alice_rooms as usize),
        thousands(h.rooms),
        s.threads,
        s.connections,
        s.warmup.as_secs_f64(),
        s.duration.as_secs_f64(),
        h.plan.runs,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    );
    let _ = writeln!(
        out,
        "- **reference server (backend)**: `popsell_reference::app` over the seeded store of that backend (the databases of \
         section 2), release build, in the benchmark's process on a tokio runtime of its own (one worker per core, as `main.rs`); \
         request logs off (no tracing subscriber, as `RUST_LOG=off`). {}\n\
         - **ceiling**: an axum route (same path pattern) answering every request with the bytes the reference server answered, \
         pre-serialized: HTTP and the bytes only.\n\
         - **Prism**: `prism mock openapi.yaml --verboseLevel warn` ({}; installed by the command with `npm install {}` under \
         `target/`; request logs off, like the reference), on `{}` (Prism serves the spec's paths without the `/api/v2` base \
         path). It answers the spec's example page (see the body size), not 25 rooms: it validates the request and serves a \
         static example, with no storage.\n",
        if h.breakdowns.len() < 2 {
            ""
        } else if h.same_bodies {
            "Every backend answered the same bytes."
        } else {
            "**The backends answered different bytes.**"
        },
        h.prism_version.as_deref().map_or_else(|| "not running".to_owned(), |v| format!("version {v}, Node {}", node_version())),
        crate::servers::PRISM_PACKAGE,
        h.prism_path,
    );
    let rows: Vec<Vec<String>> = h
        .servers
        .iter()
        .map(|server| match &server.runs {
            Ok(runs) => vec![
                server.name.to_owned(),
                runs.len().to_string(),
                show(server.rps(), 0, ""),
                show(server.p50(), 2, ""),
                show(server.p99(), 2, ""),
                server.errors().to_string(),
                thousands(server.body_bytes()),
            ],
            Err(e) => vec![server.name.to_owned(), "0".into(), format!("not measured: {e}"), "–".into(), "–".into(), "–".into(), "–".into()],
        })
        .collect();
    out.push_str(&table(&["server", "runs", "req/s", "p50 ms", "p99 ms", "errors", "body bytes"], &rows));
    out.push('\n');
    let mut ratios = Vec::new();
    for (backend, _) in &h.breakdowns {
        let Some(r) = h.reference(backend) else { continue };
        if let Some(c) = h.server(http::CEILING) {
            ratios.push(vec![
                format!("{} / ceiling", r.name),
                show(http::throughput_ratio(r, c), 2, " ×"),
                format!("≥ {CEILING_RATIO_TARGET} ×"),
            ]);
        }
        if let Some(p) = h.server(http::PRISM) {
            ratios.push(vec![
                format!("{} / Prism", r.name),
                match &p.runs {
                    Ok(_) => show(http::throughput_ratio(r, p), 1, " ×"),
                    Err(e) => format!("not measured: {e}"),
                },
                format!("≥ {PRISM_RATIO_TARGET} ×"),
            ]);
        }
    }
    out.push_str(&table(&["req/s ratio (per run)", "median (min–max)", "target"], &ratios));
    let runs = h.breakdowns.first().map_or(0, |(_, b)| b.chatrooms_us.runs);
    let _ = writeln!(
        out,
        "\nWhere the reference server's time goes, measured in-process on one thread for the same request ({runs} runs of ≥ 100 ms, \
         µs per call):\n"
    );
    let steps = [
        "`Store::access` (token, brand, ambassador)",
        "`Store::chatrooms` (count + page + members + last messages)",
        "`ChatroomPage::laravel` + `serde_json::to_vec`",
    ];
    let header: Vec<String> = std::iter::once("step".to_owned()).chain(h.breakdowns.iter().map(|(b, _)| format!("µs per request, {b}"))).collect();
    let rows: Vec<Vec<String>> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let cell = |b: &http::Breakdown| [b.access_us, b.chatrooms_us, b.serialize_us][i].show(1, "");
            std::iter::once(step.to_string()).chain(h.breakdowns.iter().map(|(_, b)| cell(b))).collect()
        })
        .collect();
    out.push_str(&table(&header.iter().map(String::as_str).collect::<Vec<_>>(), &rows));
    out.push('\n');
}

fn node_version() -> String {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn scaling_sections(out: &mut String, scalings: &[(&'static str, Result<Scaling, String>)]) {
    out.push_str("## 2. Scaling of the store\n\n");
    let _ = writeln!(
        out,
        "Measured directly on the store, without HTTP: `Store::chatrooms` (the total count, the page, its members and last \
         messages, through the async `Store` trait as the service calls it) of the default listing (no filter, newest first, \
         25 per page) on databases seeded with the demo data (seed 42) by `StoreWriter::seed`, one caller. alice (ambassador 1 \
         with her two guest accounts) is in ~5% of all rooms; the *typical* ambassador is the host of brand 1 with the median \
         number of rooms (his and his guests'). Every database of a backend is seeded first and kept, then all its cases are \
         timed interleaved, run 1 of every case, then run 2, …, so that growth ratios are taken within a run. Cells read \
         `median (min–max)` in µs.\n"
    );
    for (backend, scaling) in scalings {
        let _ = writeln!(out, "### {backend}\n");
        match scaling {
            Ok(s) => scaling_section(out, s),
            Err(e) => {
                let _ = writeln!(out, "Not measured: {e}\n");
            }
        }
    }
}

fn scaling_section(out: &mut String, s: &Scaling) {
    let _ = writeln!(
        out,
        "On {}: **{} runs per cell**, each calling for ≥ {} ms (after a warm-up) and giving the mean per call.\n",
        s.storage,
        s.timing.runs,
        s.timing.budget.as_millis()
    );
    let rows: Vec<Vec<String>> = s
        .sizes
        .iter()
        .map(|z| {
            vec![
                thousands(z.rooms),
                format!("{:.1} + {:.1}", z.generate.as_secs_f64(), z.load.as_secs_f64()),
                thousands(z.alice_rooms as usize),
                z.cases[0].spread().show(0, ""),
                format!("{} ({} rooms)", z.typical.0, thousands(z.typical.1 as usize)),
                format!("{} ({} on the page)", z.cases[1].spread().show(0, ""), z.cases[1].rows),
            ]
        })
        .collect();
    out.push_str(&table(
        &["rooms", "seeding s (generate + load)", "alice's rooms", "alice page 1 µs", "typical ambassador", "typical page 1 µs"],
        &rows,
    ));
    if let (Some(first), Some(last)) = (s.sizes.first(), s.sizes.last()) {
        let g = |i: usize| show(s.growth(i), 2, " ×");
        let _ = writeln!(
            out,
            "\nGrowth of page 1 from {} to {} rooms (ratio per run, `median (min–max)`): alice {}, typical ambassador {} \
             (target ≤ {GROWTH_TARGET} ×).\n",
            size_name(first.rooms),
            size_name(last.rooms),
            g(0),
            g(1)
        );
    }
    if let Some(deep) = &s.deep {
        let _ = writeln!(
            out,
            "Deep pages at {} rooms, timed in the same runs as alice's page 1 (ratios per run). alice has {} rooms, i.e. {} pages \
             of 25, so page {} is past her last page: the answer is the count and an empty page. Her middle and last pages are the \
             deepest offsets that return rooms. The last column compares with alice's page 1 on the {}-room database, timed \
             in the same runs.\n",
            thousands(deep.rooms),
            thousands(deep.alice_rooms as usize),
            thousands(crate::fixture::last_page(deep.alice_rooms) as usize),
            scaling::NAMED_DEEP_PAGE,
            thousands(deep.smallest_rooms)
        );
        let page1 = &deep.cases[0];
        let small = &deep.smallest_page1;
        let rows: Vec<Vec<String>> = deep
            .cases
            .iter()
            .map(|c| {
                let alice = c.ambassador == page1.ambassador;
                let ratio = |base| if alice { scaling::ratio(c, base).show(2, " ×") } else { "–".into() };
                vec![c.label.clone(), c.rows.to_string(), c.spread().show(0, ""), ratio(page1), ratio(small)]
            })
            .collect();
        let at_small = format!("× alice page 1 at {}", size_name(deep.smallest_rooms));
        out.push_str(&table(&["page", "rooms returned", "µs", "× alice page 1", &at_small], &rows));
        out.push('\n');
    }
}

fn command_row(t: &Result<CommandTimes, String>, name: &str) -> Vec<String> {
    match t {
        Ok(t) => vec![
            format!("`{}`", t.command),
            t.runs_s.len().to_string(),
            show(t.spread().map(|s| Spread { min: s.min * 1e3, median: s.median * 1e3, max: s.max * 1e3, runs: s.runs }), 0, ""),
            format!("{:.0}", t.warmup_s * 1e3),
            if t.exit_codes.is_empty() { "0".into() } else { format!("{:?}", t.exit_codes) },
        ],
        Err(e) => vec![format!("`{name}`"), "0".into(), format!("not measured: {e}"), "–".into(), "–".into()],
    }
}

fn codegen_section(out: &mut String, c: &Result<Codegen, String>) {
    out.push_str("## 3. Codegen\n\n");
    let c = match c {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(out, "Not measured: {e}\n");
            return;
        }
    };
    let _ = writeln!(
        out,
        "Wall time of the check from the repository root, output discarded, after one warm-up run (which builds xtask in the \
         dev profile when needed; its time is shown apart). `cargo xtask check` includes cargo's own start-up and freshness \
         check; `target/debug/xtask check` is the built binary alone. Both read `openapi.yaml` and the fixture specs, validate, \
         generate every file in memory and compare with the tree.\n"
    );
    out.push_str(&table(
        &["command", "runs", "ms median (min–max)", "warm-up run ms", "exit code"],
        &[command_row(&c.cargo_check, "cargo xtask check"), command_row(&c.direct_check, "target/debug/xtask check")],
    ));
    let _ = writeln!(
        out,
        "\nIn-process, release build: {} runs of {} iterations each on `openapi.yaml` (ms per iteration, `median (min–max)` of \
         the runs' means). `generate` validates the spec semantically and produces {} files ({} bytes).\n",
        c.plan.generate_runs,
        c.plan.generate_iterations,
        c.files,
        thousands(c.output_bytes)
    );
    out.push_str(&table(
        &["step", "ms per iteration"],
        &[
            vec!["`Spec::parse` (YAML, OpenAPI 3.0 JSON Schema, typed model)".into(), c.parse_ms.show(2, "")],
            vec!["`popsell_codegen::generate` (validate + types, utoipa schemas, client, server)".into(), c.generate_ms.show(2, "")],
        ],
    ));
    out.push('\n');
}

fn decoding_section(out: &mut String, d: &Result<Decoding, String>) {
    out.push_str("## 4. Decoding a page\n\n");
    let d = match d {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(out, "Not measured: {e}\n");
            return;
        }
    };
    let _ = writeln!(
        out,
        "`serde_json::from_slice` of alice's first page ({} rooms, {} bytes, as the reference server writes it from demo data) \
         into `popsell_types::ChatroomPage` and into `serde_json::Value` (with `preserve_order`, as in the workspace), release \
         build, one thread. **{} runs**, each ≥ 200 ms per decoder, the two alternating; µs per decode, `median (min–max)`. \
         Criterion measures the same in `benches/decode.rs` (`cargo bench -p popsell-bench --bench decode`; its report stays \
         under `target/criterion`).\n",
        d.rooms,
        thousands(d.bytes),
        d.typed_us.len()
    );
    out.push_str(&table(
        &["decoder", "µs per page", "MB/s (median)"],
        &[
            vec![
                "typed `ChatroomPage`".into(),
                show(d.typed(), 1, ""),
                d.typed().map_or("–".into(), |s| format!("{:.0}", d.bytes as f64 / s.median)),
            ],
            vec![
                "`serde_json::Value`".into(),
                show(d.value(), 1, ""),
                d.value().map_or("–".into(), |s| format!("{:.0}", d.bytes as f64 / s.median)),
            ],
        ],
    ));
    let _ = writeln!(out, "\nSpeed of typed relative to `Value` (per run, `Value` time / typed time): {}.\n", show(d.speedup(), 2, " ×"));
}

/// The notes on the store's query plan (what was changed in
/// `popsell-reference/src/store/sqlite.rs` for these numbers, and why).
pub const STORE_NOTES: &str = include_str!("store_notes.md");

/// The whole file.
pub fn markdown(inputs: &Inputs<'_>) -> String {
    let m = inputs.machine;
    let mut out = String::new();
    out.push_str("<!-- Written by popsell-bench (`cargo xtask bench`); do not edit: run the command again. -->\n\n# Benchmarks\n\n");
    let _ = writeln!(
        out,
        "{} of {}, commit {}; the command took {:.0} s. The machine is shared and noisy: every cell is `median (min–max)` over \
         the stated number of runs, and ratios are taken within one run of this command, never across runs.\n",
        if inputs.quick { "**Quick run** (smaller databases, short load runs: indicative only)" } else { "Full run" },
        m.date,
        m.commit,
        inputs.elapsed.as_secs_f64()
    );
    out.push_str("## How to run\n\n```sh\n");
    out.push_str("cargo xtask bench           # the full run (< 15 min): cargo run --release -p popsell-bench\n");
    out.push_str("cargo xtask bench --quick   # < 3 min: no 1M-room database, short load runs\n");
    out.push_str("cargo xtask bench --backend postgres   # PostgreSQL beside SQLite (DATABASE_URL, else a throwaway local server)\n");
    out.push_str("cargo bench -p popsell-bench --bench decode   # criterion's decoding benchmark (not written here)\n");
    out.push_str("```\n\nThe command writes this file; Prism is installed with npm under `target/` on its first run.\n\n");
    out.push_str("## Machine\n\n");
    out.push_str(&table(
        &["", ""],
        &[
            vec!["CPU".into(), m.cpu.clone()],
            vec!["cores".into(), m.cores.to_string()],
            vec!["RAM".into(), format!("{:.1} GiB", m.ram_gib)],
            vec!["kernel".into(), m.kernel.clone()],
            vec!["rustc".into(), m.rustc.clone()],
            vec!["Node".into(), m.node.clone()],
            vec!["date".into(), m.date.clone()],
        ],
    ));
    out.push_str("\n## Targets\n\n");
    let rows: Vec<Vec<String>> = verdicts(inputs)
        .into_iter()
        .map(|v| vec![v.target, v.measured, verdict_word(v.met).into(), if v.note.is_empty() { "–".into() } else { v.note }])
        .collect();
    out.push_str(&table(&["target", "measured", "verdict", "gap and cause"], &rows));
    out.push('\n');
    http_section(&mut out, inputs.http);
    scaling_sections(&mut out, inputs.scaling);
    codegen_section(&mut out, inputs.codegen);
    decoding_section(&mut out, inputs.decoding);
    out.push_str(STORE_NOTES);
    out
}

/// The report names no machine path: the repository root becomes `.` and
/// the home directory `~` (error messages of tools may quote them).
pub fn scrub(text: &str, root: &std::path::Path, home: Option<&std::path::Path>) -> String {
    let mut text = text.replace(&format!("{}/", root.display()), "./").replace(&root.display().to_string(), ".");
    if let Some(home) = home.map(|h| h.display().to_string()).filter(|h| h.len() > 1) {
        text = text.replace(&home, "~");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_tables() {
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(size_name(1_000_000), "1M");
        assert_eq!(size_name(100_000), "100k");
        assert_eq!(table(&["a", "b"], &[vec!["1".into(), "2".into()]]), "| a | b |\n|---|---|\n| 1 | 2 |\n");
    }

    #[test]
    fn scrub_removes_machine_paths() {
        let text = "log in /srv/u/.npm/_logs/x.log; spec /work/repo/openapi.yaml; root /work/repo";
        let clean = scrub(text, std::path::Path::new("/work/repo"), Some(std::path::Path::new("/srv/u")));
        assert_eq!(clean, "log in ~/.npm/_logs/x.log; spec ./openapi.yaml; root .");
    }
}
