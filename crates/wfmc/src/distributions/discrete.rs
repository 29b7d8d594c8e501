//! `discrete(values=[..], p=[..])`: finitely many values with given probabilities.

use super::{Call, Dist, DistError, Family, check_probabilities, err, list};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "discrete(values=[..], p=[..])";

/// Finitely many values with given probabilities, sampled by inversion.
#[derive(Debug, Clone)]
pub struct Discrete {
    /// Values, in the order given.
    pub values: Vec<f64>,
    /// Their probabilities.
    pub p: Vec<f64>,
}

/// Reads `discrete(values=[..], p=[..])`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    let u = "discrete(values=[v1, v2], p=[p1, p2])";
    c.check_arity(0, &["values", "p"], u)?;
    let values = c
        .list("values", None)
        .ok_or_else(|| DistError(format!("discrete() needs `values`: write {u}")))??;
    let p = c
        .list("p", None)
        .ok_or_else(|| DistError(format!("discrete() needs `p`: write {u}")))??;
    if values.is_empty() || values.len() != p.len() {
        return err(format!(
            "discrete(): {} values but {} probabilities; they must match and be non-empty",
            values.len(),
            p.len()
        ));
    }
    check_probabilities(&p).map_err(|e| DistError(format!("discrete(): {e}")))?;
    Ok(Dist::new(Discrete { values, p }))
}

impl Family for Discrete {
    fn mean(&self) -> f64 {
        self.values.iter().zip(&self.p).map(|(v, p)| v * p).sum()
    }
    fn variance(&self) -> f64 {
        let m = self.mean();
        self.values
            .iter()
            .zip(&self.p)
            .map(|(v, p)| p * (v - m).powi(2))
            .sum()
    }
    fn quantile(&self, u: f64) -> f64 {
        let (values, p) = (&self.values, &self.p);
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
        let mut acc = 0.0;
        for &i in &order {
            acc += p[i];
            if u <= acc {
                return values[i];
            }
        }
        values[order[order.len() - 1]]
    }
    fn cdf(&self, x: f64) -> f64 {
        self.values
            .iter()
            .zip(&self.p)
            .filter(|(v, _)| **v <= x)
            .map(|(_, p)| p)
            .sum()
    }
    // Ties: half the mass at `x` counts as below it.
    fn mid_cdf(&self, x: f64) -> f64 {
        let (mut below, mut at) = (0.0, 0.0);
        for (v, p) in self.values.iter().zip(&self.p) {
            if *v < x {
                below += p;
            } else if *v == x {
                at += p;
            }
        }
        below + 0.5 * at
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "discrete(values=[{}], p=[{}])",
            list(&self.values),
            list(&self.p)
        )
    }
}
