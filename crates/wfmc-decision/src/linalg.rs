//! Small dense linear algebra on row-major `p x p` matrices, enough for
//! penalized least squares with a few hundred coefficients.

/// Cholesky factor `L` (row-major, lower triangle) of a symmetric positive
/// definite matrix, or `None` if a pivot is not positive.
pub(crate) fn cholesky(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = a[i * p + j];
            let (ri, rj) = (&l[i * p..i * p + j], &l[j * p..j * p + j]);
            for k in 0..j {
                s -= ri[k] * rj[k];
            }
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    Some(l)
}

/// Cholesky of `a + jitter * mean(diag) * I`, raising the jitter from
/// `1e-12` until the factorization succeeds; tiny jitter keeps rank-deficient
/// but penalized systems solvable without visibly changing the fit.
pub(crate) fn cholesky_jittered(a: &[f64], p: usize) -> Option<Vec<f64>> {
    if let Some(l) = cholesky(a, p) {
        return Some(l);
    }
    let scale = (0..p).map(|i| a[i * p + i].abs()).sum::<f64>() / p.max(1) as f64;
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let mut jitter = 1e-12;
    while jitter < 1e-2 {
        let mut b = a.to_vec();
        for i in 0..p {
            b[i * p + i] += jitter * scale;
        }
        if let Some(l) = cholesky(&b, p) {
            return Some(l);
        }
        jitter *= 100.0;
    }
    None
}

/// Solves `L L' x = b` in place.
pub(crate) fn chol_solve(l: &[f64], p: usize, b: &mut [f64]) {
    for i in 0..p {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * p + k] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
    for i in (0..p).rev() {
        let mut s = b[i];
        for k in i + 1..p {
            s -= l[k * p + i] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
}

/// `trace(A^{-1} G)` from the Cholesky factor of `A`, for symmetric `G`:
/// with `W = L^{-1}`, the trace is the sum of squares of `W G^{1/2}`, but it
/// is cheaper as `sum_ij (A^{-1})_ij G_ij`.
pub(crate) fn trace_inv_times(l: &[f64], p: usize, g: &[f64]) -> f64 {
    // columns of A^{-1}, one solve each
    let mut tr = 0.0;
    let mut e = vec![0.0; p];
    for j in 0..p {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        chol_solve(l, p, &mut e);
        for i in 0..p {
            tr += e[i] * g[i * p + j];
        }
    }
    tr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_known_system() {
        // A = [[4,2],[2,3]], A x = [2, 1] -> x = [0.5, 0]
        let a = [4.0, 2.0, 2.0, 3.0];
        let l = cholesky(&a, 2).unwrap();
        let mut b = [2.0, 1.0];
        chol_solve(&l, 2, &mut b);
        assert!((b[0] - 0.5).abs() < 1e-15 && b[1].abs() < 1e-15);
        // trace(A^{-1} A) = 2
        assert!((trace_inv_times(&l, 2, &a) - 2.0).abs() < 1e-14);
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }
}
