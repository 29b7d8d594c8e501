//! Streaming Spearman rank correlation of inputs with outputs: the statistic behind
//! `correlation.csv` (the @RISK / Crystal Ball view; `docs/src/sensitivity.md`, "Rank
//! correlation").
//!
//! Spearman's ρ is Pearson's correlation of the ranks, and a rank divided by n is
//! the empirical CDF. Streaming cannot sort all draws, so ranks come from CDFs:
//!
//! - an **input's** rank is its exact marginal CDF (Φ of its normal score for
//!   factor-linked inputs, from [`crate::distributions::PhiTable`] to within 3·10⁻¹¹;
//!   mid-steps for ties of discrete inputs and bands);
//! - an **output's** rank is its CDF estimated by a *pilot*: the first
//!   [`PILOT_DRAWS`] draws of the run, or all of a smaller run's (the same draws on
//!   every shard), binned by the quantile sketch and kept as [`KNOTS`] quantiles. The
//!   pilot CDF of n draws is within ε = √(ln(2/0.05) / 2n) of the true CDF everywhere
//!   with 95 % confidence (Dvoretzky–Kiefer–Wolfowitz; ε ≈ 0.0053 at [`PILOT_DRAWS`]),
//!   so the correlation moves by at most about 6ε ≈ 0.032 in the worst case and by
//!   far less in practice (the error is smooth, not adversarial). The pilot is
//!   65,536 draws rather than more because a whole run keeps its rank values in
//!   memory until they are all made (244 bytes a draw: 16 MB here), which is most
//!   of a run's memory beyond the statistics themselves. The engine does
//!   not draw the pilot twice: a whole run keeps the rank values of its first draws
//!   until they are all made ([`crate::engine::Runner`]);
//! - ranks and output values are rounded to `f32` first (6·10⁻⁸ relative), which is
//!   what lets a run keep them in 244 bytes a draw.
//!
//! Sums of products are folded into exact sums per chunk, so the result is the same
//! bits for any thread count or sharding, like every other statistic.

use super::{ExactSum, Sketch};

/// Draws of the pilot that estimates output CDFs (16 chunks).
pub const PILOT_DRAWS: u64 = 1 << 16;

/// Knots of a [`CdfTable`]: quantiles at multiples of 1/KNOTS.
pub const KNOTS: usize = 1024;

/// An output's CDF from a pilot sketch, as [`KNOTS`] + 1 quantiles with linear
/// interpolation between them: 8 KB per output, so lookups stay in cache beside the
/// run's quantile sketches. Interpolation adds at most 1/KNOTS ≈ 0.001 to the
/// pilot's own CDF error.
#[derive(Debug, Clone, PartialEq)]
pub struct CdfTable {
    knots: Vec<f64>,
}

impl CdfTable {
    /// The table of a sketch.
    pub fn new(s: &Sketch) -> CdfTable {
        // One pass over the bins for all the knots (as `Sketch::quantile` at each).
        let qs: [f64; KNOTS + 1] = std::array::from_fn(|j| j as f64 / KNOTS as f64);
        CdfTable {
            knots: s.quantiles(qs).to_vec(),
        }
    }

    /// The rank of `y` in [0, 1]; values equal to a run of equal knots (an atom)
    /// get the middle of the run.
    #[inline]
    pub fn rank(&self, y: f64) -> f64 {
        let k = &self.knots;
        let lo = k.partition_point(|x| *x < y);
        if lo == 0 {
            // Below the pilot's minimum, or equal to it: the bottom.
            return 0.0;
        }
        if lo > KNOTS {
            return 1.0;
        }
        if k[lo] == y {
            let hi = k.partition_point(|x| *x <= y);
            return 0.5 * (lo + hi - 1) as f64 / KNOTS as f64;
        }
        let (a, b) = (k[lo - 1], k[lo]);
        ((lo - 1) as f64 + (y - a) / (b - a)) / KNOTS as f64
    }
}

/// Streaming state of the rank correlations of `n_in` inputs with `n_out` outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct RankCorr {
    /// Number of inputs.
    pub n_in: usize,
    /// Number of outputs.
    pub n_out: usize,
    /// Draws folded in.
    pub draws: u64,
    /// Exact sums, in order: Σu, Σu² per input; Σv, Σv² per output; Σuv per pair
    /// (input-major), where u, v are ranks minus one half.
    pub sums: Vec<ExactSum>,
    chunk: Vec<f64>,
}

impl RankCorr {
    /// Empty state.
    pub fn new(n_in: usize, n_out: usize) -> RankCorr {
        let len = 2 * n_in + 2 * n_out + n_in * n_out;
        RankCorr {
            n_in,
            n_out,
            draws: 0,
            sums: vec![ExactSum::new(); len],
            chunk: vec![0.0; len],
        }
    }

