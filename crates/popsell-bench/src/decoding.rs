//! Decoding a 25-room page: into the typed `ChatroomPage` and into a
//! `serde_json::Value`, timed in the same runs (criterion does the same in
//! `benches/decode.rs` with its own statistics).

use std::hint::black_box;
use std::time::Duration;

use popsell_types::ChatroomPage;

use crate::stats::{Spread, mean_per_call, us};

pub fn typed(json: &[u8]) -> ChatroomPage {
    serde_json::from_slice(json).expect("the sample page decodes")
}

pub fn value(json: &[u8]) -> serde_json::Value {
    serde_json::from_slice(json).expect("the sample page decodes")
}

pub struct Decoding {
    pub bytes: usize,
    pub rooms: usize,
    /// µs per decode, one value per run.
    pub typed_us: Vec<f64>,
    pub value_us: Vec<f64>,
}

impl Decoding {
    pub fn typed(&self) -> Option<Spread> {
        Spread::of(&self.typed_us)
    }
    pub fn value(&self) -> Option<Spread> {
        Spread::of(&self.value_us)
    }
    /// Per-run `Value time / typed time` (> 1: typed is faster).
    pub fn speedup(&self) -> Option<Spread> {
        Spread::of(&self.value_us.iter().zip(&self.typed_us).map(|(v, t)| v / t).collect::<Vec<_>>())
    }
}

pub fn run(json: &[u8], runs: usize, budget: Duration) -> Decoding {
    let rooms = typed(json).data.len();
    let (mut typed_us, mut value_us) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        typed_us.push(us(mean_per_call(1, budget, 10, || {
            black_box(typed(black_box(json)));
        })[0]));
        value_us.push(us(mean_per_call(1, budget, 10, || {
            black_box(value(black_box(json)));
        })[0]));
    }
    Decoding { bytes: json.len(), rooms, typed_us, value_us }
}
