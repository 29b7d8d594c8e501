//! Configs: the published inputs of the report and the distributions put on them.
//!
//! A config is TOML (the default, `configs/hee-2021.toml`, is compiled into the
//! binary). Reading goes in three steps: the text is parsed into a TOML tree; the
//! tree is deserialized into raw structs ([`raw`], serde), every leaf kept as given
//! so that a value of the wrong type is a problem to report rather than a failure;
//! then one validation pass ([`Reader`]) turns the raw structs into a [`Config`],
//! collecting *every* problem with its key path, so a user fixes a file in one pass.
//! [`locate`] turns each path into file, line and column. The result's inputs are
//! resolved: every family default of the `[uncertainty]` section has been applied
//! to the inputs it covers.
//!
//! The config declares its dimensions (`[dimensions]`: base and last year,
//! scenarios, areas, job levels), the report's by default ([`crate::dims`]); the
//! keys that name a year follow them (`workforce_2020` in a config based in 2020,
//! `workforce_2025` in one based in 2025).
//!
//! One file per job: this one holds the types; `load` reads files within limits and
//! follows `extends`; [`raw`] the raw structs; [`Reader`] validates them; [`schema`]
//! says which keys an override may set; `error` locates problems; [`overrides`]
//! applies settings, stress profiles and interventions; [`panel`] reads forecaster
//! returns; [`locate`] finds a key path's line and column.

mod error;
mod load;
pub mod locate;
pub mod overrides;
pub mod panel;
pub mod raw;
mod reader;
pub mod schema;

pub use error::{ConfigError, Problem};
pub use load::read_limited;
pub use reader::Reader;
use reader::type_name;

use crate::dims::{Dims, SharedDims};
use crate::distributions::{Call, Dist, DistError, SharesDist, check_probabilities};
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use toml::{Table, Value};

/// The default config, compiled in so `wfmc` runs without any file.
pub const BUILTIN_TOML: &str = include_str!("../../../../configs/hee-2021.toml");
/// How the built-in config is named in messages and manifests.
pub const BUILTIN_ORIGIN: &str = "<built-in configs/hee-2021.toml>";
/// Configs larger than this are refused before parsing.
pub const MAX_CONFIG_BYTES: usize = 10 * 1024 * 1024;

/// How a sampled value combines with an input's base value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// The sample is the value.
    Absolute,
    /// value = base + sample (e.g. a flow-rate shift).
    Add,
    /// value = base × sample (e.g. a forecaster multiplier).
    Multiply,
}

/// A link from an input to a shared factor (`docs/src/model.md`, "Uncertainty";
/// `docs/src/config.md`, "Correlation through shared factors"): its normal score is
/// `√rho · Z_factor + √(1 − rho) · Z_own`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactorLink {
    /// Index into [`Config::factors`].
    pub factor: usize,
    /// Share of the input's variance (on the normal-score scale) that the factor carries.
    pub rho: f64,
}

/// One scalar model input: its base value (what the report used) and its uncertainty.
#[derive(Debug, Clone)]
pub struct Input {
    /// The value of the point model.
    pub base: f64,
    /// The distribution of the sample.
    pub dist: Dist,
    /// How the sample combines with `base`.
    pub apply: Apply,
    /// Shared factor, if the input is correlated with others.
    pub factor: Option<FactorLink>,
}

impl Input {
    /// An input that never varies.
    pub fn fixed(x: f64) -> Input {
        Input {
            base: x,
            dist: Dist::fixed(x),
            apply: Apply::Absolute,
            factor: None,
        }
    }

    /// True when draws can differ from the base value.
    pub fn is_uncertain(&self) -> bool {
        !self.dist.is_fixed()
    }

    /// Combines a sample of `dist` with the base value.
    pub fn combine(&self, sample: f64) -> f64 {
        match self.apply {
            Apply::Absolute => sample,
            Apply::Add => self.base + sample,
            Apply::Multiply => self.base * sample,
        }
    }

    /// The input's value at normal score `z` (the Gaussian-copula path used for
    /// factor-linked inputs): [`Dist::at_score`].
    pub fn at_score(&self, z: f64) -> f64 {
        self.combine(self.dist.at_score(z))
    }

    /// The input's marginal quantile (P10, P90 for tornado analysis).
    pub fn quantile(&self, u: f64) -> f64 {
        self.combine(self.dist.quantile(u))
    }

    /// Text of the uncertainty, for reports and manifests.
    pub fn describe(&self, factors: &[Factor]) -> String {
        let mut s = match self.apply {
            Apply::Absolute => format!("{}", self.dist),
            Apply::Add => format!("base {} + {}", fmt_num(self.base), self.dist),
            Apply::Multiply => format!("base {} × {}", fmt_num(self.base), self.dist),
        };
        if let Some(f) = self.factor {
            s.push_str(&format!(
                ", factor {} (rho {})",
                factors[f.factor].name, f.rho
            ));
        }
        s
    }
}

