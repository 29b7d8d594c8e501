//! Decisions under uncertainty: scenario discovery of when an area falls short
//! (`discovery.csv`), and the value of information, acceptability and robustness
//! of the options (`value_of_information.csv`, `acceptability.csv`,
//! `robustness.csv`). The options are the baseline and, unless others are given,
//! each intervention of the config and each portfolio of its `[decision]` table,
//! all on the same draws.

use super::{Context, DrawSettings, Output, VariantSpec, keys, variants};
use crate::config::Config;
use crate::decide::{self as dc, DECISION_DRAWS, Discovery, Robustness, Sample, Voi};
use crate::engine::{RunSpec, Sampling};
use crate::error::{Error, Setting};
use crate::results;
use std::path::PathBuf;
use wfmc_decision::robust::Acceptability;

pub use crate::decide::{
    DECISION_DRAWS as DEFAULT_DECISION_DRAWS, MAX_DECISION_DRAWS, input_names,
};

/// What every decision job shares: the options, the draws, the scenario and year.
#[derive(Debug, Clone, Default)]
pub struct DecisionSettings {
    /// The options besides the baseline (empty: each intervention of the config
    /// and each portfolio of its `[decision]` table).
    pub options: Vec<VariantSpec>,
    /// Draws (default [`DECISION_DRAWS`], at most [`MAX_DECISION_DRAWS`]: every
    /// draw is kept in memory), seed, threads and sampling.
    pub draws: DrawSettings,
    /// Scenario (default: the first).
    pub scenario: Option<String>,
    /// Year (default: the last); shortfalls are counted after the base year up to it.
    pub year: Option<u32>,
    /// Where the files go; a run's folder gets its report rebuilt with them.
    pub out: Output,
}

/// The options of `cfg` when none are given: each intervention, then each portfolio
/// of `[decision]`.
pub fn default_options(cfg: &Config) -> Vec<VariantSpec> {
    cfg.interventions
        .iter()
        .map(|i| i.name.clone())
        .chain(cfg.decision.portfolios.iter().cloned())
        .map(|n| VariantSpec::intervention(&n))
        .collect()
}

struct Prepared {
    sample: Sample,
    spec: RunSpec,
    scenario: usize,
    year: usize,
}

/// Which options a decision analysis draws.
enum Pick<'a> {
    /// Every option: a decision among them.
    All,
    /// Only the one whose outcome is explained (`None`: the baseline), so that a
    /// draw another option's numerical guard rejects stays in.
    Explained(Option<&'a str>),
}

fn prepare(
    base: &Config,
    s: &DecisionSettings,
    ctx: &Context,
    pick: Pick,
) -> Result<Prepared, Error> {
    let scenario = keys::scenario(&base.dims, s.scenario.as_deref())?;
    let year = keys::year(&base.dims, s.year)?;
    if year == 0 {
        return Err(Error::setting(
            Setting::Year,
            base.dims.base_year,
            "shortfalls are counted after the base year: give a later year",
        ));
    }
    let spec = s.draws.spec(DECISION_DRAWS, Sampling::Rqmc)?;
    if spec.draws > MAX_DECISION_DRAWS {
        return Err(Error::setting(
            Setting::Draws,
            spec.draws,
            format!("a decision analysis keeps every draw in memory: at most {MAX_DECISION_DRAWS}"),
        ));
    }
    let specs = if s.options.is_empty() {
        default_options(base)
    } else {
        s.options.clone()
    };
    let specs = match pick {
        Pick::All if specs.is_empty() => {
            return Err(Error::setting(
                Setting::Options,
                "",
                "nothing to decide among: the config has no interventions; give options",
            ));
        }
        Pick::All => specs,
        Pick::Explained(None) => vec![],
        Pick::Explained(Some(o)) => {
            let Some(v) = specs.iter().find(|v| v.name == o) else {
                let names: Vec<&str> = std::iter::once("baseline")
                    .chain(specs.iter().map(|v| v.name.as_str()))
                    .collect();
                return Err(Error::setting(
                    Setting::Options,
                    o,
                    format!("the options are {}", names.join(", ")),
                ));
            };
            vec![v.clone()]
        }
    };
    let vs = variants(base, &specs)?;
    let sample = dc::sample(base, &vs, &spec, ctx.control, scenario, year)?;
    let share = sample.rejected as f64 / spec.draws.max(1) as f64;
    if share > spec.max_rejected {
        return Err(Error::Rejected {
            report: format!(
                "{} of {} draws ({:.2} %) failed the numerical guard under the baseline or an option",
                sample.rejected,
                spec.draws,
                100.0 * share
            ),
            max: spec.max_rejected,
        });
    }
    Ok(Prepared {
        sample,
        spec,
        scenario,
        year,
    })
}

