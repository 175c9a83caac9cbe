//! `cargo xtask bench [--backend postgres]`: the benchmark runner
//! (crates/popsell-bench) in a release build, with PostgreSQL when asked
//! for; it rewrites BENCHMARKS.md.

use std::process::Command;

use super::Backend;
use openapi_gate::report::Status;
use crate::workspace::Workspace;

pub fn run(workspace: &Workspace, quick: bool, backends: &[Backend]) -> u8 {
    let postgres = backends.contains(&Backend::Postgres);
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(["run", "--release", "--quiet", "-p", "popsell-bench"]).current_dir(&workspace.root);
    if postgres {
        command.args(["--features", "postgres"]);
    }
    command.arg("--");
    if quick {
        command.arg("--quick");
    }
    if postgres {
        command.args(["--backend", "postgres"]);
    }
    match command.status() {
        Ok(status) if status.success() => Status::Ok as u8,
        Ok(status) => status.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(Status::Failure as u8),
        Err(e) => {
            println!("error: cannot run cargo: {e}");
            Status::Failure as u8
        }
    }
}
