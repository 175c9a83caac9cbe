//! The docs page in a real browser: headless Chromium (Debian's `chromium`,
//! installed when missing) driven by puppeteer-core loads the reference
//! server's `/docs` (`xtask/consumers/docs/check_docs.cjs`): every
//! operation, parameter and component schema of the server's document
//! rendered, "try it" answered by the server with the token and brand typed
//! into the page, no request off the loopback address. Screenshots are kept
//! under `target/contract/` for review.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Server, command_ok, npm_package};
use crate::workspace::Workspace;

/// Pinned: puppeteer-core drives the system's Chromium (it downloads no
/// browser). 24.x still runs on Node 18+.
pub const PUPPETEER_CORE: &str = "puppeteer-core@24.43.1";

/// The demo identity the page signs in with (see the reference server's
/// start-up output): alice, ambassador 1 of brand 1.
const TOKEN: &str = "demo-alice";
const BRAND: &str = "1";
const AMBASSADOR: &str = "1";

pub fn check(workspace: &Workspace, tools: &Path, server: &Server) -> Result<bool, String> {
    let chromium = chromium()?;
    npm_package(tools, PUPPETEER_CORE)?;
    let shots = workspace.root.join("target/contract");
    std::fs::create_dir_all(&shots).map_err(|e| format!("{}: {e}", shots.display()))?;
    let passed = command_ok(
        Command::new("node")
            .arg(workspace.root.join("xtask/consumers/docs/check_docs.cjs"))
            .arg(&server.url)
            .arg(&chromium)
            .arg(shots.join("docs.png"))
            .args([TOKEN, BRAND, AMBASSADOR])
            .env("NODE_PATH", tools.join("npm/node_modules")),
        "node (Node.js runs the browser check)",
    )?;
    Ok(passed)
}

/// `$CHROMIUM`, else `chromium` or `chromium-browser` on the PATH, else
/// Debian's package installed with apt-get.
fn chromium() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    let find = || ["chromium", "chromium-browser"].iter().find_map(|name| on_path(name));
    if let Some(path) = find() {
        return Ok(path);
    }
    println!("installing Debian's chromium (apt-get)");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends", "chromium"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install() {
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        install();
    }
    find().ok_or_else(|| "no Chromium: apt-get install chromium (or set CHROMIUM to a Chrome or Chromium binary)".into())
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}
