//! Error reporting at scale: what `gigawatt check` does with a file of 16,000
//! problems (each commitment's value a power figure where money belongs).
//! Reporting must stay linear in the number of problems; the target is
//! under a second.
//!
//! `cargo bench --bench errors`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use gigawatt_model::data;

const PROBLEMS: usize = 16_000;

#[allow(dead_code)] // the generator's `main` and valid files are not used here
#[path = "../examples/gen.rs"]
mod generator;

/// Load, fail, report: `check` on a file of 16k problems, from text and
/// from disk.
fn reporting(c: &mut Criterion) {
    let text = generator::wrong_values(PROBLEMS);
    let problems = data::load_str(&text, "bench.toml")
        .err()
        .map_or(0, |e| e.problems().len());
    assert_eq!(problems, PROBLEMS, "every commitment is a problem");
    let path = std::env::temp_dir().join(format!("gigawatt-bench-{}.toml", std::process::id()));
    std::fs::write(&path, &text).expect("write the bench file");

    let mut group = c.benchmark_group("check/16k_errors");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.bench_function("load_str_and_report", |b| {
        b.iter(|| {
            let e = data::load_str(black_box(&text), "bench.toml").err();
            black_box(e.map(|e| e.report().len()))
        })
    });
    group.bench_function("load_file_and_report", |b| {
        b.iter(|| black_box(data::load_file(&path).err().map(|e| e.report().len())))
    });
    group.finish();
    let _ = std::fs::remove_file(&path);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = reporting
}
criterion_main!(benches);
