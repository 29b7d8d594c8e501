//! Monte Carlo standard errors of every estimate, from replicate blocks.
//!
//! A run's draws fall into blocks of whole chunks (the engine decides their size).
//! Under rqmc each block is an independently scrambled Sobol' sequence, a
//! *replicate*; under plain Monte Carlo it is a batch of independent draws. Either
//! way the blocks' estimates θ_b (of a mean, an SD, a percentile, a probability of
//! shortfall…) are independent, and the pooled estimate θ̂ of all `N` draws has
//!
//! ```text
//! SE(θ̂)² ≈ B/(B−1) · Σ_b (n_b/N)² (θ_b − θ̂)²
//! ```
//!
//! over the `B` blocks of `n_b` draws (for equal blocks, the variance of the block
//! estimates over `B`: batch means). It needs only three sums per estimate, kept
//! here exactly ([`ExactSum`], shifted by a fixed centre so the squares do not
//! cancel), so memory does not grow with blocks and shards merge to the same bits.
//! With fewer than two blocks there is no spread to measure, and the SE is NaN.

use super::{ExactSum, PERCENTILES, Summary};

/// Estimates per series: mean, SD, then each of [`PERCENTILES`].
pub const PER_SERIES: usize = 2 + PERCENTILES.len();
/// Estimates per shortfall slot: P(shortfall) and the expected shortfall.
pub const PER_SHORT: usize = 2;

/// The replicate sums of every estimate of a run (or of a shard of one).
#[derive(Debug, Clone, PartialEq)]
pub struct Replicates {
    /// Blocks folded in.
    pub blocks: u64,
    /// Σ n_b² over the blocks.
    pub weight: u128,
    /// Σ n_b² (θ_b − K) per estimate (K: [`shift`]).
    pub lin: Vec<ExactSum>,
    /// Σ n_b² (θ_b − K)² per estimate.
    pub sq: Vec<ExactSum>,
}

/// Number of estimates of a run with `n_series` series and `n_short` shortfall
/// slots.
pub fn n_estimates(n_series: usize, n_short: usize) -> usize {
    n_series * PER_SERIES + n_short * PER_SHORT
}

/// Every estimate of `s`, in the order of [`Replicates::lin`].
fn estimates(s: &Summary) -> impl Iterator<Item = f64> + '_ {
    s.series
        .iter()
        .flat_map(|st| {
            [st.mean, st.sd]
                .into_iter()
                .chain(st.percentiles.iter().copied())
        })
        .chain(s.shortfall.iter().flat_map(|sh| [sh.p, sh.expected]))
}

/// The fixed shift of estimate `i`: a series' point-model value for its mean and
/// percentiles (near the estimates, the same in every shard), 0 for the rest.
fn shift(i: usize, centre: &[f64]) -> f64 {
    let n_series = centre.len() * PER_SERIES;
    if i < n_series && i % PER_SERIES != 1 {
        centre[i / PER_SERIES]
    } else {
        0.0
    }
}

impl Replicates {
    /// No blocks yet, for a run of `layout`.
    pub fn new(layout: crate::model::Layout) -> Replicates {
        let n = n_estimates(layout.len(), layout.n_short());
        Replicates {
            blocks: 0,
            weight: 0,
            lin: vec![ExactSum::new(); n],
            sq: vec![ExactSum::new(); n],
        }
    }

    /// Folds in one block's estimates (its own summary); a block whose every draw
    /// was rejected has no estimates and is left out.
    pub fn add_block(&mut self, block: &Summary, centre: &[f64]) {
        if block.draws == 0 {
            return;
        }
        let n2 = (block.draws as f64).powi(2);
        self.blocks += 1;
        self.weight += u128::from(block.draws) * u128::from(block.draws);
        for (i, (theta, (l, q))) in estimates(block)
            .zip(self.lin.iter_mut().zip(&mut self.sq))
            .enumerate()
        {
            let d = theta - shift(i, centre);
            if d.is_finite() {
                l.add(n2 * d);
                q.add(n2 * d * d);
            }
        }
    }

    /// Adds another run's blocks; exact, so the order of merges is immaterial.
    pub fn merge(&mut self, o: &Replicates) {
        self.blocks += o.blocks;
        self.weight += o.weight;
        for (a, b) in self.lin.iter_mut().zip(&o.lin) {
            a.merge(b);
        }
        for (a, b) in self.sq.iter_mut().zip(&o.sq) {
            a.merge(b);
        }
    }

    /// The standard error of every estimate of `pooled` (the summary of all the
    /// blocks' draws), in the order of [`Replicates::lin`]; NaN below two blocks.
    pub fn standard_errors(&self, pooled: &Summary, centre: &[f64]) -> Vec<f64> {
        let b = self.blocks as f64;
        let n = pooled.draws as f64;
        estimates(pooled)
            .enumerate()
            .map(|(i, theta)| {
                if self.blocks < 2 || !theta.is_finite() {
                    return f64::NAN;
                }
                let delta = theta - shift(i, centre);
                let (l, q) = (self.lin[i].value(), self.sq[i].value());
                let ss = q - 2.0 * delta * l + delta * delta * self.weight as f64;
                (b / (b - 1.0) * ss.max(0.0)).sqrt() / n
            })
            .collect()
    }
}

