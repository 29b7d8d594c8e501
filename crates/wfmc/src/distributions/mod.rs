//! Probability distributions for model inputs and their text syntax.
//!
//! Every uncertain input is written in configs and on the command line in one small
//! call syntax, e.g. `normal(0.10, 0.02)`, `triangular(0.01, 0.027, 0.05)`,
//! `lognormal(median=1, sigma=0.25)`. [`Dist::parse`] turns that text into a [`Dist`],
//! which samples with `rand_distr` and answers quantile and CDF questions through
//! `statrs` or closed forms. Quantiles matter because tornado analysis evaluates each
//! input at its P10 and P90, and correlated inputs are drawn through a Gaussian copula.

mod beta;
mod discrete;
mod empirical;
mod fixed;
mod lognormal;
mod normal;
mod pert;
mod triangular;
mod truncnormal;
mod uniform;

pub use lognormal::MAX_SIGMA as MAX_LOG_SIGMA;

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Gamma};
use statrs::distribution::{Beta as SBeta, Continuous, ContinuousCDF, Normal as SNormal};
use std::fmt;
use std::sync::Arc;

/// Why a distribution expression was rejected; the message says what would be valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DistError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, DistError> {
    Err(DistError(msg.into()))
}

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

    /// The argument under `key`, or at `pos` among the positional arguments.
    fn arg(&self, key: &str, pos: Option<usize>) -> Option<&Arg> {
        self.named
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, a)| a)
            .or_else(|| pos.and_then(|p| self.positional.get(p)))
    }

    /// The number under `key`, or at `pos` among the positional arguments.
    fn num(&self, key: &str, pos: Option<usize>) -> Option<Result<f64, DistError>> {
        self.arg(key, pos).map(|a| match a {
            Arg::Num(x) => Ok(*x),
            Arg::List(_) => err(format!(
                "`{key}` of {}() must be a number, not a list",
                self.name
            )),
        })
    }

    fn list(&self, key: &str, pos: Option<usize>) -> Option<Result<Vec<f64>, DistError>> {
        self.arg(key, pos).map(|a| match a {
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
///
/// Wichura's algorithm AS 241 (PPND16, *Applied Statistics* 37, 1988): rational
/// approximations accurate to about 1e-16 relative, without the iterations of
/// statrs' `inverse_cdf` (a test compares the two). Randomised quasi-Monte Carlo
/// calls it about thirty times per draw, where statrs cost 15 % of a run.
pub fn phi_inv(u: f64) -> f64 {
    let p = u.clamp(1e-300, 1.0 - 1e-16);
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&AS241_A, r) / poly(&AS241_B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(&AS241_C, r) / poly(&AS241_D, r)
    } else {
        let r = r - 5.0;
        poly(&AS241_E, r) / poly(&AS241_F, r)
    };
    if q < 0.0 { -z } else { z }
}

/// Σ c_i x^i (Horner).
#[inline]
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
}

// AS 241's coefficients, lowest order first, as published.
#[allow(clippy::excessive_precision)]
const AS241_A: [f64; 8] = [
    3.387_132_872_796_366_5,
    133.141_667_891_784_38,
    1_971.590_950_306_551_3,
    13_731.693_765_509_461,
    45_921.953_931_549_87,
    67_265.770_927_008_7,
    33_430.575_583_588_13,
    2_509.080_928_730_122_7,
];
#[allow(clippy::excessive_precision)]
const AS241_B: [f64; 8] = [
    1.0,
    42.313_330_701_600_91,
    687.187_007_492_057_9,
    5_394.196_021_424_751,
    21_213.794_301_586_597,
    39_307.895_800_092_71,
    28_729.085_735_721_943,
    5_226.495_278_852_545,
];
#[allow(clippy::excessive_precision)]
const AS241_C: [f64; 8] = [
    1.423_437_110_749_683_5,
    4.630_337_846_156_546,
    5.769_497_221_460_691,
    3.647_848_324_763_204_5,
    1.270_458_252_452_368_4,
    0.241_780_725_177_450_6,
    0.022_723_844_989_269_184,
    7.745_450_142_783_414e-4,
];
#[allow(clippy::excessive_precision)]
const AS241_D: [f64; 8] = [
    1.0,
    2.053_191_626_637_759,
    1.676_384_830_183_803_8,
    0.689_767_334_985_1,
    0.148_103_976_427_480_08,
    0.015_198_666_563_616_457,
    5.475_938_084_995_345e-4,
    1.050_750_071_644_416_9e-9,
];
#[allow(clippy::excessive_precision)]
const AS241_E: [f64; 8] = [
    6.657_904_643_501_103,
    5.463_784_911_164_114,
    1.784_826_539_917_291_3,
    0.296_560_571_828_504_9,
    0.026_532_189_526_576_124,
    0.001_242_660_947_388_078_4,
    2.711_555_568_743_487_6e-5,
    2.010_334_399_292_288_1e-7,
];
#[allow(clippy::excessive_precision)]
const AS241_F: [f64; 8] = [
    1.0,
    0.599_832_206_555_888,
    0.136_929_880_922_735_8,
    0.014_875_361_290_850_615,
    7.868_691_311_456_133e-4,
    1.846_318_317_510_054_8e-5,
    1.421_511_758_316_446e-7,
    2.044_263_103_389_939_8e-15,
];

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

/// A distribution that is a monotone function of one normal score `Z`, with the
/// mean and standard deviation of the score's linear part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GaussianForm {
    /// `mu + sigma · Z`.
    Normal {
        /// Mean.
        mu: f64,
        /// Standard deviation.
        sigma: f64,
    },
    /// `exp(mu + sigma · Z)`.
    LogNormal {
        /// Mean of the log.
        mu: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
}

impl GaussianForm {
    /// The same form with its score replaced by `shift + scale · Z`.
    pub fn rescored(self, shift: f64, scale: f64) -> GaussianForm {
        match self {
            GaussianForm::Normal { mu, sigma } => GaussianForm::Normal {
                mu: mu + sigma * shift,
                sigma: sigma * scale,
            },
            GaussianForm::LogNormal { mu, sigma } => GaussianForm::LogNormal {
                mu: mu + sigma * shift,
                sigma: sigma * scale,
            },
        }
    }

    /// P(X > t) and E[max(X − t, 0)], in closed form, with `phi` for Φ.
    #[inline]
    pub fn tail(self, t: f64, phi: impl Fn(f64) -> f64) -> (f64, f64) {
        self.prepared().tail(t, phi)
    }

    /// The form with its mean computed once, for many thresholds.
    #[inline]
    pub fn prepared(self) -> PreparedForm {
        let mean = match self {
            GaussianForm::Normal { mu, .. } => mu,
            GaussianForm::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
        };
        PreparedForm { form: self, mean }
    }
}

/// A [`GaussianForm`] and its mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreparedForm {
    /// The form.
    pub form: GaussianForm,
    /// Its mean.
    pub mean: f64,
}

