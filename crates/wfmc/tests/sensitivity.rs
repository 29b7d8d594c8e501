//! Known-answer tests of the Sobol estimator (Ishigami and Sobol G functions) and
//! the workforce model's sensitivity outputs.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::f64::consts::PI;
use std::ops::Range;
use wfmc::sensitivity::sobol::{self, GroupedModel, SobolResult};

/// A model with `k` scalar inputs, one group each.
struct Scalar<F: Fn(&[f64]) -> f64 + Sync> {
    k: usize,
    draw: fn(&mut ChaCha8Rng) -> f64,
    f: F,
}

impl<F: Fn(&[f64]) -> f64 + Sync> GroupedModel for Scalar<F> {
    type Scratch = ();
    fn groups(&self) -> Vec<String> {
        (1..=self.k).map(|i| format!("x{i}")).collect()
    }
    fn group_range(&self, g: usize) -> Range<usize> {
        g..g + 1
    }
    fn raw_len(&self) -> usize {
        self.k
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn scratch(&self) {}
    fn draw(&self, rng: &mut ChaCha8Rng, raw: &mut [f64]) {
        for x in raw {
            *x = (self.draw)(rng);
        }
    }
    fn eval(&self, raw: &[f64], _: &mut (), out: &mut [f64]) {
        out[0] = (self.f)(raw);
    }
}

/// Simultaneous 95 % intervals over the k groups' S1 and ST (Bonferroni: each at
/// 1 − 0.05 / 2k). Demanding every one of 2k marginal 95 % intervals hit would fail
/// by design: 0.95^16 = 0.44 for the G function.
fn level(k: usize) -> f64 {
    1.0 - 0.05 / (2 * k) as f64
}

/// Every analytic index lies within its interval, and the intervals are narrow
/// enough to mean something.
fn check(r: &SobolResult, s1: &[f64], st: &[f64]) {
    for i in &r.indices[0] {
        assert!(
            i.s1[2] - i.s1[1] < 0.04 && i.st[2] - i.st[1] < 0.04,
            "{i:?}"
        );
    }
    let mut bad = vec![];
    for (g, i) in r.indices[0].iter().enumerate() {
        let ok = |v: [f64; 3], want: f64| v[1] <= want && want <= v[2];
        if !ok(i.s1, s1[g]) {
            bad.push(format!("S1 x{}: {:?} vs {}", g + 1, i.s1, s1[g]));
        }
        if !ok(i.st, st[g]) {
            bad.push(format!("ST x{}: {:?} vs {}", g + 1, i.st, st[g]));
        }
    }
    assert!(
        bad.is_empty(),
        "outside the simultaneous 95 % interval: {bad:#?}"
    );
}

fn unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random()
}

fn angle(rng: &mut ChaCha8Rng) -> f64 {
    rng.random_range(-PI..PI)
}

#[test]
fn ishigami_indices_at_n_65536() {
    let (a, b) = (7.0, 0.1);
    let m = Scalar {
        k: 3,
        draw: angle,
        f: move |x: &[f64]| x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin(),
    };
    let r =
        sobol::estimate_at(&m, 1 << 16, wfmc::engine::DEFAULT_SEED, 2, &[0.0], level(3)).unwrap();
    // Analytic values (a = 7, b = 0.1), to the precision the literature quotes.
    let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let s1 = [v1 / v, v2 / v, 0.0];
    let st = [(v1 + v13) / v, v2 / v, v13 / v];
    assert!((s1[0] - 0.3139).abs() < 1e-4 && (st[2] - 0.2437).abs() < 1e-4);
    check(&r, &s1, &st);
}

