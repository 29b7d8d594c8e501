//! Drawing one realisation of every input from the config's distributions (spec §4).
//!
//! A draw happens in two steps. First every *group* (one named input's own random
//! draw, or one shared factor) fills its slice of a flat `raw` vector with its
//! independent variates; then [`Sampler::assemble`] turns the raw vector into model
//! [`Inputs`]. Keeping the groups' variates apart is what Sobol analysis needs (swap
//! one group's variates between two draws) and what rank correlation needs (each
//! input's rank is a function of its own variates and its factor's).

use crate::config::panel::{Mode, Panel};
use crate::config::{Config, Input};
use crate::dims::{Area, N_LEVELS, N_SCENARIOS, Scenario};
use crate::distributions::{PhiTable, SharesDist};
use crate::model::{Inputs, wage_index};
use rand::SeedableRng;
use rand::{Rng, RngExt};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::sync::Arc;

/// The random stream of chunk `c`.
pub fn chunk_rng(seed: u64, chunk: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(chunk);
    rng
}

/// Which model input a scalar group sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Annual salary growth.
    SalaryGrowth,
    /// Employment on-cost rate.
    OnCost,
    /// 2020 workforce of an area.
    Workforce(usize),
    /// Net annual flow rate of an area.
    Flow(usize),
    /// Demand ratio of a scenario and area.
    Ratio(usize, usize),
    /// Annual pay of an area (the top of its band).
    Pay(usize),
}

impl Target {
    /// The scenario whose outputs the input can move (`None`: both).
    pub fn scenario(self) -> Option<usize> {
        match self {
            Target::Ratio(s, _) => Some(s),
            _ => None,
        }
    }

    /// Sets this input to `v` in `x`.
    #[inline]
    pub fn set(self, x: &mut Inputs, v: f64) {
        match self {
            Target::SalaryGrowth => x.wage_index = wage_index(&x.salary_path, v),
            Target::OnCost => x.on_cost = v,
            Target::Workforce(a) => x.workforce[a] = v,
            Target::Flow(a) => x.flow[a] = v,
            Target::Ratio(s, a) => x.ratio[s][a] = v,
            Target::Pay(a) => x.pay[a] = v,
        }
    }
}

/// What a group of raw variates stands for.
#[derive(Debug, Clone)]
pub enum GroupKind {
    /// A shared factor's standard normal score(s), one per scenario if per-scenario.
    Factor(usize),
    /// A scalar input: its own normal score if factor-linked, else its sampled value.
    Scalar(Target, Input),
    /// An area's band: one uniform choosing among `pay` with cumulative `cum`.
    Band {
        /// Area index.
        area: usize,
        /// Pay (top of band) of each option, lowest first.
        pay: Vec<f64>,
        /// Cumulative probabilities of the options.
        cum: Vec<f64>,
    },
    /// A scenario and area's 2030 level shares (Dirichlet).
    Shares(usize, usize, SharesDist),
    /// The forecaster panel: uniforms choosing forecasters (one per panel member for
    /// a bootstrap resample, one for a single forecaster), setting every demand ratio
    /// and 2030 level share.
    Panel(Arc<Panel>),
}

/// One group of independent raw variates (spec §5: a named input's own draws, or a
/// shared factor).
#[derive(Debug, Clone)]
pub struct Group {
    /// Config path of the input, e.g. `supply.ict.flow_rate`, or `factors.<name>`.
    pub name: String,
    /// What it stands for.
    pub kind: GroupKind,
    /// First index in the raw vector.
    pub offset: usize,
    /// Number of raw variates.
    pub width: usize,
}

impl Group {
    /// True for inputs the sensitivity analyses rank (scalars and bands). Factors are
    /// latent and shares move only level demand, which no analysed output uses.
    pub fn is_named_input(&self) -> bool {
        matches!(self.kind, GroupKind::Scalar(..) | GroupKind::Band { .. })
    }

    /// The scenario whose outputs this group can move (`None`: both).
    pub fn scenario(&self) -> Option<usize> {
        match &self.kind {
            GroupKind::Scalar(t, _) => t.scenario(),
            GroupKind::Shares(s, _, _) => Some(*s),
            _ => None,
        }
    }
}

