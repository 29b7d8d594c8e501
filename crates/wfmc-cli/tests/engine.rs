//! Known-answer tests of the Monte Carlo engine: closed forms, not earlier output.

mod common;

use wfmc::config::Config;
use wfmc::dims::Dims;
use wfmc::engine::{self, Control, RunSpec, Sampler, Shard};
use wfmc::model::{Inputs, Layout, Metric, Series, evaluate, point};
use wfmc::stats::{Summary, sketch};

/// The report's layout.
fn lay() -> Layout {
    Layout::of(&Dims::report())
}

/// The report's index of area `key`.
fn area(key: &str) -> usize {
    Dims::report().area(key).unwrap()
}

fn spec(draws: u64, threads: usize) -> RunSpec {
    RunSpec {
        draws,
        seed: 7,
        threads,
        shard: Shard::ALL,
        ..RunSpec::default()
    }
}

fn run(cfg: &Config, draws: u64) -> Summary {
    run_by(cfg, draws, engine::Sampling::Rqmc)
}

fn run_by(cfg: &Config, draws: u64, sampling: engine::Sampling) -> Summary {
    let sp = RunSpec {
        sampling,
        ..spec(draws, 2)
    };
    engine::run(cfg, &sp, &Control::default())
        .unwrap()
        .summary()
}

const SAMPLINGS: [engine::Sampling; 2] = [engine::Sampling::Rqmc, engine::Sampling::Mc];

