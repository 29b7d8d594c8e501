//! Acceptability and robustness of options across Monte Carlo draws.
//!
//! Options are compared on net benefit `NB_k = -(cost_k + lambda *
//! shortfall_k)`, with `cost` in pounds, `shortfall` in WTE-years and
//! `lambda` the value of one WTE-year of shortfall avoided.
//!
//! * [`acceptability`]: the probability that each option has the highest net
//!   benefit at each `lambda` (cost-effectiveness acceptability curves,
//!   van Hout et al. 1994) and the frontier: the option with the highest
//!   expected net benefit, its probability of being best and the EVPI at that
//!   `lambda` (Fenwick, Claxton & Sculpher 2001).
//! * [`regret`]: per draw, regret is the shortfall of an option's net benefit
//!   from the best option's in that draw (Savage 1951); mean and 90th
//!   percentile per option.
//! * [`satisficing`]: the share of draws in which an option meets a
//!   criterion (Simon 1956; used as a robustness measure in robust decision
//!   making, Lempert et al. 2003).
//! * [`expected_shortfall`]: mean shortfall per option.
//!
//! Standard errors treat draws as independent: a share's SE is the sample
//! standard deviation of its per-draw values (0/1, or a tie share) over
//! `sqrt(n)`, which without ties is the binomial `sqrt(p (1 - p) / (n - 1))`.

use crate::{Estimate, check_columns, mean_se};

/// Acceptability curves and the frontier over a grid of `lambda` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptability {
    /// The `lambda` values, as given.
    pub lambdas: Vec<f64>,
    /// `prob[l][k]`: probability that option k has the highest net benefit
    /// at `lambdas[l]`; draws where several options tie share the draw
    /// equally, so each row sums to 1.
    pub prob: Vec<Vec<f64>>,
    /// Standard errors of `prob`, same layout.
    pub se: Vec<Vec<f64>>,
    /// The frontier, one point per `lambda`.
    pub frontier: Vec<FrontierPoint>,
}

/// The option chosen on expected net benefit at one `lambda`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    /// The `lambda` value.
    pub lambda: f64,
    /// Option with the highest mean net benefit (lowest index on ties).
    pub best: usize,
    /// Its mean net benefit.
    pub expected_nb: f64,
    /// Its probability of having the highest net benefit.
    pub prob_best: f64,
    /// Expected value of perfect information at this `lambda`; see
    /// [`crate::voi::evpi`] for its standard error.
    pub evpi: Estimate,
}

/// Regret summary of one option.
#[derive(Debug, Clone, PartialEq)]
pub struct RegretSummary {
    /// Mean regret with its standard error.
    pub mean: Estimate,
    /// 90th percentile of regret: type-7 quantile (Hyndman & Fan 1996; the
    /// default of R and numpy), linear between order statistics at position
    /// `0.9 (n - 1)`.
    pub p90: f64,
}

fn check_pair<C: AsRef<[f64]>>(cost: &[C], shortfall: &[C]) -> Result<usize, String> {
    let n = check_columns(cost, "cost")?;
    let m = check_columns(shortfall, "shortfall")?;
    if cost.len() != shortfall.len() {
        return Err(format!(
            "cost has {} options but shortfall has {}",
            cost.len(),
            shortfall.len()
        ));
    }
    if m != n {
        return Err(format!("cost has {n} draws but shortfall has {m}"));
    }
    Ok(n)
}

/// Net benefit `-(cost_k + lambda * shortfall_k)` per option and draw.
pub fn net_benefit<C: AsRef<[f64]>>(
    cost: &[C],
    shortfall: &[C],
    lambda: f64,
) -> Result<Vec<Vec<f64>>, String> {
    check_pair(cost, shortfall)?;
    if !lambda.is_finite() {
        return Err("lambda must be finite".into());
    }
    Ok(cost
        .iter()
        .zip(shortfall)
        .map(|(c, s)| {
            c.as_ref()
                .iter()
                .zip(s.as_ref())
                .map(|(c, s)| -(c + lambda * s))
                .collect()
        })
        .collect())
}

/// Per-draw share of "being best" for every option: 1 for the unique best,
/// `1/t` for each of `t` tied best options.
fn best_shares(nb: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = nb[0].len();
    let mut shares = vec![vec![0.0; n]; nb.len()];
    for i in 0..n {
        let mx = nb.iter().map(|v| v[i]).fold(f64::NEG_INFINITY, f64::max);
        let t = nb.iter().filter(|v| v[i] == mx).count() as f64;
        for (k, v) in nb.iter().enumerate() {
            if v[i] == mx {
                shares[k][i] = 1.0 / t;
            }
        }
    }
    shares
}

