//! Section 2: the store's scaling on each backend, its targets.

use std::fmt::Write;

use super::*;
use crate::scaling::{self, Scaling};

pub(super) fn scaling_verdicts(backend: &str, s: &Result<Scaling, String>, quick: bool) -> Vec<Verdict> {
    let growth_target = format!("{backend}: page 1 grows ≤ {GROWTH_TARGET} × from 1k to 1M rooms");
    let deep_target = format!("{backend}: deep page ≤ {DEEP_TARGET} × page 1 at 1M rooms");
    let deep_small_target = format!("{backend}: deep page at 1M ≤ {DEEP_TARGET} × page 1 at 1k rooms");
    let s = match s {
        Ok(s) => s,
        Err(e) => {
            return [growth_target, deep_target, deep_small_target]
                .into_iter()
                .map(|target| Verdict::not_measured(target, format!("the scaling benchmark failed: {e}")))
                .collect();
        }
    };
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (s.sizes.first(), s.sizes.last()) else { return out };
    let span = format!("{}→{}", size_name(first.rooms), size_name(last.rooms));
    let partial = if last.rooms < 1_000_000 { " (quick run: no 1M database; run the full benchmark)" } else { "" };
    // A quick run checks the targets on its largest database only, and says so.
    let (growth_target, deep_target, deep_small_target) = if partial.is_empty() {
        (growth_target, deep_target, deep_small_target)
    } else {
        let at = size_name(last.rooms);
        (format!("{growth_target} (here: {span})"), format!("{deep_target} (here: at {at})"), format!("{deep_small_target} (here: {span})"))
    };
    for (i, who) in ["alice", "typical ambassador"].iter().enumerate() {
        let (a, b) = (first.cases[i].spread().median, last.cases[i].spread().median);
        let spread = s.growth(i).unwrap_or(Spread { min: 0.0, median: 0.0, max: 0.0, runs: 0 });
        let growth = spread.median;
        let met = growth <= GROWTH_TARGET;
        let note = if met {
            partial.trim().to_owned()
        } else if i == 0 {
            format!(
                "{:.0}% over{partial}. alice's result set grows with the database ({} → {} rooms).",
                (growth / GROWTH_TARGET - 1.0) * 100.0,
                first.alice_rooms,
                last.alice_rooms
            )
        } else {
            let full = s.sizes.iter().find(|z| z.cases[1].rows == crate::fixture::PER_PAGE as usize);
            let from_full = match full {
                Some(z) if z.rooms != first.rooms && z.rooms != last.rooms => format!(
                    " From {}, the first size where his page 1 is full, to {}: {:.2} ×.",
                    size_name(z.rooms),
                    size_name(last.rooms),
                    scaling::ratio(&last.cases[1], &z.cases[1]).median
                ),
                _ => String::new(),
            };
            format!(
                "{:.0}% over{partial}. At {} rooms the typical ambassador has {} room(s), so page 1 holds {} room(s), not 25: \
                 the growth is the page filling up (members and last messages of 25 rooms to read), not the database's size.{from_full}",
                (growth / GROWTH_TARGET - 1.0) * 100.0,
                size_name(first.rooms),
                first.typical.1,
                first.cases[1].rows
            )
        };
        out.push(Verdict {
            target: format!("{growth_target}, {who}"),
            measured: format!("{span}: {a:.0} → {b:.0} µs; growth per run {}", spread.show(2, " ×")),
            met: Some(met),
            note,
        });
    }
    if let Some(deep) = &s.deep {
        let note = |r: &Spread, target: f64| {
            if r.median <= target {
                if quick { partial.trim().to_owned() } else { String::new() }
            } else {
                format!("{:.0}% over{partial}. OFFSET walks the skipped index entries one by one.", (r.median / target - 1.0) * 100.0)
            }
        };
        for (target, base, at) in [(deep_target, &deep.cases[0], deep.rooms), (deep_small_target, &deep.smallest_page1, deep.smallest_rooms)] {
            let worst = deep.cases[1..]
                .iter()
                .filter(|c| c.ambassador == base.ambassador)
                .map(|c| (c, scaling::ratio(c, base)))
                .max_by(|x, y| x.1.median.total_cmp(&y.1.median));
            if let Some((case, r)) = worst {
                out.push(Verdict {
                    target,
                    measured: format!(
                        "worst at {}: {} ({} × alice's page 1 at {})",
                        size_name(deep.rooms),
                        case.label,
                        r.show(2, ""),
                        size_name(at)
                    ),
                    met: Some(r.median <= DEEP_TARGET),
                    note: note(&r, DEEP_TARGET),
                });
            }
        }
    }
    out
}

