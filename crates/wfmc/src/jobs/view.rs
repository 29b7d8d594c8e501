//! A run kept in memory for a live view (`wfmc serve`'s page and API): the files a
//! results folder would hold, the charts the page shows, the command and config diff
//! that reproduce it, and no folder.

use crate::config::Config;
use crate::engine::{self, Control, RunSpec};
use crate::error::{Error, Words};
use crate::report::charts::{self, Chart, Section};
use crate::results::{self, Folder};

/// What to run: stress profiles, overrides, draws and seed, as a run takes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Stress profiles of the config, in order.
    pub stress: Vec<String>,
    /// Overrides `PATH=VALUE`, applied after the profiles.
    pub set: Vec<String>,
    /// Draws; with `precision`, the most it may draw.
    pub draws: u64,
    /// Seed.
    pub seed: u64,
    /// Stop once every area's and the total's P(shortfall) in the last year has at
    /// most this standard error (checked at whole blocks: the same draws on any
    /// number of threads); `None`: draw `draws`. A target of 0 is never met: every
    /// draw up to `draws` on a precision run's blocks (the paired baseline's draws).
    pub precision: Option<f64>,
}

impl Request {
    /// The request with no stress profile and no override: the config as given.
    pub fn baseline(&self) -> Request {
        Request {
            stress: vec![],
            set: vec![],
            ..self.clone()
        }
    }

    /// Whether it changes nothing in the config.
    pub fn is_baseline(&self) -> bool {
        self.stress.is_empty() && self.set.is_empty()
    }
}

/// A run of a [`Request`], in memory.
#[derive(Debug, Clone)]
pub struct View {
    /// The config with the request's overrides.
    pub cfg: Config,
    /// The run's spec.
    pub spec: RunSpec,
    /// What the results folder would hold (no Sobol indices, no rank correlations).
    pub folder: Folder,
    /// `bands.csv`'s text, the bytes `wfmc run` writes for the same request.
    pub bands_csv: String,
    /// `shortfall.csv`'s text.
    pub shortfall_csv: String,
    /// `summary.json`'s text.
    pub summary_json: String,
    /// The command line that writes these numbers.
    pub command: String,
    /// What the overrides change in the config ([`Config::diff`]).
    pub diff: String,
    /// With [`Request::precision`]: the standard error reached.
    pub reached: Option<Reached>,
}

/// Runs `req` on `base` with `threads` workers (a run's default sampling; no rank
/// correlations, which the view does not show and whose pilot would cost more than
/// the draws of a small run). `control` cancels it; `words` names the overrides in
/// the config diff.
pub fn run(
    base: &Config,
    req: &Request,
    threads: usize,
    control: &Control,
    words: &dyn Words,
) -> Result<View, Error> {
    let list = super::override_list(base, &req.stress, &[], &req.set)?;
    let cfg = base.with_overrides(&list)?;
    let spec = RunSpec {
        draws: req.draws,
        seed: req.seed,
        threads,
        ..RunSpec::default()
    };
    spec.validate()?;
    let (spec, state, reached) = match req.precision {
        None => {
            let state = engine::run_with(&cfg, &spec, control, false)?;
            (spec, state, None)
        }
        Some(se) => {
            let target = engine::until::Target {
                measure: engine::until::Measure::PShortfall,
                // Below every standard error, 0 included.
                se: if se > 0.0 { se } else { -1.0 },
            };
            let o = engine::until::run_with(&cfg, &spec, &[target], control, &|_| {}, false)?;
            let (_, label, got) = o.check.worst[0].clone();
            (
                o.spec,
                o.state,
                Some(Reached {
                    label,
                    se: got,
                    met: o.met,
                }),
            )
        }
    };
    state.check_rejected(spec.max_rejected)?;
    let mut command = crate::report::run_command(
        &cfg.origin,
        req.draws,
        req.seed,
        None,
        &req.stress,
        &req.set,
    );
    if let Some(se) = req.precision {
        // The run that stops where this one stopped, on the same blocks (a target
        // too small to meet runs them all).
        let se = if se > 0.0 {
            se.to_string()
        } else {
            "1e-300".into()
        };
        let target = format!("{}={se}", engine::until::Measure::PShortfall.key());
        command = crate::report::with_until(command, &target);
    }
    let summary = state.summary();
    Ok(View {
        bands_csv: results::bands::write(&summary, &cfg.dims),
        shortfall_csv: results::shortfall::write(&summary, &cfg.dims),
        summary_json: results::summary::write(&cfg, &summary, &state.acc.centre),
        folder: Folder::from_run(&cfg, &spec, &state, &summary, &command),
        diff: base.diff(&list, words),
        command,
        cfg,
        spec,
        reached,
    })
}

