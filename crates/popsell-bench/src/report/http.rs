//! Section 1: server throughput and latency (in-crate load generator and wrk), its targets.

use std::fmt::Write;

use super::*;
use crate::http::{self, Http, ServerResult};

pub(super) fn http_verdicts(h: &Result<Http, String>) -> Vec<Verdict> {
    let targets = [
        format!("reference ≥ {CEILING_RATIO_TARGET} × ceiling (req/s)"),
        format!("reference ≥ {PRISM_RATIO_TARGET} × Prism (req/s)"),
        format!("reference p99 ≤ {P99_TARGET_MS} ms"),
    ];
    let h = match h {
        Ok(h) => h,
        Err(e) => {
            return targets
                .into_iter()
                .map(|target| Verdict::not_measured(target, format!("the HTTP benchmark failed: {e}")))
                .collect();
        }
    };
    let judged = h.reference(http::JUDGED);
    let breakdown = h.breakdowns.iter().find(|(backend, _)| *backend == http::JUDGED).map(|(_, b)| b);
    let (Some(reference), Some(ceiling), Some(prism), Some(b)) = (judged, h.server(http::CEILING), h.server(http::PRISM), breakdown) else {
        return Vec::new();
    };
    let uncached = h.server(&http::reference_uncached(http::JUDGED));
    let wrk_note = match &h.wrk {
        Ok((_, servers)) => {
            let find = |name: &str| servers.iter().find(|s| s.name == name);
            match (find(&http::reference(http::JUDGED)), find(http::CEILING)) {
                (Some(r), Some(c)) => http::throughput_ratio(r, c).map_or(String::new(), |r| format!(" wrk measures {} ×.", r.show(2, ""))),
                _ => String::new(),
            }
        }
        Err(_) => String::new(),
    };
    let mut out = Vec::new();
    let ratio = http::throughput_ratio(reference, ceiling);
    out.push(match ratio {
        Some(r) => Verdict {
            target: targets[0].clone(),
            measured: format!("{} ×", r.show(2, "")),
            met: Some(r.median >= CEILING_RATIO_TARGET),
            note: {
                let without = uncached.and_then(|u| http::throughput_ratio(u, ceiling));
                let polled = format!(
                    "The page is polled, so it is answered from the page cache (~{:.0} µs in-process per request, against \
                     ~{:.0} µs without it: store {:.0} µs, page and JSON {:.0} µs). Without the page cache (every request a miss) \
                     the ratio is {} ×.{wrk_note}",
                    b.app_cached_us.median,
                    b.app_uncached_us.median,
                    b.access_us.median + b.chatrooms_us.median,
                    b.serialize_us.median,
                    without.map_or("–".into(), |w| w.show(2, "")),
                );
                if r.median >= CEILING_RATIO_TARGET {
                    polled
                } else {
                    format!(
                        "{:.0}% short. {polled} Half the ceiling leaves ~{:.0} µs of CPU per request on these cores.",
                        (1.0 - r.median / CEILING_RATIO_TARGET) * 100.0,
                        std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64) * 1e6
                            / (CEILING_RATIO_TARGET * ceiling.rps().map_or(1.0, |s| s.median)),
                    )
                }
            },
        },
        None => Verdict::not_measured(targets[0].clone(), "no runs"),
    });
    out.push(match (&prism.runs, http::throughput_ratio(reference, prism)) {
        (Ok(_), Some(r)) => Verdict {
            target: targets[1].clone(),
            measured: format!("{} ×", r.show(1, "")),
            met: Some(r.median >= PRISM_RATIO_TARGET),
            note: if r.median >= PRISM_RATIO_TARGET {
                String::new()
            } else {
                format!(
                    "{:.0}% short of {PRISM_RATIO_TARGET} ×. Prism reads nothing and sends the spec's {}-byte example; the \
                     reference sends its {}-byte page (~{:.0} µs in-process from the page cache).",
                    (1.0 - r.median / PRISM_RATIO_TARGET) * 100.0,
                    thousands(prism.body_bytes()),
                    thousands(reference.body_bytes()),
                    b.app_cached_us.median,
                )
            },
        },
        (Err(e), _) => Verdict::not_measured(targets[1].clone(), format!("Prism could not run: {e}")),
        _ => Verdict::not_measured(targets[1].clone(), "no runs"),
    });
    out.push(match reference.p99() {
        Some(p99) => Verdict {
            target: targets[2].clone(),
            measured: p99.show(2, " ms"),
            met: Some(p99.median <= P99_TARGET_MS),
            note: if p99.median <= P99_TARGET_MS {
                String::new()
            } else {
                let rps = reference.rps().map_or(0.0, |s| s.median);
                format!(
                    "{:.2} ms over. With 64 connections always busy, the mean latency is 64 / throughput (Little's law): \
                     {rps:.0} req/s gives {:.2} ms, so p99 ≤ {P99_TARGET_MS} ms at 64 connections needs well over {:.0} req/s; \
                     the machine's 2 cores are shared with the load generator.",
                    p99.median - P99_TARGET_MS,
                    64.0 / rps * 1e3,
                    64.0 / (P99_TARGET_MS / 1e3),
                )
            },
        },
        None => Verdict::not_measured(targets[2].clone(), "no runs"),
    });
    out.extend(wrk_verdicts(h, b));
    out
}

