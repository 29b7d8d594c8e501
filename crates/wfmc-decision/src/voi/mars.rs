//! Multivariate adaptive regression splines (Friedman 1991), in the form of
//! R's `earth` (Milborrow) as used by the `voi` package's `method = "earth"`.
//!
//! Forward pass: starting from the intercept, repeatedly add the pair of
//! hinges `B_m(x) max(0, x_v - t)` and `B_m(x) max(0, t - x_v)` that most
//! reduces the residual sum of squares (summed over responses, as `earth`
//! does with a matrix response), where the parent `B_m` is the intercept or
//! an existing one-variable term (so interactions have degree at most two)
//! and `x_v` is not already in the parent. Candidate knots are limited to
//! `n_knots` quantiles of each input, which bounds the search. The pass
//! stops at `max_terms` terms, when the best pair raises R² by less than
//! `thresh`, or when R² reaches `1 - thresh` (earth's rules and defaults).
//!
//! Speed: with knots on a fixed grid, everything a candidate needs (its
//! inner products with the current orthonormal basis, with itself and with
//! the responses) is a sum over the points between consecutive knots. Those
//! per-bin sums are cached for every (parent, input) and extended by one
//! O(n d) pass whenever a basis column or a parent is added, so one forward
//! step costs O(parents x inputs x knots x terms) besides those passes, and
//! the whole fit is roughly linear in n.
//!
//! Backward pass: delete terms one at a time (the one whose removal raises
//! the RSS least), and keep the subset with the lowest generalized
//! cross-validation `RSS / n / (1 - C/n)^2`, `C = terms + penalty (terms -
//! 1) / 2` with `penalty = 3` for degree two (earth's default).

use crate::linalg::{chol_solve, cholesky_jittered};
use crate::voi::gam::quantile7;

/// Settings of the MARS fit.
#[derive(Debug, Clone)]
pub(crate) struct MarsOptions {
    pub max_terms: usize,
    pub max_degree: usize,
    pub n_knots: usize,
    pub penalty: f64,
    pub thresh: f64,
}

impl MarsOptions {
    /// earth's defaults: `nk = min(200, max(20, 2 d + 1)) + 1`, degree 2,
    /// `penalty = 3`, `thresh = 0.001`; knots at 20 quantiles per input.
    pub(crate) fn earth_defaults(d: usize) -> MarsOptions {
        MarsOptions {
            max_terms: (2 * d + 1).clamp(20, 200) + 1,
            max_degree: 2,
            n_knots: 20,
            penalty: 3.0,
            thresh: 0.001,
        }
    }
}

#[derive(Debug, Clone)]
struct Term {
    /// (input, knot on the standardized scale, `true` for max(0, x - t))
    factors: Vec<(usize, f64, bool)>,
    col: Vec<f64>,
}

/// Per-bin sums for one (parent, input).
struct Cache {
    /// sum of B_m Q_j and of B_m Q_j x, indexed `bin * cap + j`
    q0: Vec<f64>,
    q1: Vec<f64>,
    /// sums of B_m^2, B_m^2 x, B_m^2 x^2 per bin
    b: [Vec<f64>; 3],
    /// sums of B_m y_k and B_m y_k x, indexed `bin * nresp + k`
    y0: Vec<f64>,
    y1: Vec<f64>,
}

/// A fitted MARS model: its selected basis columns and fitted values.
pub(crate) struct MarsFit {
    /// Selected basis columns, scaled to unit mean square.
    cols: Vec<Vec<f64>>,
    /// Fitted values, one vector per response.
    pub fitted: Vec<Vec<f64>>,
}

impl MarsFit {
    /// Weighted least squares on the selected basis (bootstrap counts); the
    /// basis itself is held fixed.
    pub(crate) fn refit(&self, w: &[f64], resp: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let (f, _) = least_squares(&self.cols, Some(w), resp);
        f
    }
}