/// Acceptability of every option at every `lambda`, and the frontier.
pub fn acceptability<C: AsRef<[f64]>>(
    cost: &[C],
    shortfall: &[C],
    lambdas: &[f64],
) -> Result<Acceptability, String> {
    let n = check_pair(cost, shortfall)?;
    if lambdas.is_empty() {
        return Err("acceptability: no lambda values given".into());
    }
    let mut prob = Vec::with_capacity(lambdas.len());
    let mut se = Vec::with_capacity(lambdas.len());
    let mut frontier = Vec::with_capacity(lambdas.len());
    for &lambda in lambdas {
        let nb = net_benefit(cost, shortfall, lambda)?;
        let shares = best_shares(&nb);
        let est: Vec<Estimate> = shares.iter().map(|s| mean_se(s)).collect();
        let means: Vec<f64> = nb
            .iter()
            .map(|v| v.iter().sum::<f64>() / n as f64)
            .collect();
        let best = crate::voi::argmax(&means);
        let evpi = if nb.len() >= 2 {
            crate::voi::evpi(&nb)?
        } else {
            Estimate {
                value: 0.0,
                se: 0.0,
            }
        };
        frontier.push(FrontierPoint {
            lambda,
            best,
            expected_nb: means[best],
            prob_best: est[best].value,
            evpi,
        });
        prob.push(est.iter().map(|e| e.value).collect());
        se.push(est.iter().map(|e| e.se).collect());
    }
    Ok(Acceptability {
        lambdas: lambdas.to_vec(),
        prob,
        se,
        frontier,
    })
}

