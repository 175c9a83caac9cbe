//! `cargo xtask contract`: check the spec and the running reference server
//! with tools nobody here wrote: Redocly CLI lints the spec, the consumer
//! matrix (openapi-typescript, openapi-python-client, Prism) reads it, the
//! docs page is loaded in headless Chromium, the served binary meets
//! hostile requests over TCP, Schemathesis fuzzes the server, and a
//! bounded load run (wrk) checks it answers without errors; the gates that
//! need the server run on each backend asked for (SQLite, PostgreSQL).
//! Tools are installed, pinned, under `target/`.

mod consumers;
mod docs;
mod soak;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Backend;
use openapi_gate::report::Status;
use openapi_gate::{Styles, Word};
use crate::workspace::Workspace;

/// Pinned tool versions: a bump is a reviewed change.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";
const REDOCLY: &str = "@redocly/cli@2.77.0";

/// `cargo xtask contract`'s arguments, as clap reads them.
#[derive(clap::Args)]
pub struct Options {
    /// Schemathesis test cases per operation and phase.
    #[arg(long, default_value_t = 1000)]
    pub examples: u32,
    /// Schemathesis seed (same seed, same cases).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Chatrooms of the server's demo data.
    #[arg(long, default_value_t = 100_000)]
    pub chatrooms: u32,
    /// Seconds of load (256 connections); 0 skips it.
    #[arg(long, default_value_t = 0)]
    pub load_seconds: u32,
    /// Skip the spec lint.
    #[arg(long)]
    pub skip_lint: bool,
    /// Skip the consumer matrix (openapi-typescript, openapi-python-client, Prism).
    #[arg(long)]
    pub skip_consumers: bool,
    /// Skip Schemathesis.
    #[arg(long)]
    pub skip_fuzz: bool,
    /// Skip the docs page check (headless Chromium).
    #[arg(long)]
    pub skip_docs: bool,
    /// Skip the hostile transport suite (real sockets to the served binary).
    #[arg(long)]
    pub skip_transport: bool,
    /// Seconds of soak: wrk at 256 connections beside a slowloris crowd; 0 skips it.
    #[arg(long = "soak", value_name = "SECONDS", default_value_t = 0)]
    pub soak_seconds: u32,
    /// The backends the server's gates (Prism proxy, Schemathesis, load)
    /// run on, each in turn: `sqlite` (default), `postgres`, or both
    /// (`sqlite,postgres`).
    #[arg(long = "backend", value_enum, value_delimiter = ',', default_value = "sqlite")]
    pub backends: Vec<Backend>,
    /// PostgreSQL's database for `--backend postgres` (migrated, seeded
    /// when empty); default: a throwaway local server.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

/// Exit code 1: a gate failed.
const GATE_FAILED: u8 = 1;

pub fn run(workspace: &Workspace, options: &Options, styles: &Styles) -> u8 {
    match contract(workspace, options, styles) {
        Ok(true) => {
            println!("\ncontract: every gate passed");
            Status::Ok as u8
        }
        Ok(false) => {
            println!("\nerror: a contract gate failed (report above)");
            GATE_FAILED
        }
        Err(message) => {
            println!("{}", styles.status_line(Word::Failure, &message));
            Status::Failure as u8
        }
    }
}

/// `Ok(false)`: a gate failed (its report is printed); `Err`: the gates
/// could not run.
fn contract(workspace: &Workspace, options: &Options, styles: &Styles) -> Result<bool, String> {
    let tools = workspace.root.join("target/contract-tools");
    std::fs::create_dir_all(&tools).map_err(|e| format!("{}: {e}", tools.display()))?;
    let mut passed = true;
    if !options.skip_lint {
        passed &= gate(styles, "spec lint (Redocly)", || lint(workspace, &tools))?;
    }
    if !options.skip_consumers {
        passed &= gate(styles, "consumer: TypeScript (openapi-typescript, tsc --strict)", || consumers::typescript(workspace, &tools))?;
        passed &= gate(styles, "consumer: Python (openapi-python-client)", || consumers::python(workspace, &tools))?;
        passed &= gate(styles, "consumer: Prism mock, bodies decoded by the Rust types", || consumers::prism_mock(workspace, &tools))?;
    }
    if !options.skip_transport {
        passed &= gate(styles, "transport: hostile requests over TCP to the served binary", || transport(workspace))?;
    }
    if options.skip_fuzz && options.skip_consumers && options.skip_docs && options.load_seconds == 0 && options.soak_seconds == 0 {
        return Ok(passed);
    }
    for &backend in &options.backends {
        let server = Server::start(workspace, options, backend)?;
        let on = server.backend;
        if !options.skip_consumers {
            passed &= gate(styles, &format!("consumer: Prism proxy in front of the reference server on {on}"), || {
                consumers::prism_proxy(workspace, &tools, &server)
            })?;
        }
        // The page is the same on every backend: checked on the first.
        if !options.skip_docs && backend == options.backends[0] {
            passed &= gate(styles, "docs page: /docs in headless Chromium (Swagger UI, try it)", || docs::check(workspace, &tools, &server))?;
        }
        if !options.skip_fuzz {
            passed &= gate(styles, &format!("fuzzing (Schemathesis) on {on}"), || fuzz(workspace, &tools, &server, options))?;
        }
        if options.load_seconds > 0 {
            passed &= gate(styles, &format!("load smoke (wrk) on {on}"), || load(&server, options.load_seconds))?;
        }
        if options.soak_seconds > 0 {
            passed &= gate(styles, &format!("soak: wrk at 256 connections beside a slowloris crowd on {on}"), || soak::soak(&server, options.soak_seconds))?;
        }
    }
    Ok(passed)
}

fn gate(styles: &Styles, name: &str, run: impl FnOnce() -> Result<bool, String>) -> Result<bool, String> {
    println!("\n== {name}");
    let started = Instant::now();
    let passed = run()?;
    let word = if passed { Word::Passed } else { Word::Failure };
    println!("{}", styles.status_line(word, &format!("{name} in {:.1} s", started.elapsed().as_secs_f64())));
    Ok(passed)
}

fn command_ok(command: &mut Command, what: &str) -> Result<bool, String> {
    command.status().map(|s| s.success()).map_err(|e| format!("cannot run {what}: {e}"))
}

/// The binary `bin` of the npm package `package` (pinned), installed under
/// `tools/npm` when missing.
fn npm_tool(tools: &Path, package: &str, bin: &str) -> Result<PathBuf, String> {
    npm_package(tools, package)?;
    let path = tools.join("npm/node_modules/.bin").join(bin);
    if path.exists() { Ok(path) } else { Err(format!("{package} has no binary {bin}")) }
}

/// The npm package `package` (`name@version`), installed under `tools/npm`
/// unless that version is there; its folder.
fn npm_package(tools: &Path, package: &str) -> Result<PathBuf, String> {
    let npm = tools.join("npm");
    let (name, version) = package.rsplit_once('@').ok_or("a pinned package is name@version")?;
    let folder = npm.join("node_modules").join(name);
    let installed = |folder: &Path| {
        let manifest = std::fs::read_to_string(folder.join("package.json")).ok();
        manifest.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()).is_some_and(|m| m["version"].as_str() == Some(version))
    };
    if installed(&folder) {
        return Ok(folder);
    }
    let ok = command_ok(
        Command::new("npm").args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"]).arg(&npm).arg(package),
        "npm (Node.js is needed for the spec lint and the consumers)",
    )?;
    if ok && installed(&folder) { Ok(folder) } else { Err(format!("npm could not install {package}")) }
}

