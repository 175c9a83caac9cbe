//! The consumer matrix: the spec read by the tools other teams generate
//! clients and mocks with (pinned, installed under `target/contract-tools`).
//! Each must accept the spec without error or warning and read every payload
//! of the repository (the spec's examples, the payload fixtures); the Rust
//! client must read what Prism generates from the spec.
//!
//! - TypeScript: openapi-typescript generates `paths`/`components`; a small
//!   consumer (`xtask/consumers/typescript/`) compiles with `tsc --strict`
//!   against them and against every payload, typed.
//! - Python: openapi-python-client generates a client; a script
//!   (`xtask/consumers/python/`) parses every payload with its models.
//! - Prism: `prism mock` serves the spec (examples, then 50 dynamic bodies
//!   that the Rust types must decode); `prism proxy` in front of the
//!   reference server reports no response that violates the spec.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Server, command_ok, npm_tool};
use crate::workspace::Workspace;

/// Pinned versions: a bump is a reviewed change.
pub const OPENAPI_TYPESCRIPT: &str = "openapi-typescript@7.13.0";
pub const TYPESCRIPT: &str = "typescript@5.9.3";
pub const PRISM: &str = "@stoplight/prism-cli@5.14.2";
pub const OPENAPI_PYTHON_CLIENT: &str = "openapi-python-client==0.29.1";
pub const RUFF: &str = "ruff==0.17.6";

/// Dynamic bodies asked of Prism.
const DYNAMIC_BODIES: usize = 50;

/// The payloads of the repository, written as JSON files with a manifest
/// (file and schema), in `dir`.
fn payloads(workspace: &Workspace, dir: &Path) -> Result<Vec<(String, &'static str)>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let spec = openapi_gate::compare::load_new(workspace.project()).map_err(|e| e.to_string())?;
    let mut found: Vec<(String, &'static str, Value)> = Vec::new();
    for operation in openapi_spec::document::operations(&spec.json) {
        for (status, response) in operation.loc.entries_at("responses") {
            let response = openapi_spec::document::resolve(&spec.json, response);
            let Some(media) = response.get("content").and_then(|c| c.get("application/json")) else { continue };
            let schema = if status.starts_with('2') { "ChatroomPage" } else { "ErrorBody" };
            if let Some(example) = media.value.get("example") {
                found.push((format!("example-{status}.json"), schema, example.clone()));
            }
            for (name, example) in media.entries_at("examples") {
                if let Some(value) = example.value.get("value") {
                    found.push((format!("example-{status}-{name}.json"), schema, value.clone()));
                }
            }
        }
    }
    let fixtures = workspace.root.join("crates/popsell-types/tests/fixtures");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures).map_err(|e| format!("{}: {e}", fixtures.display()))?.filter_map(|e| Some(e.ok()?.path())).collect();
    names.sort();
    for path in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = format!("fixture-{}", path.file_name().unwrap_or_default().to_string_lossy());
        found.push((name, "ChatroomPage", value));
    }
    let mut manifest = Vec::new();
    for (file, schema, value) in &found {
        let path = dir.join(file);
        std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap_or_default()).map_err(|e| format!("{}: {e}", path.display()))?;
        manifest.push(json!({"file": file, "schema": schema}));
    }
    let manifest_path = dir.join("manifest.json");
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&manifest).unwrap_or_default()).map_err(|e| e.to_string())?;
    println!("{} payloads: {}", found.len(), found.iter().map(|(f, _, _)| f.as_str()).collect::<Vec<_>>().join(", "));
    Ok(found.into_iter().map(|(file, schema, _)| (file, schema)).collect())
}

