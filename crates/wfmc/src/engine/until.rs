//! Runs that stop at a stated precision: replicate blocks until every named
//! estimate of the last year reaches its standard error.
//!
//! The run goes in rounds of whole blocks of [`UNTIL_BLOCK_CHUNKS`] chunks: first
//! [`MIN_BLOCKS`] (so the first standard errors rest on some degrees of freedom),
//! then [`ROUND_BLOCKS`] at a time. After each round the standard errors of the
//! pooled estimates are compared with the targets. The checkpoints are block counts,
//! not times or thread events, so the run stops at the same draw, with the same
//! bytes, on any number of threads.

use super::{Control, RunSpec, RunState, Runner, Shard};
use crate::config::Config;
use crate::dims::Dims;
use crate::error::{Error, Invalid, Setting};
use crate::model::Metric;
use crate::stats::Summary;
use std::fmt;
use std::str::FromStr;

/// Chunks per block of a `--until` run (4,096 draws): conditional shortfall
/// estimates often meet their target within the first few blocks, so checks come
/// every 8,192 draws after the first 32,768.
pub const UNTIL_BLOCK_CHUNKS: u64 = 1;
/// Blocks before the first check.
pub const MIN_BLOCKS: u64 = 8;
/// Blocks between checks.
pub const ROUND_BLOCKS: u64 = 2;

/// Which estimates a target bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// P(shortfall) in the last year of every area and the total, every scenario.
    PShortfall,
    /// P5 and P95 of the last year's total gap, every scenario (WTE).
    Percentile,
    /// The mean of the last year's total gap, every scenario (WTE).
    Mean,
}

impl Measure {
    const ALL: [(Measure, &'static str); 3] = [
        (Measure::PShortfall, "p_shortfall_se"),
        (Measure::Percentile, "percentile_se"),
        (Measure::Mean, "mean_se"),
    ];

    /// The name used in `--until NAME=SE`.
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .expect("listed")
            .1
    }

    /// The estimates this measure covers in `s`: (label, standard error).
    fn estimates(self, s: &Summary, dims: &Dims) -> Vec<(String, f64)> {
        let mut out = vec![];
        let last = dims.last();
        for sc in 0..dims.n_scenarios() {
            let skey = dims.scenario_key(sc);
            match self {
                Measure::PShortfall => {
                    for a in dims.places() {
                        if let Some(sh) = s.shortfall_of(sc, a, last) {
                            let area = dims.place_key(a);
                            out.push((format!("P(shortfall) {skey} {area}"), sh.se));
                        }
                    }
                }
                Measure::Percentile | Measure::Mean => {
                    let st = s.series_of(sc, None, last, Metric::Gap);
                    let stats: &[(&str, crate::stats::Stat)] = if self == Measure::Mean {
                        &[("mean", crate::stats::Stat::Mean)]
                    } else {
                        &[
                            ("P5", crate::stats::Stat::Percentile(0.05)),
                            ("P95", crate::stats::Stat::Percentile(0.95)),
                        ]
                    };
                    for (name, stat) in stats {
                        let se = st.and_then(|st| st.se(*stat)).unwrap_or(f64::NAN);
                        out.push((format!("{name} of the total gap, {skey}"), se));
                    }
                }
            }
        }
        out
    }
}

/// One precision target: every estimate of `measure` with a standard error at most `se`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// What is bounded.
    pub measure: Measure,
    /// The largest standard error accepted.
    pub se: f64,
}

impl FromStr for Target {
    type Err = Invalid;
    /// `p_shortfall_se=0.001`, `percentile_se=50` or `mean_se=5`.
    fn from_str(s: &str) -> Result<Target, Invalid> {
        let names: Vec<&str> = Measure::ALL.iter().map(|(_, n)| *n).collect();
        let usage = || {
            Invalid::new(
                Setting::Until,
                format!("`{s}`"),
                format!(
                    "expected NAME=SE with NAME one of {}, e.g. p_shortfall_se=0.001",
                    names.join(", ")
                ),
            )
        };
        let (name, v) = s.split_once('=').ok_or_else(usage)?;
        let measure = Measure::ALL
            .iter()
            .find(|(_, n)| *n == name.trim())
            .map(|(m, _)| *m)
            .ok_or_else(usage)?;
        let se: f64 = v.trim().parse().map_err(|_| usage())?;
        if !(se.is_finite() && se > 0.0) {
            return Err(Invalid::new(
                Setting::Until,
                format!("`{s}`"),
                "the standard error must be a positive number",
            ));
        }
        Ok(Target { measure, se })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.measure.key(), self.se)
    }
}

