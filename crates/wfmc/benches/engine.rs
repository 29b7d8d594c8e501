//! Throughput of the default run (all outputs), time to a stated precision, an
//! explorer update and a paired comparison, of
//! sampling and the model alone, of the statistics alone, and the cost of a sketch
//! update.
//! Run with `cargo bench`; figures go in the README, not in timed tests.

#[path = "support/synthetic.rs"]
mod synthetic;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use wfmc::Config;
use wfmc::engine::{self, Control, RunSpec, Shard};
use wfmc::stats::Sketch;

fn default_run(c: &mut Criterion) {
    let cfg = Config::builtin();
    let mut g = c.benchmark_group("default_run");
    g.sample_size(10);
    // 100 chunks: long enough that setup, the pilot and the final merge weigh as in a
    // real run of a million draws rather than dominate.
    let draws = 409_600;
    g.throughput(Throughput::Elements(draws));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for sampling in [engine::Sampling::Rqmc, engine::Sampling::Mc] {
        for threads in [1, cores] {
            let id = BenchmarkId::new(format!("{sampling}/threads"), threads);
            g.bench_with_input(id, &threads, |b, &t| {
                let spec = RunSpec {
                    draws,
                    seed: 1,
                    threads: t,
                    shard: Shard::ALL,
                    sampling,
                    ..RunSpec::default()
                };
                b.iter(|| {
                    engine::run(&cfg, &spec, &Control::default())
                        .unwrap()
                        .summary()
                });
            });
        }
    }
    g.finish();
}

