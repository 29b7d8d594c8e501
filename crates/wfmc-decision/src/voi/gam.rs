//! Penalized regression splines for one or two inputs (P-splines, Eilers &
//! Marx 1996), smoothing chosen by generalized cross-validation (Craven &
//! Wahba 1979).
//!
//! Basis: cubic B-splines whose breakpoints are quantiles of the input
//! (deduplicated, so tied or discrete inputs get fewer, distinct knots).
//! Because the knots are unequally spaced, the penalty is on second
//! *divided* differences of the coefficients over their Greville abscissae
//! (the "general P-splines" of Li & Cao 2022): its null space is then
//! exactly the straight lines in x, as with equally spaced P-splines. Two
//! inputs use the tensor-product basis with one such penalty per direction
//! (Eilers & Marx 2003), each with its own smoothing parameter.

use crate::linalg::{chol_solve, cholesky_jittered, trace_inv_times};

/// Default number of knot intervals for one input.
pub(crate) const INTERVALS_1D: usize = 20;
/// Default number of knot intervals per input for two inputs.
pub(crate) const INTERVALS_2D: usize = 7;

/// Cubic B-spline basis on one input.
#[derive(Debug, Clone)]
struct Basis {
    /// Full knot vector: 3 extra knots on each side of the breakpoints.
    t: Vec<f64>,
    /// Number of basis functions.
    p: usize,
}

impl Basis {
    fn new(x: &[f64], intervals: usize) -> Result<Basis, String> {
        let mut s = x.to_vec();
        s.sort_unstable_by(f64::total_cmp);
        let (lo, hi) = (s[0], s[s.len() - 1]);
        if lo >= hi {
            return Err("input is constant".into());
        }
        let tol = 1e-9 * (hi - lo);
        let mut br = vec![lo];
        for k in 1..intervals {
            let q = quantile7(&s, k as f64 / intervals as f64);
            if q > br[br.len() - 1] + tol && q < hi - tol {
                br.push(q);
            }
        }
        br.push(hi);
        let m = br.len();
        let (h0, h1) = (br[1] - br[0], br[m - 1] - br[m - 2]);
        let mut t = vec![lo - 3.0 * h0, lo - 2.0 * h0, lo - h0];
        t.extend_from_slice(&br);
        t.extend_from_slice(&[hi + h1, hi + 2.0 * h1, hi + 3.0 * h1]);
        Ok(Basis { p: m + 2, t })
    }

    /// Index of the first non-zero basis function at `x` and the four values
    /// (de Boor's recursion; Piegl & Tiller 1997, algorithm A2.2).
    fn eval(&self, x: f64) -> (usize, [f64; 4]) {
        let t = &self.t;
        // span s with t[s] <= x < t[s+1], s in 3..=p-1
        let mut s = t[3..=self.p].partition_point(|&k| k <= x) + 2;
        s = s.clamp(3, self.p - 1);
        let mut n = [0.0; 4];
        let (mut left, mut right) = ([0.0; 4], [0.0; 4]);
        n[0] = 1.0;
        for j in 1..=3 {
            left[j] = x - t[s + 1 - j];
            right[j] = t[s + j] - x;
            let mut saved = 0.0;
            for r in 0..j {
                let temp = n[r] / (right[r + 1] + left[j - r]);
                n[r] = saved + right[r + 1] * temp;
                saved = left[j - r] * temp;
            }
            n[j] = saved;
        }
        (s - 3, n)
    }

    /// `D'D` for second divided differences over the Greville abscissae.
    fn penalty(&self) -> Vec<f64> {
        let p = self.p;
        let g: Vec<f64> = (0..p)
            .map(|j| (self.t[j + 1] + self.t[j + 2] + self.t[j + 3]) / 3.0)
            .collect();
        let hbar = (g[p - 1] - g[0]) / (p - 1) as f64;
        let mut s = vec![0.0; p * p];
        for i in 0..p - 2 {
            // slope_{i+1} - slope_i, in units of the mean spacing
            let a = hbar / (g[i + 1] - g[i]);
            let b = hbar / (g[i + 2] - g[i + 1]);
            let row = [(i, a), (i + 1, -a - b), (i + 2, b)];
            for &(r, vr) in &row {
                for &(c, vc) in &row {
                    s[r * p + c] += vr * vc;
                }
            }
        }
        s
    }
}

