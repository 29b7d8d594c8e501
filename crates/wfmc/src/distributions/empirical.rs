//! `empirical([..])`: resampling from observed values, each equally likely.

use super::{Call, Dist, DistError, Family, err, list};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "empirical([..])";

/// Observed values, sorted ascending.
#[derive(Debug, Clone)]
pub struct Empirical {
    /// The values, sorted ascending.
    pub values: Vec<f64>,
}

/// Reads `empirical([v1, v2, ...])`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    let u = "empirical([v1, v2, ...])";
    c.check_arity(1, &["values"], u)?;
    let mut values = c
        .list("values", Some(0))
        .ok_or_else(|| DistError(format!("empirical() needs a list: write {u}")))??;
    if values.is_empty() {
        return err("empirical(): the list of values is empty");
    }
    values.sort_by(f64::total_cmp);
    Ok(Dist::new(Empirical { values }))
}

impl Family for Empirical {
    fn mean(&self) -> f64 {
        self.values.iter().sum::<f64>() / self.values.len() as f64
    }
    fn variance(&self) -> f64 {
        let m = self.mean();
        self.values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / self.values.len() as f64
    }
    fn quantile(&self, u: f64) -> f64 {
        let n = self.values.len();
        let i = ((u * n as f64).ceil() as usize).clamp(1, n) - 1;
        self.values[i]
    }
    fn cdf(&self, x: f64) -> f64 {
        self.values.partition_point(|v| *v <= x) as f64 / self.values.len() as f64
    }
    fn sample(&self, rng: &mut dyn rand::Rng) -> f64 {
        use rand::RngExt;
        self.values[rng.random_range(0..self.values.len())]
    }
    // Ties: half the mass at `x` counts as below it.
    fn mid_cdf(&self, x: f64) -> f64 {
        let lo = self.values.partition_point(|v| *v < x);
        let hi = self.values.partition_point(|v| *v <= x);
        0.5 * (lo + hi) as f64 / self.values.len() as f64
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "empirical([{}])", list(&self.values))
    }
}