/// Draws [`Inputs`]; built once per run from a config.
///
/// Within a draw both scenarios share the supply, salary and band draws, so scenario
/// differences are paired. Inputs that are fixed have no group and consume no random
/// numbers.
#[derive(Debug, Clone)]
pub struct Sampler {
    base: Inputs,
    groups: Vec<Group>,
    /// Raw offset of each factor's first score.
    factor_offset: Vec<usize>,
    /// Whether each factor has one score per scenario.
    factor_per_scenario: Vec<bool>,
    raw_len: usize,
    /// Φ for input ranks.
    phi: PhiTable,
}

impl Sampler {
    /// Prepares sampling for `cfg`.
    pub fn new(cfg: &Config) -> Sampler {
        let mut groups = Vec::new();
        let mut raw_len = 0;
        let mut push = |name: String, kind: GroupKind, width: usize| {
            groups.push(Group {
                name,
                kind,
                offset: raw_len,
                width,
            });
            raw_len += width;
        };
        let mut factor_offset = Vec::new();
        let mut factor_per_scenario = Vec::new();
        let mut at = 0;
        for (i, f) in cfg.factors.iter().enumerate() {
            let w = if f.per_scenario { N_SCENARIOS } else { 1 };
            factor_offset.push(at);
            factor_per_scenario.push(f.per_scenario);
            at += w;
            push(format!("factors.{}", f.name), GroupKind::Factor(i), w);
        }
        let mut scalar = |name: String, t: Target, input: &Input| {
            if input.is_uncertain() {
                push(name, GroupKind::Scalar(t, input.clone()), 1);
            }
        };
        scalar(
            "salary_growth".into(),
            Target::SalaryGrowth,
            &cfg.salary_growth,
        );
        scalar("on_cost".into(), Target::OnCost, &cfg.on_cost);
        for (a, ac) in cfg.areas.iter().enumerate() {
            let key = Area::ALL[a].key();
            scalar(
                format!("areas.{key}.workforce_2020"),
                Target::Workforce(a),
                &ac.workforce,
            );
            scalar(format!("supply.{key}.flow_rate"), Target::Flow(a), &ac.flow);
        }
        for (s, row) in cfg.demand.iter().enumerate() {
            for (a, d) in row.iter().enumerate() {
                let name = format!(
                    "demand.{}.{}.ratio",
                    Scenario::ALL[s].key(),
                    Area::ALL[a].key()
                );
                scalar(name, Target::Ratio(s, a), &d.ratio);
            }
        }
        // A forecaster panel replaces the demand ratios and level shares (the config
        // reader fixed them at the panel's mean, so they have no groups of their own).
        if let Some(p) = &cfg.panel {
            let w = match p.mode {
                Mode::PanelMean => p.names.len(),
                Mode::Forecaster => 1,
            };
            push("forecasters.panel".into(), GroupKind::Panel(p.clone()), w);
        }
        for (a, ac) in cfg.areas.iter().enumerate() {
            if ac.band.is_uncertain() {
                let mut order: Vec<usize> = (0..ac.band.choices.len()).collect();
                order.sort_by_key(|&i| ac.band.choices[i]);
                let pay = order
                    .iter()
                    .map(|&i| cfg.pay_top(ac.band.choices[i]))
                    .collect();
                let mut acc = 0.0;
                let cum = order
                    .iter()
                    .map(|&i| {
                        acc += ac.band.p[i];
                        acc
                    })
                    .collect();
                let name = format!("areas.{}.band", Area::ALL[a].key());
                push(name, GroupKind::Band { area: a, pay, cum }, 1);
            }
        }
        for (s, row) in cfg.demand.iter().enumerate() {
            for (a, d) in row.iter().enumerate() {
                if let SharesDist::Dirichlet { .. } = d.shares {
                    let name = format!(
                        "demand.{}.{}.skill_mix",
                        Scenario::ALL[s].key(),
                        Area::ALL[a].key()
                    );
                    push(name, GroupKind::Shares(s, a, d.shares.clone()), N_LEVELS);
                }
            }
        }
        Sampler {
            base: Inputs::base(cfg),
            groups,
            factor_offset,
            factor_per_scenario,
            raw_len,
            phi: PhiTable::new(),
        }
    }