/// Type-7 quantile (Hyndman & Fan 1996) of sorted data.
pub(crate) fn quantile7(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Sparse design: every row has `nnz` non-zero entries.
struct Design {
    nnz: usize,
    cols: Vec<u32>,
    vals: Vec<f64>,
    p: usize,
}

impl Design {
    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let r = i * self.nnz..(i + 1) * self.nnz;
        (&self.cols[r.clone()], &self.vals[r])
    }

    fn predict(&self, beta: &[f64], out: &mut [f64]) {
        for (i, o) in out.iter_mut().enumerate() {
            let (c, v) = self.row(i);
            *o = c.iter().zip(v).map(|(&c, &v)| beta[c as usize] * v).sum();
        }
    }

    /// `X' W X` (dense) and `X' W r` for every response.
    fn gram(&self, w: Option<&[f64]>, resp: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
        let p = self.p;
        let mut g = vec![0.0; p * p];
        let mut b = vec![vec![0.0; p]; resp.len()];
        let n = self.cols.len() / self.nnz;
        for i in 0..n {
            let wi = w.map_or(1.0, |w| w[i]);
            if wi == 0.0 {
                continue;
            }
            let (c, v) = self.row(i);
            for a in 0..self.nnz {
                let (ca, va) = (c[a] as usize, v[a] * wi);
                let grow = &mut g[ca * p..ca * p + p];
                for bb in a..self.nnz {
                    grow[c[bb] as usize] += va * v[bb];
                }
                for (bk, r) in b.iter_mut().zip(resp) {
                    bk[ca] += va * r[i];
                }
            }
        }
        // only one triangle was filled for each pair; fold both into full form
        for r in 0..p {
            for c in r + 1..p {
                let s = g[r * p + c] + g[c * p + r];
                g[r * p + c] = s;
                g[c * p + r] = s;
            }
        }
        (g, b)
    }
}

/// A fitted smoother: fitted values per response, and what a weighted refit
/// needs (the design and each response's total penalty matrix).
pub(crate) struct GamFit {
    design: Design,
    pens: Vec<Vec<f64>>,
    /// Fitted values, one vector per response.
    pub fitted: Vec<Vec<f64>>,
}

impl GamFit {
    /// Refit with case weights (bootstrap counts), smoothing held fixed.
    pub(crate) fn refit(&self, w: &[f64], resp: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let p = self.design.p;
        let (g, b) = self.design.gram(Some(w), resp);
        let n = w.len();
        let mut out = Vec::with_capacity(resp.len());
        for (k, mut bk) in b.into_iter().enumerate() {
            let a: Vec<f64> = g.iter().zip(&self.pens[k]).map(|(x, y)| x + y).collect();
            let mut f = vec![0.0; n];
            if let Some(l) = cholesky_jittered(&a, p) {
                chol_solve(&l, p, &mut bk);
                self.design.predict(&bk, &mut f);
            }
            out.push(f);
        }
        out
    }
}