/// The two throughput targets again, measured by wrk.
fn wrk_verdicts(h: &Http, b: &http::Breakdown) -> Vec<Verdict> {
    let targets = [
        (format!("reference ≥ {CEILING_RATIO_TARGET} × ceiling (req/s, wrk)"), http::CEILING, CEILING_RATIO_TARGET),
        (format!("reference ≥ {PRISM_RATIO_TARGET} × Prism (req/s, wrk)"), http::PRISM, PRISM_RATIO_TARGET),
    ];
    let servers = match &h.wrk {
        Ok((_, servers)) => servers,
        Err(e) => {
            return targets.into_iter().map(|(target, _, _)| Verdict::not_measured(target, format!("not measured: {e}"))).collect();
        }
    };
    let find = |name: &str| servers.iter().find(|s| s.name == name && s.runs.is_ok());
    targets
        .into_iter()
        .map(|(target, other, goal)| match (find(&http::reference(http::JUDGED)), find(other)) {
            (Some(r), Some(o)) => match http::throughput_ratio(r, o) {
                Some(ratio) => Verdict {
                    target,
                    measured: format!("{} ×", ratio.show(2, "")),
                    met: Some(ratio.median >= goal),
                    note: if ratio.median >= goal {
                        String::new()
                    } else {
                        format!(
                            "{:.0}% short under wrk (met with this crate's generator, above). A polled page costs the reference \
                             ~{:.1} µs in-process (page cache hit) beyond what the ceiling does; the profile of the served binary \
                             under wrk (see \"Profile of the cached path\" below) is half kernel (the 48 KB socket writes, the \
                             same for both), then the allocator and axum's per-layer boxing. wrk and the server share the 2 \
                             cores, and one run in three differs by ±10%. Next step: the request URL's capture and the page \
                             cache as one tower service (a boxed clone and future fewer per request, and no decoding of the \
                             query for a hit).",
                            (1.0 - ratio.median / goal) * 100.0,
                            b.app_cached_us.median,
                        )
                    },
                },
                None => Verdict::not_measured(target, "no runs"),
            },
            _ => Verdict::not_measured(target, format!("{other} or the reference not measured under wrk")),
        })
        .collect()
}

