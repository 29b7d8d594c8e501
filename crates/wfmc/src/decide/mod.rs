//! Decisions under uncertainty: which combinations of assumptions make an area fall
//! short (scenario discovery: PRIM and CART), which uncertainty is worth resolving
//! before choosing among options (EVPI, EVPPI) and which option holds up across the
//! uncertainty (acceptability, regret, satisficing). The numerics are the
//! `wfmc-decision` crate's; this module draws what they need.
//!
//! The options are the baseline and variants of it (interventions, portfolios, any
//! comparison variant), evaluated on the same draws (common random numbers,
//! [`crate::engine::paired`]). The analyses need every draw in memory, so they run
//! on a bounded number of draws ([`DECISION_DRAWS`] by default, at most
//! [`MAX_DECISION_DRAWS`]), not a run's million.
//!
//! Net benefit of option k in draw i: −(programme cost + λ × WTE-years of shortfall),
//! both summed over the years after the base year up to the chosen year, the
//! shortfall gross (the sum over areas of max(demand − supply, 0)), λ the value put
//! on one WTE-year of shortfall avoided.

use crate::config::Config;
use crate::engine::draws::{self as table, Column};
use crate::engine::{Control, RunSpec, guard, paired};
use crate::error::Error;
use crate::explore::compare::Variant;
use crate::model::{Inputs, Layout, Metric};
use crate::sampling::{GroupKind, Sampler};
pub use wfmc_decision::Estimate;
use wfmc_decision::{cart, prim, robust, voi};

/// Draws of a decision analysis unless told otherwise.
pub const DECISION_DRAWS: u64 = 20_000;
/// The most draws a decision analysis keeps in memory.
pub const MAX_DECISION_DRAWS: u64 = 200_000;

/// The draws of every option, with the sampled inputs, in memory.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Config paths of the inputs (`supply.ict.flow_rate`, `factors.labour_market`).
    pub inputs: Vec<String>,
    /// Per input, its value in each kept draw.
    pub x: Vec<Vec<f64>>,
    /// Option names, the baseline first.
    pub options: Vec<String>,
    /// Draws kept (accepted by the numerical guard under every option).
    pub n: usize,
    /// Draws rejected.
    pub rejected: u64,
    /// Areas (the total is place `areas`).
    pub areas: usize,
    /// Per option, draw-major: the shortfall max(demand − supply, 0) of each area
    /// and the total (net) in the chosen scenario and year, WTE.
    pub short: Vec<Vec<f64>>,
    /// Per option and draw: WTE-years of gross shortfall after the base year up to
    /// the chosen year.
    pub wte_years: Vec<Vec<f64>>,
    /// Per option and draw: programme cost over the same years, pounds.
    pub cost: Vec<Vec<f64>>,
}

impl Sample {
    /// Places: the areas, then the total.
    pub fn places(&self) -> usize {
        self.areas + 1
    }

    /// Whether `place` falls short by more than `threshold` WTE in draw `i` of
    /// option `k`.
    pub fn is_short(&self, k: usize, i: usize, place: usize, threshold: f64) -> bool {
        self.short[k][i * self.places() + place] > threshold
    }

    /// Per kept draw, whether it is a case of `outcome`.
    pub fn cases(&self, outcome: &Outcome) -> Vec<bool> {
        (0..self.n)
            .map(|i| self.is_short(outcome.option, i, outcome.place, outcome.threshold))
            .collect()
    }
}

/// The inputs a decision analysis explains outcomes by: every uncertain scalar input
/// and band (its value) and every shared factor (its normal score, one per scenario
/// for a per-scenario factor), as columns of a draws table with their names.
fn columns(cfg: &Config) -> Vec<(Column, String)> {
    let sampler = Sampler::new(cfg);
    let mut out = vec![];
    for (gi, g) in sampler.groups().iter().enumerate() {
        match &g.kind {
            GroupKind::Scalar(..) | GroupKind::Band { .. } => {
                out.push((Column::Input(gi), g.name.clone()));
            }
            GroupKind::Factor(_) if g.width == 1 => {
                out.push((Column::Raw(g.offset), g.name.clone()));
            }
            GroupKind::Factor(_) => {
                for j in 0..g.width {
                    let name = format!("{}.{}", g.name, cfg.dims.scenario_key(j));
                    out.push((Column::Raw(g.offset + j), name));
                }
            }
            GroupKind::Shares(..) | GroupKind::Panel(_) => {}
        }
    }
    out
}

