//! `triangular(min, mode, max)`.

use super::{Call, Dist, DistError, Family, min_mode_max};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "triangular(min, mode, max)";

/// Triangular with a mode, with its prepared `rand_distr` sampler.
#[derive(Debug, Clone)]
pub struct Triangular {
    /// Lower bound.
    pub min: f64,
    /// Most likely value.
    pub mode: f64,
    /// Upper bound.
    pub max: f64,
    sampler: rand_distr::Triangular<f64>,
}

/// Reads `triangular(min, mode, max)`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    let (min, mode, max) = min_mode_max(c, USAGE)?;
    let sampler = rand_distr::Triangular::new(min, max, mode)
        .map_err(|e| DistError(format!("triangular(): {e}")))?;
    Ok(Dist::new(Triangular {
        min,
        mode,
        max,
        sampler,
    }))
}

impl Family for Triangular {
    fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }
    fn variance(&self) -> f64 {
        let (min, mode, max) = (self.min, self.mode, self.max);
        (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
    }
    fn quantile(&self, u: f64) -> f64 {
        let (min, mode, max) = (self.min, self.mode, self.max);
        let fc = (mode - min) / (max - min);
        if u < fc {
            min + (u * (max - min) * (mode - min)).sqrt()
        } else {
            max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
        }
    }
    fn cdf(&self, x: f64) -> f64 {
        let (min, mode, max) = (self.min, self.mode, self.max);
        if x <= min {
            0.0
        } else if x >= max {
            1.0
        } else if x <= mode {
            (x - min).powi(2) / ((max - min) * (mode - min))
        } else {
            1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
        }
    }
    fn sample(&self, rng: &mut dyn rand::Rng) -> f64 {
        use rand_distr::Distribution;
        self.sampler.sample(rng)
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "triangular({}, {}, {})", self.min, self.mode, self.max)
    }
}
