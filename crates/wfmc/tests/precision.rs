//! Are the standard errors honest? Over many seeds, the spread of each estimate
//! must match the standard error the runs report for it, under both samplings;
//! and `--until` stops where its checks say, the same on any number of threads.

use wfmc::config::Config;
use wfmc::dims::Dims;
use wfmc::engine::{self, Control, RunSpec, Sampling};
use wfmc::model::Metric;
use wfmc::stats::{Stat, Summary};

/// The checked estimates of one run: (label, estimate, its standard error).
fn estimates(s: &Summary) -> Vec<(String, f64, f64)> {
    let dims = Dims::report();
    let last = dims.last();
    let mut out = vec![];
    for sc in 0..dims.n_scenarios() {
        let key = dims.scenario_key(sc);
        for a in dims.places() {
            let sh = s.shortfall_of(sc, a, last).unwrap();
            let area = dims.place_key(a);
            out.push((format!("P(short) {key} {area}"), sh.p, sh.se));
        }
        let sh = s.shortfall_of(sc, None, last).unwrap();
        out.push((format!("ES {key} total"), sh.expected, sh.expected_se));
        let st = s.series_of(sc, None, last, Metric::Gap).unwrap();
        for (name, stat) in [
            ("mean", Stat::Mean),
            ("sd", Stat::Sd),
            ("p5", Stat::Percentile(0.05)),
            ("p50", Stat::Percentile(0.5)),
            ("p95", Stat::Percentile(0.95)),
        ] {
            out.push((
                format!("{name} gap {key} total"),
                st.get(stat).unwrap(),
                st.se(stat).unwrap(),
            ));
        }
    }
    out
}

/// Over `SEEDS` runs of 65,536 draws (16 replicate blocks of 4,096), each estimate's
/// variance across seeds over the mean of its reported SE².
///
/// Tolerances, and why: with 48 seeds an estimate's variance across seeds has a
/// relative standard deviation of √(2/47) ≈ 0.21, and the mean reported SE² (15
/// degrees of freedom per run) about 0.05, so a single ratio is checked loosely,
/// within 0.4–2.5 (beyond 4 standard deviations of honest noise), and the mean
/// ratio over the estimates (up to 34; correlated within a run, so it averages less than
/// 34 would) within 0.7–1.4. An SE that were off by √2 either way would fail.
#[test]
fn reported_standard_errors_match_the_spread_across_seeds() {
    const SEEDS: u64 = 48;
    let cfg = Config::builtin();
    for sampling in [Sampling::Rqmc, Sampling::Mc] {
        let runs: Vec<Vec<(String, f64, f64)>> = (0..SEEDS)
            .map(|seed| {
                let spec = RunSpec {
                    draws: 1 << 16,
                    seed: 1000 + seed,
                    threads: 2,
                    sampling,
                    ..RunSpec::default()
                };
                assert_eq!(spec.n_blocks(), 16);
                let st = engine::run_with(&cfg, &spec, &Control::default(), false).unwrap();
                estimates(&st.summary())
            })
            .collect();
        let mut ratios = vec![];
        for j in 0..runs[0].len() {
            let xs: Vec<f64> = runs.iter().map(|r| r[j].1).collect();
            let mean = xs.iter().sum::<f64>() / SEEDS as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (SEEDS - 1) as f64;
            let se2 = runs.iter().map(|r| r[j].2.powi(2)).sum::<f64>() / SEEDS as f64;
            if se2 == 0.0 && var == 0.0 {
                continue; // a probability of 0 or 1 in every run: nothing to check
            }
            let ratio = var / se2;
            assert!(
                (0.4..2.5).contains(&ratio),
                "{sampling}: {}: variance across seeds {var:.4e} vs mean SE² {se2:.4e}",
                runs[0][j].0
            );
            ratios.push(ratio);
        }
        let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
        let (lo, hi) = ratios
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), r| (l.min(*r), h.max(*r)));
        eprintln!(
            "{sampling}: variance / SE² over {} estimates: mean {mean:.3}, range {lo:.2}–{hi:.2}",
            ratios.len()
        );
        assert!(
            (0.7..1.4).contains(&mean),
            "{sampling}: mean ratio of variance to SE² {mean:.3} over {} estimates",
            ratios.len()
        );
        assert!(
            ratios.len() >= 25,
            "{sampling}: only {} estimates",
            ratios.len()
        );
    }
}

#[test]
fn until_stops_at_the_same_draw_on_any_number_of_threads() {
    use engine::until::{self, Target};
    let cfg = Config::builtin();
    let targets: Vec<Target> = vec![
        "percentile_se=80".parse().unwrap(),
        "mean_se=1".parse().unwrap(),
    ];
    let run = |threads| {
        let spec = RunSpec {
            draws: 2_000_000,
            seed: 5,
            threads,
            ..RunSpec::default()
        };
        until::run(&cfg, &spec, &targets, &Control::default(), &|_| {}).unwrap()
    };
    let (a, b) = (run(1), run(3));
    assert!(a.met, "{}", a.check);
    assert_eq!(a.spec.draws, b.spec.draws);
    assert!(a.state == b.state, "1 and 3 threads stopped differently");
    assert!(a.check.worst.iter().all(|(t, _, se)| *se <= t.se));
    assert_eq!(
        a.spec.draws % (until::UNTIL_BLOCK_CHUNKS * engine::CHUNK_DRAWS),
        0
    );
    // The rank correlations of draws made before the pilot was complete wait for
    // it: the state is the state of a run of the draws it stopped at.
    let fixed = engine::run(
        &cfg,
        &RunSpec {
            threads: 2,
            ..a.spec.clone()
        },
        &Control::default(),
    )
    .unwrap();
    assert!(a.state == fixed, "--until differs from a run of its draws");
    assert!(a.state.ranks.draws == a.spec.draws);
    // A cap below what the targets need stops at the cap, unmet.
    let spec = RunSpec {
        draws: 150_000,
        seed: 5,
        threads: 2,
        ..RunSpec::default()
    };
    // Conditional estimates reach 0.0003 by 32,768 draws; 10^-6 needs billions.
    let strict: Vec<Target> = vec!["p_shortfall_se=0.000001".parse().unwrap()];
    let capped = until::run(&cfg, &spec, &strict, &Control::default(), &|_| {}).unwrap();
    assert!(!capped.met);
    assert_eq!(capped.spec.draws, 150_000);
    for bad in ["p_shortfall_se", "nope=1", "mean_se=-1", "mean_se=x"] {
        assert!(bad.parse::<Target>().is_err(), "{bad}");
    }
}
