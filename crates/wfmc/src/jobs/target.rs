//! Supply targets: the extra annual inflow that brings an area's probability of
//! shortfall down to a target.

use super::{DrawSettings, keys};
use crate::config::Config;
use crate::engine::Sampling;
use crate::error::Error;
use crate::explore::target::{self, Answer, TargetSpec};

/// Draws of a target search unless told otherwise.
pub const TARGET_DRAWS: u64 = 200_000;
/// The target probability of shortfall unless told otherwise.
pub const TARGET_P: f64 = 0.1;

/// Which supply targets to find.
#[derive(Debug, Clone, Default)]
pub struct TargetRequest {
    /// One area, or `None` for every area short more often than the target.
    pub area: Option<String>,
    /// Scenario (default: the config's first).
    pub scenario: Option<String>,
    /// Target probability of shortfall (default [`TARGET_P`]).
    pub p_shortfall: Option<f64>,
    /// Year the target applies to (default: the last).
    pub year: Option<u32>,
    /// Draws (default [`TARGET_DRAWS`]), seed, threads and sampling. Sampling is
    /// plain Monte Carlo unless told otherwise: the target's interval and standard
    /// errors are those of independent draws.
    pub draws: DrawSettings,
}

/// The answer for one area.
pub type TargetAnswer = Answer;

/// What a target search found.
#[derive(Debug, Clone)]
pub struct TargetOutcome {
    spec: TargetSpec,
    dims: crate::dims::SharedDims,
    /// Per area solved for; empty when no area is short often enough.
    pub answers: Vec<Answer>,
    /// Draws, seed and sampling used.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Sampling.
    pub sampling: Sampling,
}

impl TargetOutcome {
    /// The table of answers; or, when no area is short often enough, a line that
    /// says so.
    pub fn table(&self) -> String {
        if self.answers.is_empty() {
            return format!(
                "No area is short in {} with probability above {} ({}).\n",
                self.dims.year_of(self.spec.year),
                self.spec.p,
                self.dims.scenario_label(self.spec.scenario)
            );
        }
        crate::report::terminal::target(&self.dims, &self.spec, &self.answers)
    }

    /// The calendar year.
    pub fn year(&self) -> u32 {
        self.dims.year_of(self.spec.year)
    }

    /// The scenario's key.
    pub fn scenario(&self) -> &str {
        self.dims.scenario_key(self.spec.scenario)
    }

    /// An answer's area key.
    pub fn area(&self, a: &Answer) -> &str {
        self.dims.area_key(a.area)
    }

    /// The config path of an answer's extra inflow, which a run can set to check it.
    pub fn inflow_path(&self, a: &Answer) -> String {
        format!("supply.{}.extra_inflow", self.area(a))
    }
}

/// Finds the supply targets `req` asks for.
pub fn target(cfg: &Config, req: &TargetRequest) -> Result<TargetOutcome, Error> {
    let dims = &cfg.dims;
    let scenario = keys::scenario(dims, req.scenario.as_deref())?;
    let year = keys::year(dims, req.year)?;
    let p = req.p_shortfall.unwrap_or(TARGET_P);
    let area = req
        .area
        .as_deref()
        .map(|a| keys::area(dims, a))
        .transpose()?;
    let spec = req.draws.spec(TARGET_DRAWS, Sampling::Mc)?;
    let areas = match area {
        Some(a) => vec![a],
        None => target::short_areas(cfg, scenario, year, p, &spec)?,
    };
    let t = TargetSpec {
        areas,
        scenario,
        year,
        p,
    };
    let answers = if t.areas.is_empty() {
        vec![]
    } else {
        target::solve(cfg, &t, &spec)?
    };
    Ok(TargetOutcome {
        spec: t,
        dims: cfg.dims.clone(),
        answers,
        draws: spec.draws,
        seed: spec.seed,
        sampling: spec.sampling,
    })
}
