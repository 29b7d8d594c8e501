//! Probability distributions for model inputs and their text syntax.
//!
//! Every uncertain input is written in configs and on the command line in one small
//! call syntax, e.g. `normal(0.10, 0.02)`, `triangular(0.01, 0.027, 0.05)`,
//! `lognormal(median=1, sigma=0.25)`. [`Dist::parse`] turns that text into a [`Dist`],
//! which samples with `rand_distr` and answers quantile and CDF questions through
//! `statrs` or closed forms. Quantiles matter because tornado analysis evaluates each
//! input at its P10 and P90, and correlated inputs are drawn through a Gaussian copula.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Gamma};
use statrs::distribution::{Beta as SBeta, Continuous, ContinuousCDF, Normal as SNormal};
use std::fmt;

/// Why a distribution expression was rejected; the message says what would be valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DistError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, DistError> {
    Err(DistError(msg.into()))
}

/// The forms [`Dist::parse`] accepts, quoted in error messages.
pub const DIST_FORMS: &str = "a number, fixed(x), normal(mean, sd), \
truncnormal(mean, sd, min, max), lognormal(mean=, sd=) | lognormal(median=, sigma=) | \
lognormal(mean=, sigma=), uniform(min, max), triangular(min, mode, max), \
pert(min, mode, max), beta(alpha, beta[, min, max]), \
discrete(values=[..], p=[..]), empirical([..])";

/// A parsed call `name(args)`; shared by scalar, band and share syntaxes.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function name, lower-cased.
    pub name: String,
    /// Arguments without a key, in order.
    pub positional: Vec<Arg>,
    /// `key=value` arguments, in order.
    pub named: Vec<(String, Arg)>,
}

/// One argument of a [`Call`].
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A number.
    Num(f64),
    /// A bracketed list of numbers.
    List(Vec<f64>),
}

impl Call {
    /// Parses `name(arg, key=value, [list], ...)`.
    pub fn parse(text: &str) -> Result<Call, DistError> {
        let text = text.trim();
        let open = match text.find('(') {
            Some(i) if text.ends_with(')') => i,
            _ => return err(format!("`{text}` is not a call like `normal(0.1, 0.02)`")),
        };
        let name = text[..open].trim().to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return err(format!("`{text}` has no distribution name before `(`"));
        }
        let body = &text[open + 1..text.len() - 1];
        let mut call = Call {
            name,
            positional: vec![],
            named: vec![],
        };
        for part in split_top_level(body)? {
            let part = part.trim();
            if part.is_empty() {
                if body.trim().is_empty() {
                    continue;
                }
                return err(format!("empty argument in `{text}`"));
            }
            match part.split_once('=') {
                Some((k, v)) if !k.contains('[') => {
                    let k = k.trim();
                    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        return err(format!("`{k}` is not a valid argument name in `{text}`"));
                    }
                    call.named.push((k.to_string(), parse_arg(v.trim())?));
                }
                _ => call.positional.push(parse_arg(part)?),
            }
        }
        Ok(call)
    }

    /// The number under `key`, or at `pos` among the positional arguments.
    fn num(&self, key: &str, pos: Option<usize>) -> Option<Result<f64, DistError>> {
        let found = self
            .named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, a)| a)
            .or_else(|| pos.and_then(|p| self.positional.get(p)));
        found.map(|a| match a {
            Arg::Num(x) => Ok(*x),
            Arg::List(_) => err(format!(
                "`{key}` of {}() must be a number, not a list",
                self.name
            )),
        })
    }

    fn list(&self, key: &str, pos: Option<usize>) -> Option<Result<Vec<f64>, DistError>> {
        let found = self
            .named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, a)| a)
            .or_else(|| pos.and_then(|p| self.positional.get(p)));
        found.map(|a| match a {
            Arg::List(v) => Ok(v.clone()),
            Arg::Num(_) => err(format!(
                "`{key}` of {}() must be a list like [1, 2]",
                self.name
            )),
        })
    }

    fn has(&self, key: &str) -> bool {
        self.named.iter().any(|(k, _)| k == key)
    }

    fn req(&self, key: &str, pos: usize, usage: &str) -> Result<f64, DistError> {
        match self.num(key, Some(pos)) {
            Some(r) => r,
            None => err(format!("{}() needs `{key}`: write {usage}", self.name)),
        }
    }

    fn check_arity(&self, max: usize, keys: &[&str], usage: &str) -> Result<(), DistError> {
        if self.positional.len() > max {
            return err(format!(
                "{}() takes at most {max} values: write {usage}",
                self.name
            ));
        }
        for (k, _) in &self.named {
            if !keys.contains(&k.as_str()) {
                return err(format!(
                    "{}() has no argument `{k}` (valid: {}): write {usage}",
                    self.name,
                    keys.join(", ")
                ));
            }
        }
        Ok(())
    }
}

