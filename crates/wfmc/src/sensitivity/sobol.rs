//! Global sensitivity: first-order and total Sobol indices per input group, with
//! bootstrap confidence intervals (user guide, "Sensitivity").
//!
//! For each of `n` rows two independent draws A and B are made; for every group g,
//! A_B^g is A with g's variates taken from B. With f centred on a reference value
//! (which leaves the indices unchanged and keeps sums well conditioned):
//!
//! - V = variance of f over all A and B draws;
//! - S1_g = mean(f(B) · (f(A_B^g) − f(A))) / V (Saltelli et al. 2010);
//! - ST_g = mean((f(A) − f(A_B^g))²) / 2V (Jansen 1999).
//!
//! Cost: n × (groups + 2) model evaluations. Rows are split into [`BLOCKS`]
//! contiguous blocks, each summed sequentially by one task, so results do not depend
//! on the thread count. Confidence intervals come from a bootstrap over blocks
//! (blocks are i.i.d., so resampling them is a valid bootstrap of the row means
//! with memory independent of n): [`RESAMPLES`] resamples, percentile 95 % interval.

use crate::config::Config;
use crate::error::Error;
use crate::model::Output;
use crate::model::{Inputs, evaluate};
use crate::sampling::Sampler;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::ops::Range;

/// Blocks the rows are summed in (the bootstrap's units).
pub const BLOCKS: usize = 256;
/// Bootstrap resamples (enough for the 0.3 % tails of simultaneous intervals).
pub const RESAMPLES: usize = 2000;
/// Default number of rows.
pub const DEFAULT_N: usize = 1 << 14;

/// A model whose random inputs come in independent groups of raw variates.
pub trait GroupedModel: Sync {
    /// Per-thread working memory.
    type Scratch: Send;
    /// Names of the groups analysed.
    fn groups(&self) -> Vec<String>;
    /// The raw variates of group `g`.
    fn group_range(&self, g: usize) -> Range<usize>;
    /// Length of a raw vector.
    fn raw_len(&self) -> usize;
    /// Number of outputs.
    fn n_outputs(&self) -> usize;
    /// Fresh scratch.
    fn scratch(&self) -> Self::Scratch;
    /// Draws one raw vector (every group independently).
    fn draw(&self, rng: &mut ChaCha8Rng, raw: &mut [f64]);
    /// Evaluates the outputs at a raw vector.
    fn eval(&self, raw: &[f64], scratch: &mut Self::Scratch, out: &mut [f64]);
}

/// Indices of one group for one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    /// First-order index and its 95 % interval.
    pub s1: [f64; 3],
    /// Total index and its 95 % interval.
    pub st: [f64; 3],
}

/// Results: `indices[output][group]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolResult {
    /// Group names.
    pub groups: Vec<String>,
    /// Rows used.
    pub n: usize,
    /// Per output, per group.
    pub indices: Vec<Vec<Indices>>,
    /// Variance of each output.
    pub variance: Vec<f64>,
}

/// Per-block sums, laid out per output: n-free moments then per-group sums.
struct Sums {
    n: f64,
    /// Per output: [ΣA, ΣA², ΣB, ΣB²].
    mom: Vec<[f64; 4]>,
    /// Per output × group: [Σ B(ABg − A), Σ (A − ABg)²].
    grp: Vec<[f64; 2]>,
}

impl Sums {
    fn new(n_out: usize, n_grp: usize) -> Sums {
        Sums {
            n: 0.0,
            mom: vec![[0.0; 4]; n_out],
            grp: vec![[0.0; 2]; n_out * n_grp],
        }
    }
    fn add(&mut self, o: &Sums, w: f64) {
        self.n += w * o.n;
        for (a, b) in self.mom.iter_mut().zip(&o.mom) {
            for k in 0..4 {
                a[k] += w * b[k];
            }
        }
        for (a, b) in self.grp.iter_mut().zip(&o.grp) {
            a[0] += w * b[0];
            a[1] += w * b[1];
        }
    }
    /// (S1, ST) per output × group, and V per output.
    fn indices(&self, n_grp: usize) -> (Vec<(f64, f64)>, Vec<f64>) {
        let n = self.n;
        let var: Vec<f64> = self
            .mom
            .iter()
            .map(|m| {
                let mean = (m[0] + m[2]) / (2.0 * n);
                (m[1] + m[3]) / (2.0 * n) - mean * mean
            })
            .collect();
        let idx = self
            .grp
            .iter()
            .enumerate()
            .map(|(k, g)| {
                let v = var[k / n_grp];
                if v <= 0.0 {
                    (f64::NAN, f64::NAN)
                } else {
                    (g[0] / n / v, g[1] / (2.0 * n) / v)
                }
            })
            .collect();
        (idx, var)
    }
}

