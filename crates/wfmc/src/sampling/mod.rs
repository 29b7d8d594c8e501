//! Drawing one realisation of every input from the config's distributions
//! (`docs/src/model.md`, "Uncertainty").
//!
//! A draw happens in two steps. First every *group* (one named input's own random
//! draw, or one shared factor) fills its slice of a flat `raw` vector with its
//! independent variates; then [`Sampler::assemble`] turns the raw vector into model
//! [`Inputs`]. Keeping the groups' variates apart is what Sobol analysis needs (swap
//! one group's variates between two draws) and what rank correlation needs (each
//! input's rank is a function of its own variates and its factor's).

pub mod conditional;

use crate::config::panel::{Mode, Panel};
use crate::config::{Config, Input};
use crate::distributions::{PhiTable, SharesDist};
use crate::model::{Inputs, fill_wage_index};
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

/// How the inputs' uniforms are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sampling {
    /// Randomised quasi-Monte Carlo: each replicate block of draws is an
    /// independently Owen-scrambled Sobol' sequence, taken through the inputs'
    /// inverse CDFs; the skill-mix shares (and any input past the sequence's
    /// [`MAX_SEQUENCE_DIMS`]) stay pseudo-random from the chunk's stream.
    #[default]
    Rqmc,
    /// Plain Monte Carlo: every variate from the chunk's pseudo-random stream.
    Mc,
}

impl Sampling {
    /// The name used in flags, manifests and partials.
    pub fn key(self) -> &'static str {
        match self {
            Sampling::Rqmc => "rqmc",
            Sampling::Mc => "mc",
        }
    }
}

impl std::str::FromStr for Sampling {
    type Err = String;
    fn from_str(s: &str) -> Result<Sampling, String> {
        match s {
            "rqmc" => Ok(Sampling::Rqmc),
            "mc" => Ok(Sampling::Mc),
            _ => Err(format!("sampling `{s}`: valid samplings are rqmc, mc")),
        }
    }
}

impl std::fmt::Display for Sampling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Dimensions of the Sobol' sequence (`sobol_burley`'s direction numbers).
pub const MAX_SEQUENCE_DIMS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// Points of one replicate block: an Owen-scrambled Sobol' sequence
/// (`sobol_burley`) whose index is the draw's position in the block (below 2^16).
///
/// Coordinates come in sets of four. The first set is always the sequence's first
/// four dimensions (the shared factors and salary growth come first in group order,
/// so they get its best-balanced projections). Every later set is one of the
/// sequence's other 63 four-dimension sets, in an order shuffled per block:
/// measured on the default model, a fixed assignment left one area's P(shortfall)
/// on a poorly balanced projection in every block, with 2.4 times the standard
/// error of plain Monte Carlo at 32,768-point blocks; shuffled, no estimate was
/// worse than plain Monte Carlo. Blocks stay independent and identically
/// distributed, so their spread is an honest standard error either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SobolBlock {
    seed: u32,
    /// Sobol' dimension set of each coordinate set.
    sets: [u8; SETS],
}

/// Four-dimension sets of the sequence.
const SETS: usize = sobol_burley::NUM_DIMENSION_SETS_4D as usize;

/// SplitMix64: a well-mixed 64-bit value of `z` (Steele, Lea & Flood 2014).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SobolBlock {
    /// Block `block` of a run seeded `seed`.
    pub fn new(seed: u64, block: u64) -> SobolBlock {
        let mut state = mix(seed ^ mix(block));
        let mut sets = [0u8; SETS];
        for (i, s) in sets.iter_mut().enumerate() {
            *s = i as u8;
        }
        // Fisher–Yates over sets 1.. (set 0 stays first).
        for i in (2..SETS).rev() {
            state = mix(state);
            let j = 1 + (state % i as u64) as usize;
            sets.swap(i, j);
        }
        SobolBlock {
            seed: (mix(state) >> 32) as u32,
            sets,
        }
    }

    /// Fills `u` (at most [`MAX_SEQUENCE_DIMS`] long) with the first `u.len()`
    /// coordinates of point `index`, each in (0, 1): the 32 scrambled bits that
    /// `sobol_burley::sample_4d` computes (it keeps 23) plus half a step, so an
    /// inverse CDF never sees 0 or 1.
    pub fn point(&self, index: u32, u: &mut [f64]) {
        use sobol_burley::parts::{
            Int4, hash, hash_int4, owen_scramble_int4_rev, owen_scramble_rev, sobol_int4_rev,
        };
        const STEP: f64 = 1.0 / 4_294_967_296.0;
        let seed = self.seed;
        // As `sobol_burley::sample_4d` (a test checks they agree): shuffle the
        // index by the seed, then Owen-scramble each set of four dimensions.
        let idx = owen_scramble_rev(index.reverse_bits(), hash(seed ^ 0x79c6_8e4a));
        for (k, out) in u.chunks_mut(4).enumerate() {
            let set = u32::from(self.sets[k]);
            let sobol = sobol_int4_rev(idx, set);
            let scramble = Int4::from([seed.wrapping_mul(0x9c8f_2d3b); 4])
                ^ Int4::from([set; 4])
                ^ Int4::from([0x912f_69ba, 0x174f_18ab, 0x691e_72ca, 0xb40c_c1b8]);
            let bits: [u32; 4] = owen_scramble_int4_rev(sobol, hash_int4(scramble))
                .reverse_bits()
                .into();
            for (o, b) in out.iter_mut().zip(bits) {
                *o = (f64::from(b) + 0.5) * STEP;
            }
        }
    }

    /// The Sobol' dimension set of coordinate set `k` (for tests).
    pub fn set_of(&self, k: usize) -> u32 {
        u32::from(self.sets[k])
    }

    /// The scramble seed `sobol_burley` is called with (for tests).
    pub fn seed(&self) -> u32 {
        self.seed
    }
}

