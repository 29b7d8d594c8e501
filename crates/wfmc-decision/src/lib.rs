//! Decision-analysis numerics for Monte Carlo simulation output.
//!
//! * [`prim`]: scenario discovery with the Patient Rule Induction Method
//!   (Friedman & Fisher 1999; Bryant & Lempert 2010), matching the EMA
//!   Workbench's `Prim` for numeric inputs and a binary outcome.
//! * [`cart`]: a binary classification tree (Breiman et al. 1984) whose leaves
//!   are read off as boxes.
//! * [`voi`]: expected value of perfect (partial) information, with the
//!   regression estimator of Strong, Oakley & Brennan (2014).
//! * [`robust`]: acceptability curves, regret and satisficing summaries of
//!   options.
//!
//! Conventions shared by every module: inputs are column-major (one slice per
//! input, each of length `n`), options' per-draw values are one slice per
//! option, every resampling takes an explicit `seed` and uses
//! `ChaCha8Rng::seed_from_u64(seed)`, and bad input gives `Err(String)` rather
//! than a panic.
#![warn(missing_docs)]
// Numeric kernels index several parallel arrays with one loop variable;
// iterator chains over them read worse than the plain index.
#![allow(clippy::needless_range_loop)]

pub mod cart;
pub mod prim;
pub mod robust;
pub mod voi;

mod linalg;

/// A Monte Carlo estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Its standard error (how it is computed is stated by the function that
    /// returns it).
    pub se: f64,
}

/// Checks a column-major input matrix: at least one column, equal lengths
/// `n`, finite values. Returns `n`.
pub(crate) fn check_columns<C: AsRef<[f64]>>(x: &[C], what: &str) -> Result<usize, String> {
    if x.is_empty() {
        return Err(format!("{what}: no columns given"));
    }
    let n = x[0].as_ref().len();
    if n == 0 {
        return Err(format!("{what}: columns are empty"));
    }
    for (j, c) in x.iter().enumerate() {
        let c = c.as_ref();
        if c.len() != n {
            return Err(format!(
                "{what}: column {j} has length {} but column 0 has length {n}",
                c.len()
            ));
        }
        if let Some(i) = c.iter().position(|v| !v.is_finite()) {
            return Err(format!(
                "{what}: column {j} has a non-finite value at row {i}"
            ));
        }
    }
    Ok(n)
}

/// Mean and standard error of the mean (sample SD with n-1, over sqrt n).
pub(crate) fn mean_se(v: &[f64]) -> Estimate {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return Estimate {
            value: m,
            se: f64::NAN,
        };
    }
    let ss: f64 = v.iter().map(|a| (a - m) * (a - m)).sum();
    Estimate {
        value: m,
        se: (ss / (n - 1.0) / n).sqrt(),
    }
}