/// Estimates the indices of every group for every output with `n` rows, on
/// `threads` threads, with 95 % intervals. The same `seed` and `n` give the same
/// bits whatever `threads`. `centre` (one value per output) is subtracted before
/// summing; the point model's outputs are a good choice.
pub fn estimate<M: GroupedModel>(
    model: &M,
    n: usize,
    seed: u64,
    threads: usize,
    centre: &[f64],
) -> Result<SobolResult, Error> {
    estimate_at(model, n, seed, threads, centre, 0.95)
}

/// [`estimate`] with intervals at confidence `level` (e.g. a Bonferroni-adjusted
/// level for simultaneous intervals over many indices).
pub fn estimate_at<M: GroupedModel>(
    model: &M,
    n: usize,
    seed: u64,
    threads: usize,
    centre: &[f64],
    level: f64,
) -> Result<SobolResult, Error> {
    if n < 2 * BLOCKS {
        return Err(Error::setting(
            crate::error::Setting::SobolN,
            n,
            format!(
                "Sobol needs at least {} rows ({BLOCKS} bootstrap blocks of 2)",
                2 * BLOCKS
            ),
        ));
    }
    if threads == 0 || threads > crate::engine::MAX_THREADS {
        return Err(Error::setting(
            crate::error::Setting::Threads,
            threads,
            format!("must be between 1 and {}", crate::engine::MAX_THREADS),
        ));
    }
    let groups = model.groups();
    let (n_grp, n_out, len) = (groups.len(), model.n_outputs(), model.raw_len());
    let pool = crate::engine::thread_pool(threads.min(BLOCKS))?;
    let blocks: Vec<Sums> = pool.install(|| {
        (0..BLOCKS)
            .into_par_iter()
            .map(|b| {
                let rows = (n * b / BLOCKS)..(n * (b + 1) / BLOCKS);
                let mut sums = Sums::new(n_out, n_grp);
                let mut scratch = model.scratch();
                let (mut a, mut bb, mut ab) = (vec![0.0; len], vec![0.0; len], vec![0.0; len]);
                let (mut fa, mut fb, mut fab) =
                    (vec![0.0; n_out], vec![0.0; n_out], vec![0.0; n_out]);
                for row in rows {
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    rng.set_stream(row as u64);
                    model.draw(&mut rng, &mut a);
                    model.draw(&mut rng, &mut bb);
                    model.eval(&a, &mut scratch, &mut fa);
                    model.eval(&bb, &mut scratch, &mut fb);
                    for o in 0..n_out {
                        fa[o] -= centre[o];
                        fb[o] -= centre[o];
                        let m = &mut sums.mom[o];
                        m[0] += fa[o];
                        m[1] += fa[o] * fa[o];
                        m[2] += fb[o];
                        m[3] += fb[o] * fb[o];
                    }
                    for g in 0..n_grp {
                        let r = model.group_range(g);
                        ab.copy_from_slice(&a);
                        ab[r.clone()].copy_from_slice(&bb[r]);
                        model.eval(&ab, &mut scratch, &mut fab);
                        for o in 0..n_out {
                            let y = fab[o] - centre[o];
                            let s = &mut sums.grp[o * n_grp + g];
                            s[0] += fb[o] * (y - fa[o]);
                            s[1] += (fa[o] - y) * (fa[o] - y);
                        }
                    }
                    sums.n += 1.0;
                }
                sums
            })
            .collect()
    });
    // Totals in block order: a fixed summation order.
    let mut total = Sums::new(n_out, n_grp);
    for b in &blocks {
        total.add(b, 1.0);
    }
    let (point, variance) = total.indices(n_grp);
    // Bootstrap over blocks, with its own deterministic stream.
    let boots: Vec<Vec<(f64, f64)>> = pool.install(|| {
        (0..RESAMPLES)
            .into_par_iter()
            .map(|r| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_B007);
                rng.set_stream(r as u64);
                let mut w = [0u32; BLOCKS];
                for _ in 0..BLOCKS {
                    w[rng.random_range(0..BLOCKS)] += 1;
                }
                let mut s = Sums::new(n_out, n_grp);
                for (b, &k) in blocks.iter().zip(&w) {
                    if k > 0 {
                        s.add(b, f64::from(k));
                    }
                }
                s.indices(n_grp).0
            })
            .collect()
    });
    let interval = |k: usize, pick: fn(&(f64, f64)) -> f64| {
        let mut v: Vec<f64> = boots
            .iter()
            .map(|b| pick(&b[k]))
            .filter(|x| !x.is_nan())
            .collect();
        if v.is_empty() {
            return (f64::NAN, f64::NAN);
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((q * v.len() as f64) as usize).min(v.len() - 1)];
        let tail = (1.0 - level) / 2.0;
        (at(tail), at(1.0 - tail))
    };
    let indices = (0..n_out)
        .map(|o| {
            (0..n_grp)
                .map(|g| {
                    let k = o * n_grp + g;
                    let (s1lo, s1hi) = interval(k, |p| p.0);
                    let (stlo, sthi) = interval(k, |p| p.1);
                    Indices {
                        s1: [point[k].0, s1lo, s1hi],
                        st: [point[k].1, stlo, sthi],
                    }
                })
                .collect()
        })
        .collect();
    Ok(SobolResult {
        groups,
        n,
        indices,
        variance,
    })
}