/// How far a run is from its targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Draws so far.
    pub draws: u64,
    /// Per target: the target, the worst estimate's label and its standard error
    /// (NaN until there are two blocks).
    pub worst: Vec<(Target, String, f64)>,
}

impl Check {
    /// Of `summary` (of a config of `dims`), against `targets`.
    pub fn of(summary: &Summary, dims: &Dims, targets: &[Target]) -> Check {
        let worst = targets
            .iter()
            .map(|t| {
                let est = t.measure.estimates(summary, dims);
                let (label, se) = est
                    .into_iter()
                    .max_by(|a, b| nan_high(a.1).total_cmp(&nan_high(b.1)))
                    .unwrap_or_default();
                (*t, label, se)
            })
            .collect();
        Check {
            draws: summary.draws + summary.rejected,
            worst,
        }
    }

    /// Every target met.
    pub fn met(&self) -> bool {
        self.worst.iter().all(|(t, _, se)| *se <= t.se)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} draws:", self.draws)?;
        for (i, (t, label, se)) in self.worst.iter().enumerate() {
            let sep = if i == 0 { " " } else { "; " };
            write!(
                f,
                "{sep}worst {} {se:.4} ({label}), target {}",
                t.measure.key(),
                t.se
            )?;
        }
        Ok(())
    }
}

fn nan_high(x: f64) -> f64 {
    if x.is_nan() { f64::INFINITY } else { x }
}

/// What a `--until` run did: the spec of the draws it made, their state, the last
/// check and whether every target was met (else the draws cap stopped it).
pub struct Outcome {
    /// The run as made: `draws` is what was drawn, blocks of [`UNTIL_BLOCK_CHUNKS`].
    pub spec: RunSpec,
    /// The statistics state.
    pub state: RunState,
    /// The last check.
    pub check: Check,
    /// True if every target was met; false if `spec.draws` (the cap) ran out first.
    pub met: bool,
}

/// Runs `spec` (its `draws` a cap) block round by block round until `targets` are
/// met, calling `progress` at each check.
pub fn run(
    cfg: &Config,
    spec: &RunSpec,
    targets: &[Target],
    control: &Control,
    progress: &dyn Fn(&Check),
) -> Result<Outcome, Error> {
    run_with(cfg, spec, targets, control, progress, true)
}

/// [`run`], with the rank correlations kept or (`ranks` false, as the explorer
/// needs) not.
pub fn run_with(
    cfg: &Config,
    spec: &RunSpec,
    targets: &[Target],
    control: &Control,
    progress: &dyn Fn(&Check),
    ranks: bool,
) -> Result<Outcome, Error> {
    if spec.shard != Shard::ALL {
        return Err(Error::setting(
            Setting::Shard,
            spec.shard,
            "a run with precision targets stops where its checks say, so it cannot be split into shards",
        ));
    }
    if targets.is_empty() {
        return Err(Error::setting(
            Setting::Until,
            "",
            "give at least one precision target",
        ));
    }
    let spec = RunSpec {
        block_chunks: UNTIL_BLOCK_CHUNKS,
        ..spec.clone()
    };
    spec.validate()?;
    let n_blocks = spec.n_blocks();
    let runner = Runner::new(cfg, &spec, spec.threads, ranks)?;
    // The first round's state becomes the run's; later rounds merge into it.
    let mut done = MIN_BLOCKS.min(n_blocks);
    let mut state = runner.blocks(&spec, 0..done, control)?;
    loop {
        let check = Check::of(&state.summary(), &cfg.dims, targets);
        progress(&check);
        let met = check.met();
        if met || done == n_blocks {
            // Rank sums of draws still waiting for their pilot (they move no target).
            runner.finish(&mut state)?;
            let made = spec.block_range(done - 1).end;
            let draws = (made * super::CHUNK_DRAWS).min(spec.draws);
            return Ok(Outcome {
                spec: RunSpec { draws, ..spec },
                state,
                check,
                met,
            });
        }
        let end = (done + ROUND_BLOCKS).min(n_blocks);
        let part = runner.blocks(&spec, done..end, control)?;
        runner.merge(&mut state, &part);
        done = end;
    }
}