impl PreparedForm {
    /// P(X > t) and E[max(X − t, 0)], in closed form, with `phi` for Φ.
    #[inline]
    pub fn tail(self, t: f64, phi: impl Fn(f64) -> f64) -> (f64, f64) {
        match self.form {
            GaussianForm::Normal { mu, sigma } => {
                if sigma <= 0.0 {
                    return (f64::from(u8::from(mu > t)), (mu - t).max(0.0));
                }
                let d = (mu - t) / sigma;
                let p = phi(d);
                (p, ((mu - t) * p + sigma * normal_pdf(d)).max(0.0))
            }
            GaussianForm::LogNormal { mu, sigma } => {
                if t <= 0.0 {
                    return (1.0, self.mean - t);
                }
                if sigma <= 0.0 {
                    let x = mu.exp();
                    return (f64::from(u8::from(x > t)), (x - t).max(0.0));
                }
                let d2 = (mu - t.ln()) / sigma;
                let p = phi(d2);
                (p, (self.mean * phi(d2 + sigma) - t * p).max(0.0))
            }
        }
    }
}

/// Standard normal density.
#[inline]
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() * 0.398_942_280_401_432_7
}

/// One family of distributions: everything the sampler, the tornado, the Gaussian
/// copula and the reports ask of an input's distribution. Each family lives in its
/// own file with its parameters, its parser (`from_call`) and this implementation.
pub trait Family: fmt::Debug + Send + Sync {
    /// The mean.
    fn mean(&self) -> f64;
    /// The variance.
    fn variance(&self) -> f64;
    /// The value below which a share `u` (in [0, 1]) of the mass lies.
    fn quantile(&self, u: f64) -> f64;
    /// Probability of a value at or below `x`.
    fn cdf(&self, x: f64) -> f64;
    /// One draw; by inversion unless the family has a faster sampler.
    fn sample(&self, rng: &mut dyn Rng) -> f64 {
        self.quantile(rng.random::<f64>())
    }
    /// The value at normal score `z` (the Gaussian-copula path of factor-linked
    /// inputs); through the quantile unless the family has it in closed form.
    fn at_score(&self, z: f64) -> f64 {
        self.quantile(phi(z))
    }
    /// The CDF at `x` counting half of any mass exactly at `x` (the mid-rank of ties).
    fn mid_cdf(&self, x: f64) -> f64 {
        self.cdf(x)
    }
    /// The value, when the distribution never varies.
    fn fixed_value(&self) -> Option<f64> {
        None
    }
    /// The family as a function of one normal score, when it is one in closed form:
    /// what conditional Monte Carlo integrates exactly (`sampling::conditional`).
    fn gaussian_form(&self) -> Option<GaussianForm> {
        None
    }
    /// How it is written in a config.
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// A family's parser: a call such as `normal(0.1, 0.02)` to a checked distribution.
type Parser = fn(&Call) -> Result<Dist, DistError>;

/// Every family: the names it is written with, its syntax, and its parser. A new
/// distribution is a new file with a `from_call`, a `mod` line and a row here.
const FAMILIES: &[(&[&str], &str, Parser)] = &[
    (&["fixed"], fixed::USAGE, fixed::from_call),
    (&["normal"], normal::USAGE, normal::from_call),
    (
        &["truncnormal", "truncated_normal"],
        truncnormal::USAGE,
        truncnormal::from_call,
    ),
    (&["lognormal"], lognormal::USAGE, lognormal::from_call),
    (&["uniform"], uniform::USAGE, uniform::from_call),
    (&["triangular"], triangular::USAGE, triangular::from_call),
    (&["pert"], pert::USAGE, pert::from_call),
    (&["beta"], beta::USAGE, beta::from_call),
    (&["discrete"], discrete::USAGE, discrete::from_call),
    (&["empirical"], empirical::USAGE, empirical::from_call),
];

/// The forms [`Dist::parse`] accepts, quoted in error messages.
pub fn dist_forms() -> String {
    std::iter::once("a number")
        .chain(FAMILIES.iter().map(|(_, usage, _)| *usage))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A univariate distribution of one scalar model input: one of the families,
/// shared cheaply between the copies of a config.
#[derive(Debug, Clone)]
pub struct Dist(Arc<dyn Family>);

impl Dist {
    /// Wraps a family's distribution.
    pub fn new(f: impl Family + 'static) -> Dist {
        Dist(Arc::new(f))
    }

    /// A constant.
    pub fn fixed(x: f64) -> Dist {
        Dist::new(fixed::Fixed(x))
    }

    /// Parses a number or a call such as `normal(0.1, 0.02)`; see [`dist_forms`].
    pub fn parse(text: &str) -> Result<Dist, DistError> {
        let t = text.trim();
        if let Ok(x) = parse_num(t) {
            return Ok(Dist::fixed(x));
        }
        Dist::from_call(&Call::parse(t)?)
    }

    /// Builds a distribution from a parsed call, checking every parameter, and that
    /// its draws can represent it in f64 ([`Dist::check_representable`]).
    pub fn from_call(c: &Call) -> Result<Dist, DistError> {
        let Some((_, _, make)) = FAMILIES
            .iter()
            .find(|(names, _, _)| names.contains(&c.name.as_str()))
        else {
            return err(format!(
                "unknown distribution `{}`; valid forms: {}",
                c.name,
                dist_forms()
            ));
        };
        let d = make(c)?;
        d.check_representable(&c.name)?;
        Ok(d)
    }

    /// Refuses parameters whose draws overflow f64: a mean or a quantile that is
    /// not finite. (A family refuses its own impossible shapes, such as a lognormal
    /// whose mean no feasible sample reaches.)
    pub fn check_representable(&self, name: &str) -> Result<(), DistError> {
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
        Ok(())
    }

    /// True when the distribution always returns one value.
    pub fn is_fixed(&self) -> bool {
        self.0.fixed_value().is_some()
    }

    /// The value, when the distribution never varies.
    pub fn fixed_value(&self) -> Option<f64> {
        self.0.fixed_value()
    }

    /// The mean, used as the base value of an input given only as a distribution.
    pub fn mean(&self) -> f64 {
        self.0.mean()
    }

    /// The variance, used by tests that check sample moments against theory.
    pub fn variance(&self) -> f64 {
        self.0.variance()
    }

    /// The value below which a share `u` of the mass lies (inverse CDF).
    pub fn quantile(&self, u: f64) -> f64 {
        self.0.quantile(u.clamp(0.0, 1.0))
    }

    /// Probability of a value at or below `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        self.0.cdf(x)
    }

    /// The CDF at `x`, counting half of any mass exactly at `x`.
    pub fn mid_cdf(&self, x: f64) -> f64 {
        self.0.mid_cdf(x)
    }

    /// The value at normal score `z`.
    pub fn at_score(&self, z: f64) -> f64 {
        self.0.at_score(z)
    }

    /// [`Family::gaussian_form`].
    pub fn gaussian_form(&self) -> Option<GaussianForm> {
        self.0.gaussian_form()
    }
}

impl Distribution<f64> for Dist {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let mut rng = rng;
        self.0.sample(&mut rng)
    }
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f)
    }
}