/// Runs a command and prints its output; fails when it fails, or when
/// its output has a line a tool uses for warnings.
fn run_quietly(command: &mut Command, what: &str, warnings: &[&str]) -> Result<bool, String> {
    let output = command.output().map_err(|e| format!("cannot run {what}: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    print!("{text}");
    let warned: Vec<&str> = text.lines().filter(|l| warnings.iter().any(|w| l.contains(w))).collect();
    if !warned.is_empty() {
        println!("error: {what} warned about the spec ({} line(s) above)", warned.len());
    }
    Ok(output.status.success() && warned.is_empty())
}

pub fn typescript(workspace: &Workspace, tools: &Path) -> Result<bool, String> {
    let generator = npm_tool(tools, OPENAPI_TYPESCRIPT, "openapi-typescript")?;
    let tsc = npm_tool(tools, TYPESCRIPT, "tsc")?;
    let dir = tools.join("consumers/typescript");
    let _ = std::fs::remove_dir_all(&dir);
    let payloads = payloads(workspace, &dir.join("payloads"))?;
    for file in ["consumer.ts", "tsconfig.json"] {
        std::fs::copy(workspace.root.join("xtask/consumers/typescript").join(file), dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    let generated = run_quietly(
        Command::new(&generator).arg(&workspace.spec).arg("-o").arg(dir.join("api.d.ts")),
        OPENAPI_TYPESCRIPT,
        &["✘", "⚠", "warn", "error"],
    )?;
    if !generated {
        return Ok(false);
    }
    // Every payload, typed: tsc checks each against the generated type.
    let mut module = String::from("// Written by `cargo xtask contract`.\nimport type { components } from \"./api\";\n");
    let (mut pages, mut errors) = (Vec::new(), Vec::new());
    for (i, (file, schema)) in payloads.iter().enumerate() {
        module.push_str(&format!("import payload{i} from \"./payloads/{file}\";\n"));
        if *schema == "ChatroomPage" { pages.push(format!("payload{i}")) } else { errors.push(format!("payload{i}")) }
    }
    module.push_str(&format!("export const pages: components[\"schemas\"][\"ChatroomPage\"][] = [{}];\n", pages.join(", ")));
    module.push_str(&format!("export const errors: components[\"schemas\"][\"ErrorBody\"][] = [{}];\n", errors.join(", ")));
    std::fs::write(dir.join("payloads.ts"), module).map_err(|e| e.to_string())?;
    println!("tsc --strict: consumer.ts and {} typed payloads", payloads.len());
    command_ok(Command::new(&tsc).args(["-p", "tsconfig.json", "--pretty", "false"]).current_dir(&dir), "tsc")
}

pub fn python(workspace: &Workspace, tools: &Path) -> Result<bool, String> {
    let venv = tools.join("venv-python-client");
    let generator = venv.join("bin/openapi-python-client");
    if !generator.exists() {
        command_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv), "python3 -m venv")?;
        let installed = command_ok(Command::new(venv.join("bin/pip")).args(["install", "--quiet", OPENAPI_PYTHON_CLIENT, RUFF]), "pip")?;
        if !installed {
            return Err(format!("pip could not install {OPENAPI_PYTHON_CLIENT}"));
        }
    }
    let dir = tools.join("consumers/python");
    let _ = std::fs::remove_dir_all(&dir);
    payloads(workspace, &dir.join("payloads"))?;
    let package = dir.join("popsell_api");
    // ruff formats the generated code: it must be on PATH (else a warning).
    let path = format!("{}:{}", venv.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    let generated = run_quietly(
        Command::new(&generator).args(["generate", "--meta", "none", "--path"]).arg(&workspace.spec).arg("--output-path").arg(&package).env("PATH", &path),
        OPENAPI_PYTHON_CLIENT,
        &["Warning", "Error", "error:"],
    )?;
    if !generated {
        return Ok(false);
    }
    command_ok(
        Command::new(venv.join("bin/python"))
            .arg(workspace.root.join("xtask/consumers/python/parse_payloads.py"))
            .arg(&package)
            .arg(dir.join("payloads/manifest.json")),
        "the Python consumer",
    )
}

/// A child process killed on drop.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).map_err(|e| e.to_string())
}

/// Prism, started with `args` on a free port; its log in `log`, returned
/// once it listens.
fn prism(prism: &Path, args: &[&std::ffi::OsStr], log: &Path) -> Result<(Running, u16), String> {
    let port = free_port()?;
    let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let child = Command::new(prism)
        .args(args)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .stdout(file.try_clone().map_err(|e| e.to_string())?)
        .stderr(file)
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start prism: {e}"))?;
    let running = Running(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((running, port));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("prism did not listen within 60 s (see {})", log.display()))
}

/// `GET path` on loopback with the demo credentials: (status, body).
fn get(port: u16, path: &str, token: Option<&str>) -> Result<(u16, String), String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}X-Popsell-Brand: 1\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP response")?;
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
    Ok((status, if chunked { dechunk(body) } else { body.to_owned() }))
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || tail.len() < size {
            break;
        }
        out.push_str(&tail[..size]);
        rest = tail[size..].trim_start_matches("\r\n");
    }
    out
}

const OPERATION: &str = "/chat/ambassadors/1/chatrooms";

