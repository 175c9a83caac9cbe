//! `cargo run --release -p popsell-bench -- [--quick] [--backend postgres]`
//! (`cargo xtask bench`): runs every benchmark and writes `BENCHMARKS.md`
//! at the repository root.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use popsell_bench::fixture::Backend;
use popsell_bench::{codegen, decoding, fixture, gate, http, load, machine, memory, report, scaling};

#[derive(Parser)]
#[command(about = "Benchmarks of the Popsell workspace; writes BENCHMARKS.md")]
struct Args {
    /// Smaller databases (no 1M rooms) and short load runs: under 3 minutes.
    #[arg(long)]
    quick: bool,
    /// Where to write the report (default: BENCHMARKS.md at the repository root).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Skip the Prism comparison (the table says so).
    #[arg(long)]
    no_prism: bool,
    /// Run only these sections (while working on one; the others are
    /// reported as not measured).
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Section>,
    /// The store's backends: SQLite always, PostgreSQL beside it with
    /// `postgres` (a build with the `postgres` feature).
    #[arg(long, value_enum, value_delimiter = ',')]
    backend: Vec<BackendName>,
    /// PostgreSQL to measure on (a schema per size is made there, and
    /// dropped); default: the DATABASE_URL environment variable, else a
    /// throwaway local server.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BackendName {
    Sqlite,
    Postgres,
}

/// SQLite, then PostgreSQL when asked for.
fn backends(args: &Args) -> Result<Vec<Backend>, String> {
    if !args.backend.contains(&BackendName::Postgres) {
        return Ok(vec![Backend::Sqlite]);
    }
    postgres_beside_sqlite(args.database_url.clone().or_else(|| std::env::var("DATABASE_URL").ok()))
}

#[cfg(feature = "postgres")]
fn postgres_beside_sqlite(database_url: Option<String>) -> Result<Vec<Backend>, String> {
    Ok(vec![Backend::Sqlite, Backend::postgres(database_url)?])
}

#[cfg(not(feature = "postgres"))]
fn postgres_beside_sqlite(_: Option<String>) -> Result<Vec<Backend>, String> {
    Err("--backend postgres needs the `postgres` feature (cargo xtask bench --backend postgres builds with it)".into())
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Section {
    Http,
    Scaling,
    Codegen,
    Decoding,
    Memory,
    Gate,
}

/// What each mode measures, and how long.
struct Plan {
    sizes: Vec<usize>,
    http_rooms: usize,
    http: http::Plan,
    scaling: scaling::Timing,
    codegen: codegen::Plan,
    decode_runs: usize,
    decode_budget: Duration,
    memory_sizes: Vec<usize>,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        let load = |warmup_ms, duration_ms| load::Settings {
            connections: 64,
            warmup: Duration::from_millis(warmup_ms),
            duration: Duration::from_millis(duration_ms),
            threads: 1,
        };
        if quick {
            Plan {
                sizes: vec![1_000, 10_000, 100_000],
                http_rooms: 100_000,
                http: http::Plan { runs: 3, settings: load(500, 1_500) },
                scaling: scaling::Timing { runs: 3, budget: Duration::from_millis(40) },
                codegen: codegen::Plan { runs: 3, generate_runs: 3, generate_iterations: 3 },
                decode_runs: 3,
                decode_budget: Duration::from_millis(200),
                memory_sizes: vec![100_000],
            }
        } else {
            Plan {
                sizes: vec![1_000, 10_000, 100_000, 1_000_000],
                http_rooms: 100_000,
                http: http::Plan { runs: 7, settings: load(1_000, 4_000) },
                scaling: scaling::Timing { runs: 9, budget: Duration::from_millis(100) },
                codegen: codegen::Plan { runs: 9, generate_runs: 7, generate_iterations: 10 },
                decode_runs: 9,
                decode_budget: Duration::from_millis(200),
                memory_sizes: vec![100_000, 1_000_000],
            }
        }
    }
}

/// A section left out by `--only`.
fn skipped<T>() -> Result<T, String> {
    Err("skipped (--only)".into())
}

fn main() {
    let args = Args::parse();
    let started = Instant::now();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let output = args.output.clone().unwrap_or_else(|| root.join("BENCHMARKS.md"));
    let plan = Plan::new(args.quick);
    let progress = |what: &str| eprintln!("[{:>6.1} s] {what}", started.elapsed().as_secs_f64());
    let machine = machine::collect(&root);
    let wanted = |section: Section| args.only.is_empty() || args.only.contains(&section);

    let backends = match backends(&args) {
        Ok(backends) => backends,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    progress("2. scaling");
    // The HTTP benchmarks use the databases of `http_rooms` seeded here.
    let sizes: Vec<usize> = if wanted(Section::Scaling) {
        plan.sizes.clone()
    } else if wanted(Section::Http) {
        vec![plan.http_rooms]
    } else {
        Vec::new()
    };
    let mut scalings = Vec::new();
    let mut kept = Vec::new();
    for backend in &backends {
        let scaled = scaling::run(backend, &sizes, plan.http_rooms, plan.scaling, progress);
        scalings.push((backend.name(), match scaled {
            Ok((s, k)) => {
                kept.extend(k);
                if wanted(Section::Scaling) { Ok(s) } else { skipped() }
            }
            Err(e) => Err(e),
        }));
    }

    progress("1. server throughput and latency");
    let prism_dir = codegen::target_dir(&root).join("popsell-bench").join("prism");
    let http = match kept.len() {
        _ if !wanted(Section::Http) => skipped(),
        0 => Err(format!("no database of {} rooms was seeded", plan.http_rooms)),
        _ => http::run(&root, &prism_dir, &kept.iter().collect::<Vec<_>>(), plan.http, !args.no_prism, progress),
    };

    progress("3. codegen");
    let codegen = if wanted(Section::Codegen) { codegen::run(&root, plan.codegen, progress) } else { skipped() };

    progress("4. decoding");
    let decoding = if wanted(Section::Decoding) {
        fixture::sample_page_json().map(|json| decoding::run(&json, plan.decode_runs, plan.decode_budget))
    } else {
        skipped()
    };

    progress("5. memory");
    let memory = if wanted(Section::Memory) { memory::run(&root, &plan.memory_sizes, progress) } else { skipped() };

    progress("6. contract gate");
    let gate = if wanted(Section::Gate) { gate::run(&root, if args.quick { 3 } else { 7 }, progress) } else { skipped() };

    let inputs = report::Inputs {
        quick: args.quick,
        machine: &machine,
        elapsed: started.elapsed(),
        scaling: &scalings,
        http: &http,
        codegen: &codegen,
        decoding: &decoding,
        memory: &memory,
        gate: &gate,
    };
    let markdown = report::scrub(&report::markdown(&inputs), &root, std::env::var_os("HOME").map(PathBuf::from).as_deref());
    for v in report::verdicts(&inputs) {
        let word = match v.met {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "not measured",
        };
        eprintln!("  {word:<12} {}: {}", v.target, v.measured);
    }
    match std::fs::write(&output, markdown) {
        Ok(()) => progress(&format!("wrote {}", output.file_name().and_then(|n| n.to_str()).unwrap_or("the report"))),
        Err(e) => {
            eprintln!("error: cannot write the report: {e}");
            std::process::exit(1);
        }
    }
}
