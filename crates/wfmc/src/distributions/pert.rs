//! `pert(min, mode, max)`: a scaled beta with shape 4.

use super::{Call, Dist, DistError, Family, beta_cdf, beta_quantile, min_mode_max};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "pert(min, mode, max)";

/// PERT, with its prepared `rand_distr` sampler.
#[derive(Debug, Clone)]
pub struct Pert {
    /// Lower bound.
    pub min: f64,
    /// Most likely value.
    pub mode: f64,
    /// Upper bound.
    pub max: f64,
    sampler: rand_distr::Pert<f64>,
}

/// Reads `pert(min, mode, max)`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    let (min, mode, max) = min_mode_max(c, USAGE)?;
    let sampler = rand_distr::Pert::new(min, max)
        .with_mode(mode)
        .map_err(|e| DistError(format!("pert(): {e}")))?;
    Ok(Dist::new(Pert {
        min,
        mode,
        max,
        sampler,
    }))
}

impl Pert {
    fn shapes(&self) -> (f64, f64) {
        let range = self.max - self.min;
        (
            1.0 + 4.0 * (self.mode - self.min) / range,
            1.0 + 4.0 * (self.max - self.mode) / range,
        )
    }
}

impl Family for Pert {
    fn mean(&self) -> f64 {
        (self.min + 4.0 * self.mode + self.max) / 6.0
    }
    fn variance(&self) -> f64 {
        let mu = (self.min + 4.0 * self.mode + self.max) / 6.0;
        (mu - self.min) * (self.max - mu) / 7.0
    }
    fn quantile(&self, u: f64) -> f64 {
        let (a, b) = self.shapes();
        self.min + (self.max - self.min) * beta_quantile(a, b, u)
    }
    fn cdf(&self, x: f64) -> f64 {
        let (a, b) = self.shapes();
        beta_cdf(a, b, (x - self.min) / (self.max - self.min))
    }
    fn sample(&self, rng: &mut dyn rand::Rng) -> f64 {
        use rand_distr::Distribution;
        self.sampler.sample(rng)
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pert({}, {}, {})", self.min, self.mode, self.max)
    }
}