/// Writes `files` into the results folder of `out` (new, empty or wfmc's),
/// rebuilding a run's report with them; their paths.
fn write_files(
    base: &Config,
    out: &Output,
    files: &[(&str, String)],
    ctx: &Context,
) -> Result<Vec<PathBuf>, Error> {
    let Some(dir) = out.folder(base) else {
        return Ok(vec![]);
    };
    let st = crate::files::Staging::new(&dir, &crate::files::Inputs::none())?;
    if let Ok(m) = results::read_json(&dir, results::MANIFEST_FILE)
        && let Some(hash) = m["config"]["hash"].as_str()
        && hash != base.hash()
    {
        return Err(Error::setting(
            Setting::Out,
            dir.display(),
            format!(
                "holds a run of another config or other overrides (hash {hash}, the baseline's is {}): write into another folder, or give the run's config, stress profiles and overrides",
                base.hash()
            ),
        ));
    }
    st.keep_existing(|f| files.iter().any(|(n, _)| *n == f))?;
    for (name, text) in files {
        st.write(name, text.as_bytes())?;
    }
    if st.path().join(results::bands::FILE).exists() {
        crate::report::html::write(st.path(), false)?;
    }
    ctx.control.check()?;
    let d = st.commit()?;
    Ok(files.iter().map(|(n, _)| d.join(n)).collect())
}

/// A scenario discovery: when does an area (or the total) fall short?
#[derive(Debug, Clone, Default)]
pub struct DiscoverRequest {
    /// The options, draws, scenario, year and output.
    pub settings: DecisionSettings,
    /// The area (or `total`) whose shortfall is explained.
    pub area: String,
    /// The option under which it is explained (default: the baseline).
    pub option: Option<String>,
    /// Shortfall above which a draw counts, WTE (default 0: any shortfall).
    pub threshold: Option<f64>,
    /// The trajectory step of the box to describe (default: the step of largest
    /// coverage × density).
    pub step: Option<usize>,
}

/// What a scenario discovery found.
pub struct DiscoverOutcome {
    /// The findings.
    pub discovery: Discovery,
    /// The inputs' config paths.
    pub inputs: Vec<String>,
    /// What was explained, as `discovery.csv` names it.
    pub outcome: String,
    /// The option, scenario, area and year, as keys.
    pub option: String,
    /// Scenario key.
    pub scenario: String,
    /// Area key or `total`.
    pub area: String,
    /// Calendar year.
    pub year: u32,
    /// Draws used.
    pub draws: usize,
    /// `discovery.csv`, unless kept in memory.
    pub path: Option<PathBuf>,
    /// The points PRIM and CART saw: per input (in `inputs` order), its value in
    /// each draw.
    pub x: Vec<Vec<f64>>,
    /// Per draw, whether it is a case (short).
    pub short: Vec<bool>,
}

impl DiscoverOutcome {
    /// `discovery.csv`'s text.
    pub fn csv(&self) -> String {
        results::discovery::write(&self.discovery, &self.inputs, &self.outcome)
    }

    /// The chosen box in plain sentences.
    pub fn sentences(&self) -> String {
        crate::report::decision::box_sentences(
            &results::discovery::rows(&self.discovery, &self.inputs, &self.outcome),
            &self.area,
            &self.scenario,
            self.year,
        )
    }
}

/// Scenario discovery of `req` on `base`: PRIM and CART over the sampled inputs of
/// the draws in which the area falls short; writes `discovery.csv`.
pub fn discover(
    base: &Config,
    req: &DiscoverRequest,
    ctx: &Context,
) -> Result<DiscoverOutcome, Error> {
    let place = if req.area == "total" {
        base.dims.n_areas()
    } else {
        base.dims.area(&req.area).ok_or_else(|| {
            Error::setting(
                Setting::Outcome,
                &req.area,
                format!(
                    "the outcome is an area or total; the areas are {}",
                    base.dims.area_keys().join(", ")
                ),
            )
        })?
    };
    let threshold = req.threshold.unwrap_or(0.0);
    if !threshold.is_finite() || threshold < 0.0 {
        return Err(Error::setting(
            Setting::Outcome,
            threshold,
            "a shortfall threshold is a number of WTE ≥ 0",
        ));
    }
    let explained = req.option.as_deref().filter(|o| *o != "baseline");
    let mut p = prepare(base, &req.settings, ctx, Pick::Explained(explained))?;
    // The sample holds the baseline and at most the one option explained.
    let option = p.sample.options.len() - 1;
    let outcome = dc::Outcome {
        option,
        place,
        threshold,
    };
    let discovery = dc::discover(&p.sample, &outcome, req.step, dc::sub_seed(p.spec.seed, 1))?;
    let short = p.sample.cases(&outcome);
    let (sk, ak, year) = (
        base.dims.scenario_key(p.scenario).to_string(),
        base.dims
            .place_key((place < base.dims.n_areas()).then_some(place))
            .to_string(),
        base.dims.year_of(p.year),
    );
    let opt = p.sample.options[option].clone();
    let label = if threshold > 0.0 {
        format!("{opt}/{sk}/{ak}/{year} short by more than {threshold}")
    } else {
        format!("{opt}/{sk}/{ak}/{year} short")
    };
    let mut out = DiscoverOutcome {
        discovery,
        inputs: p.sample.inputs.clone(),
        outcome: label,
        option: opt,
        scenario: sk,
        area: ak,
        year,
        draws: p.sample.n,
        path: None,
        x: std::mem::take(&mut p.sample.x),
        short,
    };
    let files = [(results::discovery::FILE, out.csv())];
    out.path = write_files(base, &req.settings.out, &files, ctx)?
        .into_iter()
        .next();
    Ok(out)
}

