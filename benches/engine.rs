//! Throughput of the default run (all outputs) and the cost of a sketch update.
//! Run with `cargo bench`; figures go in the README, not in timed tests.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use wfmc::Config;
use wfmc::engine::{self, Control, RunSpec, Shard};
use wfmc::stats::Sketch;

fn default_run(c: &mut Criterion) {
    let cfg = Config::builtin();
    let mut g = c.benchmark_group("default_run");
    g.sample_size(10);
    let draws = 40_960;
    g.throughput(Throughput::Elements(draws));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        g.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &t| {
            let spec = RunSpec {
                draws,
                seed: 1,
                threads: t,
                shard: Shard::ALL,
                ..RunSpec::default()
            };
            b.iter(|| {
                engine::run(&cfg, &spec, &Control::default())
                    .unwrap()
                    .acc
                    .finish()
            });
        });
    }
    g.finish();
}

fn sampling_and_model_only(c: &mut Criterion) {
    let cfg = Config::builtin();
    let sampler = engine::Sampler::new(&cfg);
    let mut g = c.benchmark_group("draw_without_statistics");
    g.throughput(Throughput::Elements(4096));
    g.bench_function("sample+evaluate", |b| {
        let mut x = sampler.base().clone();
        let mut raw = vec![0.0; sampler.raw_len()];
        let mut out = vec![0.0; wfmc::model::Layout::LEN];
        b.iter(|| {
            let mut rng = engine::chunk_rng(1, 0);
            for _ in 0..4096 {
                sampler.sample(&mut rng, &mut raw, &mut x);
                wfmc::model::evaluate(&x, &mut out);
            }
            black_box(&out);
        });
    });
    g.finish();
}

fn sketch_update(c: &mut Criterion) {
    let xs: Vec<f64> = (0..4096)
        .map(|i| 10_000.0 + 3_000.0 * ((i as f64) * 0.7).sin())
        .collect();
    let mut g = c.benchmark_group("sketch");
    g.throughput(Throughput::Elements(xs.len() as u64));
    g.bench_function("add", |b| {
        let mut s = Sketch::new();
        b.iter(|| {
            for x in &xs {
                s.add(*x);
            }
        });
        black_box(s.count());
    });
    g.finish();
}

criterion_group!(benches, default_run, sampling_and_model_only, sketch_update);
criterion_main!(benches);
