//! `beta(alpha, beta[, min, max])`: a beta scaled to `[min, max]` (default [0, 1]).

use super::{Call, Dist, DistError, Family, beta_cdf, beta_quantile, ordered, positive};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "beta(alpha, beta[, min, max])";

/// Beta(alpha, beta) scaled to `[min, max]`, with its prepared sampler on [0, 1].
#[derive(Debug, Clone)]
pub struct Beta {
    /// First shape.
    pub alpha: f64,
    /// Second shape.
    pub beta: f64,
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
    sampler: rand_distr::Beta<f64>,
}

/// Reads `beta(alpha, beta)` or `beta(alpha, beta, min, max)`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    let u = "beta(alpha, beta) or beta(alpha, beta, min, max)";
    c.check_arity(4, &["alpha", "beta", "min", "max"], u)?;
    let alpha = positive(c, c.req("alpha", 0, u)?, "alpha")?;
    let beta = positive(c, c.req("beta", 1, u)?, "beta")?;
    let min = c.num("min", Some(2)).transpose()?.unwrap_or(0.0);
    let max = c.num("max", Some(3)).transpose()?.unwrap_or(1.0);
    ordered(c, min, max)?;
    let sampler =
        rand_distr::Beta::new(alpha, beta).map_err(|e| DistError(format!("beta(): {e}")))?;
    Ok(Dist::new(Beta {
        alpha,
        beta,
        min,
        max,
        sampler,
    }))
}

impl Family for Beta {
    fn mean(&self) -> f64 {
        self.min + (self.max - self.min) * self.alpha / (self.alpha + self.beta)
    }
    fn variance(&self) -> f64 {
        let s = self.alpha + self.beta;
        (self.max - self.min).powi(2) * self.alpha * self.beta / (s * s * (s + 1.0))
    }
    fn quantile(&self, u: f64) -> f64 {
        self.min + (self.max - self.min) * beta_quantile(self.alpha, self.beta, u)
    }
    fn cdf(&self, x: f64) -> f64 {
        beta_cdf(
            self.alpha,
            self.beta,
            (x - self.min) / (self.max - self.min),
        )
    }
    fn sample(&self, rng: &mut dyn rand::Rng) -> f64 {
        use rand_distr::Distribution;
        self.min + (self.max - self.min) * self.sampler.sample(rng)
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Beta {
            alpha,
            beta,
            min,
            max,
            ..
        } = self;
        write!(f, "beta({alpha}, {beta}, {min}, {max})")
    }
}