/// Value of information, acceptability and robustness of the options.
#[derive(Debug, Clone, Default)]
pub struct DecideRequest {
    /// The options, draws, scenario, year and output.
    pub settings: DecisionSettings,
    /// Pounds per WTE-year of shortfall avoided (default: the config's
    /// `decision.value_per_wte_year`).
    pub value: Option<f64>,
    /// Input groups for the value of information, besides the config's.
    pub groups: Vec<(String, Vec<String>)>,
}

/// What a decision analysis found.
pub struct DecideOutcome {
    dims: crate::dims::SharedDims,
    /// The options, the baseline first.
    pub options: Vec<String>,
    /// Value of information at the value per WTE-year.
    pub voi: Voi,
    /// The acceptability curve and frontier.
    pub acceptability: Acceptability,
    /// Robustness of each option.
    pub robustness: Vec<Robustness>,
    /// Draws used.
    pub draws: usize,
    /// Scenario key.
    pub scenario: String,
    /// Calendar year.
    pub year: u32,
    /// The files written, unless kept in memory.
    pub paths: Vec<PathBuf>,
}

impl DecideOutcome {
    /// `value_of_information.csv`'s text.
    pub fn voi_csv(&self) -> String {
        results::value_of_information::write(&self.voi)
    }

    /// `acceptability.csv`'s text.
    pub fn acceptability_csv(&self) -> String {
        results::acceptability::write(&self.acceptability, &self.options)
    }

    /// `robustness.csv`'s text.
    pub fn robustness_csv(&self) -> String {
        results::robustness::write(&self.robustness, &self.options, &self.dims)
    }

    /// A table for the terminal.
    pub fn table(&self) -> String {
        crate::report::decision::decide_table(
            &results::value_of_information::rows(&self.voi),
            &results::robustness::rows(&self.robustness, &self.options, &self.dims),
            &self.scenario,
            self.year,
            self.draws,
        )
    }
}

/// The values of the acceptability curve of `cfg` around `lambda`.
fn lambdas(cfg: &Config, lambda: f64) -> Vec<f64> {
    let (lo, hi) = cfg.decision.values.unwrap_or((0.0, 4.0 * lambda.max(1.0)));
    let n = cfg.decision.points.max(2);
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}

/// EVPI, EVPPI (each input and each group), acceptability and robustness of the
/// options of `req` on `base`; writes the three files.
pub fn decide(base: &Config, req: &DecideRequest, ctx: &Context) -> Result<DecideOutcome, Error> {
    let lambda = req.value.or(base.decision.value_per_wte_year).ok_or_else(|| {
        Error::setting(
            Setting::Value,
            "",
            "give the pounds put on one WTE-year of shortfall avoided (or state value_per_wte_year in the config's [decision] table)",
        )
    })?;
    if !lambda.is_finite() || lambda < 0.0 {
        return Err(Error::setting(
            Setting::Value,
            lambda,
            "a value per WTE-year is a number of pounds ≥ 0",
        ));
    }
    let mut groups = base.decision.groups.clone();
    for (name, members) in &req.groups {
        if name.is_empty() || members.is_empty() {
            return Err(Error::setting(
                Setting::Groups,
                name,
                "a group needs a name and one or more inputs",
            ));
        }
        groups.push((name.clone(), members.clone()));
    }
    let names = input_names(base);
    for (name, members) in &groups {
        if let Some(m) = members.iter().find(|m| !names.contains(m)) {
            return Err(Error::setting(
                Setting::Groups,
                format!("{name}: {m}"),
                format!("the uncertain inputs are {}", names.join(", ")),
            ));
        }
    }
    let p = prepare(base, &req.settings, ctx, Pick::All)?;
    let seed = p.spec.seed;
    let voi = dc::value_of_information(&p.sample, lambda, &groups, dc::sub_seed(seed, 2))?;
    let acceptability = dc::acceptability(&p.sample, &lambdas(base, lambda))?;
    let robustness = dc::robustness(&p.sample, lambda)?;
    let mut out = DecideOutcome {
        dims: base.dims.clone(),
        options: p.sample.options.clone(),
        voi,
        acceptability,
        robustness,
        draws: p.sample.n,
        scenario: base.dims.scenario_key(p.scenario).to_string(),
        year: base.dims.year_of(p.year),
        paths: vec![],
    };
    let files = [
        (results::value_of_information::FILE, out.voi_csv()),
        (results::acceptability::FILE, out.acceptability_csv()),
        (results::robustness::FILE, out.robustness_csv()),
    ];
    out.paths = write_files(base, &req.settings.out, &files, ctx)?;
    Ok(out)
}
