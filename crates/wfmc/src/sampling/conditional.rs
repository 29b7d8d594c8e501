//! Conditional Monte Carlo for the shortfall statistics (user guide, "Precision").
//!
//! P(shortfall) is the mean of an indicator, which neither many draws nor randomised
//! QMC make precise cheaply: it is a step function of the inputs. Each area's demand
//! is a straight line in its own demand ratio R, so given every other input the area
//! falls short exactly when R exceeds a threshold R*, and
//! P(short | others) = P(R > R*) and E[shortfall | others] = w·f·E[(R − R*)⁺] are
//! known in closed form from R's conditional law (Asmussen and Glynn, *Stochastic
//! Simulation*, 2007, §V.4; L'Ecuyer, Puchhammer and Ben Abdellah, "Monte Carlo and
//! quasi-Monte Carlo density estimation via conditioning", INFORMS Journal on
//! Computing 34, 2022). Their mean over draws is unbiased for the same quantities,
//! has lower variance (the variance of a conditional expectation never exceeds the
//! variance of what it conditions), and is smooth in the inputs, so randomised QMC
//! then helps it too.
//!
//! - **An area** conditions on its own demand ratio. A factor-linked ratio (normal
//!   score √ρ·Z_factor + √(1 − ρ)·Z_own) keeps the factor and integrates its own
//!   score; any family's probability follows from its CDF, and the expected shortfall
//!   is closed form for the normal and lognormal ([`GaussianForm`]).
//! - **The total** conditions on the scenario's shared factor (the one most of its
//!   ratios link to): total demand is then increasing in the factor's score, its
//!   crossing of total supply is found by a safeguarded Newton step, and both
//!   statistics are closed form when every linked ratio is normal or lognormal.
//!
//! Where no such input exists (a fixed ratio, a forecaster panel, a ratio family
//! without a closed form for the expected shortfall, a perfectly correlated factor)
//! the slot keeps the indicator, and [`Conditional::notes`] says which.

use super::{GroupKind, Sampler, Target};
use crate::config::Apply;
use crate::distributions::{Dist, GaussianForm, PhiTable, PreparedForm, normal_pdf, phi_inv};
use crate::model::{Inputs, Layout, Metric};

/// How a run estimates the shortfall statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shortfall {
    /// Conditional Monte Carlo wherever the config allows it, else the indicator.
    #[default]
    Conditional,
    /// The indicator of a shortfall in every slot (plain Monte Carlo).
    Indicator,
}

impl Shortfall {
    /// Its name in manifests and partial results.
    pub fn key(self) -> &'static str {
        match self {
            Shortfall::Conditional => "conditional",
            Shortfall::Indicator => "indicator",
        }
    }
}

impl std::str::FromStr for Shortfall {
    type Err = String;
    fn from_str(s: &str) -> Result<Shortfall, String> {
        match s {
            "conditional" => Ok(Shortfall::Conditional),
            "indicator" => Ok(Shortfall::Indicator),
            _ => Err(format!(
                "unknown shortfall estimator {s:?}: conditional or indicator"
            )),
        }
    }
}

/// How one scenario's area's demand ratio R = combine(M) can be integrated out.
#[derive(Debug, Clone)]
struct RatioLaw {
    apply: Apply,
    base: f64,
    /// Raw index of its own variate (the normal score if factor-linked, else the value).
    own: usize,
    /// Raw index of its factor's score, with √ρ and √(1 − ρ).
    factor: Option<(usize, f64, f64)>,
    dist: Dist,
    form: Option<GaussianForm>,
}

impl RatioLaw {
    /// `(add, c)` with R = add + c·M.
    #[inline]
    fn affine(&self) -> (f64, f64) {
        match self.apply {
            Apply::Absolute => (0.0, 1.0),
            Apply::Add => (self.base, 1.0),
            Apply::Multiply => (0.0, self.base),
        }
    }

    /// The threshold on M for R > r_star, and c with R − R* = c·(M − m*).
    #[inline]
    fn threshold(&self, r_star: f64) -> (f64, f64) {
        let (add, c) = self.affine();
        ((r_star - add) / c, c)
    }
}

/// Per draw and area: M's law given every other input.
#[derive(Debug, Clone, Copy)]
enum Given {
    /// In closed form.
    Form(PreparedForm),
    /// Factor-linked without a closed form: the factor's part of the score and √(1 − ρ).
    Score(f64, f64),
    /// Not factor-linked, without a closed form: M's own law.
    Own,
}