#[test]
fn g_function_indices_at_n_65536() {
    let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
    let m = Scalar {
        k: 8,
        draw: unit,
        f: move |x: &[f64]| {
            x.iter()
                .zip(&a)
                .map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
                .product()
        },
    };
    let r =
        sobol::estimate_at(&m, 1 << 16, wfmc::engine::DEFAULT_SEED, 2, &[1.0], level(8)).unwrap();
    let vi: Vec<f64> = a
        .iter()
        .map(|a| 1.0 / (3.0 * (1.0 + a) * (1.0 + a)))
        .collect();
    let v = vi.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
    let s1: Vec<f64> = vi.iter().map(|x| x / v).collect();
    let st: Vec<f64> = (0..8)
        .map(|i| {
            vi[i]
                * (0..8)
                    .filter(|&j| j != i)
                    .map(|j| 1.0 + vi[j])
                    .product::<f64>()
                / v
        })
        .collect();
    assert!((s1[0] - 0.7162).abs() < 1e-4 && (st[1] - 0.2422).abs() < 1e-4);
    check(&r, &s1, &st);
}

#[test]
fn sobol_is_reproducible_across_thread_counts() {
    let m = Scalar {
        k: 3,
        draw: angle,
        f: |x: &[f64]| x[0].sin() + 7.0 * x[1].sin().powi(2),
    };
    let one = sobol::estimate(&m, 4096, 1, 1, &[0.0]).unwrap();
    let three = sobol::estimate(&m, 4096, 1, 3, &[0.0]).unwrap();
    assert_eq!(one, three);
}

#[test]
fn workforce_sobol_runs_and_is_sane() {
    let cfg = wfmc::Config::builtin();
    let (m, r) = sobol::run(&cfg, 2048, 5, 2).unwrap();
    let csv = wfmc::results::sobol::write(&m, &r);
    assert!(csv.starts_with("scenario,output,group,s1,s1_lo,s1_hi,st,st_lo,st_hi,n\n"));
    // Cost of demand: salary growth and the forecasters carry real weight; the
    // other scenario's ratios are not listed.
    let row = |sc: &str, out: &str, g: &str| -> Vec<f64> {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{sc},{out},{g},")))
            .unwrap_or_else(|| panic!("{sc} {out} {g}"));
        line.split(',')
            .skip(3)
            .map(|x| x.parse().unwrap())
            .collect()
    };
    let sg = row("data_driven", "cost_demand/total/2030", "salary_growth");
    assert!(sg[3] > 0.05, "salary growth ST {sg:?}");
    assert!(!csv.contains("data_driven,gap/total/2030,demand.data_desert."));
    // An area's gap does not depend on another area's flow: ST is exactly 0.
    let other = row(
        "data_driven",
        "gap/ict/2030",
        "supply.clinical_coding.flow_rate",
    );
    assert_eq!(other[3], 0.0);
    for l in csv.lines().skip(1) {
        let st: f64 = l.split(',').nth(6).unwrap().parse().unwrap();
        assert!((-0.05..=1.1).contains(&st), "{l}");
    }
}

/// Calibration of the 95 % bootstrap intervals: over 200 seeds at n = 2^12, each of
/// the six Ishigami indices is covered 95 % of the time (binomial sd 1.5 points;
/// the test accepts 88–99.5 %, over 4 sd either way).
#[test]
fn ishigami_interval_coverage() {
    let m = Scalar {
        k: 3,
        draw: angle,
        f: move |x: &[f64]| x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin(),
    };
    let want = [0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437];
    let mut hits = [0; 6];
    let seeds = 200;
    for seed in 0..seeds {
        let r = sobol::estimate(&m, 1 << 12, seed, 2, &[0.0]).unwrap();
        for (g, i) in r.indices[0].iter().enumerate() {
            hits[g] += usize::from(i.s1[1] <= want[g] && want[g] <= i.s1[2]);
            hits[3 + g] += usize::from(i.st[1] <= want[3 + g] && want[3 + g] <= i.st[2]);
        }
    }
    for h in hits {
        assert!((176..=199).contains(&h), "coverage {hits:?} of {seeds}");
    }
}