/// "Time to precision": wall time, on every core and with every output, for the
/// default config to reach SE(P(shortfall 2030)) ≤ 0.001 for every area and the
/// total in both scenarios and SE(P5, P95 of the 2030 total gap) ≤ 50 WTE
/// (`wfmc run --until p_shortfall_se=0.001 --until percentile_se=50`, without the
/// folder), under each sampling.
fn time_to_precision(c: &mut Criterion) {
    use engine::until::{self, Target};
    let cfg = Config::builtin();
    let targets: Vec<Target> = ["p_shortfall_se=0.001", "percentile_se=50"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("time_to_precision");
    g.sample_size(10);
    for sampling in [engine::Sampling::Rqmc, engine::Sampling::Mc] {
        let spec = RunSpec {
            draws: 10_000_000,
            seed: 1,
            threads: cores,
            sampling,
            ..RunSpec::default()
        };
        g.bench_function(sampling.key(), |b| {
            b.iter(|| {
                let o = until::run(&cfg, &spec, &targets, &Control::default(), &|_| {}).unwrap();
                assert!(o.met);
                o.spec.draws
            })
        });
    }
    // The shortfall target alone, with each estimator: what conditional Monte Carlo
    // buys where the percentiles are not the binding target.
    let shortfall_only = &targets[..1];
    for shortfall in [engine::Shortfall::Conditional, engine::Shortfall::Indicator] {
        let spec = RunSpec {
            draws: 10_000_000,
            seed: 1,
            threads: cores,
            shortfall,
            ..RunSpec::default()
        };
        g.bench_function(format!("p_shortfall_only/rqmc/{}", shortfall.key()), |b| {
            b.iter(|| {
                let o =
                    until::run(&cfg, &spec, shortfall_only, &Control::default(), &|_| {}).unwrap();
                assert!(o.met);
                o.spec.draws
            })
        });
    }
    g.finish();
}

/// One update of the explorer (`wfmc serve`): a 100,000-draw run of a changed
/// config held in memory with its charts (the baseline cached), the work behind
/// "updates within about a second"; and a paired comparison of one intervention
/// at `wfmc compare`'s 200,000 draws.
fn explorer_and_compare(c: &mut Criterion) {
    use wfmc::jobs;
    let cfg = Config::builtin();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("explorer_and_compare");
    g.sample_size(10);
    let req = jobs::view::Request {
        stress: vec!["supply-stall".into()],
        set: vec!["salary_growth=0.04".into()],
        draws: 100_000,
        seed: engine::DEFAULT_SEED,
        precision: None,
    };
    g.bench_function("explorer_update_100k", |b| {
        b.iter(|| {
            let v = jobs::view::run(&cfg, &req, cores, &Control::default(), &jobs::Plain).unwrap();
            v.charts().unwrap().len()
        })
    });
    // The page's own request: stop at its precision (at most 100,000 draws).
    let live = jobs::view::Request {
        precision: Some(0.001),
        ..req.clone()
    };
    g.bench_function("explorer_what_if_at_page_precision", |b| {
        b.iter(|| {
            let v = jobs::view::run(&cfg, &live, cores, &Control::default(), &jobs::Plain).unwrap();
            (v.spec.draws, v.charts().unwrap().len())
        })
    });
    let creq = jobs::CompareRequest {
        variants: vec![jobs::VariantSpec::intervention("graduate-ddat")],
        draws: jobs::DrawSettings {
            draws: Some(200_000),
            threads: Some(cores),
            ..Default::default()
        },
        out: jobs::Output::Memory,
        ..Default::default()
    };
    g.bench_function("compare_one_intervention_200k", |b| {
        b.iter(|| {
            let c = Control::default();
            jobs::compare(&cfg, &creq, &jobs::Context::new(&c))
                .unwrap()
                .comparison
                .draws
        })
    });
    g.finish();
}

/// How a run's cost grows with the config's shape: draws a second with every
/// output, for synthetic configs of areas × years × scenarios (4 job levels).
fn scale(c: &mut Criterion) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("scale");
    g.sample_size(10);
    for (areas, years, scenarios) in [(9, 11, 2), (50, 26, 3), (200, 26, 3)] {
        let cfg =
            Config::from_str(&synthetic::config(areas, years, scenarios, 4), "synthetic").unwrap();
        let draws = 16_384;
        g.throughput(Throughput::Elements(draws));
        let spec = RunSpec {
            draws,
            seed: 1,
            threads: cores,
            ..RunSpec::default()
        };
        g.bench_function(format!("{areas}x{years}x{scenarios}"), |b| {
            b.iter(|| {
                engine::run(&cfg, &spec, &Control::default())
                    .unwrap()
                    .summary()
            })
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
        let mut out = vec![0.0; wfmc::model::Layout::of(&cfg.dims).len()];
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
    // The engine's path: 512-key batches, one per series (cache-resident here).
    let keys: Vec<i32> = xs.iter().map(|&x| wfmc::stats::sketch::key32(x)).collect();
    g.bench_function("add_keys", |b| {
        let mut s = Sketch::new();
        b.iter(|| {
            for batch in keys.chunks(512) {
                s.add_keys(batch);
            }
        });
        black_box(s.count());
    });
    g.finish();
}

/// The statistics of one draw: moments, sketch keys and shortfalls of all 2,222
/// series, with every sketch's bins fed in batches, as in a run (1 thread).
fn accumulate(c: &mut Criterion) {
    let cfg = Config::builtin();
    let sampler = engine::Sampler::new(&cfg);
    let mut rows = vec![];
    let mut rng = engine::chunk_rng(1, 0);
    let mut x = sampler.base().clone();
    let mut raw = vec![0.0; sampler.raw_len()];
    for _ in 0..4096 {
        let mut out = vec![0.0; wfmc::model::Layout::of(&cfg.dims).len()];
        sampler.sample(&mut rng, &mut raw, &mut x);
        wfmc::model::evaluate(&x, &mut out);
        rows.push(out);
    }
    let mut g = c.benchmark_group("accumulate");
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.bench_function("all_series", |b| {
        let mut acc = wfmc::stats::Accumulator::new(
            wfmc::model::point(&cfg),
            wfmc::model::Layout::of(&cfg.dims),
        );
        b.iter(|| {
            for r in &rows {
                acc.add(r);
            }
            acc.end_chunk();
        });
        black_box(acc.draws);
    });
    g.finish();
}

criterion_group!(
    name = benches;
    // Criterion's comparison plots need system fonts, which servers often lack.
    config = Criterion::default().without_plots();
    targets = default_run, time_to_precision, explorer_and_compare, scale, sampling_and_model_only, sketch_update, accumulate
);
criterion_main!(benches);