    /// The base inputs (the point model's).
    pub fn base(&self) -> &Inputs {
        &self.base
    }

    /// The groups of raw variates, in raw-vector order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Length of the raw vector of one draw.
    pub fn raw_len(&self) -> usize {
        self.raw_len
    }

    /// Fills the raw variates of one group.
    pub fn draw_group<R: Rng + ?Sized>(&self, g: &Group, rng: &mut R, raw: &mut [f64]) {
        let out = &mut raw[g.offset..g.offset + g.width];
        match &g.kind {
            GroupKind::Factor(_) => {
                for v in out {
                    *v = rng.sample(StandardNormal);
                }
            }
            GroupKind::Scalar(_, input) => {
                out[0] = if input.factor.is_some() {
                    rng.sample(StandardNormal)
                } else {
                    input.dist.sample(rng)
                };
            }
            GroupKind::Band { .. } => out[0] = rng.random(),
            GroupKind::Shares(_, _, d) => d.sample_into(rng, out),
            GroupKind::Panel(_) => {
                for v in out {
                    *v = rng.random();
                }
            }
        }
    }

    /// Fills the raw vector of one draw, group by group in a fixed order.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R, raw: &mut [f64]) {
        for g in &self.groups {
            self.draw_group(g, rng, raw);
        }
    }

    /// The normal score of a factor-linked input, or `None` if it has no factor.
    #[inline]
    fn score(&self, input: &Input, t: Target, own: f64, raw: &[f64]) -> Option<f64> {
        input.factor.map(|link| {
            let s = if self.factor_per_scenario[link.factor] {
                t.scenario().unwrap_or(0)
            } else {
                0
            };
            let zf = raw[self.factor_offset[link.factor] + s];
            link.rho.sqrt() * zf + (1.0 - link.rho).sqrt() * own
        })
    }

    /// Value of a scalar group's input in the draw `raw`.
    #[inline]
    pub fn scalar_value(&self, g: &Group, raw: &[f64]) -> f64 {
        match &g.kind {
            GroupKind::Scalar(t, input) => {
                let own = raw[g.offset];
                match self.score(input, *t, own, raw) {
                    Some(z) => input.at_score(z),
                    None => input.combine(own),
                }
            }
            GroupKind::Band { pay, cum, .. } => pay[band_choice(cum, raw[g.offset])],
            _ => f64::NAN,
        }
    }

    /// The input's rank in (0, 1) under its own marginal distribution: the normal
    /// score's Φ for factor-linked inputs, the CDF otherwise, with ties (discrete
    /// values, bands) at the middle of their step. `NaN` for factors and shares.
    pub fn marginal_rank(&self, g: &Group, raw: &[f64]) -> f64 {
        match &g.kind {
            GroupKind::Scalar(t, input) => {
                let own = raw[g.offset];
                match self.score(input, *t, own, raw) {
                    Some(z) => self.phi.eval(z),
                    None => input.dist.mid_cdf(own),
                }
            }
            GroupKind::Band { cum, .. } => {
                let i = band_choice(cum, raw[g.offset]);
                let lo = if i == 0 { 0.0 } else { cum[i - 1] };
                0.5 * (lo + cum[i])
            }
            _ => f64::NAN,
        }
    }

    /// Turns a raw vector into model inputs. `x` must start as a copy of
    /// [`Self::base`]; every uncertain input is overwritten, fixed ones are left.
    pub fn assemble(&self, raw: &[f64], x: &mut Inputs) {
        for g in &self.groups {
            match &g.kind {
                GroupKind::Factor(_) => {}
                GroupKind::Scalar(t, _) => t.set(x, self.scalar_value(g, raw)),
                GroupKind::Band { area, .. } => x.pay[*area] = self.scalar_value(g, raw),
                GroupKind::Shares(s, a, _) => {
                    x.shares_2030[*s][*a].copy_from_slice(&raw[g.offset..g.offset + N_LEVELS]);
                }
                GroupKind::Panel(p) => set_from_panel(p, &raw[g.offset..g.offset + g.width], x),
            }
        }
    }

    /// Draws every input into `x` (which must start as a copy of [`Self::base`]),
    /// using `raw` (length [`Self::raw_len`]) as scratch.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, raw: &mut [f64], x: &mut Inputs) {
        self.draw(rng, raw);
        self.assemble(raw, x);
    }
}

