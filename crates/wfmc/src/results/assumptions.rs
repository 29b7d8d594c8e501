//! The assumptions of a run, as written to `assumptions.json`: every input with its
//! distribution, and whether it departs from the report.
//!
//! The report used one value per input. An input departs from it when its base value
//! differs from the published one (an override, another config) or when it is drawn
//! from a distribution (our assumption: the report published no distributions).

use crate::config::{Config, Input};
use serde::{Deserialize, Serialize};

/// The file name.
pub const FILE: &str = "assumptions.json";

/// One input of the model as the run used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assumption {
    /// Config path.
    pub input: String,
    /// The value of the point model.
    pub base: String,
    /// The report's value.
    pub report: String,
    /// The distribution, or `fixed`.
    pub uncertainty: String,
    /// The base value differs from the report's.
    pub base_departs: bool,
    /// Drawn from a distribution: an assumption of ours, not the report's.
    pub uncertain: bool,
}

fn num(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The report column of a config that is not of the report's dimensions.
const NO_REPORT: &str = "—";

fn scalar(
    out: &mut Vec<Assumption>,
    cfg: &Config,
    name: String,
    ours: &Input,
    report: Option<&Input>,
) {
    out.push(Assumption {
        input: name,
        base: num(ours.base),
        report: report.map_or(NO_REPORT.into(), |r| num(r.base)),
        uncertainty: if ours.is_uncertain() {
            ours.describe(&cfg.factors)
        } else {
            "fixed".into()
        },
        base_departs: report
            .is_some_and(|r| (ours.base - r.base).abs() > 1e-9 * r.base.abs().max(1e-9)),
        uncertain: ours.is_uncertain(),
    });
}

/// Every input of `cfg`, beside the built-in (report's) config where `cfg` has the
/// report's dimensions.
pub fn list(cfg: &Config) -> Vec<Assumption> {
    let rep_cfg = cfg.dims.is_report().then(|| Config::builtin().collapsed());
    let rep = rep_cfg.as_ref();
    let dims = &cfg.dims;
    let mut out = vec![];
    scalar(
        &mut out,
        cfg,
        "salary_growth".into(),
        &cfg.salary_growth,
        rep.map(|r| &r.salary_growth),
    );
    if !cfg.salary_path.is_empty() {
        out.push(Assumption {
            input: "salary_path".into(),
            base: format!("{:?}", cfg.salary_path),
            report: "none (one rate throughout)".into(),
            uncertainty: "fixed".into(),
            base_departs: true,
            uncertain: false,
        });
    }
    scalar(
        &mut out,
        cfg,
        "on_cost".into(),
        &cfg.on_cost,
        rep.map(|r| &r.on_cost),
    );
    for a in 0..dims.n_areas() {
        let (c, r) = (cfg.area(a), rep.map(|r| r.area(a)));
        let k = dims.area_key(a);
        scalar(
            &mut out,
            cfg,
            format!("areas.{k}.workforce_{}", dims.base_year),
            &c.workforce,
            r.map(|r| &r.workforce),
        );
        scalar(
            &mut out,
            cfg,
            format!("supply.{k}.flow_rate"),
            &c.flow,
            r.map(|r| &r.flow),
        );
        let band = |cf: &Config, i: usize| cf.pay_scale[i].name.clone();
        let rband = rep.zip(r).map(|(rc, r)| band(rc, r.band.base));
        out.push(Assumption {
            input: format!("areas.{k}.band"),
            base: band(cfg, c.band.base),
            report: rband.clone().unwrap_or(NO_REPORT.into()),
            uncertainty: if c.band.is_uncertain() {
                c.band
                    .choices
                    .iter()
                    .zip(&c.band.p)
                    .map(|(b, p)| format!("{} {:.0} %", band(cfg, *b), p * 100.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                "fixed".into()
            },
            base_departs: rband.is_some_and(|b| band(cfg, c.band.base) != b),
            uncertain: c.band.is_uncertain(),
        });
        if c.extra_inflow != 0.0 {
            out.push(Assumption {
                input: format!("supply.{k}.extra_inflow"),
                base: num(c.extra_inflow),
                report: if rep.is_some() {
                    "0".into()
                } else {
                    NO_REPORT.into()
                },
                uncertainty: "fixed".into(),
                base_departs: rep.is_some(),
                uncertain: false,
            });
        }
    }
    // Active interventions: none is in the report, so every number departs from it.
    for i in cfg.interventions.iter().filter(|i| i.active) {
        for (path, x) in i.named_numbers() {
            out.push(Assumption {
                input: format!("interventions.{}.{path}", i.name),
                base: num(x.base),
                report: "none (no intervention)".into(),
                uncertainty: if x.is_uncertain() {
                    x.describe(&cfg.factors)
                } else {
                    "fixed".into()
                },
                base_departs: true,
                uncertain: x.is_uncertain(),
            });
        }
    }
    for s in 0..dims.n_scenarios() {
        for a in 0..dims.n_areas() {
            let (c, r) = (cfg.demand_of(s, a), rep.map(|r| r.demand_of(s, a)));
            let path = format!("demand.{}.{}", dims.scenario_key(s), dims.area_key(a));
            if cfg.panel.is_some() {
                out.push(Assumption {
                    input: format!("{path}.ratio"),
                    base: num(c.ratio.base),
                    report: r.map_or(NO_REPORT.into(), |r| num(r.ratio.base)),
                    uncertainty: "from the forecaster panel (forecasters.panel)".into(),
                    base_departs: r
                        .is_some_and(|r| (c.ratio.base - r.ratio.base).abs() > 1e-6 * r.ratio.base),
                    uncertain: true,
                });
                continue;
            }
            scalar(
                &mut out,
                cfg,
                format!("{path}.ratio"),
                &c.ratio,
                r.map(|r| &r.ratio),
            );
            if let crate::distributions::SharesDist::Dirichlet { alpha, .. } = &c.shares {
                out.push(Assumption {
                    input: format!("{path}.skill_mix"),
                    base: format!("published {} level mix", dims.last_year),
                    report: if rep.is_some() {
                        format!("published {} level mix", dims.last_year)
                    } else {
                        NO_REPORT.into()
                    },
                    uncertainty: format!("Dirichlet(concentration {})", num(alpha.iter().sum())),
                    base_departs: false,
                    uncertain: true,
                });
            }
        }
    }
    out
}

/// `assumptions.json`.
pub fn json(cfg: &Config) -> String {
    let doc = serde_json::json!({
        "config": cfg.name,
        "overrides": cfg.overrides,
        "factors": cfg.factors.iter().map(|f| serde_json::json!({
            "name": f.name, "per_scenario": f.per_scenario, "description": f.description
        })).collect::<Vec<_>>(),
        "inputs": list(cfg),
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("json");
    s.push('\n');
    s
}