pub(super) fn http_section(out: &mut String, h: &Result<Http, String>) {
    let Some(h) = section(out, "## 1. Server throughput and latency", h) else {
        return;
    };
    let s = h.plan.settings;
    let _ = writeln!(
        out,
        "`GET {}` with `Authorization: Bearer demo-alice` and `X-Popsell-Brand: 1`: alice's first page of {} rooms out of her \
         {} in a database of {} rooms (demo data of seed 42, on each backend measured). The load generator is this crate's own \
         (`src/load.rs`: hyper's HTTP/1.1 client on tokio, {} worker thread(s)), closed loop: {} keep-alive connections on \
         loopback, each sending its next request when the previous response body has arrived. Each run is {:.1} s of warm-up, then \
         {:.1} s measured; only the 200 responses completed inside the measured window count, for req/s and for latency. \
         **{} runs per server**, the servers interleaved run by run (reference(s), ceiling, Prism, then again), so that the machine's \
         drifts hit all of them; ratios are taken within a run, then summarized. Cells read `median (min–max)` over the runs. \
         Server and load generator share the machine's {} cores.\n",
        h.path,
        crate::fixture::PER_PAGE,
        thousands(h.alice_rooms as usize),
        thousands(h.rooms),
        s.threads,
        s.connections,
        s.warmup.as_secs_f64(),
        s.duration.as_secs_f64(),
        h.plan.runs,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    );
    let _ = writeln!(
        out,
        "- **reference server (backend)**: `popsell_reference::app` over the seeded store of that backend (the databases of \
         section 2) behind the binary's transport (`openapi_server_runtime::serve`, default limits and timers), release build, \
         in the benchmark's process on a tokio runtime of its own (one worker per core, as `main.rs`); request logs off (no tracing subscriber, as `RUST_LOG=off`). As it ships, with its page cache: the load polls one \
         page, so after the first request every answer comes from the cache (after a check of the store's data version), \
         which is what clients polling a list see. **no page cache**: `--page-cache-mb 0`, every request computed (the cost of \
         a miss, or of a page nobody asked for before). {}\n\
         - **ceiling**: an axum route (same path pattern) answering every request with the bytes the reference server answered, \
         pre-serialized: HTTP and the bytes only.\n\
         - **Prism**: `prism mock openapi.yaml --verboseLevel warn` ({}; installed by the command with `npm install {}` under \
         `target/`; request logs off, like the reference), on `{}` (Prism serves the spec's paths without the `/api/v2` base \
         path). It answers the spec's example page (see the body size), not 25 rooms: it validates the request and serves a \
         static example, with no storage.\n",
        if h.breakdowns.len() < 2 {
            ""
        } else if h.same_bodies {
            "Every backend answered the same bytes."
        } else {
            "**The backends answered different bytes.**"
        },
        h.prism_version.as_deref().map_or_else(|| "not running".to_owned(), |v| format!("version {v}, Node {}", node_version())),
        crate::servers::PRISM_PACKAGE,
        h.prism_path,
    );
    let rows = server_rows(&h.servers);
    out.push_str(&table(&["server", "runs", "req/s", "p50 ms", "p99 ms", "errors", "body bytes"], &rows));
    out.push('\n');
    let mut ratios = Vec::new();
    let names = h.breakdowns.iter().flat_map(|(backend, _)| [http::reference(backend), http::reference_uncached(backend)]);
    for name in names {
        ratios.push(ratio_row(&name, http::CEILING, |n| h.server(n), 2, CEILING_RATIO_TARGET));
        ratios.push(ratio_row(&name, http::PRISM, |n| h.server(n), 1, PRISM_RATIO_TARGET));
    }
    out.push_str(&table(&["req/s ratio (per run)", "median (min–max)", "target"], &ratios));
    wrk_section(out, h);
    let runs = h.breakdowns.first().map_or(0, |(_, b)| b.chatrooms_us.runs);
    let _ = writeln!(
        out,
        "\nWhere the reference server's time goes, measured in-process on one thread for the same request ({runs} runs of ≥ 100 ms, \
         µs per call):\n"
    );
    let header: Vec<String> = std::iter::once("step".to_owned()).chain(h.breakdowns.iter().map(|(b, _)| format!("µs per request, {b}"))).collect();
    let rows: Vec<Vec<String>> = (0..6)
        .map(|i| {
            let name = h.breakdowns.first().map_or("", |(_, b)| b.steps()[i].0);
            std::iter::once(name.to_owned()).chain(h.breakdowns.iter().map(|(_, b)| b.steps()[i].1.show(1, ""))).collect()
        })
        .collect();
    out.push_str(&table(&header.iter().map(String::as_str).collect::<Vec<_>>(), &rows));
    let _ = writeln!(
        out,
        "\nThe rest of a request's time under load is HTTP on loopback (the ceiling's share: parsing, the {}-byte write) and \
         the load generator, on the same cores.\n",
        h.server(http::CEILING).map_or("–".into(), |c| thousands(c.body_bytes())),
    );
}

