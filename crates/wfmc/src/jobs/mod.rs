//! Every job a front end runs, as a typed request and a typed outcome: the one
//! door to the library for the command line, the explorer's server and the Python
//! package, which only translate their arguments into these requests and show what
//! comes back. A request holds what its user gave (`None`: the default, stated once
//! here); validation, defaults and parsing (draw caps, years, scenarios, areas,
//! overrides) happen in the job, and errors name [`Setting`]s that each front end
//! words its own way ([`Words`]).
//!
//! The vocabulary a front end needs is re-exported here, so it names nothing below
//! this module.

mod compare;
mod decide;
mod draws;
mod listing;
mod run;
mod sensitivity;
mod sweep;
mod target;
pub mod view;

pub use compare::{COMPARE_DRAWS, CompareOutcome, CompareRequest, VariantSpec, compare, variants};
pub use decide::{
    DEFAULT_DECISION_DRAWS, DecideOutcome, DecideRequest, DecisionSettings, DiscoverOutcome,
    DiscoverRequest, MAX_DECISION_DRAWS, decide, default_options, discover, input_names,
};
pub use draws::{DrawsRequest, DrawsTable, draws, inputs};
pub use listing::{Check, Listing, PointFormat, check, listing, point};
pub use run::{
    MergeRequest, Run, RunOutcome, RunRequest, UntilReport, merge, merge_in_memory, report, run,
    run_in_memory,
};
pub use sensitivity::{Sobol, SobolRequest, Tornado, TornadoRequest, sobol, tornado};
pub use sweep::{MergeSweepRequest, SWEEP_DRAWS, SweepOut, SweepRequest, merge_sweep, sweep};
pub use target::{TARGET_DRAWS, TARGET_P, TargetAnswer, TargetOutcome, TargetRequest, target};

pub use crate::config::Config;
pub use crate::engine::until::Check as UntilCheck;
pub use crate::engine::{Control, Sampling, Shard, Shortfall};
pub use crate::error::{Error, Hint, Invalid, OverrideSource, Plain, Setting, Words};
pub use crate::stats::{PERCENTILES, ShortStat, Stat, Summary};

use crate::config::overrides::Override;
use crate::engine::RunSpec;
use std::path::{Path, PathBuf};

/// The seed every job uses unless told otherwise (the report's publication month).
pub const DEFAULT_SEED: u64 = crate::engine::DEFAULT_SEED;
/// Draws of a run unless told otherwise.
pub const DEFAULT_DRAWS: u64 = crate::engine::DEFAULT_DRAWS;
/// The most draws a run with precision targets makes unless told otherwise.
pub const UNTIL_DRAWS: u64 = 100_000_000;
/// The numerical guard's largest share of rejected draws unless told otherwise.
pub const DEFAULT_MAX_REJECTED: f64 = crate::engine::guard::DEFAULT_MAX_REJECTED;
/// Rows of the Sobol design unless told otherwise.
pub const DEFAULT_SOBOL_ROWS: usize = crate::sensitivity::sobol::DEFAULT_N;
/// The wfmc version, as manifests record it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where a config comes from and what is applied to it: what every job that reads
/// a config is given.
#[derive(Debug, Clone, Default)]
pub struct ConfigRequest {
    /// A config file; `None`: the built-in config.
    pub path: Option<PathBuf>,
    /// Stress profiles of the config to apply, in order.
    pub stress: Vec<String>,
    /// Interventions of the config to apply, after the profiles (`A+B`: both).
    pub interventions: Vec<String>,
    /// Overrides `PATH=VALUE`, applied after the profiles and interventions.
    pub set: Vec<String>,
    /// How to treat a forecaster who left an area out (`skip` or `error`); only for a
    /// config with forecaster returns.
    pub allow_missing: Option<String>,
}

impl ConfigRequest {
    /// Loads the config and applies the profiles, interventions and overrides.
    pub fn load(&self) -> Result<Config, Error> {
        let missing = |valid: String| {
            Error::setting(
                Setting::AllowMissing,
                self.allow_missing.as_deref().unwrap_or(""),
                valid,
            )
        };
        if let Some(p) = &self.allow_missing
            && p != "skip"
            && p != "error"
        {
            return Err(missing("valid: skip, error".into()));
        }
        let cfg = match (&self.path, &self.allow_missing) {
            (Some(path), Some(p)) => {
                Config::load_with(path, &[("forecasters.missing", p.as_str().into())])?
            }
            (None, Some(_)) => {
                return Err(missing(
                    "the built-in config has no forecaster returns; it applies to a config with [forecasters]".into(),
                ));
            }
            (path, None) => Config::load_or_builtin(path.as_deref())?,
        };
        if self.allow_missing.is_some() && cfg.panel.is_none() {
            return Err(missing(format!(
                "{} has no [forecasters] section with returns",
                cfg.origin
            )));
        }
        apply(&cfg, &self.stress, &self.interventions, &self.set)
    }
}

/// `cfg` with its stress profiles `stress` applied in order, then its
/// `interventions`, then the overrides `set` (`PATH=VALUE`); the result is checked
/// like a loaded config.
pub fn apply(
    cfg: &Config,
    stress: &[String],
    interventions: &[String],
    set: &[String],
) -> Result<Config, Error> {
    Ok(cfg.with_overrides(&override_list(cfg, stress, interventions, set)?)?)
}

/// The overrides of the stress profiles `stress` of `cfg`, then of its
/// `interventions` (each sets `interventions.NAME.active = true`), then of `set`.
pub(crate) fn override_list(
    cfg: &Config,
    stress: &[String],
    interventions: &[String],
    set: &[String],
) -> Result<Vec<Override>, Error> {
    let mut list = cfg.stress_overrides(stress)?;
    list.extend(cfg.intervention_overrides(interventions)?);
    for s in set {
        list.push(Override::parse(s)?);
    }
    Ok(list)
}