/// The precision a [`Request::precision`] run reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    /// The estimate with the largest standard error.
    pub label: String,
    /// Its standard error.
    pub se: f64,
    /// Whether the target was met before the draws ran out.
    pub met: bool,
}

impl View {
    /// The charts of the view: the fan charts, shortfall heat maps and tornadoes of
    /// `report.html` (not the costs and job levels, which the page does not show).
    pub fn charts(&self) -> Result<Vec<Chart>, Error> {
        Ok(charts::all_checked(&self.folder)?
            .into_iter()
            .filter(|c| {
                matches!(
                    c.section,
                    Section::Fan | Section::Shortfall | Section::Tornado
                )
            })
            .collect())
    }

    /// The headline tables of `report.html`, as HTML.
    pub fn headline_html(&self) -> String {
        crate::report::html::headline_tables(&self.folder)
    }

    /// This view beside `base` (its baseline on the same draws), as HTML.
    pub fn comparison_html(&self, base: &View) -> String {
        crate::report::html::comparison(&base.folder, &self.folder)
    }
}

/// Why an area falls short under a request: `wfmc discover` on the request's
/// config, in memory.
pub struct WhyShort {
    /// The discovery (its box, trajectory and CART leaves).
    pub outcome: super::DiscoverOutcome,
    /// The chosen box as sentences and the coverage–density chart, as HTML.
    pub html: String,
    /// The `wfmc discover` command line that gives the same box.
    pub command: String,
}

/// The scenario discovery of `area` (or `total`) falling short (by more than
/// `threshold` WTE, if given) in the last year of `scenario` (`None`: the first)
/// under `req`'s stress profiles and overrides, on `draws` draws (at most
/// [`super::MAX_DECISION_DRAWS`]) with `req`'s seed.
#[allow(clippy::too_many_arguments)]
pub fn why_short(
    base: &Config,
    req: &Request,
    area: &str,
    threshold: Option<f64>,
    scenario: Option<&str>,
    draws: u64,
    threads: usize,
    control: &Control,
) -> Result<WhyShort, Error> {
    let list = super::override_list(base, &req.stress, &[], &req.set)?;
    let cfg = base.with_overrides(&list)?;
    let d = super::DiscoverRequest {
        settings: super::DecisionSettings {
            draws: super::DrawSettings {
                draws: Some(draws),
                seed: Some(req.seed),
                threads: Some(threads),
                ..Default::default()
            },
            scenario: scenario.map(str::to_string),
            out: super::Output::Memory,
            ..Default::default()
        },
        area: area.to_string(),
        threshold,
        ..Default::default()
    };
    let outcome = super::discover(&cfg, &d, &super::Context::new(control))?;
    let rows = results::discovery::rows(&outcome.discovery, &outcome.inputs, &outcome.outcome);
    Ok(WhyShort {
        html: crate::report::decision::outcome_html(&rows, &outcome.outcome),
        command: crate::report::discover_command(
            &cfg.origin,
            &match threshold {
                Some(t) => format!("{area}>{t}"),
                None => area.to_string(),
            },
            scenario,
            draws,
            req.seed,
            &req.stress,
            &req.set,
        ),
        outcome,
    })
}

