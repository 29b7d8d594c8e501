//! The conditional shortfall estimators against plain Monte Carlo and their own
//! standard errors across seeds, on the built-in config.

use wfmc::config::Config;
use wfmc::engine::{self, Control, RunSpec, Sampling, Shard, Shortfall};
use wfmc::stats::Summary;

fn run(draws: u64, seed: u64, sampling: Sampling, shortfall: Shortfall, blocks: u64) -> Summary {
    let spec = RunSpec {
        draws,
        seed,
        threads: 2,
        shard: Shard::ALL,
        sampling,
        shortfall,
        block_chunks: blocks,
        ..RunSpec::default()
    };
    engine::run(&Config::builtin(), &spec, &Control::default())
        .unwrap()
        .summary()
}

/// Both estimators estimate the same probabilities and expected shortfalls: every
/// slot agrees within its combined standard error, and in the last year the
/// conditional one is the more precise.
#[test]
fn conditional_and_indicator_estimates_agree() {
    // Plain Monte Carlo gains from the lower variance alone; randomised QMC also from
    // the smoothness.
    for (sampling, gain) in [(Sampling::Mc, 1.5), (Sampling::Rqmc, 3.0)] {
        let n = 1 << 16;
        let ind = run(n, 11, sampling, Shortfall::Indicator, 0);
        let con = run(n, 12, sampling, Shortfall::Conditional, 0);
        let lay = ind.layout;
        let mut ratios = vec![];
        for (i, (a, b)) in ind.shortfall.iter().zip(&con.shortfall).enumerate() {
            // Where the indicator never changed, its standard error of 0 is no bound.
            if a.se == 0.0 {
                assert!(
                    (a.p - b.p).abs() < 1e-4,
                    "slot {i}: {} against {}",
                    a.p,
                    b.p
                );
                continue;
            }
            let z = (a.p - b.p) / a.se.hypot(b.se);
            assert!(
                z.abs() < 4.5,
                "{sampling:?} slot {i}: p {} ± {} against {} ± {}",
                a.p,
                a.se,
                b.p,
                b.se
            );
            let ze = (a.expected - b.expected) / a.expected_se.hypot(b.expected_se).max(1e-9);
            assert!(
                ze.abs() < 4.5,
                "{sampling:?} slot {i}: shortfall {} ± {} against {} ± {}",
                a.expected,
                a.expected_se,
                b.expected,
                b.expected_se
            );
            if i % lay.years == lay.years - 1 {
                ratios.push(a.se / b.se);
            }
        }
        ratios.sort_by(f64::total_cmp);
        let median = ratios[ratios.len() / 2];
        assert!(
            median > gain,
            "{sampling:?}: standard errors shrink by a median factor of {median}: {ratios:?}"
        );
    }
}

/// The standard errors are honest: across seeds, the conditional estimates of the
/// last year's probabilities scatter about a precise reference as their standard
/// errors say (z-scores of a t with 7 degrees of freedom: E[z²] = 1.4).
#[test]
fn conditional_standard_errors_are_honest_across_seeds() {
    let reference = run(1 << 18, 99, Sampling::Rqmc, Shortfall::Conditional, 0);
    let lay = reference.layout;
    for sampling in [Sampling::Mc, Sampling::Rqmc] {
        let mut z2 = vec![];
        for seed in 0..16 {
            // Eight blocks of one chunk.
            let s = run(
                8 * engine::CHUNK_DRAWS,
                1000 + seed,
                sampling,
                Shortfall::Conditional,
                1,
            );
            for sc in 0..lay.scenarios {
                for a in (0..lay.areas).map(Some).chain([None]) {
                    let i = lay.short_slot(sc, a, lay.years - 1);
                    let (e, r) = (&s.shortfall[i], &reference.shortfall[i]);
                    if e.se > 1e-9 {
                        z2.push(((e.p - r.p) / e.se.hypot(r.se)).powi(2));
                    }
                }
            }
        }
        let mean = z2.iter().sum::<f64>() / z2.len() as f64;
        let wild = z2.iter().filter(|&&z| z > 16.0).count() as f64 / z2.len() as f64;
        assert!(
            (0.6..2.4).contains(&mean),
            "{sampling:?}: mean z² {mean} over {} estimates",
            z2.len()
        );
        assert!(wild < 0.03, "{sampling:?}: {wild} of the z-scores beyond 4");
    }
}