/// Least squares of every response on `cols`; returns fitted values and the
/// total RSS.
fn least_squares(cols: &[Vec<f64>], w: Option<&[f64]>, resp: &[Vec<f64>]) -> (Vec<Vec<f64>>, f64) {
    let t = cols.len();
    let n = cols[0].len();
    let mut g = vec![0.0; t * t];
    let mut b = vec![vec![0.0; t]; resp.len()];
    let mut row = vec![0.0; t];
    for i in 0..n {
        let wi = w.map_or(1.0, |w| w[i]);
        if wi == 0.0 {
            continue;
        }
        for (r, c) in row.iter_mut().zip(cols) {
            *r = c[i];
        }
        for a in 0..t {
            let va = row[a] * wi;
            for c in a..t {
                g[a * t + c] += va * row[c];
            }
            for (bk, y) in b.iter_mut().zip(resp) {
                bk[a] += va * y[i];
            }
        }
    }
    for a in 0..t {
        for c in 0..a {
            g[a * t + c] = g[c * t + a];
        }
    }
    let mut fitted = Vec::with_capacity(resp.len());
    let mut rss = 0.0;
    let l = cholesky_jittered(&g, t);
    for (mut bk, y) in b.into_iter().zip(resp) {
        let mut f = vec![0.0; n];
        if let Some(l) = &l {
            chol_solve(l, t, &mut bk);
            for (a, c) in cols.iter().enumerate() {
                let ba = bk[a];
                f.iter_mut().zip(c).for_each(|(fi, ci)| *fi += ba * ci);
            }
        }
        rss += y
            .iter()
            .zip(&f)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>();
        fitted.push(f);
    }
    (fitted, rss)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Fits MARS to every response (one shared basis) on `inputs`.
pub(crate) fn fit(
    inputs: &[&[f64]],
    resp: &[Vec<f64>],
    opt: &MarsOptions,
) -> Result<MarsFit, String> {
    let n = inputs[0].len();
    let nf = n as f64;
    let nr = resp.len();
    let cap = opt.max_terms;
    // standardize inputs; knots at quantiles strictly inside each range
    let mut xs: Vec<Vec<f64>> = Vec::new();
    let mut knots: Vec<Vec<f64>> = Vec::new();
    for x in inputs {
        let m = x.iter().sum::<f64>() / nf;
        let sd = (x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / nf).sqrt();
        let sd = if sd > 0.0 { sd } else { 1.0 };
        let z: Vec<f64> = x.iter().map(|v| (v - m) / sd).collect();
        let mut s = z.clone();
        s.sort_unstable_by(f64::total_cmp);
        let (lo, hi) = (s[0], s[n - 1]);
        let mut k: Vec<f64> = Vec::new();
        for q in 1..=opt.n_knots {
            let t = quantile7(&s, q as f64 / (opt.n_knots + 1) as f64);
            if t > lo && t < hi && k.last().is_none_or(|&l| t > l) {
                k.push(t);
            }
        }
        xs.push(z);
        knots.push(k);
    }
    let d = xs.len();
    // bin[v][i] = number of knots of input v below x_i
    let bins: Vec<Vec<u8>> = (0..d)
        .map(|v| {
            xs[v]
                .iter()
                .map(|&x| knots[v].partition_point(|&t| t < x) as u8)
                .collect()
        })
        .collect();
    let nbins: Vec<usize> = knots.iter().map(|k| k.len() + 1).collect();

    let ymeans: Vec<f64> = resp.iter().map(|y| y.iter().sum::<f64>() / nf).collect();
    let tss: f64 = resp
        .iter()
        .zip(&ymeans)
        .map(|(y, m)| y.iter().map(|v| (v - m) * (v - m)).sum::<f64>())
        .sum();
    let mut terms = vec![Term {
        factors: vec![],
        col: vec![1.0; n],
    }];
    let mut q: Vec<Vec<f64>> = vec![vec![1.0 / nf.sqrt(); n]];
    let mut qy: Vec<Vec<f64>> = vec![resp.iter().map(|y| dot(&q[0], y)).collect()];
    let mut rss = tss;
    let mut parents: Vec<usize> = Vec::new();
    let mut caches: Vec<Vec<Option<Cache>>> = Vec::new();

    let new_cache = |m: &Term, v: usize| -> Cache {
        let nb = nbins[v];
        let mut c = Cache {
            q0: vec![0.0; nb * cap],
            q1: vec![0.0; nb * cap],
            b: [vec![0.0; nb], vec![0.0; nb], vec![0.0; nb]],
            y0: vec![0.0; nb * nr],
            y1: vec![0.0; nb * nr],
        };
        for i in 0..n {
            let (bi, x, bb) = (bins[v][i] as usize, xs[v][i], m.col[i]);
            if bb == 0.0 {
                continue;
            }
            let b2 = bb * bb;
            c.b[0][bi] += b2;
            c.b[1][bi] += b2 * x;
            c.b[2][bi] += b2 * x * x;
            for (k, y) in resp.iter().enumerate() {
                c.y0[bi * nr + k] += bb * y[i];
                c.y1[bi * nr + k] += bb * y[i] * x;
            }
        }
        c
    };
    // add the sums for basis column j to every cache of parent term m
    let add_column = |cs: &mut [Option<Cache>], m: &Term, qj: &[f64], j: usize| {
        let z: Vec<f64> = m.col.iter().zip(qj).map(|(a, b)| a * b).collect();
        for (v, c) in cs.iter_mut().enumerate() {
            let Some(c) = c else { continue };
            let (bv, xv) = (&bins[v], &xs[v]);
            for i in 0..n {
                let zi = z[i];
                let bi = bv[i] as usize * cap + j;
                c.q0[bi] += zi;
                c.q1[bi] += zi * xv[i];
            }
        }
    };
    let make_parent = |m: &Term, q: &[Vec<f64>]| -> Vec<Option<Cache>> {
        let mut cs: Vec<Option<Cache>> = (0..d)
            .map(|v| {
                if m.factors.iter().any(|f| f.0 == v) || knots[v].is_empty() {
                    None
                } else {
                    Some(new_cache(m, v))
                }
            })
            .collect();
        for (j, qj) in q.iter().enumerate() {
            add_column(&mut cs, m, qj, j);
        }
        cs
    };
    if opt.max_degree >= 1 {
        parents.push(0);
        caches.push(make_parent(&terms[0], &q));
    }

    let mut qc_p = vec![0.0; cap];
    let mut qc_m = vec![0.0; cap];
    while terms.len() + 2 <= opt.max_terms && !parents.is_empty() {
        let mj = q.len();
        // (reduction, parent slot, input, knot index, use plus, use minus)
        let mut best: Option<(f64, usize, usize, usize, bool, bool)> = None;
        for (slot, cs) in caches.iter().enumerate() {
            for (v, c) in cs.iter().enumerate() {
                let Some(c) = c else { continue };
                let nb = nbins[v];
                let tot = |arr: &[f64], width: usize, j: usize| -> f64 {
                    (0..nb).map(|b| arr[b * width + j]).sum()
                };
                let t0: Vec<f64> = (0..mj).map(|j| tot(&c.q0, cap, j)).collect();
                let t1: Vec<f64> = (0..mj).map(|j| tot(&c.q1, cap, j)).collect();
                let tb: Vec<f64> = (0..3).map(|r| c.b[r].iter().sum()).collect();
                let ty0: Vec<f64> = (0..nr).map(|k| tot(&c.y0, nr, k)).collect();
                let ty1: Vec<f64> = (0..nr).map(|k| tot(&c.y1, nr, k)).collect();
                let mut l0 = vec![0.0; mj];
                let mut l1 = vec![0.0; mj];
                let mut lb = [0.0; 3];
                let mut ly0 = vec![0.0; nr];
                let mut ly1 = vec![0.0; nr];
                for (kappa, &t) in knots[v].iter().enumerate() {
                    // bins 0..=kappa hold the points with x <= t
                    for j in 0..mj {
                        l0[j] += c.q0[kappa * cap + j];
                        l1[j] += c.q1[kappa * cap + j];
                    }
                    for r in 0..3 {
                        lb[r] += c.b[r][kappa];
                    }
                    for k in 0..nr {
                        ly0[k] += c.y0[kappa * nr + k];
                        ly1[k] += c.y1[kappa * nr + k];
                    }
                    let (mut npp, mut nmm, mut npm) = (0.0, 0.0, 0.0);
                    for j in 0..mj {
                        let a = (t1[j] - l1[j]) - t * (t0[j] - l0[j]);
                        let b = t * l0[j] - l1[j];
                        qc_p[j] = a;
                        qc_m[j] = b;
                        npp += a * a;
                        nmm += b * b;
                        npm += a * b;
                    }
                    let ab = [tb[0] - lb[0], tb[1] - lb[1], tb[2] - lb[2]];
                    let cpp = ab[2] - 2.0 * t * ab[1] + t * t * ab[0];
                    let cmm = lb[2] - 2.0 * t * lb[1] + t * t * lb[0];
                    let g11 = cpp - npp;
                    let g22 = cmm - nmm;
                    let g12 = -npm;
                    let ok1 = cpp > 0.0 && g11 > 1e-9 * cpp;
                    let ok2 = cmm > 0.0 && g22 > 1e-9 * cmm;
                    if !ok1 && !ok2 {
                        continue;
                    }
                    let mut red = 0.0;
                    let det = g11 * g22 - g12 * g12;
                    let both = ok1 && ok2 && det > 1e-9 * g11 * g22;
                    for k in 0..nr {
                        let qyk = &qy;
                        let (mut s1, mut s2) = (0.0, 0.0);
                        for j in 0..mj {
                            s1 += qyk[j][k] * qc_p[j];
                            s2 += qyk[j][k] * qc_m[j];
                        }
                        let u1 = (ty1[k] - ly1[k]) - t * (ty0[k] - ly0[k]) - s1;
                        let u2 = t * ly0[k] - ly1[k] - s2;
                        red += if both {
                            (g22 * u1 * u1 - 2.0 * g12 * u1 * u2 + g11 * u2 * u2) / det
                        } else if ok1 {
                            u1 * u1 / g11
                        } else {
                            u2 * u2 / g22
                        };
                    }
                    let (use1, use2) = if both { (true, true) } else { (ok1, !ok1) };
                    if best.is_none_or(|b| red > b.0) {
                        best = Some((red, slot, v, kappa, use1, use2));
                    }
                }
            }
        }
        let Some((red, slot, v, kappa, use1, use2)) = best else {
            break;
        };
        if tss <= 0.0 || red / tss < opt.thresh {
            break;
        }
        let parent = terms[parents[slot]].clone();
        let t = knots[v][kappa];
        let mut added: Vec<usize> = Vec::new();
        for (plus, wanted) in [(true, use1), (false, use2)] {
            if !wanted {
                continue;
            }
            let col: Vec<f64> = parent
                .col
                .iter()
                .zip(&xs[v])
                .map(|(&b, &x)| {
                    b * if plus {
                        (x - t).max(0.0)
                    } else {
                        (t - x).max(0.0)
                    }
                })
                .collect();
            // two passes of modified Gram-Schmidt against the basis
            let norm0 = dot(&col, &col);
            let mut r = col.clone();
            for _ in 0..2 {
                for qj in &q {
                    let h = dot(qj, &r);
                    r.iter_mut().zip(qj).for_each(|(a, b)| *a -= h * b);
                }
            }
            let nr2 = dot(&r, &r);
            if nr2 <= 1e-9 * norm0 || norm0 == 0.0 {
                continue;
            }
            let s = nr2.sqrt();
            r.iter_mut().for_each(|a| *a /= s);
            let mut factors = parent.factors.clone();
            factors.push((v, t, plus));
            let yk: Vec<f64> = resp.iter().map(|y| dot(&r, y)).collect();
            rss -= yk.iter().map(|a| a * a).sum::<f64>();
            qy.push(yk);
            q.push(r);
            terms.push(Term { factors, col });
            added.push(terms.len() - 1);
        }
        if added.is_empty() {
            break;
        }
        // extend the caches: new basis columns for old parents, then new parents
        let first_new = q.len() - added.len();
        for (slot, cs) in caches.iter_mut().enumerate() {
            let m = &terms[parents[slot]];
            for j in first_new..q.len() {
                add_column(cs, m, &q[j], j);
            }
        }
        for &ti in &added {
            if terms[ti].factors.len() < opt.max_degree {
                parents.push(ti);
                caches.push(make_parent(&terms[ti], &q));
            }
        }
        if tss > 0.0 && 1.0 - rss / tss >= 1.0 - opt.thresh {
            break;
        }
    }
    drop(caches);

    // backward pass on unit-mean-square columns
    let cols: Vec<Vec<f64>> = terms
        .iter()
        .map(|t| {
            let s = (dot(&t.col, &t.col) / nf).sqrt();
            let s = if s > 0.0 { s } else { 1.0 };
            t.col.iter().map(|v| v / s).collect()
        })
        .collect();
    let nt = cols.len();
    let mut gram = vec![0.0; nt * nt];
    for a in 0..nt {
        for c in a..nt {
            let v = dot(&cols[a], &cols[c]);
            gram[a * nt + c] = v;
            gram[c * nt + a] = v;
        }
    }
    let xty: Vec<Vec<f64>> = resp
        .iter()
        .map(|y| cols.iter().map(|c| dot(c, y)).collect())
        .collect();
    let yty: f64 = resp.iter().map(|y| dot(y, y)).sum();
    let subset_rss = |s: &[usize]| -> f64 {
        let m = s.len();
        let mut g = vec![0.0; m * m];
        for (a, &sa) in s.iter().enumerate() {
            for (c, &sc) in s.iter().enumerate() {
                g[a * m + c] = gram[sa * nt + sc];
            }
        }
        let Some(l) = cholesky_jittered(&g, m) else {
            return f64::INFINITY;
        };
        let mut fit = 0.0;
        for b in &xty {
            let mut bs: Vec<f64> = s.iter().map(|&i| b[i]).collect();
            let orig = bs.clone();
            chol_solve(&l, m, &mut bs);
            fit += dot(&bs, &orig);
        }
        yty - fit
    };
    let gcv = |rss: f64, m: usize| -> f64 {
        let c = m as f64 + opt.penalty * (m as f64 - 1.0) / 2.0;
        if c >= nf {
            return f64::INFINITY;
        }
        (rss.max(0.0) / nf) / ((1.0 - c / nf) * (1.0 - c / nf))
    };
    let mut current: Vec<usize> = (0..nt).collect();
    let mut best_set = current.clone();
    let mut best_gcv = gcv(subset_rss(&current), nt);
    while current.len() > 1 {
        let mut drop_best: Option<(f64, usize)> = None;
        for pos in 1..current.len() {
            let mut s = current.clone();
            s.remove(pos);
            let r = subset_rss(&s);
            if drop_best.is_none_or(|b| r < b.0) {
                drop_best = Some((r, pos));
            }
        }
        let (r, pos) = drop_best.expect("at least one droppable term");
        current.remove(pos);
        let g = gcv(r, current.len());
        if g < best_gcv {
            best_gcv = g;
            best_set = current.clone();
        }
    }
    let chosen: Vec<Vec<f64>> = best_set.iter().map(|&i| cols[i].clone()).collect();
    let (fitted, _) = least_squares(&chosen, None, resp);
    Ok(MarsFit {
        cols: chosen,
        fitted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_hinge_and_an_interaction_exactly() {
        // y = 2 max(0, x0 - 0.5) + x1 x2 on a grid: additive hinge plus a
        // product, both representable by degree-2 MARS
        let n = 2000;
        let mut x = vec![vec![0.0; n]; 4];
        for i in 0..n {
            x[0][i] = (i % 50) as f64 / 49.0;
            x[1][i] = ((i / 50) % 40) as f64 / 39.0;
            x[2][i] = ((i * 7) % 31) as f64 / 30.0;
            x[3][i] = ((i * 13) % 17) as f64 / 16.0;
        }
        let y: Vec<f64> = (0..n)
            .map(|i| 2.0 * (x[0][i] - 0.5).max(0.0) + x[1][i] * x[2][i])
            .collect();
        let cols: Vec<&[f64]> = x.iter().map(|c| c.as_slice()).collect();
        let f = fit(
            &cols,
            std::slice::from_ref(&y),
            &MarsOptions::earth_defaults(4),
        )
        .unwrap();
        let tss: f64 = {
            let m = y.iter().sum::<f64>() / n as f64;
            y.iter().map(|v| (v - m) * (v - m)).sum()
        };
        let rss: f64 = y
            .iter()
            .zip(&f.fitted[0])
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        assert!(rss / tss < 0.01, "R^2 = {}", 1.0 - rss / tss);
    }
}