fn lint(workspace: &Workspace, tools: &Path) -> Result<bool, String> {
    let redocly = npm_tool(tools, REDOCLY, "redocly")?;
    command_ok(
        Command::new(&redocly)
            .args(["lint", "--format", "stylish", "--max-problems", "100", "--config"])
            .arg(workspace.root.join("redocly.yaml"))
            .arg(&workspace.spec),
        "redocly",
    )
}

/// The spec Schemathesis reads: without the client-scoped headers, which the
/// run pins with `-H` (Schemathesis would otherwise fuzz them and call the
/// pinned valid value a schema-violating request accepted). Their
/// validation is tested apart, in the hostile-input suite.
fn fuzz_spec(workspace: &Workspace, tools: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(&workspace.spec).map_err(|e| format!("{}: {e}", workspace.spec.display()))?;
    let spec = popsell_codegen::Spec::parse(&workspace.spec_name(), &text).map_err(|e| e.to_string())?;
    let mut doc = spec.document.json;
    let scoped: Vec<String> = doc
        .pointer("/components/parameters")
        .and_then(|p| p.as_object())
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.get(popsell_codegen::CLIENT_SCOPED_EXTENSION) == Some(&serde_json::Value::Bool(true)))
        .map(|(name, _)| format!("#/components/parameters/{name}"))
        .collect();
    if let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut() {
            for operation in item.as_object_mut().into_iter().flat_map(|i| i.values_mut()) {
                if let Some(parameters) = operation.get_mut("parameters").and_then(|p| p.as_array_mut()) {
                    parameters.retain(|p| !p.get("$ref").and_then(|r| r.as_str()).is_some_and(|r| scoped.iter().any(|s| s == r)));
                }
            }
        }
    }
    let path = tools.join("openapi-fuzz.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap_or_default()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn fuzz(workspace: &Workspace, tools: &Path, server: &Server, options: &Options) -> Result<bool, String> {
    let venv = tools.join("venv");
    let schemathesis = venv.join("bin/schemathesis");
    if !schemathesis.exists() {
        command_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv), "python3 -m venv")?;
        let installed = command_ok(Command::new(venv.join("bin/pip")).args(["install", "--quiet", SCHEMATHESIS]), "pip")?;
        if !installed {
            return Err(format!("pip could not install {SCHEMATHESIS}"));
        }
    }
    let spec = fuzz_spec(workspace, tools)?;
    command_ok(
        Command::new(&schemathesis)
            .arg("run")
            .arg(&spec)
            .args(["--url", &format!("{}/api/v2", server.url)])
            .args(["-H", "Authorization: Bearer demo-admin", "-H", "X-Popsell-Brand: 1"])
            .args(["--checks", "all", "--max-examples", &options.examples.to_string(), "--seed", &options.seed.to_string()])
            .args(["--generation-database", "none", "--no-color", "--report", "junit", "--report-dir"])
            .arg(tools.join("schemathesis-report"))
            .current_dir(tools),
        "schemathesis",
    )
}