fn split_top_level(body: &str) -> Result<Vec<&str>, DistError> {
    let mut parts = vec![];
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth < 0 {
                    return err(format!("unbalanced `]` in `{body}`"));
                }
            }
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return err(format!("unbalanced `[` in `{body}`"));
    }
    parts.push(&body[start..]);
    Ok(parts)
}

fn parse_num(s: &str) -> Result<f64, DistError> {
    let s = s.trim().replace('_', "");
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => err(format!("`{s}` is not a finite number")),
        Err(_) => err(format!("`{s}` is not a number")),
    }
}

fn parse_arg(s: &str) -> Result<Arg, DistError> {
    if let Some(inner) = s.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return err(format!("`{s}` is not a list like [1, 2, 3]"));
        };
        if inner.trim().is_empty() {
            return Ok(Arg::List(vec![]));
        }
        return inner
            .split(',')
            .map(parse_num)
            .collect::<Result<_, _>>()
            .map(Arg::List);
    }
    parse_num(s).map(Arg::Num)
}

/// A univariate distribution of one scalar model input.
///
/// Each variant keeps its parameters (for quantiles, CDFs and display) next to a
/// prepared `rand_distr` sampler, so sampling in the hot loop builds nothing.
#[derive(Debug, Clone)]
pub enum Dist {
    /// A constant.
    Fixed(f64),
    /// Normal with mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Normal truncated to `[min, max]`, sampled by inversion.
    TruncNormal {
        /// Mean of the untruncated normal.
        mean: f64,
        /// Standard deviation of the untruncated normal.
        sd: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// exp(N(mu, sigma²)).
    LogNormal {
        /// Mean of the log.
        mu: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
    /// Uniform on `[min, max)`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular with a mode.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
        /// Prepared sampler.
        sampler: rand_distr::Triangular<f64>,
    },
    /// PERT (a scaled beta with shape 4).
    Pert {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
        /// Prepared sampler.
        sampler: rand_distr::Pert<f64>,
    },
    /// Beta(alpha, beta) scaled to `[min, max]`.
    Beta {
        /// First shape.
        alpha: f64,
        /// Second shape.
        beta: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
        /// Prepared sampler on [0, 1].
        sampler: rand_distr::Beta<f64>,
    },
    /// Finitely many values with given probabilities.
    Discrete {
        /// Values, in the order given.
        values: Vec<f64>,
        /// Their probabilities.
        p: Vec<f64>,
    },
    /// Resampling from a list of observed values, each equally likely.
    Empirical {
        /// The values, sorted ascending.
        values: Vec<f64>,
    },
}

fn std_normal() -> SNormal {
    SNormal::standard()
}

/// Standard normal CDF.
pub fn phi(z: f64) -> f64 {
    std_normal().cdf(z)
}

/// Φ at the speed of a table lookup, for the input ranks of every draw: cubic
/// Hermite interpolation of statrs' Φ and φ at steps of 1/128 over [−9, 9]. The
/// interpolation error is below h⁴/384 · max|Φ⁗| ≈ 5·10⁻¹²; against statrs itself the
/// test allows 3·10⁻¹¹, since statrs' erf jumps by about 10⁻¹¹ where it changes
/// approximation (z = −1/√2). Outside the table it calls [`phi`].
#[derive(Debug, Clone)]
pub struct PhiTable {
    /// (Φ, φ) at each knot.
    knots: Vec<[f64; 2]>,
}

impl PhiTable {
    const LO: f64 = -9.0;
    const PER_UNIT: f64 = 128.0;
    const STEPS: usize = 18 * 128;

    /// Tabulates Φ and φ.
    pub fn new() -> PhiTable {
        let n = std_normal();
        let knots = (0..=Self::STEPS)
            .map(|i| {
                let z = Self::LO + i as f64 / Self::PER_UNIT;
                [n.cdf(z), n.pdf(z)]
            })
            .collect();
        PhiTable { knots }
    }