/// The workforce model as a [`GroupedModel`]: groups are the named inputs and the
/// shared factors; outputs are [`crate::model::outputs`]. Skill-mix groups are left out
/// (they move only level demand, which no analysed output uses).
pub struct WorkforceModel {
    sampler: Sampler,
    groups: Vec<usize>,
    outputs: Vec<Output>,
}

impl WorkforceModel {
    /// The model of `cfg`.
    pub fn new(cfg: &Config) -> WorkforceModel {
        let sampler = Sampler::new(cfg);
        let groups = sampler
            .groups()
            .iter()
            .enumerate()
            .filter(|(_, g)| !matches!(g.kind, crate::sampling::GroupKind::Shares(..)))
            .map(|(i, _)| i)
            .collect();
        WorkforceModel {
            sampler,
            groups,
            outputs: crate::model::outputs(&cfg.dims),
        }
    }

    /// The config's dimensions.
    pub fn dims(&self) -> &crate::dims::Dims {
        self.sampler.dims()
    }

    /// The analysed outputs.
    pub fn outputs(&self) -> &[Output] {
        &self.outputs
    }

    /// Scenario each analysed group can move (`None`: both).
    pub fn group_scenario(&self, g: usize) -> Option<usize> {
        self.sampler.groups()[self.groups[g]].scenario()
    }

    /// The outputs at the point model (the centre of the sums).
    pub fn centre(&self) -> Vec<f64> {
        let mut full = vec![0.0; self.sampler.base().layout.len()];
        evaluate(self.sampler.base(), &mut full);
        self.outputs.iter().map(|o| full[o.index]).collect()
    }
}

impl GroupedModel for WorkforceModel {
    type Scratch = (Inputs, Vec<f64>);
    fn groups(&self) -> Vec<String> {
        self.groups
            .iter()
            .map(|&i| self.sampler.groups()[i].name.clone())
            .collect()
    }
    fn group_range(&self, g: usize) -> Range<usize> {
        let g = &self.sampler.groups()[self.groups[g]];
        g.offset..g.offset + g.width
    }
    fn raw_len(&self) -> usize {
        self.sampler.raw_len()
    }
    fn n_outputs(&self) -> usize {
        self.outputs.len()
    }
    fn scratch(&self) -> Self::Scratch {
        let x = self.sampler.base().clone();
        let n = x.layout.len();
        (x, vec![0.0; n])
    }
    fn draw(&self, rng: &mut ChaCha8Rng, raw: &mut [f64]) {
        self.sampler.draw(rng, raw);
    }
    fn eval(&self, raw: &[f64], (x, full): &mut Self::Scratch, out: &mut [f64]) {
        self.sampler.assemble(raw, x);
        evaluate(x, full);
        for (o, y) in self.outputs.iter().zip(out.iter_mut()) {
            *y = full[o.index];
        }
    }
}

/// Sobol indices of the workforce model for `cfg`.
pub fn run(
    cfg: &Config,
    n: usize,
    seed: u64,
    threads: usize,
) -> Result<(WorkforceModel, SobolResult), Error> {
    let m = WorkforceModel::new(cfg);
    let centre = m.centre();
    let r = estimate(&m, n, seed, threads, &centre)?;
    Ok((m, r))
}
