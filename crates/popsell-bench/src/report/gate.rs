//! Section 6: the contract gate on a real pair of 1.8 MB (and over 2 MB),
//! beside other diff tools; its targets.

use std::fmt::Write;

use super::*;
use crate::gate::{Gate, PairRuns, ToolRun};

/// Seconds for `cargo xtask openapi diff` on a 2 MB pair, warm.
pub const GATE_TARGET_S: f64 = 0.3;
/// Peak memory of the gate's process on that pair, MB.
pub const GATE_RSS_TARGET_MB: f64 = 100.0;

fn seconds(run: &ToolRun) -> Option<Spread> {
    run.seconds.as_ref().ok().and_then(|s| Spread::of(s))
}

/// The over-2 MB pair (the last), through cargo and as the binary.
fn widest(g: &Gate) -> Option<&PairRuns> {
    g.pairs.iter().max_by_key(|p| p.bytes.0 + p.bytes.1)
}

pub(super) fn gate_verdicts(g: &Result<Gate, String>) -> Vec<Verdict> {
    let time_target = format!("`cargo xtask openapi diff` on a 2 MB pair ≤ {GATE_TARGET_S} s warm");
    let rss_target = format!("the gate's process on a 2 MB pair ≤ {GATE_RSS_TARGET_MB:.0} MB");
    let Some(pair) = g.as_ref().ok().and_then(widest) else {
        let why = g.as_ref().err().cloned().unwrap_or_else(|| "no pair".into());
        return vec![Verdict::not_measured(time_target, why.clone()), Verdict::not_measured(rss_target, why)];
    };
    let through_cargo = pair.tools.get(1).and_then(seconds);
    let binary = pair.tools.first();
    let time = match through_cargo {
        Some(s) => Verdict {
            target: time_target,
            measured: format!("{} s", s.show(2, "")),
            met: Some(s.median <= GATE_TARGET_S),
            note: match binary.and_then(seconds) {
                Some(b) if s.median > GATE_TARGET_S => format!("the binary itself takes {:.2} s; the rest is cargo's own start", b.median),
                _ => String::new(),
            },
        },
        None => Verdict::not_measured(time_target, pair.tools.get(1).and_then(|t| t.seconds.as_ref().err().cloned()).unwrap_or_default()),
    };
    let rss = match binary.and_then(|b| b.rss_kib) {
        Some(kib) => {
            let mb = kib as f64 / 1024.0;
            Verdict { target: rss_target, measured: format!("{mb:.0} MB"), met: Some(mb <= GATE_RSS_TARGET_MB), note: String::new() }
        }
        None => Verdict::not_measured(rss_target, "GNU time (/usr/bin/time) is not installed"),
    };
    vec![time, rss]
}

pub(super) fn gate_section(out: &mut String, g: &Result<Gate, String>) {
    let Some(g) = section(out, "## 6. The contract gate on a real 2 MB pair", g) else {
        return;
    };
    let _ = writeln!(
        out,
        "Two consecutive versions of Box's OpenAPI 3.0 document (JSON; `crates/popsell-bench/data/box-openapi/`), compared as \
         published and re-indented with four spaces (the same document over 2 MB). Each tool runs once to warm the file cache, \
         then the stated number of times; seconds of wall time, `median (min–max)`; memory is the peak resident set of one run \
         (GNU time). The two documents are read side by side, one per core.\n"
    );
    for pair in &g.pairs {
        let _ = writeln!(out, "**{}** ({} + {} bytes)\n", pair.name, thousands(pair.bytes.0), thousands(pair.bytes.1));
        let rows: Vec<Vec<String>> = pair
            .tools
            .iter()
            .map(|t| {
                let time = match &t.seconds {
                    Ok(s) => format!("{} s ({} runs)", show(Spread::of(s), 3, ""), s.len()),
                    Err(e) => format!("not measured: {}", e.replace('|', "\\|")),
                };
                vec![t.tool.clone(), time, t.rss_kib.map_or("–".into(), |kib| format!("{} MB", kib / 1024))]
            })
            .collect();
        out.push_str(&table(&["tool", "seconds", "peak memory"], &rows));
        out.push('\n');
    }
}