    /// Φ(z) within 3·10⁻¹¹.
    #[inline]
    pub fn eval(&self, z: f64) -> f64 {
        let t = (z - Self::LO) * Self::PER_UNIT;
        if !(t >= 0.0 && t < Self::STEPS as f64) {
            return phi(z);
        }
        let i = t as usize;
        let u = t - i as f64;
        let h = 1.0 / Self::PER_UNIT;
        let ([f0, d0], [f1, d1]) = (self.knots[i], self.knots[i + 1]);
        let (u2, u3) = (u * u, u * u * u);
        let v = (2.0 * u3 - 3.0 * u2 + 1.0) * f0
            + (u3 - 2.0 * u2 + u) * h * d0
            + (3.0 * u2 - 2.0 * u3) * f1
            + (u3 - u2) * h * d1;
        v.clamp(0.0, 1.0)
    }
}

impl Default for PhiTable {
    fn default() -> PhiTable {
        PhiTable::new()
    }
}

/// Standard normal quantile, clamped away from the infinite ends.
pub fn phi_inv(u: f64) -> f64 {
    std_normal().inverse_cdf(u.clamp(1e-300, 1.0 - 1e-16))
}

/// Checks probabilities: non-negative and summing to one within 1e-9.
pub fn check_probabilities(p: &[f64]) -> Result<(), DistError> {
    if p.is_empty() {
        return err("the probability list is empty");
    }
    if let Some(x) = p.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
        return err(format!("probability {x} is negative or not finite"));
    }
    let s: f64 = p.iter().sum();
    if (s - 1.0).abs() > 1e-9 {
        return err(format!("probabilities sum to {s}, not 1 (within 1e-9)"));
    }
    Ok(())
}

impl Dist {
    /// Parses a number or a call such as `normal(0.1, 0.02)`; see [`DIST_FORMS`].
    pub fn parse(text: &str) -> Result<Dist, DistError> {
        let t = text.trim();
        if let Ok(x) = parse_num(t) {
            return Ok(Dist::Fixed(x));
        }
        Dist::from_call(&Call::parse(t)?)
    }

    /// Builds a distribution from a parsed call, checking every parameter, and that
    /// its draws can represent it in f64 ([`Dist::check_representable`]).
    pub fn from_call(c: &Call) -> Result<Dist, DistError> {
        let d = Dist::from_call_unchecked(c)?;
        d.check_representable(&c.name)?;
        Ok(d)
    }

    /// Largest log-sd of a lognormal: its mean is carried by draws near z = sigma,
    /// and above 7 those have probability below 10^-12, so no run of at most
    /// [`crate::engine::MAX_DRAWS`] draws could represent it.
    pub const MAX_LOG_SIGMA: f64 = 7.0;

    /// Refuses parameters whose draws cannot represent the distribution: a mean or
    /// a quantile that overflows f64, or a lognormal whose mean no feasible sample
    /// reaches (draws underflowing to 0, say).
    pub fn check_representable(&self, name: &str) -> Result<(), DistError> {
        if let Dist::LogNormal { mu, sigma } = *self
            && sigma > Dist::MAX_LOG_SIGMA
        {
            return err(format!(
                "{name}(): log-sd {sigma} is too wide to sample: its mean ({:.3e}) is carried by draws so rare that no run reaches them, and its median is e^{mu:.0}; use a log-sd of at most {}",
                (mu + sigma * sigma / 2.0).exp(),
                Dist::MAX_LOG_SIGMA
            ));
        }
        let mean = self.mean();
        if !mean.is_finite() {
            return err(format!("{name}(): its mean overflows f64 ({mean})"));
        }
        for p in [1e-12, 0.5, 1.0 - 1e-12] {
            let q = self.quantile(p);
            if !q.is_finite() {
                return err(format!(
                    "{name}(): its draws overflow f64 (quantile {p} is {q}); use smaller parameters"
                ));
            }
        }
        if let Dist::LogNormal { mu, sigma } = *self {
            let low = (mu - 7.0 * sigma).exp();
            if low < f64::MIN_POSITIVE {
                return err(format!(
                    "{name}(): its draws underflow to 0 in f64 (quantile 1e-12 is e^{:.0}); use a larger mean or median",
                    mu - 7.0 * sigma
                ));
            }
        }
        Ok(())
    }

