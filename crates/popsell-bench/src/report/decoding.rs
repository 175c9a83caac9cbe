//! Section 4: typed decoding against `serde_json::Value`, its target.

use std::fmt::Write;

use super::*;
use crate::decoding::Decoding;

pub(super) fn decoding_verdicts(d: &Result<Decoding, String>) -> Vec<Verdict> {
    let target = format!("typed decoding ≥ {DECODE_TARGET} × as fast as `serde_json::Value`");
    match d.as_ref().map(|d| d.speedup()) {
        Ok(Some(s)) => vec![Verdict {
            target,
            measured: format!("{} ×", s.show(2, "")),
            met: Some(s.median >= DECODE_TARGET),
            note: if s.median >= DECODE_TARGET {
                String::new()
            } else {
                format!("{:.0}% slower than `Value`.", (1.0 - s.median) * 100.0)
            },
        }],
        Ok(None) => vec![Verdict::not_measured(target, "no runs")],
        Err(e) => vec![Verdict::not_measured(target, e.as_str())],
    }
}

pub(super) fn decoding_section(out: &mut String, d: &Result<Decoding, String>) {
    let Some(d) = section(out, "## 4. Decoding a page", d) else {
        return;
    };
    let _ = writeln!(
        out,
        "`serde_json::from_slice` of alice's first page ({} rooms, {} bytes, as the reference server writes it from demo data) \
         into `popsell_types::ChatroomPage` and into `serde_json::Value` (with `preserve_order`, as in the workspace), release \
         build, one thread. **{} runs**, each ≥ 200 ms per decoder, the two alternating; µs per decode, `median (min–max)`. \
         Criterion measures the same in `benches/decode.rs` (`cargo bench -p popsell-bench --bench decode`; its report stays \
         under `target/criterion`).\n",
        d.rooms,
        thousands(d.bytes),
        d.typed_us.len()
    );
    out.push_str(&table(
        &["decoder", "µs per page", "MB/s (median)"],
        &[
            vec![
                "typed `ChatroomPage`".into(),
                show(d.typed(), 1, ""),
                d.typed().map_or("–".into(), |s| format!("{:.0}", d.bytes as f64 / s.median)),
            ],
            vec![
                "`serde_json::Value`".into(),
                show(d.value(), 1, ""),
                d.value().map_or("–".into(), |s| format!("{:.0}", d.bytes as f64 / s.median)),
            ],
        ],
    ));
    let _ = writeln!(out, "\nSpeed of typed relative to `Value` (per run, `Value` time / typed time): {}.\n", show(d.speedup(), 2, " ×"));
}