/// Fits every response on one or two inputs, each response with its own
/// GCV-chosen smoothing parameter(s).
pub(crate) fn fit(
    inputs: &[&[f64]],
    resp: &[Vec<f64>],
    intervals: usize,
) -> Result<GamFit, String> {
    let n = inputs[0].len();
    let (design, penalties) = match inputs.len() {
        1 => {
            let b = Basis::new(inputs[0], intervals)?;
            let mut cols = Vec::with_capacity(4 * n);
            let mut vals = Vec::with_capacity(4 * n);
            for &x in inputs[0] {
                let (s, v) = b.eval(x);
                cols.extend((s..s + 4).map(|c| c as u32));
                vals.extend_from_slice(&v);
            }
            let d = Design {
                nnz: 4,
                cols,
                vals,
                p: b.p,
            };
            (d, vec![b.penalty()])
        }
        2 => {
            let b1 = Basis::new(inputs[0], intervals)?;
            let b2 = Basis::new(inputs[1], intervals)?;
            let (p1, p2) = (b1.p, b2.p);
            let mut cols = Vec::with_capacity(16 * n);
            let mut vals = Vec::with_capacity(16 * n);
            for i in 0..n {
                let (s1, v1) = b1.eval(inputs[0][i]);
                let (s2, v2) = b2.eval(inputs[1][i]);
                for a in 0..4 {
                    for c in 0..4 {
                        cols.push(((s1 + a) * p2 + s2 + c) as u32);
                        vals.push(v1[a] * v2[c]);
                    }
                }
            }
            let p = p1 * p2;
            let (s1, s2) = (b1.penalty(), b2.penalty());
            // S1 (x) I and I (x) S2
            let mut k1 = vec![0.0; p * p];
            let mut k2 = vec![0.0; p * p];
            for a in 0..p1 {
                for b in 0..p1 {
                    for c in 0..p2 {
                        k1[(a * p2 + c) * p + b * p2 + c] = s1[a * p1 + b];
                    }
                }
            }
            for a in 0..p1 {
                for c in 0..p2 {
                    for d in 0..p2 {
                        k2[(a * p2 + c) * p + a * p2 + d] = s2[c * p2 + d];
                    }
                }
            }
            (
                Design {
                    nnz: 16,
                    cols,
                    vals,
                    p,
                },
                vec![k1, k2],
            )
        }
        m => {
            return Err(format!(
                "the spline smoother takes one or two inputs, got {m}"
            ));
        }
    };
    let p = design.p;
    if n <= p + 2 {
        return Err(format!(
            "{n} draws are too few for a spline basis of {p} functions"
        ));
    }
    let (g, b) = design.gram(None, resp);
    let trg: f64 = (0..p).map(|i| g[i * p + i]).sum();
    let scale: Vec<f64> = penalties
        .iter()
        .map(|s| trg / (0..p).map(|i| s[i * p + i]).sum::<f64>())
        .collect();
    let np = penalties.len();

    // GCV score of every response at log10 relative smoothing `rho`
    let eval = |rho: &[f64]| -> Vec<(f64, Vec<f64>)> {
        let mut a = g.clone();
        for (s, (&r, &sc)) in penalties.iter().zip(rho.iter().zip(&scale)) {
            let lam = sc * 10f64.powf(r);
            a.iter_mut().zip(s).for_each(|(x, y)| *x += lam * y);
        }
        let Some(l) = cholesky_jittered(&a, p) else {
            return vec![(f64::INFINITY, vec![0.0; p]); resp.len()];
        };
        let edf = trace_inv_times(&l, p, &g);
        let nf = n as f64;
        resp.iter()
            .zip(&b)
            .map(|(r, bk)| {
                let mut beta = bk.clone();
                chol_solve(&l, p, &mut beta);
                let mut rss = 0.0;
                for (i, &ri) in r.iter().enumerate() {
                    let (c, v) = design.row(i);
                    let f: f64 = c.iter().zip(v).map(|(&c, &v)| beta[c as usize] * v).sum();
                    rss += (ri - f) * (ri - f);
                }
                let den = nf - edf;
                let gcv = if den > 0.0 {
                    nf * rss / (den * den)
                } else {
                    f64::INFINITY
                };
                (gcv, beta)
            })
            .collect()
    };

    // coarse grid shared by all responses
    let grid: Vec<f64> = if np == 1 {
        (-8..=8).map(|v| v as f64).collect()
    } else {
        (-3..=3).map(|v| 2.0 * v as f64).collect()
    };
    let mut points: Vec<Vec<f64>> = Vec::new();
    if np == 1 {
        points.extend(grid.iter().map(|&r| vec![r]));
    } else {
        for &a in &grid {
            for &c in &grid {
                points.push(vec![a, c]);
            }
        }
    }
    let mut best: Vec<(f64, Vec<f64>, Vec<f64>)> =
        vec![(f64::INFINITY, vec![0.0; np], vec![0.0; p]); resp.len()];
    for pt in &points {
        for (k, (gcv, beta)) in eval(pt).into_iter().enumerate() {
            if gcv < best[k].0 {
                best[k] = (gcv, pt.clone(), beta);
            }
        }
    }
    // per-response pattern search from the best grid point
    for (k, bk) in best.iter_mut().enumerate() {
        let mut step = if np == 1 { 0.5 } else { 1.0 };
        while step >= 0.124 {
            let mut moved = false;
            for dim in 0..np {
                for sign in [-1.0, 1.0] {
                    let mut pt = bk.1.clone();
                    pt[dim] += sign * step;
                    let (gcv, beta) = eval(&pt).swap_remove(k);
                    if gcv < bk.0 {
                        *bk = (gcv, pt, beta);
                        moved = true;
                    }
                }
            }
            if !moved {
                step /= 2.0;
            }
        }
    }
    let mut fitted = Vec::with_capacity(resp.len());
    let mut pens = Vec::with_capacity(resp.len());
    for (_, rho, beta) in &best {
        let mut f = vec![0.0; n];
        design.predict(beta, &mut f);
        fitted.push(f);
        let mut pen = vec![0.0; p * p];
        for (s, (&r, &sc)) in penalties.iter().zip(rho.iter().zip(&scale)) {
            let lam = sc * 10f64.powf(r);
            pen.iter_mut().zip(s).for_each(|(x, y)| *x += lam * y);
        }
        pens.push(pen);
    }
    Ok(GamFit {
        design,
        pens,
        fitted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_is_a_partition_of_unity_and_reproduces_lines() {
        let x: Vec<f64> = (0..200).map(|i| ((i * 37) % 200) as f64 / 199.0).collect();
        let x: Vec<f64> = x.iter().map(|v| v * v * 3.0).collect(); // unequal knots
        let b = Basis::new(&x, 10).unwrap();
        let g: Vec<f64> = (0..b.p)
            .map(|j| (b.t[j + 1] + b.t[j + 2] + b.t[j + 3]) / 3.0)
            .collect();
        for &xi in &x {
            let (s, v) = b.eval(xi);
            assert!((v.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            // Greville abscissae as coefficients give the identity
            let lin: f64 = (0..4).map(|a| v[a] * g[s + a]).sum();
            assert!((lin - xi).abs() < 1e-10, "{lin} vs {xi}");
        }
        // the penalty vanishes on straight lines in x
        let s = b.penalty();
        let p = b.p;
        let quad = |beta: &[f64]| -> f64 {
            (0..p)
                .map(|r| beta[r] * (0..p).map(|c| s[r * p + c] * beta[c]).sum::<f64>())
                .sum()
        };
        let line: Vec<f64> = g.iter().map(|v| 2.0 - 0.5 * v).collect();
        let curve: Vec<f64> = g.iter().map(|v| v * v).collect();
        assert!(quad(&line).abs() < 1e-12 * quad(&curve), "{}", quad(&line));
    }

    #[test]
    fn three_level_input_fits_the_level_means() {
        // response means 1, 5, 2 at levels 0, 1, 2: the smoother must be
        // able to hit all three (GCV picks little smoothing)
        let n = 300;
        let x: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
        let r: Vec<f64> = (0..n)
            .map(|i| [1.0, 5.0, 2.0][i % 3] + if i % 2 == 0 { 0.1 } else { -0.1 })
            .collect();
        let f = fit(&[&x], &[r], INTERVALS_1D).unwrap();
        for i in 0..3 {
            let want = [1.0, 5.0, 2.0][i];
            assert!(
                (f.fitted[0][i] - want).abs() < 0.02,
                "{} vs {want}",
                f.fitted[0][i]
            );
        }
    }
}