    fn from_call_unchecked(c: &Call) -> Result<Dist, DistError> {
        let pos = |x: f64, what: &str| -> Result<f64, DistError> {
            if x > 0.0 {
                Ok(x)
            } else {
                err(format!("{}(): {what} must be > 0, found {x}", c.name))
            }
        };
        let order = |min: f64, max: f64| -> Result<(), DistError> {
            if min < max {
                Ok(())
            } else {
                err(format!(
                    "{}(): min must be < max, found min {min}, max {max}",
                    c.name
                ))
            }
        };
        match c.name.as_str() {
            "fixed" => {
                let u = "fixed(x)";
                c.check_arity(1, &["x", "value"], u)?;
                let x = c.num("value", None).unwrap_or_else(|| c.req("x", 0, u))?;
                Ok(Dist::Fixed(x))
            }
            "normal" => {
                let u = "normal(mean, sd)";
                c.check_arity(2, &["mean", "sd"], u)?;
                let mean = c.req("mean", 0, u)?;
                let sd = pos(c.req("sd", 1, u)?, "sd")?;
                Ok(Dist::Normal { mean, sd })
            }
            "truncnormal" | "truncated_normal" => {
                let u = "truncnormal(mean, sd, min, max)";
                c.check_arity(4, &["mean", "sd", "min", "max"], u)?;
                let mean = c.req("mean", 0, u)?;
                let sd = pos(c.req("sd", 1, u)?, "sd")?;
                let (min, max) = (c.req("min", 2, u)?, c.req("max", 3, u)?);
                order(min, max)?;
                let mass = phi((max - mean) / sd) - phi((min - mean) / sd);
                if mass < 1e-12 {
                    return err(format!(
                        "truncnormal(): [{min}, {max}] holds almost none of normal({mean}, {sd})"
                    ));
                }
                Ok(Dist::TruncNormal { mean, sd, min, max })
            }
            "lognormal" => {
                let u = "lognormal(mean=, sd=) or lognormal(median=, sigma=) or lognormal(mean=, sigma=)";
                c.check_arity(0, &["mean", "sd", "median", "sigma"], u)?;
                let (mu, sigma) = if c.has("median") && c.has("sigma") && !c.has("mean") {
                    let m = pos(c.req("median", 99, u)?, "median")?;
                    (m.ln(), pos(c.req("sigma", 99, u)?, "sigma")?)
                } else if c.has("mean") && c.has("sd") && !c.has("sigma") {
                    let m = pos(c.req("mean", 99, u)?, "mean")?;
                    let sd = pos(c.req("sd", 99, u)?, "sd")?;
                    let s2 = (1.0 + (sd / m).powi(2)).ln();
                    (m.ln() - s2 / 2.0, s2.sqrt())
                } else if c.has("mean") && c.has("sigma") && !c.has("sd") {
                    let m = pos(c.req("mean", 99, u)?, "mean")?;
                    let s = pos(c.req("sigma", 99, u)?, "sigma")?;
                    (m.ln() - s * s / 2.0, s)
                } else {
                    return err(format!("lognormal() needs one pair of keys: write {u}"));
                };
                Ok(Dist::LogNormal { mu, sigma })
            }
            "uniform" => {
                let u = "uniform(min, max)";
                c.check_arity(2, &["min", "max"], u)?;
                let (min, max) = (c.req("min", 0, u)?, c.req("max", 1, u)?);
                order(min, max)?;
                Ok(Dist::Uniform { min, max })
            }
            "triangular" | "pert" => {
                let u = if c.name == "pert" {
                    "pert(min, mode, max)"
                } else {
                    "triangular(min, mode, max)"
                };
                c.check_arity(3, &["min", "mode", "max"], u)?;
                let (min, mode, max) = (
                    c.req("min", 0, u)?,
                    c.req("mode", 1, u)?,
                    c.req("max", 2, u)?,
                );
                order(min, max)?;
                if !(min..=max).contains(&mode) {
                    return err(format!(
                        "{}(): mode {mode} lies outside [min {min}, max {max}]",
                        c.name
                    ));
                }
                if c.name == "pert" {
                    let sampler = rand_distr::Pert::new(min, max)
                        .with_mode(mode)
                        .map_err(|e| DistError(format!("pert(): {e}")))?;
                    Ok(Dist::Pert {
                        min,
                        mode,
                        max,
                        sampler,
                    })
                } else {
                    let sampler = rand_distr::Triangular::new(min, max, mode)
                        .map_err(|e| DistError(format!("triangular(): {e}")))?;
                    Ok(Dist::Triangular {
                        min,
                        mode,
                        max,
                        sampler,
                    })
                }
            }
            "beta" => {
                let u = "beta(alpha, beta) or beta(alpha, beta, min, max)";
                c.check_arity(4, &["alpha", "beta", "min", "max"], u)?;
                let alpha = pos(c.req("alpha", 0, u)?, "alpha")?;
                let beta = pos(c.req("beta", 1, u)?, "beta")?;
                let min = c.num("min", Some(2)).transpose()?.unwrap_or(0.0);
                let max = c.num("max", Some(3)).transpose()?.unwrap_or(1.0);
                order(min, max)?;
                let sampler = rand_distr::Beta::new(alpha, beta)
                    .map_err(|e| DistError(format!("beta(): {e}")))?;
                Ok(Dist::Beta {
                    alpha,
                    beta,
                    min,
                    max,
                    sampler,
                })
            }
            "discrete" => {
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
                Ok(Dist::Discrete { values, p })
            }
            "empirical" => {
                let u = "empirical([v1, v2, ...])";
                c.check_arity(1, &["values"], u)?;
                let mut values = c
                    .list("values", Some(0))
                    .ok_or_else(|| DistError(format!("empirical() needs a list: write {u}")))??;
                if values.is_empty() {
                    return err("empirical(): the list of values is empty");
                }
                values.sort_by(f64::total_cmp);
                Ok(Dist::Empirical { values })
            }
            other => err(format!(
                "unknown distribution `{other}`; valid forms: {DIST_FORMS}"
            )),
        }
    }