/// Puts the standard errors of [`Replicates::standard_errors`] into `s`.
pub fn apply(s: &mut Summary, se: &[f64]) {
    let (series, short) = se.split_at(s.series.len() * PER_SERIES);
    for (st, e) in s.series.iter_mut().zip(series.chunks(PER_SERIES)) {
        st.se_mean = e[0];
        st.se_sd = e[1];
        st.se_percentiles.copy_from_slice(&e[2..]);
    }
    for (sh, e) in s.shortfall.iter_mut().zip(short.chunks(PER_SHORT)) {
        sh.se = e[0];
        sh.expected_se = e[1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Layout;
    use crate::stats::Accumulator;

    fn lay() -> Layout {
        Layout::of(&crate::dims::Dims::report())
    }

    /// A block of `n` draws whose every output equals `v` (so its mean and every
    /// percentile are `v`, and its P(shortfall) is 1 if `v` < 0, else 0).
    fn block(centre: &[f64], n: u64, v: f64) -> Accumulator {
        let mut a = Accumulator::new(centre.to_vec(), lay());
        for _ in 0..n {
            a.add(&vec![v; lay().len()]);
        }
        a.end_chunk();
        a
    }

    /// The known answer: SE² = B/(B−1) Σ (n_b/N)² (θ_b − θ̂)².
    fn expected(blocks: &[(u64, f64)], theta: impl Fn(f64) -> f64) -> f64 {
        let n: u64 = blocks.iter().map(|b| b.0).sum();
        let pooled = blocks
            .iter()
            .map(|&(k, v)| k as f64 * theta(v))
            .sum::<f64>()
            / n as f64;
        let b = blocks.len() as f64;
        let ss: f64 = blocks
            .iter()
            .map(|&(k, v)| (k as f64 / n as f64).powi(2) * (theta(v) - pooled).powi(2))
            .sum();
        (b / (b - 1.0) * ss).sqrt()
    }

    #[test]
    fn standard_errors_are_the_spread_of_the_blocks() {
        let centre = vec![100.0; lay().len()];
        let blocks = [(10u64, 120.0), (10, -80.0), (6, 95.5), (10, 101.0)];
        let mut total = Accumulator::new(centre.clone(), lay());
        let mut reps = Replicates::new(lay());
        for &(n, v) in &blocks {
            let a = block(&centre, n, v);
            reps.add_block(&a.finish(), &centre);
            total.merge(&a);
        }
        let s = total.finish_with(&reps);
        let mean_se = expected(&blocks, |v| v);
        let j = 0;
        assert!((s.series[j].se_mean - mean_se).abs() < 1e-9 * mean_se);
        // Percentiles of constant blocks are the blocks' values (within the sketch's
        // bins), pooled: the pooled P5 is the lowest block's value.
        let p5 = s.series[j].percentiles[0];
        let p5_se = expected(&blocks, |v| {
            crate::stats::sketch::value_of(crate::stats::sketch::key(v))
        })
        .max(0.0);
        assert!(p5 < 0.0 && s.series[j].se_percentiles[0] > 0.0 && p5_se > 0.0);
        // Every block has SD 0, so the SD's error is the spread of 0 around the
        // pooled SD: √(B/(B−1) Σ w²) · SD.
        let n = 36.0;
        let w2: f64 = blocks.iter().map(|b| (b.0 as f64 / n).powi(2)).sum();
        let want = (4.0 / 3.0 * w2).sqrt() * s.series[j].sd;
        assert!((s.series[j].se_sd - want).abs() < 1e-9 * want);
        // P(shortfall): blocks are all short (1) or not (0).
        let slot = (0..lay().n_short())
            .find(|&i| lay().short_gap_index(i) == j)
            .unwrap_or(0);
        let p_se = expected(&blocks, |v| if v < 0.0 { 1.0 } else { 0.0 });
        let got = s.shortfall[slot].se;
        assert!((got - p_se).abs() < 1e-12, "{got} vs {p_se}");
    }

    #[test]
    fn merges_in_any_order_give_the_same_bits_and_one_block_gives_none() {
        let centre = vec![3.0; lay().len()];
        let states: Vec<Replicates> = [(7u64, 1.5), (9, 2.25), (3, -4.0), (11, 3.0)]
            .iter()
            .map(|&(n, v)| {
                let mut r = Replicates::new(lay());
                r.add_block(&block(&centre, n, v).finish(), &centre);
                r
            })
            .collect();
        let mut a = Replicates::new(lay());
        for r in &states {
            a.merge(r);
        }
        let mut b = Replicates::new(lay());
        for r in states.iter().rev() {
            b.merge(r);
        }
        assert!(a == b);
        let one = block(&centre, 5, 1.0);
        let mut r = Replicates::new(lay());
        r.add_block(&one.finish(), &centre);
        assert!(one.finish_with(&r).series[0].se_mean.is_nan());
    }
}