fn fmt_num(x: f64) -> String {
    format!("{:.6}", x)
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// One Agenda for Change pay band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The band's name, e.g. `8a`.
    pub name: String,
    /// Bottom pay point, GBP a year.
    pub min: f64,
    /// Top pay point, GBP a year; the report costs at the top.
    pub top: f64,
}

/// The band of an area: its published value and the options a draw chooses among.
#[derive(Debug, Clone, PartialEq)]
pub struct BandInput {
    /// Index into [`Config::pay_scale`] of the published band.
    pub base: usize,
    /// Candidate band indices.
    pub choices: Vec<usize>,
    /// Their probabilities.
    pub p: Vec<f64>,
}

impl BandInput {
    /// True when a draw can pick another band than the base.
    pub fn is_uncertain(&self) -> bool {
        self.choices
            .iter()
            .zip(&self.p)
            .any(|(c, p)| *c != self.base && *p > 0.0)
    }
}

/// A shared source of correlation (`docs/src/config.md`, "Correlation through shared
/// factors").
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Its name in the config.
    pub name: String,
    /// One independent value per scenario instead of one per draw.
    pub per_scenario: bool,
    /// What it stands for.
    pub description: String,
}

/// Inputs of one area of work that do not depend on the scenario.
#[derive(Debug, Clone)]
pub struct AreaConfig {
    /// Which area (its index in the dimensions).
    pub area: usize,
    /// Base-year workforce, WTE (the report's Table 3.1).
    pub workforce: Input,
    /// Pay band (the report's Table 3.3).
    pub band: BandInput,
    /// Base-year job-level shares (normalised from the level counts).
    pub shares_base: Vec<f64>,
    /// Supply in the last year, WTE (the report's Table 3.2).
    pub supply_last: f64,
    /// Net annual flow rate; base (supply_last / W)^(1/years) − 1.
    pub flow: Input,
    /// Additional inflow, WTE a year from the year after the base on top of the
    /// flow (0 in the report).
    pub extra_inflow: f64,
    /// The typical trust's base-year WTE by level (the report's Table 5.3).
    pub typical_trust: Option<Vec<f64>>,
}

/// Demand inputs of one scenario and area.
#[derive(Debug, Clone)]
pub struct DemandConfig {
    /// Demand in the last year, WTE.
    pub demand_last: f64,
    /// Demand ratio last year / base year; base demand_last / W.
    pub ratio: Input,
    /// Level counts in the last year (used only as shares).
    pub levels_last: Vec<f64>,
    /// Distribution of the last year's level shares.
    pub shares: SharesDist,
    /// Demand ratio at the forecasters' middle year when known (returns with
    /// middle-year figures); `None`: a straight line, as in the report.
    pub ratio_mid: Option<f64>,
}

/// A fully read and resolved config.
#[derive(Debug, Clone)]
pub struct Config {
    /// Short name; results go to `results/<name>/`.
    pub name: String,
    /// Human title.
    pub title: String,
    /// Where it came from (a path or the built-in marker).
    pub origin: String,
    /// Its dimensions (years, scenarios, areas, levels).
    pub dims: SharedDims,
    /// Whether the file declared its dimensions (else they are the report's).
    pub declares_dims: bool,
    /// Pay of each job level where levels map pay bands (the mean of their bands'
    /// tops), else empty.
    pub level_pay: Vec<f64>,
    /// The exact text read, for hashing into manifests.
    pub source: String,
    /// The tree the config was resolved from; overrides edit it and re-resolve.
    pub tree: Table,
    /// Annual salary growth (for the years after `salary_path`).
    pub salary_growth: Input,
    /// Pay awards year by year from the year after the base (e.g. the awards
    /// actually given); empty in the report, which assumes one rate throughout.
    pub salary_path: Vec<f64>,
    /// Named sets of overrides (`--stress NAME`).
    pub stress: Vec<StressProfile>,
    /// Interventions (`[interventions.NAME]`), applied where `active`.
    pub interventions: Vec<Intervention>,
    /// The overrides applied to the file, as `path=value`, in order.
    pub overrides: Vec<String>,
    /// Forecaster returns, when demand comes from the panel itself (`[forecasters]`).
    pub panel: Option<std::sync::Arc<panel::Panel>>,
    /// Employment on-cost rate.
    pub on_cost: Input,
    /// Pay bands, lowest first.
    pub pay_scale: Vec<Band>,
    /// Shared factors.
    pub factors: Vec<Factor>,
    /// Per-area inputs, in the dimensions' order.
    pub areas: Vec<AreaConfig>,
    /// Per-scenario, per-area demand inputs, `[scenario][area]`.
    pub demand: Vec<Vec<DemandConfig>>,
    /// `[decision]`: how options are valued and compared.
    pub decision: Decision,
}