    /// True when the distribution always returns one value.
    pub fn is_fixed(&self) -> bool {
        matches!(self, Dist::Fixed(_))
    }

    /// The mean, used as the base value of an input given only as a distribution.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(x) => *x,
            Dist::Normal { mean, .. } => *mean,
            Dist::TruncNormal { mean, sd, min, max } => {
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                let n = std_normal();
                let pdf = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                mean + sd * (pdf(a) - pdf(b)) / (n.cdf(b) - n.cdf(a))
            }
            Dist::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max, .. } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max, .. } => (min + 4.0 * mode + max) / 6.0,
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
                ..
            } => min + (max - min) * alpha / (alpha + beta),
            Dist::Discrete { values, p } => values.iter().zip(p).map(|(v, p)| v * p).sum(),
            Dist::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// The variance, used by tests that check sample moments against theory.
    pub fn variance(&self) -> f64 {
        match self {
            Dist::Fixed(_) => 0.0,
            Dist::Normal { sd, .. } => sd * sd,
            Dist::TruncNormal { mean, sd, min, max } => {
                let (a, b) = ((min - mean) / sd, (max - mean) / sd);
                let pdf = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                let z = phi(b) - phi(a);
                let t1 = (a * pdf(a) - b * pdf(b)) / z;
                let t2 = ((pdf(a) - pdf(b)) / z).powi(2);
                sd * sd * (1.0 + t1 - t2)
            }
            Dist::LogNormal { mu, sigma } => {
                let s2 = sigma * sigma;
                (s2.exp() - 1.0) * (2.0 * mu + s2).exp()
            }
            Dist::Uniform { min, max } => (max - min).powi(2) / 12.0,
            Dist::Triangular { min, mode, max, .. } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Dist::Pert { min, mode, max, .. } => {
                let mu = (min + 4.0 * mode + max) / 6.0;
                (mu - min) * (max - mu) / 7.0
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
                ..
            } => {
                let s = alpha + beta;
                (max - min).powi(2) * alpha * beta / (s * s * (s + 1.0))
            }
            Dist::Discrete { .. } | Dist::Empirical { .. } => {
                let m = self.mean();
                match self {
                    Dist::Discrete { values, p } => {
                        values.iter().zip(p).map(|(v, p)| p * (v - m).powi(2)).sum()
                    }
                    Dist::Empirical { values } => {
                        values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / values.len() as f64
                    }
                    _ => unreachable!(),
                }
            }
        }
    }

    /// The value below which a share `u` of the mass lies (inverse CDF).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self {
            Dist::Fixed(x) => *x,
            Dist::Normal { mean, sd } => mean + sd * phi_inv(u),
            Dist::TruncNormal { mean, sd, min, max } => {
                let (fa, fb) = (phi((min - mean) / sd), phi((max - mean) / sd));
                (mean + sd * phi_inv(fa + u * (fb - fa))).clamp(*min, *max)
            }
            Dist::LogNormal { mu, sigma } => (mu + sigma * phi_inv(u)).exp(),
            Dist::Uniform { min, max } => min + u * (max - min),
            Dist::Triangular { min, mode, max, .. } => {
                let fc = (mode - min) / (max - min);
                if u < fc {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
            Dist::Pert { min, mode, max, .. } => {
                let (a, b) = pert_shapes(*min, *mode, *max);
                min + (max - min) * beta_quantile(a, b, u)
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
                ..
            } => min + (max - min) * beta_quantile(*alpha, *beta, u),
            Dist::Discrete { values, p } => {
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
            Dist::Empirical { values } => {
                let n = values.len();
                let i = ((u * n as f64).ceil() as usize).clamp(1, n) - 1;
                values[i]
            }
        }
    }

    /// Probability of a value at or below `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        match self {
            Dist::Fixed(v) => f64::from(u8::from(x >= *v)),
            Dist::Normal { mean, sd } => phi((x - mean) / sd),
            Dist::TruncNormal { mean, sd, min, max } => {
                let (fa, fb) = (phi((min - mean) / sd), phi((max - mean) / sd));
                ((phi((x.clamp(*min, *max) - mean) / sd) - fa) / (fb - fa)).clamp(0.0, 1.0)
            }
            Dist::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    phi((x.ln() - mu) / sigma)
                }
            }
            Dist::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Dist::Triangular { min, mode, max, .. } => {
                if x <= *min {
                    0.0
                } else if x >= *max {
                    1.0
                } else if x <= *mode {
                    (x - min).powi(2) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
                }
            }
            Dist::Pert { min, mode, max, .. } => {
                let (a, b) = pert_shapes(*min, *mode, *max);
                beta_cdf(a, b, (x - min) / (max - min))
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
                ..
            } => beta_cdf(*alpha, *beta, (x - min) / (max - min)),
            Dist::Discrete { values, p } => values
                .iter()
                .zip(p)
                .filter(|(v, _)| **v <= x)
                .map(|(_, p)| p)
                .sum(),
            Dist::Empirical { values } => {
                values.partition_point(|v| *v <= x) as f64 / values.len() as f64
            }
        }
    }
}

