//! The same comparison measured by an outside load generator: wrk
//! (Debian's package, the version printed in the report), so that a reader
//! can reproduce a figure with a tool they know. Closed loop like
//! [`crate::load`]: `-t1 -c<connections>`, `--latency` for the percentiles.

use std::process::Command;
use std::time::Duration;

use crate::http::RunFigures;
use crate::load::Target;

/// `wrk -v`'s first line (e.g. `wrk 4.1.0 [epoll] …`), or why there is none.
pub fn version() -> Result<String, String> {
    let out = Command::new("wrk").arg("-v").output().map_err(|e| format!("wrk is not installed ({e}): apt-get install wrk"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines().next().map(|l| l.split(" Copyright").next().unwrap_or(l).trim().to_owned()).ok_or_else(|| "wrk printed nothing".into())
}

/// One wrk run against `target`.
pub fn run(target: &Target, connections: usize, duration: Duration) -> Result<RunFigures, String> {
    let mut command = Command::new("wrk");
    command.args(["-t1", &format!("-c{connections}"), &format!("-d{}s", duration.as_secs().max(1)), "--latency"]);
    for (name, value) in &target.headers {
        command.args(["-H", &format!("{name}: {value}")]);
    }
    command.arg(format!("http://{}{}", target.address, target.path));
    let out = command.output().map_err(|e| format!("wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr)));
    }
    parse(&text).ok_or_else(|| format!("unexpected wrk output:\n{text}"))
}

/// Requests/sec, the 50% and 99% latencies, the errors (non-2xx and socket
/// errors) and the bytes per response of wrk's report.
fn parse(text: &str) -> Option<RunFigures> {
    let after = |prefix: &str| text.lines().map(str::trim).find_map(|l| l.strip_prefix(prefix)).map(str::trim);
    let requests_per_second: f64 = after("Requests/sec:")?.parse().ok()?;
    let p50_ms = latency_ms(after("50%")?)?;
    let p99_ms = latency_ms(after("99%")?)?;
    let mut errors = after("Non-2xx or 3xx responses:").and_then(|n| n.parse().ok()).unwrap_or(0u64);
    if let Some(socket) = after("Socket errors:") {
        errors += socket.split(',').filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok()).sum::<u64>();
    }
    // "1234 requests in 4.00s, 56.78MB read": bytes per request, headers included.
    let summary = text.lines().find(|l| l.contains(" requests in "))?;
    let requests: f64 = summary.split_whitespace().next()?.parse().ok()?;
    let read = summary.rsplit(", ").next()?.trim_end_matches(" read").trim();
    let body_bytes = (size_bytes(read)? / requests.max(1.0)) as usize;
    Some(RunFigures { requests_per_second, p50_ms, p99_ms, errors, body_bytes })
}

fn latency_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => number / 1e3,
        "ms" => number,
        "s" => number * 1e3,
        "m" => number * 60e3,
        _ => return None,
    })
}

fn size_bytes(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "B" => 1.0,
        "KB" => 1024.0,
        "MB" => 1024.0 * 1024.0,
        "GB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some(number * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 4s test @ http://127.0.0.1:4000/x
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.93ms  610.12us  12.01ms   80.00%
    Req/Sec    21.93k     1.20k   23.00k    75.00%
  Latency Distribution
     50%    2.85ms
     75%    3.10ms
     90%    3.50ms
     99%  812.00us
  87321 requests in 4.00s, 4.05GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  21830.25
Transfer/sec:      1.01GB
";

    #[test]
    fn reads_wrks_report() {
        let figures = parse(REPORT).unwrap();
        assert_eq!(figures.requests_per_second, 21830.25);
        assert_eq!((figures.p50_ms, figures.p99_ms), (2.85, 0.812));
        assert_eq!(figures.errors, 7);
        assert_eq!(figures.body_bytes, (4.05 * 1024.0 * 1024.0 * 1024.0 / 87321.0) as usize);
    }
}