/// The input names of `cfg` a decision analysis uses.
pub fn input_names(cfg: &Config) -> Vec<String> {
    columns(cfg).into_iter().map(|(_, n)| n).collect()
}

/// Draws `spec` for the baseline `base` and every variant (the options), keeping per
/// draw the inputs, the shortfalls of scenario `scenario` in year index `year`, and
/// the WTE-years of shortfall and the programme cost up to it. Same bits on any
/// number of threads.
pub fn sample(
    base: &Config,
    variants: &[Variant],
    spec: &RunSpec,
    control: &Control,
    scenario: usize,
    year: usize,
) -> Result<Sample, Error> {
    let cfgs: Vec<&Config> = std::iter::once(base)
        .chain(variants.iter().map(|v| &v.cfg))
        .collect();
    let lay = Layout::of(&base.dims);
    let (n_a, places, opts) = (lay.areas, lay.areas + 1, cfgs.len());
    // Per draw: a rejected flag, then per option the places' shortfalls, the
    // WTE-years and the cost.
    let per_opt = places + 2;
    let width = 1 + opts * per_opt;
    let workforce = guard::workforce_indices(lay);
    let (gap, s) = (lay.slot_of(Metric::Gap), scenario);
    let init = Vec::new;
    let per_draw = |t: &mut Vec<f64>, xs: &[&Inputs], rows: &[&[f64]]| {
        let bad = rows.iter().any(|r| guard::check(r, &workforce).is_some());
        t.push(f64::from(bad));
        for (x, row) in xs.iter().zip(rows) {
            for a in 0..places {
                let g = row[lay.area_base(s, (a < n_a).then_some(a), year) + gap];
                t.push((-g).max(0.0));
            }
            let (mut wte, mut cost) = (0.0, 0.0);
            for k in 1..=year {
                for a in 0..n_a {
                    wte += (-row[lay.area_base(s, Some(a), k) + gap]).max(0.0);
                    cost += x
                        .policy
                        .as_deref()
                        .map_or(0.0, |p| p.programme[a * lay.years + k] * x.wage_index[k]);
                }
            }
            t.push(wte);
            t.push(cost);
        }
    };
    let mut flat: Vec<f64> = vec![];
    let mut per_block = |_b: u64, chunks: Vec<Vec<f64>>| {
        for c in chunks {
            flat.extend(c);
        }
    };
    paired::fold_blocks(&cfgs, spec, control, &init, &per_draw, &mut per_block)?;
    let total = flat.len() / width;
    let cols = columns(base);
    let k = cols.len();
    let mut xs = vec![0.0; total * k];
    let columns: Vec<Column> = cols.iter().map(|(c, _)| *c).collect();
    table::fill(base, spec, &columns, &mut xs, control)?;
    let keep: Vec<usize> = (0..total).filter(|&i| flat[i * width] == 0.0).collect();
    let n = keep.len();
    let x = (0..k)
        .map(|j| keep.iter().map(|&i| xs[i * k + j]).collect())
        .collect();
    let mut short = vec![Vec::with_capacity(n * places); opts];
    let mut wte_years = vec![Vec::with_capacity(n); opts];
    let mut cost = vec![Vec::with_capacity(n); opts];
    for &i in &keep {
        for o in 0..opts {
            let at = i * width + 1 + o * per_opt;
            short[o].extend_from_slice(&flat[at..at + places]);
            wte_years[o].push(flat[at + places]);
            cost[o].push(flat[at + places + 1]);
        }
    }
    Ok(Sample {
        inputs: cols.into_iter().map(|(_, n)| n).collect(),
        x,
        options: std::iter::once("baseline".to_string())
            .chain(variants.iter().map(|v| v.name.clone()))
            .collect(),
        n,
        rejected: (total - n) as u64,
        areas: n_a,
        short,
        wte_years,
        cost,
    })
}

/// What a scenario discovery explains: the draws in which `place` (an area, or the
/// total at index `areas`) falls short by more than `threshold` WTE under `option`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Option index (0: the baseline).
    pub option: usize,
    /// Place index (areas, then the total).
    pub place: usize,
    /// Shortfall above which a draw counts as a case, WTE (0: any shortfall).
    pub threshold: f64,
}

