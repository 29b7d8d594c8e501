//! `lognormal(...)`: exp(N(mu, sigma²)), given by its mean and sd, its median and
//! log-sd, or its mean and log-sd.

use super::{Call, Dist, DistError, Family, err, phi, phi_inv, positive};
use std::fmt;

/// How it is written.
pub const USAGE: &str =
    "lognormal(mean=, sd=) | lognormal(median=, sigma=) | lognormal(mean=, sigma=)";

/// Largest log-sd: the mean is carried by draws near z = sigma, and above 7 those
/// have probability below 10^-12, so no run of at most 10^12 draws (wfmc's limit)
/// could represent it.
pub const MAX_SIGMA: f64 = 7.0;

/// exp(N(mu, sigma²)).
#[derive(Debug, Clone, Copy)]
pub struct LogNormal {
    /// Mean of the log.
    pub mu: f64,
    /// Standard deviation of the log.
    pub sigma: f64,
}

/// Reads any of the three forms, and refuses one whose draws cannot represent it.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    let u = "lognormal(mean=, sd=) or lognormal(median=, sigma=) or lognormal(mean=, sigma=)";
    c.check_arity(0, &["mean", "sd", "median", "sigma"], u)?;
    let (mu, sigma) = if c.has("median") && c.has("sigma") && !c.has("mean") {
        let m = positive(c, c.req("median", 99, u)?, "median")?;
        (m.ln(), positive(c, c.req("sigma", 99, u)?, "sigma")?)
    } else if c.has("mean") && c.has("sd") && !c.has("sigma") {
        let m = positive(c, c.req("mean", 99, u)?, "mean")?;
        let sd = positive(c, c.req("sd", 99, u)?, "sd")?;
        let s2 = (1.0 + (sd / m).powi(2)).ln();
        (m.ln() - s2 / 2.0, s2.sqrt())
    } else if c.has("mean") && c.has("sigma") && !c.has("sd") {
        let m = positive(c, c.req("mean", 99, u)?, "mean")?;
        let s = positive(c, c.req("sigma", 99, u)?, "sigma")?;
        (m.ln() - s * s / 2.0, s)
    } else {
        return err(format!("lognormal() needs one pair of keys: write {u}"));
    };
    if sigma > MAX_SIGMA {
        return err(format!(
            "lognormal(): log-sd {sigma} is too wide to sample: its mean ({:.3e}) is carried by draws so rare that no run reaches them, and its median is e^{mu:.0}; use a log-sd of at most {MAX_SIGMA}",
            (mu + sigma * sigma / 2.0).exp()
        ));
    }
    let low = mu - 7.0 * sigma;
    if low.exp() < f64::MIN_POSITIVE {
        return err(format!(
            "lognormal(): its draws underflow to 0 in f64 (quantile 1e-12 is e^{low:.0}); use a larger mean or median"
        ));
    }
    Ok(Dist::new(LogNormal { mu, sigma }))
}

impl Family for LogNormal {
    fn gaussian_form(&self) -> Option<super::GaussianForm> {
        Some(super::GaussianForm::LogNormal {
            mu: self.mu,
            sigma: self.sigma,
        })
    }
    fn mean(&self) -> f64 {
        (self.mu + self.sigma * self.sigma / 2.0).exp()
    }
    fn variance(&self) -> f64 {
        let s2 = self.sigma * self.sigma;
        (s2.exp() - 1.0) * (2.0 * self.mu + s2).exp()
    }
    fn quantile(&self, u: f64) -> f64 {
        (self.mu + self.sigma * phi_inv(u)).exp()
    }
    fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            0.0
        } else {
            phi((x.ln() - self.mu) / self.sigma)
        }
    }
    fn sample(&self, rng: &mut dyn rand::Rng) -> f64 {
        use rand::RngExt;
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        (self.mu + self.sigma * z).exp()
    }
    // The normal score itself: exact and fast.
    fn at_score(&self, z: f64) -> f64 {
        (self.mu + self.sigma * z).exp()
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "lognormal(median={}, sigma={})",
            self.mu.exp(),
            self.sigma
        )
    }
}
