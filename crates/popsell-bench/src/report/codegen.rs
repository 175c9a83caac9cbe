//! Section 3: `cargo xtask check` and generation times, their target.

use std::fmt::Write;

use super::*;
use crate::codegen::{CommandTimes, Codegen};

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

pub(super) fn codegen_verdicts(c: &Result<Codegen, String>) -> Vec<Verdict> {
    let target = format!("`cargo xtask check` warm ≤ {CHECK_TARGET_S} s");
    let times = match c {
        Ok(c) => &c.cargo_check,
        Err(e) => return vec![Verdict::not_measured(target, format!("failed: {e}"))],
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
        Ok((_, None)) => vec![Verdict::not_measured(target, "no runs")],
        Err(e) => vec![Verdict::not_measured(target, e.as_str())],
    }
}

pub(super) fn codegen_section(out: &mut String, c: &Result<Codegen, String>) {
    let Some(c) = section(out, "## 3. Codegen", c) else {
        return;
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
