//! `uniform(min, max)`.

use super::{Call, Dist, DistError, Family, ordered};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "uniform(min, max)";

/// Uniform on `[min, max)`.
#[derive(Debug, Clone, Copy)]
pub struct Uniform {
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
}

/// Reads `uniform(min, max)`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    c.check_arity(2, &["min", "max"], USAGE)?;
    let (min, max) = (c.req("min", 0, USAGE)?, c.req("max", 1, USAGE)?);
    ordered(c, min, max)?;
    Ok(Dist::new(Uniform { min, max }))
}

impl Family for Uniform {
    fn mean(&self) -> f64 {
        (self.min + self.max) / 2.0
    }
    fn variance(&self) -> f64 {
        (self.max - self.min).powi(2) / 12.0
    }
    fn quantile(&self, u: f64) -> f64 {
        self.min + u * (self.max - self.min)
    }
    fn cdf(&self, x: f64) -> f64 {
        ((x - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }
    fn sample(&self, rng: &mut dyn rand::Rng) -> f64 {
        use rand::RngExt;
        self.min + (self.max - self.min) * rng.random::<f64>()
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "uniform({}, {})", self.min, self.max)
    }
}