pub(super) fn scaling_sections(out: &mut String, scalings: &[(&'static str, Result<Scaling, String>)]) {
    out.push_str("## 2. Scaling of the store\n\n");
    let _ = writeln!(
        out,
        "Measured directly on the store, without HTTP: `Store::chatrooms` (the total count, the page, its members and last \
         messages, through the async `Store` trait as the service calls it) of the default listing (no filter, newest first, \
         25 per page) on databases seeded with the demo data (seed 42) by `StoreWriter::seed`, one caller. alice (ambassador 1 \
         with her two guest accounts) is in ~5% of all rooms; the *typical* ambassador is the host of brand 1 with the median \
         number of rooms (his and his guests'). Every database of a backend is seeded first and kept, then all its cases are \
         timed interleaved, run 1 of every case, then run 2, …, so that growth ratios are taken within a run. Cells read \
         `median (min–max)` in µs.\n"
    );
    for (backend, scaling) in scalings {
        if let Some(s) = section(out, &format!("### {backend}"), scaling) {
            scaling_section(out, s);
        }
    }
}

pub(super) fn scaling_section(out: &mut String, s: &Scaling) {
    let _ = writeln!(
        out,
        "On {}: **{} runs per cell**, each calling for ≥ {} ms (after a warm-up) and giving the mean per call.\n",
        s.storage,
        s.timing.runs,
        s.timing.budget.as_millis()
    );
    let rows: Vec<Vec<String>> = s
        .sizes
        .iter()
        .map(|z| {
            vec![
                thousands(z.rooms),
                format!("{:.1} + {:.1}", z.generate.as_secs_f64(), z.load.as_secs_f64()),
                thousands(z.alice_rooms as usize),
                z.cases[0].spread().show(0, ""),
                format!("{} ({} rooms)", z.typical.0, thousands(z.typical.1 as usize)),
                format!("{} ({} on the page)", z.cases[1].spread().show(0, ""), z.cases[1].rows),
            ]
        })
        .collect();
    out.push_str(&table(
        &["rooms", "seeding s (generate + load)", "alice's rooms", "alice page 1 µs", "typical ambassador", "typical page 1 µs"],
        &rows,
    ));
    if let (Some(first), Some(last)) = (s.sizes.first(), s.sizes.last()) {
        let g = |i: usize| show(s.growth(i), 2, " ×");
        let _ = writeln!(
            out,
            "\nGrowth of page 1 from {} to {} rooms (ratio per run, `median (min–max)`): alice {}, typical ambassador {} \
             (target ≤ {GROWTH_TARGET} ×).\n",
            size_name(first.rooms),
            size_name(last.rooms),
            g(0),
            g(1)
        );
    }
    if let Some(deep) = &s.deep {
        let _ = writeln!(
            out,
            "Deep pages at {} rooms, timed in the same runs as alice's page 1 (ratios per run). alice has {} rooms, i.e. {} pages \
             of 25, so page {} is past her last page: the answer is the count and an empty page. Her middle and last pages are the \
             deepest offsets that return rooms. The last column compares with alice's page 1 on the {}-room database, timed \
             in the same runs.\n",
            thousands(deep.rooms),
            thousands(deep.alice_rooms as usize),
            thousands(crate::fixture::last_page(deep.alice_rooms) as usize),
            scaling::NAMED_DEEP_PAGE,
            thousands(deep.smallest_rooms)
        );
        let page1 = &deep.cases[0];
        let small = &deep.smallest_page1;
        let rows: Vec<Vec<String>> = deep
            .cases
            .iter()
            .map(|c| {
                let alice = c.ambassador == page1.ambassador;
                let ratio = |base| if alice { scaling::ratio(c, base).show(2, " ×") } else { "–".into() };
                vec![c.label.clone(), c.rows.to_string(), c.spread().show(0, ""), ratio(page1), ratio(small)]
            })
            .collect();
        let at_small = format!("× alice page 1 at {}", size_name(deep.smallest_rooms));
        out.push_str(&table(&["page", "rooms returned", "µs", "× alice page 1", &at_small], &rows));
        out.push('\n');
    }
}