/// Demand ratios and level shares from the panel: the mean of a bootstrap resample
/// (one uniform per member), or one forecaster chosen by weight (one uniform).
/// Forecasters who left an area out are passed over for that area.
fn set_from_panel(p: &Panel, u: &[f64], x: &mut Inputs) {
    let n = p.names.len();
    for s in 0..N_SCENARIOS {
        for a in 0..crate::dims::N_AREAS {
            let got = match p.mode {
                Mode::PanelMean => {
                    let picks = u.iter().map(|u| ((u * n as f64) as usize).min(n - 1));
                    // A resample of only forecasters who left this area out falls
                    // back to the whole panel's mean.
                    p.mean_of(picks, s, a).or_else(|| p.mean(s, a))
                }
                Mode::Forecaster => {
                    let eligible = |f: &usize| p.answers[*f][s][a].is_some();
                    let total: f64 = (0..n).filter(eligible).map(|f| p.weights[f]).sum();
                    let mut acc = 0.0;
                    let target = u[0] * total;
                    let f = (0..n)
                        .filter(eligible)
                        .find(|&f| {
                            acc += p.weights[f];
                            target < acc
                        })
                        .or_else(|| (0..n).rev().find(eligible));
                    f.and_then(|f| p.mean_of(std::iter::once(f), s, a))
                }
            };
            if let Some((r25, r30, q)) = got {
                x.ratio_2025[s][a] = Some(r25);
                x.ratio[s][a] = r30;
                x.shares_2030[s][a] = q;
            }
        }
    }
}

fn band_choice(cum: &[f64], u: f64) -> usize {
    cum.iter().position(|c| u < *c).unwrap_or(cum.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_name_config_paths() {
        let s = Sampler::new(&Config::builtin());
        let names: Vec<&str> = s.groups().iter().map(|g| g.name.as_str()).collect();
        for want in [
            "factors.forecasters",
            "factors.labour_market",
            "salary_growth",
            "supply.ict.flow_rate",
            "demand.data_driven.ict.ratio",
            "areas.clinical_coding.band",
            "demand.data_desert.ict.skill_mix",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        let last = s.groups().last().unwrap();
        assert_eq!(last.offset + last.width, s.raw_len());
    }

    #[test]
    fn ranks_are_uniform_and_values_match_quantiles() {
        let s = Sampler::new(&Config::builtin());
        let mut rng = chunk_rng(7, 0);
        let mut raw = vec![0.0; s.raw_len()];
        let n = 20_000;
        for g in s.groups().iter().filter(|g| g.is_named_input()) {
            let mut mean = 0.0;
            for _ in 0..n {
                s.draw(&mut rng, &mut raw);
                mean += s.marginal_rank(g, &raw);
            }
            mean /= n as f64;
            // Mean of a (mid-)rank is 1/2; sd of a uniform is 0.289.
            assert!(
                (mean - 0.5).abs() < 4.0 * 0.289 / (n as f64).sqrt(),
                "{}: {mean}",
                g.name
            );
        }
        for g in s
            .groups()
            .iter()
            .filter(|g| matches!(g.kind, GroupKind::Scalar(..)))
        {
            s.draw(&mut rng, &mut raw);
            let (v, u) = (s.scalar_value(g, &raw), s.marginal_rank(g, &raw));
            let GroupKind::Scalar(_, input) = &g.kind else {
                unreachable!()
            };
            let q = input.quantile(u);
            assert!(
                (v - q).abs() <= 1e-9 * v.abs().max(1.0),
                "{}: {v} vs {q}",
                g.name
            );
        }
    }
}