/// One area as the explorer's controls show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaShape {
    /// Its key.
    pub key: String,
    /// Its label.
    pub label: String,
    /// The base flow rate.
    pub flow_rate: f64,
    /// The base extra inflow, WTE a year.
    pub extra_inflow: f64,
    /// The base demand ratio per scenario key.
    pub ratio: Vec<(String, f64)>,
}

/// The config's dimensions and per-area base values, for a page's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Scenarios: key and label.
    pub scenarios: Vec<(String, String)>,
    /// Areas.
    pub areas: Vec<AreaShape>,
    /// Calendar years, first to last.
    pub years: Vec<u32>,
}

/// The shape of `cfg`.
pub fn shape(cfg: &Config) -> Shape {
    let d = &cfg.dims;
    Shape {
        scenarios: d
            .scenarios
            .iter()
            .map(|s| (s.key.clone(), s.label.clone()))
            .collect(),
        areas: (0..d.n_areas())
            .map(|a| AreaShape {
                key: d.area_key(a).to_string(),
                label: d.area_label(a).to_string(),
                flow_rate: cfg.area(a).flow.base,
                extra_inflow: cfg.area(a).extra_inflow,
                ratio: (0..d.n_scenarios())
                    .map(|s| {
                        (
                            d.scenario_key(s).to_string(),
                            cfg.demand_of(s, a).ratio.base,
                        )
                    })
                    .collect(),
            })
            .collect(),
        years: (0..d.n_years()).map(|k| d.year_of(k)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_is_what_run_writes_and_says_how_to_reproduce_it() {
        let cfg = Config::builtin();
        let req = Request {
            stress: vec!["supply-stall".into()],
            set: vec!["salary_growth=0.04".into()],
            draws: 12_000,
            seed: 5,
            precision: None,
        };
        let v = run(&cfg, &req, 2, &Control::default(), &crate::error::Plain).unwrap();
        let state = crate::engine::run(
            &v.cfg,
            &RunSpec {
                draws: 12_000,
                seed: 5,
                threads: 1,
                ..RunSpec::default()
            },
            &Control::default(),
        )
        .unwrap();
        let summary = state.summary();
        assert_eq!(v.bands_csv, results::bands::write(&summary, &cfg.dims));
        assert_eq!(
            v.shortfall_csv,
            results::shortfall::write(&summary, &cfg.dims)
        );
        assert_eq!(
            v.command,
            "wfmc run --draws 12000 --seed 5 --stress 'supply-stall' --set 'salary_growth=0.04'"
        );
        assert!(
            v.diff.contains("- salary_growth = { base = 0.027")
                && v.diff.contains("+ salary_growth = 0.04")
                && !v.diff.contains("+ supply.ict.flow_rate = 0")
                && v.diff.contains(
                    "- supply.clinical_informatics.flow_rate = (not given; derived: 0.05"
                )
                && v.diff
                    .contains("+ supply.clinical_informatics.flow_rate = 0"),
            "{}",
            v.diff
        );
        let shown = v.charts().unwrap();
        assert!(shown.iter().any(|c| c.section == Section::Fan));
        assert!(shown.iter().any(|c| c.section == Section::Shortfall));
        assert!(shown.iter().any(|c| c.section == Section::Tornado));
        assert!(!shown.iter().any(|c| c.section == Section::Cost));
    }

    #[test]
    fn bad_overrides_are_the_cli_s_errors() {
        let cfg = Config::builtin();
        let req = Request {
            stress: vec![],
            set: vec!["salary_growht=0.04".into()],
            draws: 1000,
            seed: 1,
            precision: None,
        };
        let e = run(&cfg, &req, 1, &Control::default(), &crate::error::Plain).unwrap_err();
        let cli = crate::jobs::apply(&cfg, &[], &[], &req.set).unwrap_err();
        assert_eq!(e.to_string(), cli.to_string());
        assert!(e.to_string().contains("salary_growth"), "{e}");
    }
}
