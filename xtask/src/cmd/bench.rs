//! `cargo xtask bench`: the benchmark runner (crates/popsell-bench) in a
//! release build; it rewrites BENCHMARKS.md.

use std::process::Command;

use crate::output::Status;
use crate::workspace::Workspace;

pub fn run(workspace: &Workspace, quick: bool) -> u8 {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(["run", "--release", "--quiet", "-p", "popsell-bench", "--"]).current_dir(&workspace.root);
    if quick {
        command.arg("--quick");
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