/// What a scenario's total conditions on.
#[derive(Debug, Clone)]
struct TotalRule {
    /// The areas whose ratio moves with it (each has a closed form).
    linked: Vec<usize>,
}

/// The conditional estimators of a config's shortfall slots.
#[derive(Debug, Clone)]
pub struct Conditional {
    layout: Layout,
    along: Vec<f64>,
    /// Per `scenario × areas + area` (`None`: the indicator).
    laws: Vec<Option<RatioLaw>>,
    /// Per scenario (`None`: the indicator).
    totals: Vec<Option<TotalRule>>,
    notes: Vec<String>,
    phi: PhiTable,
}

impl Conditional {
    /// The conditional estimators `sampler`'s inputs allow, or `None` when every slot
    /// keeps the indicator.
    pub fn new(sampler: &Sampler) -> Option<Conditional> {
        let layout = Layout::of(sampler.dims());
        let (n_s, n_a, n_y) = (layout.scenarios, layout.areas, layout.years);
        let mut notes = Vec::new();
        if sampler
            .groups
            .iter()
            .any(|g| matches!(g.kind, GroupKind::Panel(_)))
        {
            return None;
        }
        let mut laws = vec![None; n_s * n_a];
        // The raw index of each ratio's factor score, linked with a closed form or not.
        let mut link = vec![None; n_s * n_a];
        let mut open_form = vec![false; n_s * n_a];
        for g in &sampler.groups {
            let GroupKind::Scalar(Target::Ratio(s, a), input) = &g.kind else {
                continue;
            };
            let i = s * n_a + a;
            let factor = input.factor.map(|f| {
                let per = sampler.factor_per_scenario[f.factor];
                let score = sampler.factor_offset[f.factor] + if per { *s } else { 0 };
                (score, f.rho.sqrt(), (1.0 - f.rho).sqrt())
            });
            link[i] = factor.map(|f| f.0);
            let form = input.dist.gaussian_form();
            open_form[i] = form.is_none();
            if input.apply == Apply::Multiply && input.base <= 0.0 {
                notes.push(format!("{}: a non-positive base; indicator", g.name));
                continue;
            }
            if factor.is_some_and(|f| f.2 <= 0.0) {
                notes.push(format!(
                    "{}: rho 1 leaves nothing to integrate; indicator",
                    g.name
                ));
                continue;
            }
            if form.is_none() {
                notes.push(format!(
                    "{}: {} has no closed-form expected shortfall; its probability is conditional, its expected shortfall the indicator's",
                    g.name, input.dist
                ));
            }
            laws[i] = Some(RatioLaw {
                apply: input.apply,
                base: input.base,
                own: g.offset,
                factor,
                dist: input.dist.clone(),
                form,
            });
        }
        let mut totals = vec![None; n_s];
        for (s, total) in totals.iter_mut().enumerate() {
            let row = s * n_a..(s + 1) * n_a;
            // The factor most of the scenario's ratios move with.
            let mut counts: Vec<(usize, usize)> = Vec::new();
            for l in link[row.clone()].iter().flatten() {
                match counts.iter_mut().find(|c| c.0 == *l) {
                    Some(c) => c.1 += 1,
                    None => counts.push((*l, 1)),
                }
            }
            let Some(&(score, _)) = counts.iter().max_by_key(|c| (c.1, usize::MAX - c.0)) else {
                notes.push(format!(
                    "total of {}: no shared factor; indicator",
                    sampler.dims().scenario_key(s)
                ));
                continue;
            };
            let linked: Vec<usize> = (0..n_a)
                .filter(|&a| link[s * n_a + a] == Some(score))
                .collect();
            if linked
                .iter()
                .any(|&a| open_form[s * n_a + a] || laws[s * n_a + a].is_none())
            {
                notes.push(format!(
                    "total of {}: a ratio on its factor has no closed form; indicator",
                    sampler.dims().scenario_key(s)
                ));
                continue;
            }
            *total = Some(TotalRule { linked });
        }
        if laws.iter().all(Option::is_none) && totals.iter().all(Option::is_none) {
            return None;
        }
        let along = (0..n_y)
            .map(|k| k as f64 / (n_y - 1).max(1) as f64)
            .collect();
        Some(Conditional {
            layout,
            along,
            laws,
            totals,
            notes,
            phi: PhiTable::new(),
        })
    }

    /// Where a slot keeps the indicator, or keeps it for one statistic.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Shortfall slots estimated conditionally (both statistics or the probability).
    pub fn conditioned_slots(&self) -> usize {
        let years = self.layout.years.saturating_sub(1);
        (self.laws.iter().flatten().count() + self.totals.iter().flatten().count()) * years
    }