/// `x > 0`, or an error naming the parameter.
fn positive(c: &Call, x: f64, what: &str) -> Result<f64, DistError> {
    if x > 0.0 {
        Ok(x)
    } else {
        err(format!("{}(): {what} must be > 0, found {x}", c.name))
    }
}

/// `min < max`, or an error.
fn ordered(c: &Call, min: f64, max: f64) -> Result<(), DistError> {
    if min < max {
        Ok(())
    } else {
        err(format!(
            "{}(): min must be < max, found min {min}, max {max}",
            c.name
        ))
    }
}

/// `(min, mode, max)` of a three-point family, checked for order.
fn min_mode_max(c: &Call, usage: &str) -> Result<(f64, f64, f64), DistError> {
    c.check_arity(3, &["min", "mode", "max"], usage)?;
    let (min, mode, max) = (
        c.req("min", 0, usage)?,
        c.req("mode", 1, usage)?,
        c.req("max", 2, usage)?,
    );
    ordered(c, min, max)?;
    mode_within(c, min, mode, max)?;
    Ok((min, mode, max))
}

/// `min ≤ mode ≤ max`, or an error.
fn mode_within(c: &Call, min: f64, mode: f64, max: f64) -> Result<(), DistError> {
    if (min..=max).contains(&mode) {
        Ok(())
    } else {
        err(format!(
            "{}(): mode {mode} lies outside [min {min}, max {max}]",
            c.name
        ))
    }
}

/// Numbers as a config lists them.
fn list(v: &[f64]) -> String {
    v.iter()
        .map(|x| format!("{x}"))
        .collect::<Vec<_>>()
        .join(", ")
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

/// Share vectors over job levels: fixed, or Dirichlet (the skill mix of
/// `docs/src/model.md`, "Uncertainty").
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
    #[test]
    fn phi_inv_agrees_with_statrs() {
        use statrs::distribution::ContinuousCDF;
        let n = statrs::distribution::Normal::standard();
        let mut u = 1e-300f64;
        while u < 1.0 {
            for v in [u, 1.0 - u, 0.5 - u / 2.0] {
                if v <= 0.0 || v >= 1.0 - 1e-16 {
                    continue;
                }
                let (a, b) = (super::phi_inv(v), n.inverse_cdf(v));
                assert!(
                    (a - b).abs() <= 1e-13 * b.abs().max(1.0),
                    "u={v}: {a} vs {b}"
                );
            }
            u *= 1.37;
        }
        assert_eq!(super::phi_inv(0.5), 0.0);
    }

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
