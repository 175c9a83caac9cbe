//! The Markdown of `BENCHMARKS.md`: machine facts, commands, then each
//! measurement's section and targets, rendered by its own module (`http`,
//! `scaling`, `codegen`, `decoding`, `memory`, `gate`), and every target met or not
//! (with the gap and its cause).

use std::fmt::Write;
use std::time::Duration;

mod codegen;
mod decoding;
mod gate;
mod http;
mod memory;
mod scaling;

use crate::codegen::Codegen;
use crate::decoding::Decoding;
use crate::gate::Gate;
use crate::http::Http;
use crate::machine::Machine;
use crate::memory::MemoryRow;
use crate::scaling::Scaling;
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
    pub memory: &'a Result<Vec<MemoryRow>, String>,
    pub gate: &'a Result<Gate, String>,
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

impl Verdict {
    /// A target with no figure: `note` says why.
    fn not_measured(target: String, note: impl Into<String>) -> Verdict {
        Verdict { target, measured: "–".into(), met: None, note: note.into() }
    }
}

/// Opens a section with its heading; a measurement that failed is said in
/// the section, which then has nothing more (`None`).
fn section<'a, T>(out: &mut String, heading: &str, measured: &'a Result<T, String>) -> Option<&'a T> {
    let _ = writeln!(out, "{heading}\n");
    match measured {
        Ok(value) => Some(value),
        Err(e) => {
            let _ = writeln!(out, "Not measured: {e}\n");
            None
        }
    }
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

/// Every target, in the order of the sections.
pub fn verdicts(inputs: &Inputs<'_>) -> Vec<Verdict> {
    let mut out = http::http_verdicts(inputs.http);
    for (backend, scaling) in inputs.scaling {
        out.extend(scaling::scaling_verdicts(backend, scaling, inputs.quick));
    }
    out.extend(codegen::codegen_verdicts(inputs.codegen));
    out.extend(decoding::decoding_verdicts(inputs.decoding));
    out.extend(memory::memory_verdicts(inputs.memory));
    out.extend(gate::gate_verdicts(inputs.gate));
    out
}

/// The notes on the store's query plan (what was changed in
/// `popsell-reference/src/store/sqlite.rs` for these numbers, and why).
pub const STORE_NOTES: &str = include_str!("../store_notes.md");

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
    http::http_section(&mut out, inputs.http);
    scaling::scaling_sections(&mut out, inputs.scaling);
    codegen::codegen_section(&mut out, inputs.codegen);
    decoding::decoding_section(&mut out, inputs.decoding);
    memory::memory_section(&mut out, inputs.memory);
    gate::gate_section(&mut out, inputs.gate);
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
    fn a_failed_measurement_is_said_in_its_section_and_its_targets() {
        let machine = Machine {
            cpu: "cpu".into(),
            cores: 2,
            ram_gib: 1.0,
            kernel: "k".into(),
            rustc: "r".into(),
            node: "n".into(),
            date: "d".into(),
            commit: "c".into(),
        };
        fn failed<T>(what: &str) -> Result<T, String> {
            Err(format!("{what} broke"))
        }
        let report = markdown(&Inputs {
            quick: true,
            machine: &machine,
            elapsed: Duration::from_secs(1),
            scaling: &[("SQLite", failed("scaling"))],
            http: &failed("http"),
            codegen: &failed("codegen"),
            decoding: &failed("decoding"),
            memory: &failed("memory"),
            gate: &failed("gate"),
        });
        for (heading, what) in [
            ("## 1. Server throughput and latency", "http"),
            ("### SQLite", "scaling"),
            ("## 3. Codegen", "codegen"),
            ("## 4. Decoding a page", "decoding"),
            ("## 5. Memory", "memory"),
            ("## 6. The contract gate on a real 2 MB pair", "gate"),
        ] {
            assert!(report.contains(&format!("{heading}\n\nNot measured: {what} broke\n\n")), "{heading}:\n{report}");
        }
        let targets = report.split("## Targets").nth(1).unwrap().split("\n## ").next().unwrap();
        let rows: Vec<&str> = targets.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| target")).collect();
        assert!(rows.len() >= 8, "{targets}");
        for row in rows {
            assert!(row.contains("| – | not measured |") && row.contains("broke"), "{row}");
        }
    }

    #[test]
    fn scrub_removes_machine_paths() {
        let text = "log in /srv/u/.npm/_logs/x.log; spec /work/repo/openapi.yaml; root /work/repo";
        let clean = scrub(text, std::path::Path::new("/work/repo"), Some(std::path::Path::new("/srv/u")));
        assert_eq!(clean, "log in ~/.npm/_logs/x.log; spec ./openapi.yaml; root .");
    }
}