    /// Fills `out` (2 × [`Layout::n_short`]: every slot's probability, then every
    /// slot's expected shortfall) for the draw with raw variates `raw`, inputs `x`
    /// and model outputs `row`.
    pub fn fill(&self, raw: &[f64], x: &Inputs, row: &[f64], out: &mut [f64]) {
        let lay = self.layout;
        let (n_a, n_y) = (lay.areas, lay.years);
        let n_short = lay.n_short();
        let (p_out, e_out) = out.split_at_mut(n_short);
        let phi = |z: f64| self.cdf(z);
        let gap_of = |s: usize, a: Option<usize>, k: usize| {
            row[lay.area_base(s, a, k) + lay.slot_of(Metric::Gap)]
        };
        let indicator = |p: &mut f64, e: &mut f64, gap: f64| {
            *p = f64::from(u8::from(gap < 0.0));
            *e = (-gap).max(0.0);
        };
        for s in 0..lay.scenarios {
            for a in 0..n_a {
                let i0 = lay.short_slot(s, Some(a), 0);
                let (ps, es) = (&mut p_out[i0..i0 + n_y], &mut e_out[i0..i0 + n_y]);
                let w = x.workforce[a];
                let law = self.laws[s * n_a + a].as_ref().filter(|_| w > 0.0);
                let Some(law) = law else {
                    for k in 0..n_y {
                        indicator(&mut ps[k], &mut es[k], gap_of(s, Some(a), k));
                    }
                    continue;
                };
                let given = match (law.factor, law.form) {
                    (Some((z, a, b)), Some(f)) => Given::Form(f.rescored(a * raw[z], b).prepared()),
                    (None, Some(f)) => Given::Form(f.prepared()),
                    (Some((z, a, b)), None) => Given::Score(a * raw[z], b),
                    (None, None) => Given::Own,
                };
                indicator(&mut ps[0], &mut es[0], gap_of(s, Some(a), 0));
                let base = lay.area_base(s, Some(a), 0);
                let m = lay.metrics_per_slot();
                let sup_at = lay.slot_of(Metric::Supply);
                for k in 1..n_y {
                    let f = self.along[k];
                    let sup = row[base + k * m + sup_at];
                    let (t, c) = law.threshold(1.0 + (sup / w - 1.0) / f);
                    match given {
                        Given::Form(g) => {
                            let (p, e) = g.tail(t, phi);
                            ps[k] = p;
                            es[k] = w * f * c * e;
                        }
                        Given::Score(shift, scale) => {
                            let z = phi_inv(law.dist.cdf(t));
                            ps[k] = phi((shift - z) / scale);
                            es[k] = (-gap_of(s, Some(a), k)).max(0.0);
                        }
                        Given::Own => {
                            ps[k] = 1.0 - law.dist.cdf(t);
                            es[k] = (-gap_of(s, Some(a), k)).max(0.0);
                        }
                    }
                }
            }
            let i0 = lay.short_slot(s, None, 0);
            let (ps, es) = (&mut p_out[i0..i0 + n_y], &mut e_out[i0..i0 + n_y]);
            match &self.totals[s] {
                Some(rule) => self.total(s, rule, raw, x, row, ps, es),
                None => {
                    for k in 0..n_y {
                        indicator(&mut ps[k], &mut es[k], gap_of(s, None, k));
                    }
                }
            }
        }
    }