/// Where the variates of one chunk's draws come from: its pseudo-random stream,
/// and under [`Sampling::Rqmc`] its replicate's Sobol' points (`first` is the
/// index of the chunk's first draw within its block).
pub struct ChunkStream {
    /// The chunk's pseudo-random stream.
    pub rng: ChaCha8Rng,
    /// The chunk's stream for the numbers of active interventions: its own, so a
    /// run with an intervention draws every other input exactly as the run without
    /// (common random numbers, for `wfmc compare`).
    pub levers: ChaCha8Rng,
    seq: Option<(SobolBlock, u32)>,
}

/// Mixed into the seed of the interventions' streams.
const LEVER_SALT: u64 = 0x1e7e_25a1_7c0f_fee5;

impl ChunkStream {
    /// The stream of chunk `chunk` of a run seeded `seed`; `block` is the chunk's
    /// replicate block and `first` its first draw's index in it, used under rqmc.
    pub fn new(sampling: Sampling, seed: u64, chunk: u64, block: u64, first: u64) -> ChunkStream {
        ChunkStream {
            rng: chunk_rng(seed, chunk),
            levers: chunk_rng(seed ^ LEVER_SALT, chunk),
            seq: match sampling {
                Sampling::Mc => None,
                Sampling::Rqmc => Some((SobolBlock::new(seed, block), first as u32)),
            },
        }
    }
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
            Target::SalaryGrowth => fill_wage_index(&mut x.wage_index, &x.salary_path, v),
            Target::OnCost => x.on_cost = v,
            Target::Workforce(a) => x.workforce[a] = v,
            Target::Flow(a) => x.flow[a] = v,
            Target::Ratio(s, a) => x.ratio[s * x.layout.areas + a] = v,
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

/// One group of independent raw variates: a named input's own draws, or a shared
/// factor (`docs/src/sensitivity.md`, "Sobol indices").
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
    dims: crate::dims::SharedDims,
    base: Inputs,
    groups: Vec<Group>,
    /// Raw offset of each factor's first score.
    factor_offset: Vec<usize>,
    /// Whether each factor has one score per scenario.
    factor_per_scenario: Vec<bool>,
    raw_len: usize,
    /// Φ for input ranks.
    phi: PhiTable,
    /// First Sobol' coordinate of each group under rqmc (`None`: pseudo-random).
    seq_start: Vec<Option<usize>>,
    /// Sobol' coordinates a draw uses.
    seq_dims: usize,
    /// Active interventions whose numbers are drawn per draw (`None`: none, or all
    /// fixed, so the base inputs already hold their policy).
    levers: Option<crate::model::policy::Levers>,
}