/// A scenario discovery's findings.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// PRIM's peeling and pasting trajectory (α = 0.05, minimum mass 0.05, lenient).
    pub trajectory: prim::Trajectory,
    /// The chosen step: the largest coverage × density (the first on ties), unless
    /// one was asked for.
    pub chosen: usize,
    /// The chosen box's restrictions with their one-sided binomial quasi-p values.
    pub restrictions: Vec<prim::Restriction>,
    /// Per input, the share of resampled PRIM runs (10 half-samples) whose box
    /// closest in coverage, and in density, restricts it.
    pub reproducibility: Vec<prim::Reproducibility>,
    /// CART's leaves as boxes (Gini, minimum leaf 5 % of the draws).
    pub leaves: Vec<cart::LeafBox>,
    /// Draws.
    pub n: usize,
    /// Cases (draws short).
    pub cases: usize,
}

/// Resampled PRIM runs of the reproducibility check.
pub const RESAMPLES: usize = 10;

/// Scenario discovery of `outcome` over the inputs of `s`: PRIM (with the box of
/// step `step`, or the step of largest coverage × density) and CART.
pub fn discover(
    s: &Sample,
    outcome: &Outcome,
    step: Option<usize>,
    seed: u64,
) -> Result<Discovery, Error> {
    let y = s.cases(outcome);
    let cases = y.iter().filter(|&&b| b).count();
    if cases == 0 || cases == s.n {
        let hint = if cases == 0 {
            ""
        } else {
            "; to explain the larger shortfalls, count only those above a threshold in WTE"
        };
        return Err(Error::Input(format!(
            "{} draws, {} of them short: scenario discovery needs draws of both kinds{hint}",
            s.n, cases
        )));
    }
    let opts = prim::Options::default();
    let num = |e: String| Error::Runtime(format!("scenario discovery: {e}"));
    let trajectory = prim::prim(&s.x, &y, &opts).map_err(num)?;
    let chosen = match step {
        Some(k) if k < trajectory.steps.len() => k,
        Some(k) => {
            return Err(Error::Input(format!(
                "box {k}: the trajectory has steps 0 to {}",
                trajectory.steps.len() - 1
            )));
        }
        None => {
            let score = |st: &prim::Step| st.coverage * st.density;
            let mut best = 0;
            for (k, st) in trajectory.steps.iter().enumerate() {
                if score(st) > score(&trajectory.steps[best]) {
                    best = k;
                }
            }
            best
        }
    };
    let restrictions = prim::inspect(&s.x, &y, &trajectory, chosen).map_err(num)?;
    let resample = prim::Resample {
        iterations: RESAMPLES,
        fraction: 0.5,
        threshold: 0.1,
    };
    let reproducibility =
        prim::resample(&s.x, &y, &opts, &trajectory.steps[chosen], &resample, seed).map_err(num)?;
    let tree = cart::cart(&s.x, &y, &cart::Options::default()).map_err(num)?;
    Ok(Discovery {
        trajectory,
        chosen,
        restrictions,
        reproducibility,
        leaves: tree.leaves(),
        n: s.n,
        cases,
    })
}

/// The per-option, per-draw net benefit at `lambda` pounds per WTE-year.
pub fn net_benefit(s: &Sample, lambda: f64) -> Result<Vec<Vec<f64>>, Error> {
    robust::net_benefit(&s.cost, &s.wte_years, lambda).map_err(Error::Runtime)
}

/// Value of information at one value per WTE-year.
#[derive(Debug, Clone)]
pub struct Voi {
    /// The value per WTE-year, pounds.
    pub lambda: f64,
    /// Expected net benefit of each option, with its standard error.
    pub expected_nb: Vec<Estimate>,
    /// Expected value of perfect information.
    pub evpi: Estimate,
    /// EVPPI of each input alone (GAM: penalised splines, GCV smoothing).
    pub inputs: Vec<(String, Estimate)>,
    /// EVPPI of each named group (GAM for one or two inputs, MARS beyond).
    pub groups: Vec<(String, Vec<String>, Estimate)>,
}

/// The regression behind an EVPPI of `n` inputs.
pub fn method(n: usize) -> &'static str {
    if n <= 2 { "gam" } else { "mars" }
}