/// The same servers under wrk, and the ratios.
pub(super) fn wrk_section(out: &mut String, h: &Http) {
    let s = h.plan.settings;
    let (version, servers) = match &h.wrk {
        Ok(w) => w,
        Err(e) => {
            let _ = writeln!(out, "\nNot measured with wrk: {e}\n");
            return;
        }
    };
    let runs = servers.iter().filter_map(|s| s.runs.as_ref().ok()).map(Vec::len).max().unwrap_or(0);
    let _ = writeln!(
        out,
        "\nThe same servers measured with an outside load generator, **{version}** (`wrk -t1 -c{} -d{}s --latency` with the same \
         headers; {runs} runs per server, interleaved the same way). Its byte count includes the response heads.\n",
        s.connections,
        s.duration.as_secs().max(1),
    );
    let rows = server_rows(servers);
    out.push_str(&table(&["server (wrk)", "runs", "req/s", "p50 ms", "p99 ms", "errors", "bytes per response"], &rows));
    out.push('\n');
    let find = |name: &str| servers.iter().find(|s| s.name == name);
    let mut ratios = Vec::new();
    for name in [http::reference(http::JUDGED), http::reference_uncached(http::JUDGED)] {
        ratios.push(ratio_row(&name, http::CEILING, find, 2, CEILING_RATIO_TARGET));
        ratios.push(ratio_row(&name, http::PRISM, find, 1, PRISM_RATIO_TARGET));
    }
    out.push_str(&table(&["req/s ratio under wrk (per run)", "median (min–max)", "target"], &ratios));
}

/// One row of a ratio table, `server / other`: written whether or not both
/// were measured (a target nobody measured says so, it is not left out).
fn ratio_row<'a>(server: &str, other: &str, find: impl Fn(&str) -> Option<&'a ServerResult>, digits: usize, goal: f64) -> Vec<String> {
    let label = match other {
        http::CEILING => "ceiling",
        http::PRISM => "Prism",
        other => other,
    };
    let measured = match (find(server), find(other)) {
        (None, _) => format!("not measured: {server} did not run"),
        (_, None) => format!("not measured: {other} did not run"),
        (Some(ServerResult { runs: Err(e), .. }), _) | (_, Some(ServerResult { runs: Err(e), .. })) => format!("not measured: {e}"),
        (Some(r), Some(o)) => show(http::throughput_ratio(r, o), digits, " ×"),
    };
    vec![format!("{server} / {label}"), measured, format!("≥ {goal} ×")]
}

fn node_version() -> String {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// One row per server: runs, req/s, p50, p99, errors, bytes.
fn server_rows(servers: &[http::ServerResult]) -> Vec<Vec<String>> {
    servers
        .iter()
        .map(|server| match &server.runs {
            Ok(runs) => vec![
                server.name.to_owned(),
                runs.len().to_string(),
                show(server.rps(), 0, ""),
                show(server.p50(), 2, ""),
                show(server.p99(), 2, ""),
                server.errors().to_string(),
                thousands(server.body_bytes()),
            ],
            Err(e) => vec![server.name.to_owned(), "0".into(), format!("not measured: {e}"), "–".into(), "–".into(), "–".into(), "–".into()],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::RunFigures;

    fn server(name: &str, runs: Result<f64, &str>) -> ServerResult {
        let figures = |rps| vec![RunFigures { requests_per_second: rps, p50_ms: 1.0, p99_ms: 2.0, errors: 0, body_bytes: 10 }];
        ServerResult { name: name.to_owned(), runs: runs.map(figures).map_err(str::to_owned) }
    }

    #[test]
    fn a_ratio_whose_server_is_missing_or_failed_is_a_row_saying_not_measured() {
        let reference = http::reference(http::JUDGED);
        let servers = [server(&reference, Ok(500.0)), server(http::CEILING, Ok(1000.0)), server(http::PRISM, Err("npm is missing"))];
        let find = |name: &str| servers.iter().find(|s| s.name == name);
        assert_eq!(ratio_row(&reference, http::CEILING, find, 2, 0.5)[1], "0.50 (0.50–0.50) ×");
        assert_eq!(ratio_row(&reference, http::PRISM, find, 1, 2.0)[1], "not measured: npm is missing");
        let uncached = http::reference_uncached(http::JUDGED);
        let row = ratio_row(&uncached, http::CEILING, find, 2, 0.5);
        assert_eq!(row, [format!("{uncached} / ceiling"), format!("not measured: {uncached} did not run"), "≥ 0.5 ×".to_owned()]);
        let none = |_: &str| None;
        assert_eq!(ratio_row(&reference, http::CEILING, none, 2, 0.5)[1], format!("not measured: {reference} did not run"));
    }
}