fn pert_shapes(min: f64, mode: f64, max: f64) -> (f64, f64) {
    let range = max - min;
    (
        1.0 + 4.0 * (mode - min) / range,
        1.0 + 4.0 * (max - mode) / range,
    )
}

fn beta_quantile(a: f64, b: f64, u: f64) -> f64 {
    SBeta::new(a, b)
        .map(|d| d.inverse_cdf(u))
        .unwrap_or(f64::NAN)
}

fn beta_cdf(a: f64, b: f64, x: f64) -> f64 {
    SBeta::new(a, b)
        .map(|d| d.cdf(x.clamp(0.0, 1.0)))
        .unwrap_or(f64::NAN)
}

impl Distribution<f64> for Dist {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(x) => *x,
            Dist::Normal { mean, sd } => {
                let z: f64 = rng.sample(rand_distr::StandardNormal);
                mean + sd * z
            }
            Dist::LogNormal { mu, sigma } => {
                let z: f64 = rng.sample(rand_distr::StandardNormal);
                (mu + sigma * z).exp()
            }
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Triangular { sampler, .. } => sampler.sample(rng),
            Dist::Pert { sampler, .. } => sampler.sample(rng),
            Dist::Beta {
                sampler, min, max, ..
            } => min + (max - min) * sampler.sample(rng),
            Dist::Empirical { values } => values[rng.random_range(0..values.len())],
            Dist::TruncNormal { .. } | Dist::Discrete { .. } => self.quantile(rng.random::<f64>()),
        }
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[f64]| {
            v.iter()
                .map(|x| format!("{x}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Dist::Fixed(x) => write!(f, "fixed({x})"),
            Dist::Normal { mean, sd } => write!(f, "normal({mean}, {sd})"),
            Dist::TruncNormal { mean, sd, min, max } => {
                write!(f, "truncnormal({mean}, {sd}, {min}, {max})")
            }
            Dist::LogNormal { mu, sigma } => {
                write!(f, "lognormal(median={}, sigma={sigma})", mu.exp())
            }
            Dist::Uniform { min, max } => write!(f, "uniform({min}, {max})"),
            Dist::Triangular { min, mode, max, .. } => {
                write!(f, "triangular({min}, {mode}, {max})")
            }
            Dist::Pert { min, mode, max, .. } => write!(f, "pert({min}, {mode}, {max})"),
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
                ..
            } => write!(f, "beta({alpha}, {beta}, {min}, {max})"),
            Dist::Discrete { values, p } => {
                write!(f, "discrete(values=[{}], p=[{}])", list(values), list(p))
            }
            Dist::Empirical { values } => write!(f, "empirical([{}])", list(values)),
        }
    }
}