    /// A scenario's total, conditional on its factor's score z. Each linked area's
    /// demand is w(1 − f) + w·f·(add + c·M(z)) with M(z) = exp(mu + b·z) or
    /// mu + b·z once its own score is fixed, so total demand is
    /// C + f·(Σ_g A_g·e^{b_g z} + L·z), the exponentials grouped by b (one group when
    /// the ratios share a distribution and a correlation, whose crossing of total
    /// supply is then closed form).
    #[allow(clippy::too_many_arguments)]
    fn total(
        &self,
        s: usize,
        rule: &TotalRule,
        raw: &[f64],
        x: &Inputs,
        row: &[f64],
        ps: &mut [f64],
        es: &mut [f64],
    ) {
        let lay = self.layout;
        let (n_a, n_y, m) = (lay.areas, lay.years, lay.metrics_per_slot());
        let (d_at, s_at, g_at) = (
            lay.slot_of(Metric::Demand),
            lay.slot_of(Metric::Supply),
            lay.slot_of(Metric::Gap),
        );
        let phi = |z: f64| self.cdf(z);
        let mut groups: Vec<(f64, f64)> = Vec::with_capacity(2);
        let (mut lin, mut lin_cst, mut w_sum, mut w_add) = (0.0, 0.0, 0.0, 0.0);
        for &a in &rule.linked {
            let Some(law) = &self.laws[s * n_a + a] else {
                unreachable!("a linked area has a law")
            };
            let w = x.workforce[a];
            let (_, ra, rb) = law.factor.unwrap_or((0, 0.0, 1.0));
            let (add, c) = law.affine();
            w_sum += w;
            w_add += w * add;
            let own = raw[law.own];
            match law.form {
                Some(GaussianForm::LogNormal { mu, sigma }) => {
                    let (b, amp) = (sigma * ra, w * c * (mu + sigma * rb * own).exp());
                    if b == 0.0 {
                        // rho 0: linked in name only.
                        lin_cst += amp;
                        continue;
                    }
                    match groups.iter_mut().find(|g| g.0 == b) {
                        Some(g) => g.1 += amp,
                        None => groups.push((b, amp)),
                    }
                }
                Some(GaussianForm::Normal { mu, sigma }) => {
                    lin_cst += w * c * (mu + sigma * rb * own);
                    lin += w * c * sigma * ra;
                }
                None => unreachable!("a linked area has a closed form"),
            }
        }
        let mut z0: f64 = 0.0;
        for k in 0..n_y {
            let at = lay.area_base(s, None, k);
            let gap = row[at + g_at];
            let f = self.along[k];
            if k == 0 || (groups.is_empty() && lin == 0.0) {
                ps[k] = f64::from(u8::from(gap < 0.0));
                es[k] = (-gap).max(0.0);
                continue;
            }
            let supply = row[at + s_at];
            // Total demand less the linked areas' realised demand, plus their parts
            // that do not move with z.
            let mut cst = row[at + d_at];
            for &a in &rule.linked {
                cst -= row[lay.area_base(s, Some(a), 0) + k * m + d_at];
            }
            cst += w_sum * (1.0 - f) + f * (w_add + lin_cst);
            let room = supply - cst;
            let (fl, z) = (f * lin, {
                // The crossing D(z*) = supply, z* = −∞ when always short.
                match groups.as_slice() {
                    _ if room <= 0.0 && lin == 0.0 => f64::NEG_INFINITY,
                    [(b, amp)] if lin == 0.0 => (room / (f * amp)).ln() / b,
                    [] => room / (f * lin),
                    _ => {
                        let excess = |z: f64| {
                            let (mut v, mut dv) = (f * lin * z - room, f * lin);
                            for &(b, amp) in &groups {
                                let e = f * amp * (b * z).exp();
                                v += e;
                                dv += b * e;
                            }
                            (v, dv)
                        };
                        if excess(-ROOT_SPAN).0 >= 0.0 {
                            f64::NEG_INFINITY
                        } else if excess(ROOT_SPAN).0 <= 0.0 {
                            f64::INFINITY
                        } else {
                            let z = root(excess, z0.clamp(-ROOT_SPAN, ROOT_SPAN));
                            z0 = z;
                            z
                        }
                    }
                }
            });
            // E[(D(Z) − supply)⁺] = ∫_{z*}^∞ (D(z) − supply) φ(z) dz.
            let mut e = -room * phi(-z)
                + if z.is_finite() {
                    fl * normal_pdf(z)
                } else {
                    0.0
                };
            for &(b, amp) in &groups {
                e += f * amp * (0.5 * b * b).exp() * phi(b - z);
            }
            ps[k] = phi(-z);
            es[k] = e.max(0.0);
        }
    }

    /// Φ: the table inside [−9, 9], the first terms of its asymptotic series outside
    /// (relative error below 10⁻⁴ there, where Φ or 1 − Φ is below 10⁻¹⁸).
    #[inline]
    fn cdf(&self, z: f64) -> f64 {
        if z.abs() < 9.0 {
            return self.phi.eval(z);
        }
        if z.is_infinite() {
            return if z > 0.0 { 1.0 } else { 0.0 };
        }
        let (a, r) = (z.abs(), 1.0 / (z * z));
        let t = normal_pdf(a) / a * (1.0 - r + 3.0 * r * r);
        if z < 0.0 { t } else { 1.0 - t }
    }
}

/// The score range searched for the total's crossing: beyond it Φ is 0 or 1 in f64.
const ROOT_SPAN: f64 = 40.0;

