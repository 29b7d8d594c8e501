//! Value-of-information estimators against closed forms, a nested Monte
//! Carlo reference, and their own standard errors across independent data.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use wfmc_decision::voi::{self, Config, Method};

fn normals(rng: &mut ChaCha8Rng, n: usize, mean: f64, sd: f64) -> Vec<f64> {
    // Box-Muller, one value per pair so the stream use is simple
    (0..n)
        .map(|_| {
            let u1: f64 = 1.0 - rng.random::<f64>();
            let u2: f64 = rng.random::<f64>();
            mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        })
        .collect()
}

/// E[max(0, mu + s Z)] - max(0, mu): the EVPPI when the incremental net
/// benefit given the inputs is N(mu, s^2).
fn closed_form(mu: f64, s: f64) -> f64 {
    let z = Normal::standard();
    s * z.pdf(mu / s) + mu * z.cdf(mu / s) - mu.max(0.0)
}

/// Two options: NB_0 = 0 and NB_1 = mu + sum_j a_j theta_j, theta_j ~ N(0, 1).
fn linear_model(n: usize, mu: f64, a: &[f64], seed: u64) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let theta: Vec<Vec<f64>> = a.iter().map(|_| normals(&mut rng, n, 0.0, 1.0)).collect();
    let inb: Vec<f64> = (0..n)
        .map(|i| mu + a.iter().zip(&theta).map(|(aj, t)| aj * t[i]).sum::<f64>())
        .collect();
    (vec![vec![0.0; n], inb], theta)
}

#[test]
fn linear_gaussian_evppi_and_evpi_match_closed_forms() {
    let (mu, a) = (0.2, [1.0, 1.5]);
    let (nb, theta) = linear_model(10_000, mu, &a, 1);
    let truth = closed_form(mu, a[0]);
    let e = voi::evppi(&nb, &theta[..1], Method::Gam, 7).unwrap();
    let rel = (e.value - truth).abs() / truth;
    eprintln!("linear EVPPI(theta1): {e:?}, closed form {truth}, rel {rel}");
    assert!(rel < 0.05, "EVPPI {e:?} vs {truth}: {rel}");
    assert!(
        (e.value - truth).abs() < 3.0 * e.se,
        "EVPPI {e:?} vs {truth}"
    );

    let s = (a[0] * a[0] + a[1] * a[1]).sqrt();
    let truth_pi = closed_form(mu, s);
    let p = voi::evpi(&nb).unwrap();
    eprintln!("linear EVPI: {p:?}, closed form {truth_pi}");
    assert!(
        (p.value - truth_pi).abs() / truth_pi < 0.05,
        "EVPI {p:?} vs {truth_pi}"
    );
    assert!(
        (p.value - truth_pi).abs() < 3.0 * p.se,
        "EVPI {p:?} vs {truth_pi}"
    );
}

#[test]
fn evppi_of_all_inputs_equals_evpi() {
    let (nb, theta) = linear_model(10_000, 0.2, &[1.0, 1.5], 2);
    let p = voi::evpi(&nb).unwrap().value;
    for m in [Method::Gam, Method::Mars] {
        let e = voi::evppi(&nb, &theta, m, 3).unwrap();
        eprintln!("all inputs {m:?}: {e:?} vs EVPI {p}");
        assert!((e.value - p).abs() / p < 0.02, "{m:?}: {e:?} vs EVPI {p}");
    }
}

#[test]
fn evppi_is_bounded_and_grows_with_the_group() {
    // three inputs with closed forms for every nested group
    let (mu, a) = (-0.3, [1.0, 0.8, 0.5]);
    let (nb, theta) = linear_model(10_000, mu, &a, 4);
    let p = voi::evpi(&nb).unwrap();
    let groups: [&[usize]; 3] = [&[0], &[0, 1], &[0, 1, 2]];
    let mut prev: Option<voi_est::E> = None;
    for g in groups {
        let cols: Vec<&[f64]> = g.iter().map(|&j| theta[j].as_slice()).collect();
        let e = voi::evppi(&nb, &cols, Method::Auto, 5).unwrap();
        let s = g.iter().map(|&j| a[j] * a[j]).sum::<f64>().sqrt();
        let truth = closed_form(mu, s);
        eprintln!("group {g:?}: {e:?}, closed form {truth}, EVPI {p:?}");
        assert!(
            (e.value - truth).abs() < 3.0 * e.se + 0.02 * truth,
            "{g:?}: {e:?} vs {truth}"
        );
        assert!(e.value >= -2.0 * e.se, "{g:?}: {e:?}");
        assert!(
            e.value <= p.value + 2.0 * (e.se + p.se),
            "{g:?}: {e:?} vs EVPI {p:?}"
        );
        if let Some(prev) = prev {
            assert!(
                e.value >= prev.0 - 2.0 * prev.1.max(e.se),
                "{g:?}: {e:?} fell below {prev:?}"
            );
        }
        prev = Some(voi_est::E(e.value, e.se));
    }
}

