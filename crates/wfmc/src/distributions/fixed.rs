//! `fixed(x)` or a plain number: a constant.

use super::{Call, Dist, DistError, Family};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "fixed(x)";

/// A constant.
#[derive(Debug, Clone, Copy)]
pub struct Fixed(pub f64);

/// Reads `fixed(x)`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    c.check_arity(1, &["x", "value"], USAGE)?;
    let x = c
        .num("value", None)
        .unwrap_or_else(|| c.req("x", 0, USAGE))?;
    Ok(Dist::new(Fixed(x)))
}

impl Family for Fixed {
    fn mean(&self) -> f64 {
        self.0
    }
    fn variance(&self) -> f64 {
        0.0
    }
    fn quantile(&self, _u: f64) -> f64 {
        self.0
    }
    fn cdf(&self, x: f64) -> f64 {
        f64::from(u8::from(x >= self.0))
    }
    fn sample(&self, _rng: &mut dyn rand::Rng) -> f64 {
        self.0
    }
    fn at_score(&self, _z: f64) -> f64 {
        self.0
    }
    fn mid_cdf(&self, _x: f64) -> f64 {
        0.5
    }
    fn fixed_value(&self) -> Option<f64> {
        Some(self.0)
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fixed({})", self.0)
    }
}