/// `[decision]`: the value of a WTE-year of shortfall avoided, the acceptability
/// curve's range, the portfolios among the options and named input groups.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    /// Pounds per WTE-year of shortfall avoided (`None`: not stated).
    pub value_per_wte_year: Option<f64>,
    /// The acceptability curve's range of values, pounds (`None`: 0 to four times
    /// the value per WTE-year).
    pub values: Option<(f64, f64)>,
    /// Points of the acceptability curve.
    pub points: usize,
    /// Portfolios among the options, each `a+b` of the config's interventions.
    pub portfolios: Vec<String>,
    /// Named groups of inputs (config paths) for the value of information.
    pub groups: Vec<(String, Vec<String>)>,
}

/// Points of an acceptability curve unless the config says otherwise.
pub const ACCEPTABILITY_POINTS: usize = 41;

/// An intervention of the config's `[interventions.NAME]`: one or more levers, each
/// on one or more areas (area indices), every number an [`Input`] (a
/// value or a distribution). Off unless `active` (`--intervention NAME` sets it).
#[derive(Debug, Clone)]
pub struct Intervention {
    /// Its name.
    pub name: String,
    /// What it stands for, and its basis.
    pub description: String,
    /// Applied to runs of this config.
    pub active: bool,
    /// Extra entrants.
    pub intake: Option<Intake>,
    /// A change to the net flow rate.
    pub retention: Option<Retention>,
    /// A pay uplift.
    pub pay: Option<PayLever>,
    /// What the programme costs.
    pub cost: ProgrammeCost,
}

/// `intake`: `per_year` entrants a year in each area from `start`, reaching full
/// size over `ramp` years; a share `completion` of them joins, and those who join
/// leave at `attrition` a year afterwards.
#[derive(Debug, Clone)]
pub struct Intake {
    /// Areas (their indices).
    pub areas: Vec<usize>,
    /// Entrants a year per area at full size, WTE.
    pub per_year: Input,
    /// First year of intake (after the base year, at most the last).
    pub start: u32,
    /// Years to full size (0 or 1: full from the start).
    pub ramp: u32,
    /// Share of entrants who complete and join, in [0, 1].
    pub completion: Input,
    /// Annual attrition of those who joined, in [0, 1).
    pub attrition: Input,
}

/// `retention`: `delta` added to each area's net annual flow rate from `start`.
#[derive(Debug, Clone)]
pub struct Retention {
    /// Areas (their indices).
    pub areas: Vec<usize>,
    /// Change to the net flow rate (0.01 = one point a year).
    pub delta: Input,
    /// First year whose growth it changes.
    pub start: u32,
}

/// `pay`: each area's pay raised by `uplift` from `start` (a cost), with an
/// assumed `flow_effect` on its net flow rate (0 unless the user states one).
#[derive(Debug, Clone)]
pub struct PayLever {
    /// Areas (their indices).
    pub areas: Vec<usize>,
    /// Pay uplift (0.05 = 5 %).
    pub uplift: Input,
    /// First year paid.
    pub start: u32,
    /// ASSUMED change to the net flow rate from `start`.
    pub flow_effect: Input,
}

/// `cost`: the programme's own cost, in 2020 pounds grown like pay: per entrant of
/// its intake, and per year from `start` (split equally over the intervention's
/// areas).
#[derive(Debug, Clone)]
pub struct ProgrammeCost {
    /// Pounds per entrant (before completion).
    pub per_entrant: Input,
    /// Pounds a year.
    pub per_year: Input,
    /// First year of the per-year cost.
    pub start: u32,
}

impl Intervention {
    /// The areas its levers act on, each once, in the dimensions' order.
    pub fn areas(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .intake
            .iter()
            .flat_map(|l| l.areas.iter())
            .chain(self.retention.iter().flat_map(|l| l.areas.iter()))
            .chain(self.pay.iter().flat_map(|l| l.areas.iter()))
            .copied()
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Its numbers with their config paths (below `interventions.NAME.`), in
    /// [`Self::numbers`] order.
    pub fn named_numbers(&self) -> Vec<(&'static str, &Input)> {
        let mut v = vec![];
        if let Some(l) = &self.intake {
            v.extend([
                ("intake.per_year", &l.per_year),
                ("intake.completion", &l.completion),
                ("intake.attrition", &l.attrition),
            ]);
        }
        if let Some(l) = &self.retention {
            v.push(("retention.delta", &l.delta));
        }
        if let Some(l) = &self.pay {
            v.extend([
                ("pay.uplift", &l.uplift),
                ("pay.flow_effect", &l.flow_effect),
            ]);
        }
        v.extend([
            ("cost.per_entrant", &self.cost.per_entrant),
            ("cost.per_year", &self.cost.per_year),
        ]);
        v
    }

    /// Its numbers, in a fixed order (the order they are drawn).
    pub fn numbers(&self) -> Vec<&Input> {
        self.named_numbers().into_iter().map(|(_, i)| i).collect()
    }
}

/// A named set of overrides in the config's `[stress.NAME]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct StressProfile {
    /// Its name.
    pub name: String,
    /// What it stands for.
    pub description: String,
    /// Path and value of each override, in file order.
    pub set: Vec<(String, Value)>,
}