/// The built-in config with every uncertainty family removed, then `extra` applied.
fn plain_config(edit: impl Fn(String) -> String) -> Config {
    Config::from_str(&edit(common::plain_config_text()), "test").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn collapsed_draws_equal_the_point_model() {
    let cfg = Config::builtin().collapsed();
    let sampler = Sampler::new(&cfg);
    let p = point(&cfg);
    let mut rng = engine::chunk_rng(1, 0);
    let mut x = sampler.base().clone();
    let mut raw = vec![0.0; sampler.raw_len()];
    let mut out = vec![0.0; lay().len()];
    for _ in 0..100 {
        sampler.sample(&mut rng, &mut raw, &mut x);
        assert_eq!(x, Inputs::base(&cfg));
        evaluate(&x, &mut out);
        assert_eq!(out, p);
    }
    let s = run(&cfg, 10_000);
    for (i, st) in s.series.iter().enumerate() {
        assert_eq!(st.mean, p[i], "{:?}", lay().series_at(i));
        assert_eq!(st.sd, 0.0);
        for q in st.percentiles {
            assert!(
                (q - p[i]).abs() <= sketch::RELATIVE_ACCURACY * p[i].abs() + sketch::MIN_MAGNITUDE
            );
        }
    }
}

#[test]
fn probability_of_shortfall_matches_closed_form() {
    // Demand ratio ~ N(1.2, 0.3), flow ~ N(0.05, 0.02), independent. In 2021 (k = 1)
    // D = W(1 + (R − 1)/10) and S = W(1 + g), so D > S iff (R − 1)/10 − g > 0, normal
    // with mean 0.02 − 0.05 and sd √(0.03² + 0.02²).
    let cfg = plain_config(|t| {
        t.replace(
            "[demand.data_driven.ict]\ndemand_2030 = 21963",
            "[demand.data_driven.ict]\nratio = \"normal(1.2, 0.3)\"\ndemand_2030 = 21963",
        )
        .replace(
            "[supply.ict]\n",
            "[supply.ict]\nflow_rate = \"normal(0.05, 0.02)\"\n",
        )
    });
    for sampling in SAMPLINGS {
        let s = run_by(&cfg, 200_000, sampling);
        let sf = &s.shortfall[lay().short_slot(0, Some(area("ict")), 1)];
        let z = (0.02f64 - 0.05) / (0.03f64.powi(2) + 0.02f64.powi(2)).sqrt();
        let expect = wfmc::distributions::phi(z); // P(X > 0) = Φ(mean / sd)
        assert!(
            (sf.p - expect).abs() < 4.0 * sf.se,
            "p {} ± {} vs {expect}",
            sf.p,
            sf.se
        );
        // 2030: D = W·R, S = W(1+g)^10: check the mean of demand against E[R]·W exactly.
        let d = s.of(&Series {
            scenario: 0,
            area: Some(area("ict")),
            year: 10,
            metric: Metric::Demand,
        });
        assert!(
            (d.mean - 16407.0 * 1.2).abs() < 4.0 * d.se_mean,
            "{} ± {}",
            d.mean,
            d.se_mean
        );
        assert!((d.sd - 16407.0 * 0.3).abs() < 0.01 * 16407.0 * 0.3);
    }
}

#[test]
fn quantiles_of_a_lognormal_within_sketch_accuracy_plus_sampling_error() {
    // Default forecaster multiplier: lognormal(mean 1, σ 0.25) (the factor mixing keeps
    // the marginal lognormal); 2030 demand = W · R̄ · M.
    let cfg = plain_config(|t| {
        t.replace(
            "[demand.data_driven.clinical_informatics]\ndemand_2030 = 13731",
            "[demand.data_driven.clinical_informatics]\nratio = { dist = \"lognormal(mean=1, sigma=0.25)\", apply = \"multiply\", factor = \"forecasters\", rho = 0.5 }\ndemand_2030 = 13731",
        )
    });
    let n = 200_000u64;
    for sampling in SAMPLINGS {
        let s = run_by(&cfg, n, sampling);
        let d = s.of(&Series {
            scenario: 0,
            area: Some(area("clinical_informatics")),
            year: 10,
            metric: Metric::Demand,
        });
        let sigma = 0.25f64;
        let mu = 13731f64.ln() - sigma * sigma / 2.0;
        for (i, (name, q)) in wfmc::stats::PERCENTILES.iter().enumerate() {
            let z = wfmc::distributions::phi_inv(*q);
            let x = (mu + sigma * z).exp();
            let pdf = (-0.5 * z * z).exp() / ((2.0 * std::f64::consts::PI).sqrt() * sigma * x);
            let se = (q * (1.0 - q) / n as f64).sqrt() / pdf;
            let tol = sketch::RELATIVE_ACCURACY * x + 4.0 * se;
            assert!(
                (d.percentiles[i] - x).abs() <= tol,
                "{name}: {} vs {x} (tol {tol})",
                d.percentiles[i]
            );
        }
        assert!(
            (d.mean - 13731.0).abs() < 4.0 * d.se_mean,
            "{sampling}: {} ± {}",
            d.mean,
            d.se_mean
        );
    }
}

#[test]
fn results_do_not_depend_on_thread_count_or_sharding() {
    let cfg = Config::builtin();
    // Blocks of two chunks, the last one short, so shards split between blocks
    // that span chunks; under both samplings.
    for sampling in SAMPLINGS {
        let base = RunSpec {
            sampling,
            block_chunks: 2,
            ..spec(38_000, 1)
        };
        let one_state = engine::run(&cfg, &base, &Control::default()).unwrap();
        let one = one_state.summary();
        let three = RunSpec {
            threads: 3,
            ..base.clone()
        };
        let three_state = engine::run(&cfg, &three, &Control::default()).unwrap();
        assert!(
            one_state == three_state,
            "{sampling}: 1 and 3 threads differ"
        );
        let mut merged = None::<engine::RunState>;
        for index in [2, 1, 3] {
            let sp = RunSpec {
                shard: Shard { index, count: 3 },
                threads: 2,
                ..base.clone()
            };
            let part = engine::run(&cfg, &sp, &Control::default()).unwrap();
            match &mut merged {
                None => merged = Some(part),
                Some(m) => m.merge(&part),
            }
        }
        assert!(
            merged.unwrap() == one_state,
            "{sampling}: sharded and merged differs from unsharded"
        );
        assert_eq!(one_state.reps.blocks, 5);
        assert!(one.series.iter().all(|s| s.mean.is_finite()
            && s.sd.is_finite()
            && s.se_mean.is_finite()
            && s.se_percentiles.iter().all(|x| x.is_finite())));
    }
}

#[test]
fn the_rank_pilot_is_the_same_kept_or_drawn_first() {
    // A whole run keeps its first draws' rank values until its pilot is complete; a
    // shard draws the pilot first. Past the pilot (64 chunks), over the block that
    // completes it, and on: the same bits, under both samplings.
    let cfg = Config::builtin();
    let draws = engine::CHUNK_DRAWS * 72 - 100;
    for sampling in SAMPLINGS {
        let base = RunSpec {
            sampling,
            block_chunks: 8,
            ..spec(draws, 2)
        };
        let whole = engine::run(&cfg, &base, &Control::default()).unwrap();
        let mut merged = engine::run(
            &cfg,
            &RunSpec {
                shard: Shard { index: 1, count: 2 },
                ..base.clone()
            },
            &Control::default(),
        )
        .unwrap();
        merged.merge(
            &engine::run(
                &cfg,
                &RunSpec {
                    shard: Shard { index: 2, count: 2 },
                    ..base.clone()
                },
                &Control::default(),
            )
            .unwrap(),
        );
        assert!(
            whole == merged,
            "{sampling}: kept and drawn-first pilots differ"
        );
        assert_eq!(whole.ranks.draws, draws);
        let rho = whole.ranks.spearman(0, 0);
        assert!(rho.is_finite(), "{sampling}: {rho}");
    }
}

#[test]
fn cancel_stops_the_run() {
    let control = Control::default();
    control
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let r = engine::run(&Config::builtin(), &spec(1_000_000, 2), &control);
    assert!(matches!(r, Err(wfmc::Error::Interrupted)));
}

/// The statistics keep one sketch for series the model computes once for all
/// scenarios; that is only sound if the copies are the same number in every draw.
#[test]
fn twin_series_are_equal_in_every_draw() {
    let cfg = Config::builtin();
    let sampler = Sampler::new(&cfg);
    let mut rng = engine::chunk_rng(3, 0);
    let mut x = sampler.base().clone();
    let mut raw = vec![0.0; sampler.raw_len()];
    let mut out = vec![0.0; lay().len()];
    let twins: Vec<(usize, usize)> = (0..lay().len())
        .filter_map(|j| lay().twin(j).map(|t| (j, t)))
        .collect();
    // Supply, its cost and the flat cost of the second scenario, every area and total.
    assert_eq!(twins.len(), 3 * 10 * 11);
    let series = lay().series();
    for &(j, t) in &twins {
        let (a, b) = (series[j], series[t]);
        assert!(
            a.scenario != b.scenario && (a.area, a.year, a.metric) == (b.area, b.year, b.metric)
        );
    }
    for _ in 0..2000 {
        sampler.sample(&mut rng, &mut raw, &mut x);
        evaluate(&x, &mut out);
        for &(j, t) in &twins {
            assert_eq!(out[j].to_bits(), out[t].to_bits(), "{:?}", series[j]);
        }
    }
    let st = engine::run(&cfg, &spec(5000, 2), &Control::default()).unwrap();
    let s = st.acc.finish();
    for &(j, t) in &twins {
        assert_eq!(s.series[j].percentiles, s.series[t].percentiles);
        assert_eq!(st.acc.sketch(j), st.acc.sketch(t));
    }
}

#[test]
fn summary_reads_like_the_question() {
    use wfmc::stats::{ShortStat, Stat};
    let cfg = wfmc::Config::builtin();
    let spec = engine::RunSpec {
        draws: 8192,
        threads: 2,
        ..Default::default()
    };
    let s = engine::run(&cfg, &spec, &engine::Control::default())
        .unwrap()
        .summary();
    let (ict, k) = (Some(area("ict")), 10);
    let direct = s.of(&Series {
        scenario: 0,
        area: ict,
        year: k,
        metric: Metric::Gap,
    });
    assert_eq!(
        s.get(0, ict, k, Metric::Gap, Stat::Percentile(0.05)),
        Some(direct.percentiles[0])
    );
    assert_eq!(s.get(0, ict, k, Metric::Gap, Stat::Mean), Some(direct.mean));
    assert_eq!(s.get(0, ict, k, Metric::Gap, Stat::Sd), Some(direct.sd));
    assert_eq!(s.get(0, ict, k, Metric::Gap, Stat::Percentile(0.07)), None);
    assert_eq!(s.get(0, ict, 11, Metric::Gap, Stat::Mean), None);
    assert!(s.series_of(0, ict, k, Metric::GrossShortfall).is_none());
    assert!(s.series_of(0, None, k, Metric::GrossShortfall).is_some());
    // Names through the dimensions.
    let d = Dims::report();
    let by_name = d.series("gap", "data_driven", "ict", 2030).unwrap();
    assert_eq!(s.of(&by_name).mean, direct.mean);
    assert!(d.series("gap", "data_driven", "ict", 2031).is_err());
    // Cubes: scenario × (areas, then total) × year.
    let cube = s.cube(Metric::Gap, Stat::Percentile(0.95));
    assert_eq!(cube.shape(), &[2, 10, 11]);
    assert_eq!(cube[[0, area("ict"), 10]], direct.percentiles[6]);
    let gross = s.cube(Metric::GrossShortfall, Stat::Mean);
    assert!(gross[[1, 0, 5]].is_nan() && gross[[1, 9, 5]].is_finite());
    let p = s.shortfall_cube(ShortStat::P);
    let total = s.shortfall_of(1, None, 10).unwrap();
    assert_eq!(p[[1, 9, 10]], total.p);
}

#[test]
fn shards_are_balanced_within_one_block() {
    for draws in [1u64, 4096, 4097, 40_000, 36_865, 1_000_000, 12_345_678] {
        for n in 1..=17u32 {
            let sizes: Vec<u64> = (1..=n)
                .map(|index| {
                    engine::RunSpec {
                        draws,
                        shard: engine::Shard { index, count: n },
                        ..Default::default()
                    }
                    .shard_draws()
                })
                .collect();
            assert_eq!(sizes.iter().sum::<u64>(), draws);
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            // Shards take whole replicate blocks (one chunk each below 131,072 draws).
            let block = engine::RunSpec {
                draws,
                ..Default::default()
            }
            .block_chunks()
                * engine::CHUNK_DRAWS;
            assert!(hi - lo <= block, "{draws} draws in {n}: {sizes:?}");
        }
    }
    let four: Vec<u64> = (1..=4)
        .map(|index| {
            engine::RunSpec {
                draws: 40_000,
                shard: engine::Shard { index, count: 4 },
                ..Default::default()
            }
            .shard_draws()
        })
        .collect();
    assert_eq!(four, [8192, 12288, 8192, 11328]);
}

#[test]
fn library_errors_are_data_not_cli_text() {
    let e = engine::RunSpec {
        draws: 0,
        ..Default::default()
    }
    .validate()
    .unwrap_err();
    match &e {
        wfmc::Error::Setting(i) => {
            assert_eq!(i.setting, wfmc::error::Setting::Draws);
            assert_eq!(i.value, "0");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string().starts_with("draws 0: must be between 1"),
        "{e}"
    );
    assert_eq!(e.exit_code(), 2);
}

/// A draws table holds the run's own draws: its column means are the run's means
/// (to summation order), whatever the threads, and a shard's table is its slice.
#[test]
fn draws_table_holds_the_runs_draws() {
    use engine::draws::{Column, fill, inputs};
    let cfg = Config::builtin();
    let n = 10_000;
    let d = Dims::report();
    let gap = d.series("gap", "data_driven", "total", 2030).unwrap();
    let ict = d.series("demand", "data_desert", "ict", 2025).unwrap();
    let (g, name) = inputs(&cfg).into_iter().next().unwrap();
    let cols = [Column::Output(gap), Column::Output(ict), Column::Input(g)];
    let table = |sp: &RunSpec| {
        let mut out = vec![0.0; sp.shard_draws() as usize * cols.len()];
        fill(&cfg, sp, &cols, &mut out, &Control::default()).unwrap();
        out
    };
    let one = table(&spec(n, 1));
    assert_eq!(one, table(&spec(n, 3)), "threads changed the draws");
    let second = RunSpec {
        shard: Shard { index: 2, count: 2 },
        ..spec(n, 2)
    };
    let part = table(&second);
    assert_eq!(
        part[..],
        one[one.len() - part.len()..],
        "a shard is its slice"
    );
    let summary = run(&cfg, n);
    for (j, s) in [gap, ict].iter().enumerate() {
        let mean = one.iter().skip(j).step_by(3).sum::<f64>() / n as f64;
        let want = summary.of(s).mean;
        assert!(
            (mean - want).abs() <= 1e-9 * want.abs(),
            "{}: {mean} vs {want}",
            d.series_label(s)
        );
    }
    // The input column varies and stays in its distribution's range.
    let ins: Vec<f64> = one.iter().skip(2).step_by(3).copied().collect();
    assert!(ins.iter().any(|x| *x != ins[0]), "{name} is constant");
    assert!(ins.iter().all(|x| x.is_finite()));
    let bad = fill(&cfg, &spec(n, 1), &cols, &mut [0.0; 5], &Control::default());
    assert!(bad.is_err(), "a table of the wrong size is refused");
}

#[test]
fn series_names_round_trip_and_bad_names_say_what_is_valid() {
    let d = Dims::report();
    for s in lay().series() {
        let l = d.series_label(&s);
        let p: Vec<&str> = l.split('/').collect();
        let back = d.series(p[0], p[1], p[2], p[3].parse().unwrap()).unwrap();
        assert_eq!(back, s, "{l}");
    }
    let e = d.series("gapp", "data_driven", "total", 2030).unwrap_err();
    assert!(e.contains("valid metrics are") && e.contains("gap"), "{e}");
    let e = d.series("gap", "data_driven", "total", 2031).unwrap_err();
    assert!(e.contains("2020 to 2030"), "{e}");
    let e = d
        .series("gross_shortfall", "data_driven", "ict", 2030)
        .unwrap_err();
    assert!(e.contains("total only"), "{e}");
}

/// The in-memory path of the Python package (run, keep the run, write later;
/// shards as bytes, merged) writes what a run into a folder writes.
#[test]
fn a_run_written_later_equals_the_run_into_a_folder() {
    use wfmc::jobs::{self, Context, DrawSettings, Output, RunRequest};
    let cfg = Config::builtin();
    let sp = spec(9_000, 2);
    let tmp = tempfile::tempdir().unwrap();
    let c = Control::default();
    let ctx = Context::new(&c);
    let req = RunRequest {
        draws: DrawSettings {
            draws: Some(sp.draws),
            seed: Some(sp.seed),
            threads: Some(2),
            sampling: Some(sp.sampling),
            max_rejected: None,
            shortfall: None,
        },
        sobol_rows: Some(0),
        out: Output::Folder(tmp.path().join("a")),
        ..Default::default()
    };
    jobs::run(&cfg, &req, &ctx).unwrap();
    let kept = jobs::run_in_memory(&cfg, &req, &ctx).unwrap();
    kept.write(&tmp.path().join("b"), "", false, &ctx).unwrap();
    let parts: Vec<Vec<u8>> = (1..=3)
        .map(|index| {
            let r = RunRequest {
                shard: Some(Shard { index, count: 3 }),
                ..req.clone()
            };
            jobs::run_in_memory(&cfg, &r, &ctx).unwrap().partial_bytes()
        })
        .collect();
    let merged = jobs::merge_in_memory(&cfg, &parts, Some(2), None, &ctx).unwrap();
    assert_eq!(
        (merged.draws(), merged.seed(), merged.sobol_rows()),
        (sp.draws, sp.seed, 0)
    );
    merged
        .write(&tmp.path().join("c"), "", false, &ctx)
        .unwrap();
    for f in [
        "bands.csv",
        "shortfall.csv",
        "correlation.csv",
        "summary.json",
    ] {
        let a = std::fs::read(tmp.path().join("a").join(f)).unwrap();
        assert_eq!(
            a,
            std::fs::read(tmp.path().join("b").join(f)).unwrap(),
            "{f}"
        );
        assert_eq!(
            a,
            std::fs::read(tmp.path().join("c").join(f)).unwrap(),
            "{f}"
        );
    }
}
