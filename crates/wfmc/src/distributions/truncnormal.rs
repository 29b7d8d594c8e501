//! `truncnormal(mean, sd, min, max)`: a normal truncated to `[min, max]`, sampled by
//! inversion.

use super::{Call, Dist, DistError, Family, err, ordered, phi, phi_inv, positive};
use std::fmt;

/// How it is written.
pub const USAGE: &str = "truncnormal(mean, sd, min, max)";

/// Normal truncated to `[min, max]`.
#[derive(Debug, Clone, Copy)]
pub struct TruncNormal {
    /// Mean of the untruncated normal.
    pub mean: f64,
    /// Standard deviation of the untruncated normal.
    pub sd: f64,
    /// Lower bound.
    pub min: f64,
    /// Upper bound.
    pub max: f64,
}

/// Reads `truncnormal(mean, sd, min, max)`.
pub fn from_call(c: &Call) -> Result<Dist, DistError> {
    c.check_arity(4, &["mean", "sd", "min", "max"], USAGE)?;
    let mean = c.req("mean", 0, USAGE)?;
    let sd = positive(c, c.req("sd", 1, USAGE)?, "sd")?;
    let (min, max) = (c.req("min", 2, USAGE)?, c.req("max", 3, USAGE)?);
    ordered(c, min, max)?;
    let mass = phi((max - mean) / sd) - phi((min - mean) / sd);
    if mass < 1e-12 {
        return err(format!(
            "truncnormal(): [{min}, {max}] holds almost none of normal({mean}, {sd})"
        ));
    }
    Ok(Dist::new(TruncNormal { mean, sd, min, max }))
}

fn pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

impl Family for TruncNormal {
    fn mean(&self) -> f64 {
        let TruncNormal { mean, sd, min, max } = *self;
        let (a, b) = ((min - mean) / sd, (max - mean) / sd);
        mean + sd * (pdf(a) - pdf(b)) / (phi(b) - phi(a))
    }
    fn variance(&self) -> f64 {
        let TruncNormal { mean, sd, min, max } = *self;
        let (a, b) = ((min - mean) / sd, (max - mean) / sd);
        let z = phi(b) - phi(a);
        let t1 = (a * pdf(a) - b * pdf(b)) / z;
        let t2 = ((pdf(a) - pdf(b)) / z).powi(2);
        sd * sd * (1.0 + t1 - t2)
    }
    fn quantile(&self, u: f64) -> f64 {
        let TruncNormal { mean, sd, min, max } = *self;
        let (fa, fb) = (phi((min - mean) / sd), phi((max - mean) / sd));
        (mean + sd * phi_inv(fa + u * (fb - fa))).clamp(min, max)
    }
    fn cdf(&self, x: f64) -> f64 {
        let TruncNormal { mean, sd, min, max } = *self;
        let (fa, fb) = (phi((min - mean) / sd), phi((max - mean) / sd));
        ((phi((x.clamp(min, max) - mean) / sd) - fa) / (fb - fa)).clamp(0.0, 1.0)
    }
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TruncNormal { mean, sd, min, max } = *self;
        write!(f, "truncnormal({mean}, {sd}, {min}, {max})")
    }
}