/// How a job draws: what every job that runs the Monte Carlo model shares. `None`
/// takes the job's default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawSettings {
    /// Draws (per grid point, for a sweep).
    pub draws: Option<u64>,
    /// Seed of the random streams: the same seed gives the same results.
    pub seed: Option<u64>,
    /// Worker threads (default: every core). Results do not depend on it.
    pub threads: Option<usize>,
    /// How the inputs are drawn (default: randomised quasi-Monte Carlo, except
    /// where a job says otherwise).
    pub sampling: Option<Sampling>,
    /// Largest share of draws the numerical guard may reject before the job fails.
    pub max_rejected: Option<f64>,
    /// How the shortfall statistics are estimated (default: conditional Monte
    /// Carlo wherever the config allows it).
    pub shortfall: Option<Shortfall>,
}

impl DrawSettings {
    /// The worker threads: the given number, or every core.
    pub fn threads(&self) -> usize {
        self.threads.unwrap_or_else(crate::engine::default_threads)
    }

    /// Checks the settings given (draws, threads, the guard's limit).
    pub fn check(&self) -> Result<(), Error> {
        self.spec(DEFAULT_DRAWS, Sampling::Rqmc).map(|_| ())
    }

    /// The run these settings describe, with the job's default draws and sampling,
    /// checked.
    pub(crate) fn spec(
        &self,
        default_draws: u64,
        default_sampling: Sampling,
    ) -> Result<RunSpec, Error> {
        let spec = RunSpec {
            draws: self.draws.unwrap_or(default_draws),
            seed: self.seed.unwrap_or(DEFAULT_SEED),
            threads: self.threads(),
            shard: Shard::ALL,
            max_rejected: self.max_rejected.unwrap_or(DEFAULT_MAX_REJECTED),
            sampling: self.sampling.unwrap_or(default_sampling),
            block_chunks: 0,
            shortfall: self.shortfall.unwrap_or_default(),
        };
        spec.validate()?;
        Ok(spec)
    }
}

/// What a job reports while it runs, and how it is stopped.
pub struct Context<'a> {
    /// Draws done so far, and the flag that stops the job at its next check.
    pub control: &'a Control,
    /// Called at each precision check of a run with targets.
    pub on_check: &'a (dyn Fn(&UntilCheck) + Sync),
    /// Called with (points done, points) after each point of a sweep.
    pub on_points: &'a (dyn Fn(usize, usize) + Sync),
}

impl<'a> Context<'a> {
    /// A context that reports nothing but the draws `control` counts.
    pub fn new(control: &'a Control) -> Context<'a> {
        Context {
            control,
            on_check: &|_| {},
            on_points: &|_, _| {},
        }
    }
}

/// Where a job's files go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Output {
    /// The config's default results folder, `results/<config name>/`.
    #[default]
    Default,
    /// This folder.
    Folder(PathBuf),
    /// Nowhere: the outcome is kept in memory.
    Memory,
}

impl Output {
    /// `Some(folder)` → that folder; `None` → the default.
    pub fn from_option(p: Option<PathBuf>) -> Output {
        p.map_or(Output::Default, Output::Folder)
    }

    /// The folder for `cfg`, or `None` in memory.
    fn folder(&self, cfg: &Config) -> Option<PathBuf> {
        match self {
            Output::Default => Some(default_out(cfg)),
            Output::Folder(p) => Some(p.clone()),
            Output::Memory => None,
        }
    }
}

/// The default results folder of a config: `results/<name>/`.
pub fn default_out(cfg: &Config) -> PathBuf {
    Path::new("results").join(&cfg.name)
}

/// Writes one file into the results folder `dir` (new, empty or wfmc's), keeping
/// the other files wfmc wrote there; all or nothing, like a run.
fn add_to_folder(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    control: &Control,
) -> Result<PathBuf, Error> {
    let st = crate::files::Staging::new(dir, &crate::files::Inputs::none())?;
    st.keep_existing(|f| f == name)?;
    st.write(name, bytes)?;
    control.check()?;
    Ok(st.commit()?.join(name))
}

/// A scenario, area or year named by a user, found in the config's dimensions: the
/// one place such names are looked up.
pub(crate) mod keys {
    use crate::dims::Dims;
    use crate::error::{Error, Setting};

    /// The scenario `key` (`None`: the first).
    pub fn scenario(dims: &Dims, key: Option<&str>) -> Result<usize, Error> {
        let Some(key) = key else {
            return Ok(0);
        };
        dims.scenario(key).ok_or_else(|| {
            Error::setting(
                Setting::Scenario,
                key,
                format!("valid scenarios are {}", dims.scenario_keys().join(", ")),
            )
        })
    }

    /// The area `key`.
    pub fn area(dims: &Dims, key: &str) -> Result<usize, Error> {
        dims.area(key).ok_or_else(|| {
            Error::setting(
                Setting::Area,
                key,
                format!("valid areas are {}", dims.area_keys().join(", ")),
            )
        })
    }

    /// The year index of calendar year `year` (`None`: the last).
    pub fn year(dims: &Dims, year: Option<u32>) -> Result<usize, Error> {
        let Some(y) = year else {
            return Ok(dims.last());
        };
        dims.year_index(y).ok_or_else(|| {
            Error::setting(
                Setting::Year,
                y,
                format!("years run from {} to {}", dims.base_year, dims.last_year),
            )
        })
    }
}