fn mean_se(v: &[f64]) -> Estimate {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0).max(1.0);
    Estimate {
        value: m,
        se: (var / n).sqrt(),
    }
}

/// A seed of its own for analysis `k` of a job seeded `seed` (splitmix64).
pub fn sub_seed(seed: u64, k: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(k + 1));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// EVPI, and EVPPI of every input and of each group (names of inputs of `s`), at
/// `lambda`; bootstrap standard errors seeded from `seed`.
pub fn value_of_information(
    s: &Sample,
    lambda: f64,
    groups: &[(String, Vec<String>)],
    seed: u64,
) -> Result<Voi, Error> {
    let nb = net_benefit(s, lambda)?;
    let num = |e: String| Error::Runtime(format!("value of information: {e}"));
    let evpi = voi::evpi(&nb).map_err(num)?;
    let mut inputs = vec![];
    for (j, name) in s.inputs.iter().enumerate() {
        let e = voi::evppi(
            &nb,
            &[&s.x[j][..]],
            voi::Method::Gam,
            sub_seed(seed, j as u64),
        )
        .map_err(num)?;
        inputs.push((name.clone(), e));
    }
    let mut out_groups = vec![];
    for (g, (name, members)) in groups.iter().enumerate() {
        let mut cols: Vec<&[f64]> = vec![];
        for m in members {
            let Some(j) = s.inputs.iter().position(|i| i == m) else {
                return Err(Error::Input(format!(
                    "input group `{name}`: `{m}` is not an uncertain input; they are {}",
                    s.inputs.join(", ")
                )));
            };
            cols.push(&s.x[j]);
        }
        let e = voi::evppi(
            &nb,
            &cols,
            voi::Method::Auto,
            sub_seed(seed, 10_000 + g as u64),
        )
        .map_err(num)?;
        out_groups.push((name.clone(), members.clone(), e));
    }
    Ok(Voi {
        lambda,
        expected_nb: nb.iter().map(|v| mean_se(v)).collect(),
        evpi,
        inputs,
        groups: out_groups,
    })
}

/// The probability each option is best at each value per WTE-year, and the frontier.
pub fn acceptability(s: &Sample, lambdas: &[f64]) -> Result<robust::Acceptability, Error> {
    robust::acceptability(&s.cost, &s.wte_years, lambdas).map_err(Error::Runtime)
}

/// How one option holds up across the draws.
#[derive(Debug, Clone)]
pub struct Robustness {
    /// WTE-years of gross shortfall.
    pub wte_years: Estimate,
    /// Programme cost, pounds.
    pub cost: Estimate,
    /// Net benefit at the value per WTE-year.
    pub net_benefit: Estimate,
    /// P(no area short) in the chosen year.
    pub p_none_short: Estimate,
    /// Regret against the best option of each draw: mean (with its standard error).
    pub regret_mean: Estimate,
    /// The regret's 90th percentile.
    pub regret_p90: f64,
    /// Per area, then the total: the share of draws in which it is not short.
    pub satisficing: Vec<Estimate>,
}

