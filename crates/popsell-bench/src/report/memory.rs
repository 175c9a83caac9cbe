//! Section 5: the served binary's memory against its SQLite file, its target.

use super::*;

/// Resident set of the server serving a database file, over the file's size.
pub const MEMORY_TARGET: f64 = 2.0;

pub(super) fn memory_verdicts(m: &Result<Vec<MemoryRow>, String>) -> Vec<Verdict> {
    let target = |size: &str| format!("RSS serving {size} rooms ≤ {MEMORY_TARGET} × the SQLite file");
    match m {
        Err(e) => vec![Verdict::not_measured(target("N"), format!("not measured: {e}"))],
        Ok(rows) => rows
            .iter()
            .map(|r| Verdict {
                target: target(&size_name(r.rooms)),
                measured: format!("{} MiB / {} MiB = {:.2} ×", mib(r.serving_rss_after_load), mib(r.file_bytes), r.ratio()),
                met: Some(r.ratio() <= MEMORY_TARGET),
                note: if r.ratio() <= MEMORY_TARGET {
                    String::new()
                } else {
                    format!(
                        "{:.0}% over: SQLite's own cache is bounded (2 MiB per connection); the rest is the page cache of \
                         answers (≤ 64 MiB, `--page-cache-mb`), the runtime and the allocator's arenas.",
                        (r.ratio() / MEMORY_TARGET - 1.0) * 100.0
                    )
                },
            })
            .collect(),
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

pub(super) fn memory_section(out: &mut String, m: &Result<Vec<MemoryRow>, String>) {
    let Some(rows) = section(out, "## 5. Memory", m) else {
        return;
    };
    out.push_str(
        "The release `popsell-reference` binary (SQLite, a child process of the benchmark) seeds a database file of N rooms \
         (`--db FILE --chatrooms N`), stops, and is started again on that file; its resident set (`VmRSS` of `/proc`) is read \
         at rest and after 2 s of load at 64 connections on alice's page. The file size includes its WAL. The seeding run's \
         peak (`VmHWM`) includes the demo data, built in memory before it is written. One run per size.\n\n",
    );
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                thousands(r.rooms),
                mib(r.file_bytes),
                format!("{:.1}", r.seeding.as_secs_f64()),
                mib(r.seeding_peak_rss),
                mib(r.serving_rss),
                mib(r.serving_rss_after_load),
                mib(r.serving_peak_rss),
                format!("{:.2} ×", r.ratio()),
            ]
        })
        .collect();
    let header = [
        "rooms",
        "SQLite file MiB",
        "seeding s",
        "seeding peak RSS MiB",
        "serving RSS at rest MiB",
        "serving RSS after load MiB",
        "serving peak MiB",
        "RSS after load / file",
    ];
    out.push_str(&table(&header, &table_rows));
    out.push('\n');
}
