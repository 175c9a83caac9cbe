//! `cargo bench -p popsell-bench --bench decode`: a 25-room page decoded
//! into the typed `ChatroomPage` and into a `serde_json::Value`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn decode(c: &mut Criterion) {
    let json = popsell_bench::fixture::sample_page_json().expect("the sample page");
    let mut group = c.benchmark_group("decode 25-room page");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("typed ChatroomPage", |b| b.iter(|| popsell_bench::decoding::typed(black_box(&json))));
    group.bench_function("serde_json::Value", |b| b.iter(|| popsell_bench::decoding::value(black_box(&json))));
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
