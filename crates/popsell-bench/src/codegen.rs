//! Codegen: the wall time of `cargo xtask check` (warm), of the built
//! xtask binary, and of parsing and generating in-process.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::stats::{Spread, ms};

#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Timed runs of each command (after one warm-up run).
    pub runs: usize,
    /// Runs of the in-process timing, and iterations in each.
    pub generate_runs: usize,
    pub generate_iterations: usize,
}

/// Timed runs of one command, in seconds.
pub struct CommandTimes {
    pub command: &'static str,
    pub warmup_s: f64,
    pub runs_s: Vec<f64>,
    /// Exit codes other than 0 seen (the check reports stale files with 4).
    pub exit_codes: Vec<i32>,
}

impl CommandTimes {
    pub fn spread(&self) -> Option<Spread> {
        Spread::of(&self.runs_s)
    }
}

pub struct Codegen {
    pub plan: Plan,
    pub cargo_check: Result<CommandTimes, String>,
    pub direct_check: Result<CommandTimes, String>,
    /// ms per iteration, one value per run.
    pub parse_ms: Spread,
    pub generate_ms: Spread,
    pub files: usize,
    pub output_bytes: usize,
}

fn time_command(command: &'static str, program: &Path, args: &[&str], root: &Path, runs: usize) -> Result<CommandTimes, String> {
    let once = || -> Result<(f64, i32), String> {
        let started = Instant::now();
        let status = Command::new(program)
            .args(args)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("{command}: {e}"))?;
        Ok((started.elapsed().as_secs_f64(), status.code().unwrap_or(-1)))
    };
    let (warmup_s, code) = once()?;
    let mut times = CommandTimes { command, warmup_s, runs_s: Vec::new(), exit_codes: Vec::new() };
    if code == 101 || code == -1 {
        return Err(format!("{command} exited with {code} (does it build?)"));
    }
    for _ in 0..runs {
        let (s, code) = once()?;
        times.runs_s.push(s);
        if code != 0 && !times.exit_codes.contains(&code) {
            times.exit_codes.push(code);
        }
    }
    Ok(times)
}

/// Where cargo puts the workspace's builds.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

pub fn run(root: &Path, plan: Plan, progress: impl Fn(&str)) -> Result<Codegen, String> {
    progress("cargo xtask check (a warm-up run first; it builds xtask when needed)");
    let cargo = std::env::var_os("CARGO").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("cargo"));
    let cargo_check = time_command("cargo xtask check", &cargo, &["xtask", "check"], root, plan.runs);
    let xtask = target_dir(root).join("debug").join(if cfg!(windows) { "xtask.exe" } else { "xtask" });
    let direct_check = if xtask.exists() {
        time_command("target/debug/xtask check", &xtask, &["check"], root, plan.runs)
    } else {
        Err("target/debug/xtask is not built".into())
    };
    progress("popsell_codegen in-process");
    let text = std::fs::read_to_string(root.join("openapi.yaml")).map_err(|e| format!("openapi.yaml: {e}"))?;
    let mut parse_runs = Vec::new();
    let mut generate_runs = Vec::new();
    let mut files = 0;
    let mut output_bytes = 0;
    for _ in 0..plan.generate_runs {
        let (mut parse, mut generate) = (Duration::ZERO, Duration::ZERO);
        for _ in 0..plan.generate_iterations {
            let started = Instant::now();
            let spec = popsell_codegen::Spec::parse("openapi.yaml", &text).map_err(|e| e.to_string())?;
            parse += started.elapsed();
            let started = Instant::now();
            let generated = popsell_codegen::generate(&spec).map_err(|e| e.to_string())?;
            generate += started.elapsed();
            files = generated.len();
            output_bytes = generated.iter().map(|f| f.contents.len()).sum();
        }
        let n = plan.generate_iterations.max(1) as u32;
        parse_runs.push(ms(parse / n));
        generate_runs.push(ms(generate / n));
    }
    let none = Spread { min: 0.0, median: 0.0, max: 0.0, runs: 0 };
    Ok(Codegen {
        plan,
        cargo_check,
        direct_check,
        parse_ms: Spread::of(&parse_runs).unwrap_or(none),
        generate_ms: Spread::of(&generate_runs).unwrap_or(none),
        files,
        output_bytes,
    })
}