/// Share vectors over job levels: fixed, or Dirichlet (spec §4, skill mix).
#[derive(Debug, Clone)]
pub enum SharesDist {
    /// Shares that do not vary.
    Fixed(Vec<f64>),
    /// Dirichlet with these concentrations; components with zero concentration stay 0.
    Dirichlet {
        /// Concentration per component (0 = the component is always 0).
        alpha: Vec<f64>,
        /// Prepared Gamma(alpha_i, 1) samplers; `None` where alpha is 0.
        gammas: Vec<Option<Gamma<f64>>>,
    },
}

impl SharesDist {
    /// A Dirichlet with concentration `kappa · base` over the non-zero components.
    pub fn dirichlet(alpha: Vec<f64>) -> Result<SharesDist, DistError> {
        if alpha.iter().any(|a| !(a.is_finite() && *a >= 0.0)) || alpha.iter().all(|a| *a == 0.0) {
            return err(format!(
                "dirichlet(): concentrations must be finite, ≥ 0 and not all 0, found {alpha:?}"
            ));
        }
        let gammas = alpha
            .iter()
            .map(|&a| (a > 0.0).then(|| Gamma::new(a, 1.0).expect("checked shape")))
            .collect();
        Ok(SharesDist::Dirichlet { alpha, gammas })
    }