mod voi_est {
    #[derive(Debug, Clone, Copy)]
    pub struct E(pub f64, pub f64);
}

/// Three options whose net benefits depend nonlinearly on theta_1 and on
/// its interaction with theta_2.
fn nonlinear_nb(t1: f64, t2: f64, t3: f64) -> [f64; 3] {
    [
        0.0,
        t1 * t2 + 0.3 * t3 - 0.2,
        0.6 * (2.0 * t1).sin() + t3 - 0.6,
    ]
}

#[test]
fn nonlinear_evppi_agrees_with_nested_monte_carlo() {
    // theta1 ~ N(0, 1), theta2 ~ N(1, 0.5^2), theta3 ~ U(0, 1)
    let n = 10_000;
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let t1 = normals(&mut rng, n, 0.0, 1.0);
    let t2 = normals(&mut rng, n, 1.0, 0.5);
    let t3: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let mut nb = vec![vec![0.0; n]; 3];
    for i in 0..n {
        for (k, v) in nonlinear_nb(t1[i], t2[i], t3[i]).into_iter().enumerate() {
            nb[k][i] = v;
        }
    }
    let e = voi::evppi(&nb, &[&t1], Method::Gam, 11).unwrap();

    // nested Monte Carlo: outer draws of theta1, inner draws of the rest
    let (outer, inner) = (4000, 2000);
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let o1 = normals(&mut rng, outer, 0.0, 1.0);
    let mut maxes = Vec::with_capacity(outer);
    let mut totals = [0.0; 3];
    for &a in &o1 {
        let i2 = normals(&mut rng, inner, 1.0, 0.5);
        let mut m = [0.0; 3];
        for &b in &i2 {
            let c: f64 = rng.random::<f64>();
            let v = nonlinear_nb(a, b, c);
            for k in 0..3 {
                m[k] += v[k] / inner as f64;
            }
        }
        for k in 0..3 {
            totals[k] += m[k] / outer as f64;
        }
        maxes.push(m.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
    }
    let first = maxes.iter().sum::<f64>() / outer as f64;
    let nested = first - totals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let sd = (maxes.iter().map(|m| (m - first).powi(2)).sum::<f64>() / (outer - 1) as f64).sqrt();
    let nested_se = sd / (outer as f64).sqrt();
    // closed-form inner expectations: E[NB1 | t1] = t1 - 0.05, E[NB2 | t1] =
    // 0.6 sin(2 t1) - 0.1, so the nested run itself can be checked
    let exact_first: f64 = o1
        .iter()
        .map(|&a| (a - 0.05).max(0.6 * (2.0 * a).sin() - 0.1).max(0.0))
        .sum::<f64>()
        / outer as f64;
    assert!(
        (first - exact_first).abs() < 0.01,
        "inner sampling bias {first} vs {exact_first}"
    );
    // two standard errors each: a plain sum of the two SEs would fail by
    // chance about one time in five even for two unbiased estimators
    let tol = 2.0 * (e.se + nested_se);
    eprintln!("nonlinear: regression {e:?}, nested {nested} +- {nested_se}");
    assert!(
        (e.value - nested).abs() < tol,
        "regression {e:?} vs nested {nested} +- {nested_se}"
    );
}

/// Spread of the estimate over independent data sets vs the mean reported SE.
fn se_honesty(method: Method, n: usize, group: &[usize], seeds: u64) -> f64 {
    let mut est = Vec::new();
    let mut se2 = Vec::new();
    for s in 0..seeds {
        let (nb, theta) = linear_model(n, 0.2, &[1.0, 1.5, 0.7], 100 + s);
        let cols: Vec<&[f64]> = group.iter().map(|&j| theta[j].as_slice()).collect();
        let e = voi::evppi_with(&nb, &cols, method, &Config::default(), 1000 + s).unwrap();
        est.push(e.value);
        se2.push(e.se * e.se);
    }
    let m = est.iter().sum::<f64>() / est.len() as f64;
    let var = est.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (est.len() - 1) as f64;
    var / (se2.iter().sum::<f64>() / se2.len() as f64)
}

// With 40 data sets the sample variance itself has a relative standard
// deviation of about sqrt(2/39) = 0.23, so a ratio in [0.5, 2.0] is a test
// that an honest SE passes with high probability while a SE off by a factor
// of 1.5 or more (variance ratio 2.25) is caught most of the time.
#[test]
fn bootstrap_se_is_honest_for_gam() {
    let r = se_honesty(Method::Gam, 10_000, &[0], 40);
    eprintln!("SE honesty Gam 1 input, n = 10000: {r}");
    assert!((0.5..=2.0).contains(&r), "variance / mean SE^2 = {r}");
    let r = se_honesty(Method::Gam, 4_000, &[0, 2], 40);
    eprintln!("SE honesty Gam 2 inputs, n = 4000: {r}");
    assert!(
        (0.5..=2.0).contains(&r),
        "two inputs: variance / mean SE^2 = {r}"
    );
}

#[test]
fn bootstrap_se_is_honest_for_mars() {
    let r = se_honesty(Method::Mars, 3_000, &[0, 1, 2], 40);
    eprintln!("SE honesty Mars 3 inputs, n = 3000: {r}");
    assert!((0.5..=2.0).contains(&r), "variance / mean SE^2 = {r}");
}

#[test]
fn discrete_input_gives_the_exact_conditional_evppi() {
    // a three-level choice: E[INB | level] = -1, 0.5, 2 and noise elsewhere;
    // EVPPI = mean over levels of max(0, m_l) - max(0, overall mean)
    let n = 9_000;
    let mut rng = ChaCha8Rng::seed_from_u64(20);
    let lvl: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
    let noise = normals(&mut rng, n, 0.0, 1.0);
    let means = [-1.0, 0.5, 2.0];
    let inb: Vec<f64> = (0..n).map(|i| means[i % 3] + noise[i]).collect();
    let nb = vec![vec![0.0; n], inb];
    let e = voi::evppi(&nb, &[&lvl], Method::Gam, 21).unwrap();
    let truth = (0.0 + 0.5 + 2.0) / 3.0 - (0.5f64).max(0.0);
    eprintln!("three-level input: {e:?} vs {truth}");
    assert!((e.value - truth).abs() < 3.0 * e.se, "{e:?} vs {truth}");
    assert!(e.se < 0.05, "{e:?}");
    // with a second, irrelevant continuous input (tensor spline) and through
    // MARS the answer is the same
    let other = normals(&mut rng, n, 0.0, 1.0);
    for m in [Method::Gam, Method::Mars] {
        let e2 = voi::evppi(&nb, &[&lvl, &other], m, 22).unwrap();
        eprintln!("three-level input plus noise input, {m:?}: {e2:?}");
        assert!(
            (e2.value - truth).abs() < 3.0 * e2.se + 0.01,
            "{m:?}: {e2:?} vs {truth}"
        );
    }
}

#[test]
fn degenerate_cases_do_not_fail() {
    // identical options: no value of information
    let (nb, theta) = linear_model(500, 0.2, &[1.0, 1.5], 40);
    let same = vec![nb[1].clone(), nb[1].clone()];
    for m in [Method::Gam, Method::Mars] {
        let e = voi::evppi(&same, &theta, m, 1).unwrap();
        assert!(e.value.abs() < 1e-9 && e.se.abs() < 1e-9, "{m:?}: {e:?}");
    }
    assert_eq!(voi::evpi(&same).unwrap().value, 0.0);
    // few draws and many inputs: MARS still returns finite numbers
    let mut rng = ChaCha8Rng::seed_from_u64(41);
    let xs: Vec<Vec<f64>> = (0..30).map(|_| normals(&mut rng, 60, 0.0, 1.0)).collect();
    let inb: Vec<f64> = (0..60).map(|i| xs[0][i] + 0.1 * xs[1][i]).collect();
    let e = voi::evppi(&[vec![0.0; 60], inb], &xs, Method::Mars, 1).unwrap();
    assert!(e.value.is_finite() && e.se.is_finite(), "{e:?}");
}

#[test]
fn same_seed_same_bits_and_bad_input() {
    let (nb, theta) = linear_model(2_000, 0.2, &[1.0, 1.5], 30);
    let a = voi::evppi(&nb, &theta[..1], Method::Gam, 1).unwrap();
    let b = voi::evppi(&nb, &theta[..1], Method::Gam, 1).unwrap();
    assert_eq!(a, b);
    let g = voi::evppi_groups(
        &nb,
        &theta,
        &[("first", &[0]), ("both", &[0, 1])],
        Method::Auto,
        1,
    )
    .unwrap();
    assert_eq!(g[0].1, a);
    assert!(voi::evppi(&nb, &[&theta[0][..10]], Method::Gam, 1).is_err());
    assert!(voi::evppi(&nb, &theta, Method::Gam, 1).is_ok());
    assert!(voi::evppi(&nb[..1], &theta, Method::Gam, 1).is_err());
    assert!(
        voi::evppi(
            &nb,
            &[theta[0].clone(), theta[1].clone(), theta[0].clone()],
            Method::Gam,
            1
        )
        .is_err()
    );
    let mut bad = nb.clone();
    bad[1][5] = f64::NAN;
    assert!(voi::evpi(&bad).is_err());
    assert!(voi::evppi_groups(&nb, &theta, &[("x", &[7])], Method::Auto, 1).is_err());
    // a constant input carries no information
    let c = vec![1.0; 2_000];
    assert_eq!(voi::evppi(&nb, &[&c], Method::Gam, 1).unwrap().value, 0.0);
}