/// Type-7 quantile of unsorted data.
fn quantile7(v: &[f64], q: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_unstable_by(f64::total_cmp);
    let h = (s.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(s.len() - 1);
    s[lo] + (h - lo as f64) * (s[hi] - s[lo])
}

/// Regret of every option given per-draw net benefits `nb` (one slice per
/// option): `regret_k(i) = max_j NB_j(i) - NB_k(i)`.
pub fn regret<C: AsRef<[f64]>>(nb: &[C]) -> Result<Vec<RegretSummary>, String> {
    let n = check_columns(nb, "net benefits")?;
    let best: Vec<f64> = (0..n)
        .map(|i| {
            nb.iter()
                .map(|v| v.as_ref()[i])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    Ok(nb
        .iter()
        .map(|v| {
            let r: Vec<f64> = v.as_ref().iter().zip(&best).map(|(x, b)| b - x).collect();
            RegretSummary {
                mean: mean_se(&r),
                p90: quantile7(&r, 0.9),
            }
        })
        .collect())
}

/// Share of draws in which each option satisfies a criterion, from
/// per-option per-draw flags (e.g. "no area short", "area X not short").
pub fn satisficing<B: AsRef<[bool]>>(flags: &[B]) -> Result<Vec<Estimate>, String> {
    if flags.is_empty() {
        return Err("satisficing: no options given".into());
    }
    let n = flags[0].as_ref().len();
    if n == 0 {
        return Err("satisficing: no draws given".into());
    }
    if let Some(k) = flags.iter().position(|f| f.as_ref().len() != n) {
        return Err(format!(
            "satisficing: option {k} has {} draws but option 0 has {n}",
            flags[k].as_ref().len()
        ));
    }
    Ok(flags
        .iter()
        .map(|f| {
            let v: Vec<f64> = f.as_ref().iter().map(|&b| b as u8 as f64).collect();
            mean_se(&v)
        })
        .collect())
}

/// Mean shortfall (WTE-years) per option with its standard error.
pub fn expected_shortfall<C: AsRef<[f64]>>(shortfall: &[C]) -> Result<Vec<Estimate>, String> {
    check_columns(shortfall, "shortfall")?;
    Ok(shortfall.iter().map(|s| mean_se(s.as_ref())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Payoff table (net benefit), 3 options x 4 draws:
    //            d1  d2  d3  d4
    //   opt0     10   4   6   0
    //   opt1      8   8   2   5
    //   opt2      9   1   6   7
    //   best     10   8   6   7
    // regret0 = 0 4 0 7 -> mean 11/4 = 2.75; sorted 0 0 4 7, position
    //   0.9 * 3 = 2.7 -> 4 + 0.7 * (7 - 4) = 6.1
    // regret1 = 2 0 4 2 -> mean 2; sorted 0 2 2 4 -> 2 + 0.7 * 2 = 3.4
    // regret2 = 1 7 0 0 -> mean 2; sorted 0 0 1 7 -> 1 + 0.7 * 6 = 5.2
    // SE of mean regret0: squared deviations 7.5625 1.5625 7.5625 18.0625
    //   sum 34.75, variance 34.75 / 3, SE sqrt(34.75 / 3 / 4) = 1.70171...
    // best per draw: opt0, opt1, tie opt0/opt2, opt2
    //   -> acceptability 1.5/4, 1/4, 1.5/4 = 0.375, 0.25, 0.375
    fn table() -> Vec<Vec<f64>> {
        vec![
            vec![10.0, 4.0, 6.0, 0.0],
            vec![8.0, 8.0, 2.0, 5.0],
            vec![9.0, 1.0, 6.0, 7.0],
        ]
    }

    #[test]
    fn regret_by_hand() {
        let r = regret(&table()).unwrap();
        let want = [(2.75, 6.1), (2.0, 3.4), (2.0, 5.2)];
        for (got, (m, p)) in r.iter().zip(want) {
            assert!((got.mean.value - m).abs() < 1e-12);
            assert!((got.p90 - p).abs() < 1e-12, "{} vs {p}", got.p90);
        }
        assert!((r[0].mean.se - (34.75f64 / 3.0 / 4.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn acceptability_by_hand_with_a_tie() {
        // cost = -NB and no shortfall reproduces the table at any lambda
        let cost: Vec<Vec<f64>> = table()
            .iter()
            .map(|v| v.iter().map(|x| -x).collect())
            .collect();
        let short = vec![vec![0.0; 4]; 3];
        let a = acceptability(&cost, &short, &[0.0, 10.0]).unwrap();
        for row in &a.prob {
            assert_eq!(row, &vec![0.375, 0.25, 0.375]);
        }
        // means 5, 5.75, 5.75: options 1 and 2 tie, the lower index wins
        let f = &a.frontier[0];
        assert_eq!(f.best, 1);
        assert_eq!(f.expected_nb, 5.75);
        assert_eq!(f.prob_best, 0.25);
        // EVPI = mean(best) - 5.75 = 31/4 - 5.75 = 2
        assert!((f.evpi.value - 2.0).abs() < 1e-12);
    }

    #[test]
    fn satisficing_by_hand() {
        // opt0 meets the criterion in 3 of 4 draws: share 0.75, variance of
        // the 0/1 values (3 * 0.0625 + 0.5625) / 3 = 0.25, SE sqrt(0.25/4)
        let flags = vec![vec![true, false, true, true], vec![false; 4], vec![true; 4]];
        let s = satisficing(&flags).unwrap();
        assert_eq!(s[0].value, 0.75);
        assert!((s[0].se - 0.25).abs() < 1e-12);
        assert_eq!((s[1].value, s[1].se), (0.0, 0.0));
        assert_eq!((s[2].value, s[2].se), (1.0, 0.0));
        assert!(satisficing(&[vec![true], vec![true, false]]).is_err());
    }

    #[test]
    fn frontier_switches_where_expected_net_benefits_cross() {
        // A: cost 100, shortfall 5; B: cost 300, shortfall 1, plus draw noise
        // of mean exactly zero. E[NB_A] = -(100 + 5 l), E[NB_B] = -(300 + l),
        // equal at l = 50.
        let noise = [-30.0, 10.0, 30.0, -10.0, 0.0];
        let cost = vec![
            noise.iter().map(|e| 100.0 + e).collect::<Vec<_>>(),
            noise.iter().map(|e| 300.0 - e).collect::<Vec<_>>(),
        ];
        let short = vec![vec![5.0; 5], vec![1.0; 5]];
        let lambdas: Vec<f64> = (0..=100).map(|l| l as f64).collect();
        let a = acceptability(&cost, &short, &lambdas).unwrap();
        for (l, f) in lambdas.iter().zip(&a.frontier) {
            let want = if *l <= 50.0 { 0 } else { 1 };
            assert_eq!(f.best, want, "lambda {l}");
        }
        for row in &a.prob {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        }
        let es = expected_shortfall(&short).unwrap();
        assert_eq!((es[0].value, es[1].value), (5.0, 1.0));
    }

    #[test]
    fn acceptability_sums_to_one_with_many_options() {
        // 5 options, 1000 draws, some exact ties (small integer values)
        let n = 1000;
        let cost: Vec<Vec<f64>> = (0..5)
            .map(|k| (0..n).map(|i| ((i * (k + 3) * 7919) % 13) as f64).collect())
            .collect();
        let short: Vec<Vec<f64>> = (0..5)
            .map(|k| {
                (0..n)
                    .map(|i| ((i * (k + 1) * 104729) % 5) as f64)
                    .collect()
            })
            .collect();
        let a = acceptability(&cost, &short, &[0.0, 0.5, 1.0, 2.0, 1e3]).unwrap();
        for row in &a.prob {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{row:?}");
        }
        assert!(acceptability(&cost, &short[..4], &[1.0]).is_err());
        assert!(acceptability(&cost, &short, &[]).is_err());
    }
}