/// The served binary over real sockets: slowloris, oversize heads, header
/// floods and duplicates, injected hosts, HTTP/1.0, pipelining, an abandon
/// burst, SIGTERM under load (`crates/popsell-reference/tests/transport.rs`).
fn transport(workspace: &Workspace) -> Result<bool, String> {
    command_ok(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["test", "--quiet", "--no-default-features", "-p", "popsell-reference", "--test", "transport"])
            .current_dir(&workspace.root),
        "cargo test",
    )
}

/// wrk at 256 connections on alice's page of `server` for `seconds`.
fn wrk_on_alices_page(server: &Server, seconds: u32) -> Result<std::process::Output, String> {
    let url = format!("{}/api/v2/chat/ambassadors/1/chatrooms?per_page=25", server.url);
    Command::new("wrk")
        .args(["-t2", "-c256", &format!("-d{seconds}s"), "--timeout", "10s", "--latency", "-H", "Authorization: Bearer demo-alice", "-H", "X-Popsell-Brand: 1"])
        .arg(&url)
        .output()
        .map_err(|e| format!("cannot run wrk (apt-get install wrk): {e}"))
}

fn load(server: &Server, seconds: u32) -> Result<bool, String> {
    let rss_before = server.rss_kib();
    let output = wrk_on_alices_page(server, seconds)?;
    let report = String::from_utf8_lossy(&output.stdout);
    print!("{report}");
    let rss_after = server.rss_kib();
    println!("server RSS: {} KiB before, {} KiB after", rss_before.unwrap_or(0), rss_after.unwrap_or(0));
    let errors = report.lines().any(|l| l.contains("Non-2xx or 3xx responses") || l.contains("Socket errors"));
    Ok(output.status.success() && !errors)
}

/// The reference server on a free loopback port, stopped on drop.
struct Server {
    child: Child,
    url: String,
    backend: &'static str,
}

impl Server {
    /// Builds and starts the server on `backend` with demo data:
    /// PostgreSQL's is the database of `options.database_url` (migrated),
    /// else a throwaway one the server starts and removes.
    fn start(workspace: &Workspace, options: &Options, backend: Backend) -> Result<Server, String> {
        let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        build.args(["build", "--quiet", "-p", "popsell-reference"]).current_dir(&workspace.root);
        let binary = workspace.root.join("target/debug/popsell-reference");
        let mut server = Command::new(&binary);
        server.args(["--bind", "127.0.0.1:0", "--chatrooms", &options.chatrooms.to_string()]).env("RUST_LOG", "warn");
        // The server reads DATABASE_URL when built for PostgreSQL: only the URL given here counts.
        server.env_remove("DATABASE_URL");
        let name = match backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => {
                build.args(["--features", "postgres"]);
                match &options.database_url {
                    Some(url) => server.args(["--database-url", url, "--migrate"]),
                    None => server.arg("--temp-postgres"),
                };
                "PostgreSQL"
            }
        };
        if !command_ok(&mut build, "cargo build")? {
            return Err("the reference server does not build".into());
        }
        let mut child = server.stdout(Stdio::piped()).spawn().map_err(|e| format!("{}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(120);
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                        break url.to_owned();
                    }
                }
                _ => return Err("the reference server stopped before listening".into()),
            }
            if Instant::now() > deadline {
                return Err("the reference server did not start in 120 s".into());
            }
        };
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        println!("reference server on {name} ({} chatrooms) at {url}", options.chatrooms);
        Ok(Server { child, url, backend: name })
    }

    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