/// The root of an increasing `g` (value and derivative) in (−[`ROOT_SPAN`],
/// [`ROOT_SPAN`]), where it changes sign: Newton steps kept inside a shrinking
/// bracket, bisecting whenever a step would leave it.
fn root(g: impl Fn(f64) -> (f64, f64), start: f64) -> f64 {
    let (mut lo, mut hi) = (-ROOT_SPAN, ROOT_SPAN);
    let mut z = start;
    for _ in 0..100 {
        let (v, dv) = g(z);
        if v == 0.0 {
            return z;
        }
        if v < 0.0 {
            lo = z;
        } else {
            hi = z;
        }
        let mut next = if dv > 0.0 { z - v / dv } else { f64::NAN };
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        if (next - z).abs() <= 1e-12 * (1.0 + z.abs()) || hi - lo <= 1e-12 {
            return next;
        }
        z = next;
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn root_finds_a_crossing() {
        let z = root(|z| (z.exp() + z - 3.0, z.exp() + 1.0), 0.0);
        assert!((z.exp() + z - 3.0).abs() < 1e-12, "{z}");
        let z = root(|z| (z - 39.0, 1.0), -30.0);
        assert!((z - 39.0).abs() < 1e-9);
    }

    /// Per draw, the conditional probability equals the probability that redrawing
    /// only the integrated input makes the slot short, estimated by brute force.
    #[test]
    fn conditional_probabilities_match_redrawing_the_integrated_input() {
        use rand::SeedableRng;
        let cfg = Config::builtin();
        let sampler = Sampler::new(&cfg);
        let cond = Conditional::new(&sampler).expect("the built-in config conditions");
        let lay = Layout::of(&cfg.dims);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut raw = vec![0.0; sampler.raw_len()];
        let mut x = sampler.base().clone();
        sampler.sample(&mut rng, &mut raw, &mut x);
        let mut row = vec![0.0; lay.len()];
        crate::model::evaluate(&x, &mut row);
        let mut out = vec![0.0; 2 * lay.n_short()];
        cond.fill(&raw, &x, &row, &mut out);
        let n_short = lay.n_short();
        // Redraw the chosen inputs many times, everything else as drawn.
        let trials = 40_000;
        let mut hits = vec![0.0; n_short];
        let mut short = vec![0.0; n_short];
        let own: Vec<(usize, bool)> = sampler
            .groups
            .iter()
            .filter_map(|g| match &g.kind {
                GroupKind::Scalar(Target::Ratio(..), i) => Some((g.offset, i.factor.is_some())),
                _ => None,
            })
            .collect();
        let mut r2 = raw.clone();
        let mut x2 = x.clone();
        let mut row2 = row.clone();
        for scenario_total in [false, true] {
            hits.fill(0.0);
            short.fill(0.0);
            for _ in 0..trials {
                r2.copy_from_slice(&raw);
                if scenario_total {
                    // The totals integrate the forecasters' factor only.
                    let f = sampler.factor_offset[0];
                    for s in 0..lay.scenarios {
                        r2[f + s] =
                            rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
                    }
                } else {
                    for &(o, _) in &own {
                        r2[o] =
                            rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
                    }
                }
                x2.clone_from(sampler.base());
                sampler.assemble(&r2, &mut x2);
                crate::model::evaluate(&x2, &mut row2);
                for i in 0..n_short {
                    let g = row2[lay.short_gap_index(i)];
                    hits[i] += f64::from(u8::from(g < 0.0));
                    short[i] += (-g).max(0.0);
                }
            }
            for s in 0..lay.scenarios {
                for a in 0..=lay.areas {
                    let area = (a < lay.areas).then_some(a);
                    if area.is_some() == scenario_total {
                        continue;
                    }
                    for k in 1..lay.years {
                        let i = lay.short_slot(s, area, k);
                        let p = hits[i] / trials as f64;
                        let se = (p * (1.0 - p) / trials as f64).sqrt().max(1e-4);
                        assert!(
                            (out[i] - p).abs() < 5.0 * se,
                            "slot {s} {a} {k}: conditional {} against redrawn {p}",
                            out[i]
                        );
                        let e = short[i] / trials as f64;
                        let tol = 0.05 * e.max(out[n_short + i]) + 1.0;
                        assert!(
                            (out[n_short + i] - e).abs() < tol,
                            "slot {s} {a} {k}: expected shortfall {} against {e}",
                            out[n_short + i]
                        );
                    }
                }
            }
        }
    }
}