/// The robustness of every option at `lambda`.
pub fn robustness(s: &Sample, lambda: f64) -> Result<Vec<Robustness>, Error> {
    let nb = net_benefit(s, lambda)?;
    let regret = robust::regret(&nb).map_err(Error::Runtime)?;
    let mut out = vec![];
    for (k, r) in regret.into_iter().enumerate() {
        let none: Vec<bool> = (0..s.n)
            .map(|i| (0..s.areas).all(|a| !s.is_short(k, i, a, 0.0)))
            .collect();
        let per_place: Vec<Vec<bool>> = (0..s.places())
            .map(|p| (0..s.n).map(|i| !s.is_short(k, i, p, 0.0)).collect())
            .collect();
        let mut flags = vec![none];
        flags.extend(per_place);
        let sat = robust::satisficing(&flags).map_err(Error::Runtime)?;
        out.push(Robustness {
            wte_years: mean_se(&s.wte_years[k]),
            cost: mean_se(&s.cost[k]),
            net_benefit: mean_se(&nb[k]),
            p_none_short: sat[0],
            regret_mean: r.mean,
            regret_p90: r.p90,
            satisficing: sat[1..].to_vec(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-built sample: 4 draws, 2 options, 1 area.
    fn toy() -> Sample {
        Sample {
            inputs: vec!["a".into()],
            x: vec![vec![0.1, 0.2, 0.3, 0.4]],
            options: vec!["baseline".into(), "b".into()],
            n: 4,
            rejected: 0,
            areas: 1,
            // area, total per draw
            short: vec![
                vec![1.0, 1.0, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0],
                vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0],
            ],
            wte_years: vec![vec![10.0, 0.0, 20.0, 0.0], vec![5.0, 0.0, 15.0, 0.0]],
            cost: vec![vec![0.0; 4], vec![100.0; 4]],
        }
    }

    #[test]
    fn robustness_of_a_hand_built_table() {
        // λ = 10: NB baseline = −(0, 0)… = [−100, 0, −200, 0]; b = [−150, −100, −250, −100].
        // Best per draw: baseline in every draw, so b's regret is [50, 100, 50, 100].
        let r = robustness(&toy(), 10.0).unwrap();
        assert_eq!(r[0].regret_mean.value, 0.0);
        assert_eq!(r[1].regret_mean.value, 75.0);
        // Type-7 90th percentile of [50, 50, 100, 100]: 100.
        assert_eq!(r[1].regret_p90, 100.0);
        // Baseline: the area is short in draws 0 and 2 of 4; b: in draw 2 only.
        assert_eq!(r[0].p_none_short.value, 0.5);
        assert_eq!(r[1].p_none_short.value, 0.75);
        assert_eq!(r[1].satisficing[1].value, 0.75);
        assert_eq!(r[0].wte_years.value, 7.5);
        assert_eq!(r[1].net_benefit.value, -150.0);
    }

    #[test]
    fn acceptability_sums_to_one() {
        let a = acceptability(&toy(), &[0.0, 10.0, 20.0, 40.0]).unwrap();
        for row in &a.prob {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        // At λ = 40 b is best in draws 0 and 2 (saves 200 for 100), the baseline in 1, 3.
        assert_eq!(a.prob[3], vec![0.5, 0.5]);
    }

    /// The planted model: six uniform inputs, a case iff x1 > 0.7 and x2 < 0.4,
    /// 5,000 points. The chosen box restricts only x1 and x2, within 0.05 of the
    /// planted limits, with coverage and density of at least 0.9.
    #[test]
    fn discovery_finds_the_planted_box() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
        let n = 5000;
        let x: Vec<Vec<f64>> = (0..6)
            .map(|_| (0..n).map(|_| rng.random::<f64>()).collect())
            .collect();
        let short: Vec<f64> = (0..n)
            .flat_map(|i| {
                let y = f64::from(u8::from(x[0][i] > 0.7 && x[1][i] < 0.4));
                [y, y]
            })
            .collect();
        let s = Sample {
            inputs: (1..=6).map(|i| format!("x{i}")).collect(),
            x,
            options: vec!["baseline".into()],
            n,
            rejected: 0,
            areas: 1,
            short: vec![short],
            wte_years: vec![vec![0.0; n]],
            cost: vec![vec![0.0; n]],
        };
        let outcome = Outcome {
            option: 0,
            place: 0,
            threshold: 0.0,
        };
        let d = discover(&s, &outcome, None, 1).unwrap();
        let st = &d.trajectory.steps[d.chosen];
        assert!(st.coverage >= 0.9 && st.density >= 0.9, "{st:?}");
        let r: Vec<usize> = d.restrictions.iter().map(|r| r.input).collect();
        assert_eq!(r.len(), 2, "{:?}", d.restrictions);
        assert!(r.contains(&0) && r.contains(&1));
        assert!((st.limits[0].0 - 0.7).abs() < 0.05, "{:?}", st.limits[0]);
        assert!((st.limits[1].1 - 0.4).abs() < 0.05, "{:?}", st.limits[1]);
        // Both restrictions are found again in every half-sample, by density.
        for q in d.reproducibility.iter().filter(|q| q.input < 2) {
            assert_eq!(q.by_density, 1.0);
        }
        // And CART's majority-case leaf is the same box.
        let leaf = d.leaves.iter().find(|l| l.density > 0.5).unwrap();
        assert_eq!(leaf.restricted, vec![0, 1]);
    }

    #[test]
    fn sub_seeds_differ() {
        assert_ne!(sub_seed(1, 0), sub_seed(1, 1));
        assert_eq!(sub_seed(7, 3), sub_seed(7, 3));
    }
}
