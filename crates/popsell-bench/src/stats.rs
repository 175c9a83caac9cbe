//! Percentiles of latency samples and the spread of repeated runs.

use std::time::Duration;

/// The `p`-th percentile (0–100) of sorted samples, by the nearest-rank
/// method: the smallest sample with at least `p`% of the samples at or
/// below it. `None` for no samples.
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let p = p.clamp(0.0, 100.0);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// Min, median and max of a few runs' values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub runs: usize,
}

impl Spread {
    /// The spread of `values` (the median of an even count is the mean of
    /// the two middle values). `None` for no values.
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if !n.is_multiple_of(2) { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        Some(Spread { min: sorted[0], median, max: sorted[n - 1], runs: n })
    }

    /// `median (min–max)` with `digits` decimals and a unit.
    pub fn show(&self, digits: usize, unit: &str) -> String {
        format!("{:.digits$} ({:.digits$}–{:.digits$}){unit}", self.median, self.min, self.max)
    }
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A duration in microseconds.
pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Runs `f` `runs` times; each run calls it until `budget` has passed (at
/// least `min_calls` times) and yields the mean time per call.
pub fn mean_per_call<F: FnMut()>(runs: usize, budget: Duration, min_calls: usize, mut f: F) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let started = std::time::Instant::now();
            let mut calls = 0u32;
            while calls < min_calls as u32 || started.elapsed() < budget {
                f();
                calls += 1;
            }
            started.elapsed() / calls
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&samples, 50.0), Some(50));
        assert_eq!(percentile(&samples, 99.0), Some(99));
        assert_eq!(percentile(&samples, 99.5), Some(100));
        assert_eq!(percentile(&samples, 100.0), Some(100));
        assert_eq!(percentile(&samples, 0.0), Some(1));
        assert_eq!(percentile(&[7u32], 99.0), Some(7));
        assert_eq!(percentile::<u32>(&[], 50.0), None);
        // 10 samples: p99 is the largest, p50 the 5th.
        let ten: Vec<u32> = (1..=10).collect();
        assert_eq!(percentile(&ten, 99.0), Some(10));
        assert_eq!(percentile(&ten, 50.0), Some(5));
    }

    #[test]
    fn spread_of_runs() {
        let s = Spread::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.min, s.median, s.max, s.runs), (1.0, 2.0, 3.0, 3));
        let even = Spread::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(even.median, 2.5);
        assert_eq!(Spread::of(&[]), None);
        assert_eq!(Spread::of(&[1.25, 1.0, 2.0]).unwrap().show(2, " ms"), "1.25 (1.00–2.00) ms");
    }

    #[test]
    fn mean_per_call_counts_every_call() {
        let mut calls = 0;
        let runs = mean_per_call(3, Duration::ZERO, 4, || calls += 1);
        assert_eq!(runs.len(), 3);
        assert_eq!(calls, 12);
    }
}