    /// Draws one share vector into `out`.
    pub fn sample_into<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        match self {
            SharesDist::Fixed(v) => out.copy_from_slice(v),
            SharesDist::Dirichlet { gammas, .. } => {
                let mut total = 0.0;
                for (o, g) in out.iter_mut().zip(gammas) {
                    *o = g.as_ref().map_or(0.0, |g| g.sample(rng));
                    total += *o;
                }
                for o in out.iter_mut() {
                    *o /= total;
                }
            }
        }
    }

    /// The mean share vector.
    pub fn mean(&self) -> Vec<f64> {
        match self {
            SharesDist::Fixed(v) => v.clone(),
            SharesDist::Dirichlet { alpha, .. } => {
                let s: f64 = alpha.iter().sum();
                alpha.iter().map(|a| a / s).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_table_matches_statrs() {
        let t = PhiTable::new();
        let mut worst = 0.0f64;
        for i in -1_200_000..=1_200_000 {
            let z = i as f64 * 1e-5 + 0.37e-5;
            worst = worst.max((t.eval(z) - phi(z)).abs());
        }
        assert!(worst < 3e-11, "{worst}");
        for z in [-40.0, -9.0, 9.0, 9.5, 40.0, f64::INFINITY] {
            assert_eq!(t.eval(z), phi(z), "{z}");
        }
        assert!(t.eval(f64::NAN).is_nan());
    }

    #[test]
    fn parses_every_form() {
        for text in [
            "0.5",
            "fixed(0.042)",
            "normal(0.10, 0.02)",
            "normal(mean=0.1, sd=0.02)",
            "truncnormal(0, 1, -1, 2)",
            "lognormal(mean=1, sd=0.25)",
            "lognormal(median=1, sigma=0.25)",
            "lognormal(mean=1, sigma=0.25)",
            "uniform(0, 1)",
            "triangular(0.01, 0.027, 0.05)",
            "pert(0.01, 0.027, 0.05)",
            "beta(2, 3)",
            "discrete(values=[1, 2], p=[0.25, 0.75])",
            "empirical([3, 1, 2])",
        ] {
            Dist::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }

    #[test]
    fn rejects_bad_parameters_with_reasons() {
        for (text, needle) in [
            ("normal(0, 0)", "sd must be > 0"),
            ("normal(0, -1)", "sd must be > 0"),
            ("uniform(2, 1)", "min must be < max"),
            ("triangular(0, 2, 1)", "outside"),
            ("discrete(values=[1,2], p=[0.5, 0.6])", "sum to"),
            ("discrete(values=[1,2], p=[-0.5, 1.5])", "negative"),
            ("empirical([])", "empty"),
            ("lognormal(mean=-1, sd=1)", "mean must be > 0"),
            ("gauss(0, 1)", "unknown distribution"),
            ("normal(0, 1, 2)", "at most 2"),
            ("normal(0, nan)", "not a finite number"),
            ("normal(0, 1", "not a call"),
        ] {
            let e = Dist::parse(text).expect_err(text);
            assert!(e.0.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn quantile_inverts_cdf() {
        for text in [
            "normal(1, 2)",
            "truncnormal(0, 1, -0.5, 2)",
            "lognormal(median=2, sigma=0.5)",
            "uniform(-1, 3)",
            "triangular(0.01, 0.027, 0.05)",
            "pert(0, 1, 5)",
            "beta(2, 5, 1, 3)",
        ] {
            let d = Dist::parse(text).unwrap();
            for u in [0.05, 0.1, 0.3, 0.5, 0.9, 0.99] {
                let x = d.quantile(u);
                assert!(
                    (d.cdf(x) - u).abs() < 1e-7,
                    "{text} at {u}: cdf(q) = {}",
                    d.cdf(x)
                );
            }
        }
    }

    #[test]
    fn lognormal_by_mean_and_sd_has_that_mean_and_sd() {
        let d = Dist::parse("lognormal(mean=3, sd=0.6)").unwrap();
        assert!((d.mean() - 3.0).abs() < 1e-12);
        assert!((d.variance().sqrt() - 0.6).abs() < 1e-12);
    }
}

#[cfg(test)]
mod moment_tests {
    use super::*;
    use rand::SeedableRng;

    /// Sample mean and variance of every distribution agree with theory: the mean
    /// within 4 standard errors, the variance within 4 of its (kurtosis-aware) errors.
    #[test]
    fn sample_moments_match_theory() {
        let n = 200_000;
        for text in [
            "normal(1, 2)",
            "truncnormal(0, 1, -0.5, 2)",
            "lognormal(mean=1, sigma=0.25)",
            "lognormal(mean=3, sd=0.6)",
            "uniform(-1, 3)",
            "triangular(0.010, 0.027, 0.050)",
            "pert(0, 1, 5)",
            "beta(2, 5, 1, 3)",
            "discrete(values=[1, 2, 10], p=[0.5, 0.3, 0.2])",
            "empirical([3, 1, 2, 8])",
        ] {
            let d = Dist::parse(text).unwrap();
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
            let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let m4 = xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n as f64;
            let se_mean = (var / n as f64).sqrt();
            let se_var = ((m4 - var * var) / n as f64).sqrt();
            assert!(
                (mean - d.mean()).abs() < 4.0 * se_mean,
                "{text}: mean {mean} vs {}",
                d.mean()
            );
            assert!(
                (var - d.variance()).abs() < 4.0 * se_var,
                "{text}: var {var} vs {}",
                d.variance()
            );
        }
    }

    #[test]
    fn dirichlet_shares_have_the_right_mean_and_variance() {
        let alpha = vec![0.0, 12.0, 108.0, 30.0];
        let d = SharesDist::dirichlet(alpha.clone()).unwrap();
        let a0: f64 = alpha.iter().sum();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let n = 100_000;
        let mut sum = [0.0; 4];
        let mut sumsq = [0.0; 4];
        let mut q = [0.0; 4];
        for _ in 0..n {
            d.sample_into(&mut rng, &mut q);
            assert!((q.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert_eq!(q[0], 0.0);
            for i in 0..4 {
                sum[i] += q[i];
                sumsq[i] += q[i] * q[i];
            }
        }
        for i in 1..4 {
            let m = alpha[i] / a0;
            let v = m * (1.0 - m) / (a0 + 1.0);
            let mean = sum[i] / n as f64;
            let var = sumsq[i] / n as f64 - mean * mean;
            assert!(
                (mean - m).abs() < 4.0 * (v / n as f64).sqrt(),
                "share {i}: {mean} vs {m}"
            );
            assert!((var - v).abs() < 0.03 * v, "share {i}: var {var} vs {v}");
        }
    }
}