pub fn prism_mock(workspace: &Workspace, tools: &Path) -> Result<bool, String> {
    let bin = npm_tool(tools, PRISM, "prism")?;
    let dir = tools.join("consumers/prism");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    {
        let (_mock, port) = prism(&bin, &["mock".as_ref(), workspace.spec.as_os_str()], &dir.join("mock.log"))?;
        let (status, body) = get(port, OPERATION, Some("demo"))?;
        println!("prism mock (static): {status}, {} bytes", body.len());
        if status != 200 {
            println!("error: prism mock answered {status}: {body}");
            return Ok(false);
        }
        let file = dir.join("static.json");
        std::fs::write(&file, body).map_err(|e| e.to_string())?;
        files.push(file);
    }
    let (_dynamic, port) = prism(&bin, &["mock".as_ref(), "--dynamic".as_ref(), workspace.spec.as_os_str()], &dir.join("dynamic.log"))?;
    for i in 0..DYNAMIC_BODIES {
        let (status, body) = get(port, OPERATION, Some("demo"))?;
        if status != 200 {
            println!("error: prism mock --dynamic answered {status}: {body}");
            return Ok(false);
        }
        let file = dir.join(format!("dynamic-{i:02}.json"));
        std::fs::write(&file, body).map_err(|e| e.to_string())?;
        files.push(file);
    }
    // The Rust types decode each body, as the client would.
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "-p", "popsell-types", "--example", "decode_pages", "--"])
        .args(&files)
        .current_dir(&workspace.root)
        .output()
        .map_err(|e| format!("cannot run the decoder: {e}"))?;
    let report = String::from_utf8_lossy(&output.stdout);
    let count = |word: &str| report.lines().filter(|l| l.contains(&format!(": {word}"))).count();
    for line in report.lines().filter(|l| !l.ends_with(": ok")) {
        println!("  {line}");
    }
    println!(
        "Rust client: {} of {} bodies decoded ({} of {DYNAMIC_BODIES} dynamic); {} refused for a date no calendar has (the pattern cannot rule it out); {} failed",
        count("ok"),
        files.len(),
        count("ok").saturating_sub(1),
        count("calendar"),
        count("error"),
    );
    Ok(output.status.success() && count("error") == 0)
}

/// Requests through `prism proxy` to the reference server: valid ones
/// first (no violation at all), then invalid ones (the requests violate
/// the spec; the server's answers must not).
pub fn prism_proxy(workspace: &Workspace, tools: &Path, server: &Server) -> Result<bool, String> {
    let bin = npm_tool(tools, PRISM, "prism")?;
    let dir = tools.join("consumers/prism");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let log = dir.join("proxy.log");
    let upstream = format!("{}/api/v2", server.url);
    let (_proxy, port) = prism(&bin, &["proxy".as_ref(), workspace.spec.as_os_str(), upstream.as_ref()], &log)?;
    let valid = [
        (OPERATION.to_owned(), Some("demo-alice")),
        (format!("{OPERATION}?per_page=5&page=2"), Some("demo-alice")),
        (format!("{OPERATION}?filter%5Barchived%5D=1&sort=last_action_date"), Some("demo-alice")),
        (format!("{OPERATION}?filter%5Bcommented%5D=not_commented&filter%5Bflag%5D=2&filter%5Btype_chatroom%5D=7"), Some("demo-alice")),
        (format!("{OPERATION}?filter%5Blast_action_date_before%5D=2024-05-04T09%3A42%3A00%2B00%3A00&per_page=100"), Some("demo-alice")),
        (format!("{OPERATION}?page=999"), Some("demo-alice")),
        ("/chat/ambassadors/5/chatrooms".to_owned(), Some("demo-alice")),
    ];
    let invalid = [
        (format!("{OPERATION}?per_page=500"), Some("demo-alice")),
        (format!("{OPERATION}?sort=bogus"), Some("demo-alice")),
        (format!("{OPERATION}?page=0"), Some("demo-alice")),
        (OPERATION.to_owned(), None),
        (OPERATION.to_owned(), Some("not-a-token")),
    ];
    let mut statuses = Vec::new();
    for (path, token) in &valid {
        statuses.push(get(port, path, *token)?.0);
    }
    std::thread::sleep(Duration::from_millis(500));
    let after_valid = violations(&log)?;
    for (path, token) in &invalid {
        statuses.push(get(port, path, *token)?.0);
    }
    std::thread::sleep(Duration::from_millis(500));
    let all = violations(&log)?;
    let response_violations: Vec<&String> = all.iter().filter(|l| l.contains("Violation: response")).collect();
    println!("statuses through prism proxy: {statuses:?}");
    println!(
        "{} violation(s) for {} valid requests; {} request violation(s) for {} invalid requests; {} response violation(s)",
        after_valid.len(),
        valid.len(),
        all.len() - after_valid.len() - response_violations.len(),
        invalid.len(),
        response_violations.len()
    );
    for line in after_valid.iter().chain(response_violations.iter().copied()) {
        println!("  {line}");
    }
    Ok(after_valid.is_empty() && response_violations.is_empty())
}

fn violations(log: &Path) -> Result<Vec<String>, String> {
    let file = std::fs::File::open(log).map_err(|e| e.to_string())?;
    Ok(BufReader::new(file).lines().map_while(Result::ok).filter(|l| l.contains("Violation:")).collect())
}