impl Sampler {
    /// Prepares sampling for `cfg`.
    pub fn new(cfg: &Config) -> Sampler {
        let dims = &cfg.dims;
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
        // A factor no uncertain input links to is not drawn, so declaring one (as
        // the default config does for the `uncertain-baseline` profile) changes
        // no run that does not use it.
        let linked = |i: usize| {
            let inputs = [&cfg.salary_growth, &cfg.on_cost]
                .into_iter()
                .chain(cfg.areas.iter().flat_map(|a| [&a.workforce, &a.flow]))
                .chain(cfg.demand.iter().flatten().map(|d| &d.ratio));
            inputs
                .into_iter()
                .any(|x| x.is_uncertain() && x.factor.is_some_and(|f| f.factor == i))
        };
        for (i, f) in cfg.factors.iter().enumerate() {
            factor_offset.push(at);
            factor_per_scenario.push(f.per_scenario);
            if !linked(i) {
                continue;
            }
            let w = if f.per_scenario {
                dims.n_scenarios()
            } else {
                1
            };
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
            let key = dims.area_key(a);
            scalar(
                format!("areas.{key}.workforce_{}", dims.base_year),
                Target::Workforce(a),
                &ac.workforce,
            );
            scalar(format!("supply.{key}.flow_rate"), Target::Flow(a), &ac.flow);
        }
        for (s, row) in cfg.demand.iter().enumerate() {
            for (a, d) in row.iter().enumerate() {
                let name = format!("demand.{}.{}.ratio", dims.scenario_key(s), dims.area_key(a));
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
                let name = format!("areas.{}.band", dims.area_key(a));
                push(name, GroupKind::Band { area: a, pay, cum }, 1);
            }
        }
        for (s, row) in cfg.demand.iter().enumerate() {
            for (a, d) in row.iter().enumerate() {
                if let SharesDist::Dirichlet { .. } = d.shares {
                    let name = format!(
                        "demand.{}.{}.skill_mix",
                        dims.scenario_key(s),
                        dims.area_key(a)
                    );
                    push(
                        name,
                        GroupKind::Shares(s, a, d.shares.clone()),
                        dims.n_levels(),
                    );
                }
            }
        }
        // Sobol' coordinates in group order: the shared factors, then salary growth,
        // carry most of the variance and get the best-balanced first coordinates.
        // The Dirichlet shares have no inverse CDF and stay pseudo-random.
        let mut seq_dims = 0;
        let seq_start = groups
            .iter()
            .map(|g| {
                if matches!(g.kind, GroupKind::Shares(..)) || seq_dims + g.width > MAX_SEQUENCE_DIMS
                {
                    return None;
                }
                seq_dims += g.width;
                Some(seq_dims - g.width)
            })
            .collect();
        let levers = crate::model::policy::Levers::new(cfg);
        Sampler {
            levers: levers.is_uncertain().then_some(levers),
            dims: cfg.dims.clone(),
            base: Inputs::base(cfg),
            groups,
            factor_offset,
            factor_per_scenario,
            raw_len,
            phi: PhiTable::new(),
            seq_start,
            seq_dims,
        }
    }

    /// Sobol' coordinates a draw uses under rqmc (the length of the `u` scratch of
    /// [`Self::sample_from`]).
    pub fn seq_dims(&self) -> usize {
        self.seq_dims
    }