    /// Adds one draw's input ranks `u` and output ranks `v`.
    #[inline]
    pub fn add(&mut self, u: &[f64], v: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked on the line above.
            unsafe { self.add_avx2(u, v) };
            return;
        }
        self.add_portable(u, v);
    }

    /// [`RankCorr::add`] compiled for AVX2; the same IEEE operations in the same
    /// order, so the same bits.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn add_avx2(&mut self, u: &[f64], v: &[f64]) {
        self.add_portable(u, v);
    }

    #[inline(always)]
    fn add_portable(&mut self, u: &[f64], v: &[f64]) {
        let (ni, no) = (self.n_in, self.n_out);
        let (moments, cross) = self.chunk.split_at_mut(2 * ni + 2 * no);
        for (i, &x) in u.iter().enumerate() {
            let x = x - 0.5;
            moments[i] += x;
            moments[ni + i] += x * x;
        }
        for (o, &y) in v.iter().enumerate() {
            let y = y - 0.5;
            moments[2 * ni + o] += y;
            moments[2 * ni + no + o] += y * y;
        }
        for (row, &x) in cross.chunks_exact_mut(no).zip(u) {
            let x = x - 0.5;
            for (c, &y) in row.iter_mut().zip(v) {
                *c += x * (y - 0.5);
            }
        }
        self.draws += 1;
    }

    /// Folds the chunk's `f64` sums into the exact sums.
    pub fn end_chunk(&mut self) {
        for (s, c) in self.sums.iter_mut().zip(self.chunk.iter_mut()) {
            s.add(std::mem::take(c));
        }
    }

    /// Adds another state (which must have ended its chunks).
    pub fn merge(&mut self, o: &RankCorr) {
        self.draws += o.draws;
        for (a, b) in self.sums.iter_mut().zip(&o.sums) {
            a.merge(b);
        }
    }

    /// Spearman's ρ of input `i` with output `o` (NaN if either is constant).
    pub fn spearman(&self, i: usize, o: usize) -> f64 {
        let (ni, no) = (self.n_in, self.n_out);
        let n = self.draws as f64;
        let v = |k: usize| self.sums[k].value();
        let (su, suu) = (v(i), v(ni + i));
        let (sv, svv) = (v(2 * ni + o), v(2 * ni + no + o));
        let suv = v(2 * ni + 2 * no + i * no + o);
        let cov = suv - su * sv / n;
        let var_u = suu - su * su / n;
        let var_v = svv - sv * sv / n;
        if var_u <= 0.0 || var_v <= 0.0 {
            return f64::NAN;
        }
        (cov / (var_u * var_v).sqrt()).clamp(-1.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    fn pilot(values: impl Iterator<Item = f64>) -> CdfTable {
        let mut s = Sketch::new();
        for v in values {
            s.add(v);
        }
        CdfTable::new(&s)
    }

    #[test]
    fn simd_and_portable_sums_give_the_same_bits() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let (mut a, mut b) = (RankCorr::new(37, 24), RankCorr::new(37, 24));
        for _ in 0..3000 {
            let u: Vec<f64> = (0..37).map(|_| rng.random()).collect();
            let v: Vec<f64> = (0..24).map(|_| rng.random()).collect();
            a.add(&u, &v);
            b.add_portable(&u, &v);
        }
        a.end_chunk();
        b.end_chunk();
        assert!(a == b);
    }

    #[test]
    fn monotone_transform_has_spearman_one() {
        // Input uniform on (0,1) (its rank is itself); outputs are monotone
        // transforms of it, one increasing, one decreasing.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let f_up = |u: f64| 1000.0 * (3.0 * u).exp();
        let f_down = |u: f64| 5.0 - 900.0 * u.powi(3);
        let xs: Vec<f64> = (0..1 << 16).map(|_| rng.random::<f64>()).collect();
        let up = pilot(xs.iter().map(|&u| f_up(u)));
        let down = pilot(xs.iter().map(|&u| f_down(u)));
        let mut rc = RankCorr::new(1, 2);
        for (k, &u) in xs.iter().enumerate() {
            rc.add(&[u], &[up.rank(f_up(u)), down.rank(f_down(u))]);
            if k % 4096 == 4095 {
                rc.end_chunk();
            }
        }
        rc.end_chunk();
        // Ties within a sketch bin (relative width 2^-9) are all that keeps it off 1.
        assert!(rc.spearman(0, 0) > 0.9999, "{}", rc.spearman(0, 0));
        assert!(rc.spearman(0, 1) < -0.9999, "{}", rc.spearman(0, 1));
    }

    #[test]
    fn bivariate_normal_matches_closed_form() {
        // For a bivariate normal with correlation r, Spearman's ρ = (6/π) asin(r/2).
        use rand_distr::{Distribution, StandardNormal};
        let r: f64 = 0.6;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let n = 200_000;
        let draws: Vec<(f64, f64)> = (0..n)
            .map(|_| {
                let a: f64 = StandardNormal.sample(&mut rng);
                let b: f64 = StandardNormal.sample(&mut rng);
                (a, r * a + (1.0 - r * r).sqrt() * b)
            })
            .collect();
        // Output values in thousands, so the sketch's bins are fine-grained.
        let table = pilot(draws.iter().take(1 << 16).map(|d| 1e4 * d.1));
        let mut rc = RankCorr::new(1, 1);
        for (a, b) in &draws {
            rc.add(&[crate::distributions::phi(*a)], &[table.rank(1e4 * b)]);
        }
        rc.end_chunk();
        let want = 6.0 / std::f64::consts::PI * (r / 2.0).asin();
        // Sampling sd of Spearman ≈ (1 − ρ²)/√n ≈ 0.0014; allow 4 sd plus the pilot.
        let got = rc.spearman(0, 0);
        assert!((got - want).abs() < 4.0 * 0.0014 + 0.005, "{got} vs {want}");
    }

    #[test]
    fn merge_is_exact_and_order_free() {
        let mut a = RankCorr::new(2, 1);
        let mut b = RankCorr::new(2, 1);
        for k in 0..100 {
            let u = [(k as f64 * 0.37) % 1.0, (k as f64 * 0.11) % 1.0];
            let v = [(k as f64 * 0.53) % 1.0];
            if k % 3 == 0 {
                a.add(&u, &v)
            } else {
                b.add(&u, &v)
            }
        }
        a.end_chunk();
        b.end_chunk();
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
    }
}