impl Config {
    /// The same config with every distribution collapsed to its base value.
    pub fn collapsed(&self) -> Config {
        let mut c = self.clone();
        let fix = |i: &mut Input| *i = Input::fixed(i.base);
        fix(&mut c.salary_growth);
        fix(&mut c.on_cost);
        for a in &mut c.areas {
            fix(&mut a.workforce);
            fix(&mut a.flow);
            a.band = BandInput {
                base: a.band.base,
                choices: vec![a.band.base],
                p: vec![1.0],
            };
        }
        for row in &mut c.demand {
            for d in row {
                fix(&mut d.ratio);
                d.shares = SharesDist::Fixed(normalise(&d.levels_last));
            }
        }
        c
    }

    /// The dimensions.
    pub fn dims(&self) -> &Dims {
        &self.dims
    }

    /// The area config of area `a`.
    pub fn area(&self, a: usize) -> &AreaConfig {
        &self.areas[a]
    }

    /// The demand config of scenario `s`, area `a`.
    pub fn demand_of(&self, s: usize, a: usize) -> &DemandConfig {
        &self.demand[s][a]
    }

    /// Top pay point of the band at `index`.
    pub fn pay_top(&self, index: usize) -> f64 {
        self.pay_scale[index].top
    }

    /// FNV-1a hash of the config text and overrides, for manifests and for checking
    /// that shards ran the same config (identifies, does not secure).
    pub fn hash(&self) -> String {
        let mut h: u64 = 0xcbf29ce484222325;
        let overrides = self.overrides.join("\n");
        let text = [self.source.as_bytes(), b"\0", overrides.as_bytes()];
        for b in text.iter().flat_map(|t| t.iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016x}")
    }
}

fn normalise(v: &[f64]) -> Vec<f64> {
    let s: f64 = v.iter().sum();
    v.iter().map(|x| x / s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads() {
        let c = Config::builtin();
        assert_eq!(c.name, "hee-2021");
        assert_eq!(c.areas.len(), 9);
        assert_eq!(c.pay_scale.len(), 12);
        let ci = c.dims.area("clinical_informatics").unwrap();
        assert_eq!(c.pay_scale[c.area(ci).band.base].name, "8a");
    }

    fn broken(edit: impl Fn(&str) -> String) -> ConfigError {
        Config::from_str(&edit(BUILTIN_TOML), "test.toml").expect_err("should fail")
    }

    #[test]
    fn reports_several_located_problems() {
        let e = broken(|s| {
            s.replacen("workforce_2020 = 3560", "workforce_2020 = -3560", 1)
                .replacen("supply_2030 = 5169", "supply_207 = 5169", 1)
        });
        assert!(e.problems().count() >= 2, "{e}");
        assert!(e.to_string().contains("test.toml:"), "{e}");
        assert!(e.to_string().contains("did you mean `supply_2030`"), "{e}");
        assert!(e.to_string().contains("negative workforce"), "{e}");
    }

    #[test]
    fn documented_override_forms_load() {
        let text = BUILTIN_TOML
            .replace("band = \"8a\"", "band = { base = \"8a\", dist = \"categorical(7=0.2, 8a=0.6, 8b=0.2)\" }")
            .replace(
                "[supply.ict]\n",
                "[supply.ict]\nflow_rate = \"normal(0.06, 0.01)\"\n",
            )
            .replace(
                "[demand.data_driven.ict]\n",
                "[demand.data_driven.ict]\nratio = { dist = \"lognormal(mean=1, sigma=0.4)\", apply = \"multiply\" }\n",
            );
        let c = Config::from_str(&text, "t").unwrap_or_else(|e| panic!("{e}"));
        let (ci, ict) = (
            c.dims.area("clinical_informatics").unwrap(),
            c.dims.area("ict").unwrap(),
        );
        let ci = c.area(ci);
        assert_eq!(ci.band.choices.len(), 3);
        assert_eq!(c.pay_scale[ci.band.base].name, "8a");
        assert_eq!(c.area(ict).flow.base, 0.06);
        let r = &c.demand_of(0, ict).ratio;
        assert_eq!(r.base, 21963.0 / 16407.0);
        assert_eq!(r.apply, Apply::Multiply);
        assert!(r.factor.is_none());
    }
}