    /// The config's dimensions.
    pub fn dims(&self) -> &crate::dims::Dims {
        &self.dims
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
                    let (n_a, n_l) = (x.layout.areas, x.layout.levels);
                    let at = (s * n_a + a) * n_l;
                    x.shares_last[at..at + n_l].copy_from_slice(&raw[g.offset..g.offset + n_l]);
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

    /// Draws draw `d` of a chunk from its stream: as [`Self::sample`] under mc;
    /// under rqmc the groups on the sequence take point `first + d` of the block's
    /// Sobol' sequence through their inverse CDFs (`u`: scratch of length
    /// [`Self::seq_dims`]) and the others draw from the chunk's stream.
    #[inline]
    pub fn sample_from(
        &self,
        s: &mut ChunkStream,
        d: u64,
        u: &mut [f64],
        raw: &mut [f64],
        x: &mut Inputs,
    ) {
        if let Some(l) = &self.levers {
            draw_levers(l, &mut s.levers, x);
        }
        let Some((block, first)) = s.seq else {
            return self.sample(&mut s.rng, raw, x);
        };
        block.point(first + d as u32, &mut u[..self.seq_dims]);
        for (g, start) in self.groups.iter().zip(&self.seq_start) {
            let Some(start) = *start else {
                self.draw_group(g, &mut s.rng, raw);
                continue;
            };
            let (u, out) = (
                &u[start..start + g.width],
                &mut raw[g.offset..g.offset + g.width],
            );
            match &g.kind {
                GroupKind::Factor(_) => {
                    for (o, &v) in out.iter_mut().zip(u) {
                        *o = crate::distributions::phi_inv(v);
                    }
                }
                GroupKind::Scalar(_, input) => {
                    out[0] = if input.factor.is_some() {
                        crate::distributions::phi_inv(u[0])
                    } else {
                        input.dist.quantile(u[0])
                    };
                }
                GroupKind::Band { .. } | GroupKind::Panel(_) => out.copy_from_slice(u),
                GroupKind::Shares(..) => unreachable!("shares are never on the sequence"),
            }
        }
        self.assemble(raw, x);
    }
}

/// The numbers of the active interventions for one draw, from their own stream.
fn draw_levers(l: &crate::model::policy::Levers, rng: &mut ChaCha8Rng, x: &mut Inputs) {
    // Uniforms on the open interval (0, 1), so no quantile is infinite.
    let u =
        std::iter::repeat_with(|| ((rng.random::<u64>() >> 11) as f64 + 0.5) / (1u64 << 53) as f64);
    let p = x.policy.get_or_insert_with(|| Box::new(l.empty_policy()));
    l.fill_at(u, p);
}

/// Demand ratios and level shares from the panel: the mean of a bootstrap resample
/// (one uniform per member), or one forecaster chosen by weight (one uniform).
/// Forecasters who left an area out are passed over for that area.
fn set_from_panel(p: &Panel, u: &[f64], x: &mut Inputs) {
    let n = p.names.len();
    let (n_a, n_l) = (x.layout.areas, x.layout.levels);
    for s in 0..x.layout.scenarios {
        for a in 0..n_a {
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
            if let Some((r_mid, r_last, q)) = got {
                x.ratio_mid[s * n_a + a] = Some(r_mid);
                x.ratio[s * n_a + a] = r_last;
                let at = (s * n_a + a) * n_l;
                x.shares_last[at..at + n_l].copy_from_slice(&q);
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
    fn block_points_are_sobol_burley_points() {
        let b = SobolBlock::new(20210301, 5);
        assert_eq!(b.set_of(0), 0, "the factors keep the first dimensions");
        let mut u = vec![0.0; 40];
        for i in [0u32, 1, 2, 77, 4095, 40_000, 65_535] {
            b.point(i, &mut u);
            for k in 0..10 {
                let want = sobol_burley::sample_4d(i, b.set_of(k), b.seed());
                for d in 0..4 {
                    let got = (u[4 * k + d] * 8_388_608.0).floor() as f32 / 8_388_608.0;
                    assert_eq!(got, want[d], "point {i}, dimension {}", 4 * k + d);
                }
            }
        }
        // Each block draws its sets in its own order, the first set first.
        let c = SobolBlock::new(20210301, 6);
        assert!((1..10).any(|k| b.set_of(k) != c.set_of(k)));
        let mut seen: Vec<u32> = (0..SETS).map(|k| b.set_of(k)).collect();
        seen.sort();
        assert_eq!(seen, (0..SETS as u32).collect::<Vec<_>>());
    }

    #[test]
    fn a_block_prefix_is_stratified_in_every_coordinate() {
        // The first 2^12 points of a block put one point in each of 2^12 equal
        // intervals of every coordinate (a (0, 12, 1)-net), strictly inside (0, 1).
        let b = SobolBlock::new(1, 0);
        let n = 1usize << 12;
        let mut cells = vec![vec![0u32; n]; 40];
        let mut u = vec![0.0; 40];
        for i in 0..n as u32 {
            b.point(i, &mut u);
            for (d, x) in u.iter().enumerate() {
                assert!(*x > 0.0 && *x < 1.0);
                cells[d][(x * n as f64) as usize] += 1;
            }
        }
        assert!(cells.iter().all(|c| c.iter().all(|&k| k == 1)));
    }

    #[test]
    fn sampling_names() {
        assert_eq!("rqmc".parse::<Sampling>(), Ok(Sampling::Rqmc));
        assert_eq!("mc".parse::<Sampling>(), Ok(Sampling::Mc));
        assert!("qmc".parse::<Sampling>().unwrap_err().contains("rqmc, mc"));
        assert_eq!(Sampling::default(), Sampling::Rqmc);
    }

    #[test]
    fn rqmc_inputs_follow_their_distributions() {
        // Each input drawn through its inverse CDF has the mean the config gives it:
        // the block's points are a net, so 2^14 draws pin a mean far more tightly
        // than pseudo-random draws would.
        let cfg = Config::builtin();
        let s = Sampler::new(&cfg);
        let n = 1u64 << 14;
        let mut stream = ChunkStream::new(Sampling::Rqmc, 3, 0, 0, 0);
        let (mut u, mut raw, mut x) = (
            vec![0.0; s.seq_dims()],
            vec![0.0; s.raw_len()],
            s.base().clone(),
        );
        let mut sums = vec![(0.0, 0.0); s.groups().len()];
        for d in 0..n {
            s.sample_from(&mut stream, d, &mut u, &mut raw, &mut x);
            for (g, (s1, s2)) in s.groups().iter().zip(&mut sums) {
                if g.is_named_input() {
                    let v = s.scalar_value(g, &raw);
                    *s1 += v;
                    *s2 += v * v;
                }
            }
        }
        for (g, (s1, s2)) in s.groups().iter().zip(&sums) {
            if let GroupKind::Scalar(_, input) = &g.kind {
                // The inputs apply their draw affinely, and factor mixing keeps the
                // marginal, so the mean is the distribution's mean, applied.
                let want = input.combine(input.dist.mean());
                let got = s1 / n as f64;
                let sd = (s2 / n as f64 - got * got).max(0.0).sqrt();
                // Plain Monte Carlo would be within 4 sd/128 of it; the net, far closer.
                assert!(
                    (got - want).abs() < 0.01 * sd,
                    "{}: mean {got} vs {want} (sd {sd})",
                    g.name
                );
            }
        }
    }

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
