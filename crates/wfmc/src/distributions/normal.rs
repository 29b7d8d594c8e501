//! `normal(mean, sd)`.

use super::{Call, Dist, DistError, Family, phi, phi_inv, positive};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "normal(mean, sd)";

/// Normal with mean and standard deviation.
#[derive(Debug, Clone, Copy)]
pub struct Normal {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
}

/// Reads `normal(mean, sd)`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    c.check_arity(2, &["mean", "sd"], USAGE)?;
    let mean = c.req("mean", 0, USAGE)?;
    let sd = positive(c, c.req("sd", 1, USAGE)?, "sd")?;
    Ok(Dist::new(Normal { mean, sd }))
}

impl Family for Normal {
    fn gaussian_form(&self) -> Option<super::GaussianForm> {
        Some(super::GaussianForm::Normal {
            mu: self.mean,
            sigma: self.sd,
        })
    }
    fn mean(&self) -> f64 {
        self.mean
    }
    fn variance(&self) -> f64 {
        self.sd * self.sd
    }
    fn quantile(&self, u: f64) -> f64 {
        self.mean + self.sd * phi_inv(u)
    }
    fn cdf(&self, x: f64) -> f64 {
        phi((x - self.mean) / self.sd)
    }
    fn sample(&self, rng: &mut dyn rand::Rng) -> f64 {
        use rand::RngExt;
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        self.mean + self.sd * z
    }
    // The normal score itself: exact and fast.
    fn at_score(&self, z: f64) -> f64 {
        self.mean + self.sd * z
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "normal({}, {})", self.mean, self.sd)
    }
}
