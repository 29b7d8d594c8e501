//! The assumptions of a run, as written to `assumptions.json`: every input with its
//! distribution, and whether it departs from the report.
//!
//! The report used one value per input. An input departs from it when its base value
//! differs from the published one (an override, another config) or when it is drawn
//! from a distribution (our assumption: the report published no distributions).

use crate::config::{Config, Input};
use crate::dims::{Area, Scenario};
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

fn scalar(out: &mut Vec<Assumption>, cfg: &Config, name: String, ours: &Input, report: &Input) {
    out.push(Assumption {
        input: name,
        base: num(ours.base),
        report: num(report.base),
        uncertainty: if ours.is_uncertain() {
            ours.describe(&cfg.factors)
        } else {
            "fixed".into()
        },
        base_departs: (ours.base - report.base).abs() > 1e-9 * report.base.abs().max(1e-9),
        uncertain: ours.is_uncertain(),
    });
}

/// Every input of `cfg`, beside the built-in (report's) config.
pub fn list(cfg: &Config) -> Vec<Assumption> {
    let rep = Config::builtin().collapsed();
    let mut out = vec![];
    scalar(
        &mut out,
        cfg,
        "salary_growth".into(),
        &cfg.salary_growth,
        &rep.salary_growth,
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
    scalar(&mut out, cfg, "on_cost".into(), &cfg.on_cost, &rep.on_cost);
    for &a in Area::ALL {
        let (c, r) = (cfg.area(a), rep.area(a));
        let k = a.key();
        scalar(
            &mut out,
            cfg,
            format!("areas.{k}.workforce_2020"),
            &c.workforce,
            &r.workforce,
        );
        scalar(
            &mut out,
            cfg,
            format!("supply.{k}.flow_rate"),
            &c.flow,
            &r.flow,
        );
        let band = |cf: &Config, i: usize| cf.pay_scale[i].name.clone();
        out.push(Assumption {
            input: format!("areas.{k}.band"),
            base: band(cfg, c.band.base),
            report: band(&rep, r.band.base),
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
            base_departs: band(cfg, c.band.base) != band(&rep, r.band.base),
            uncertain: c.band.is_uncertain(),
        });
        if c.extra_inflow != 0.0 {
            out.push(Assumption {
                input: format!("supply.{k}.extra_inflow"),
                base: num(c.extra_inflow),
                report: "0".into(),
                uncertainty: "fixed".into(),
                base_departs: true,
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
    for &s in Scenario::ALL {
        for &a in Area::ALL {
            let (c, r) = (cfg.demand_of(s, a), rep.demand_of(s, a));
            let path = format!("demand.{}.{}", s.key(), a.key());
            if cfg.panel.is_some() {
                out.push(Assumption {
                    input: format!("{path}.ratio"),
                    base: num(c.ratio.base),
                    report: num(r.ratio.base),
                    uncertainty: "from the forecaster panel (forecasters.panel)".into(),
                    base_departs: (c.ratio.base - r.ratio.base).abs() > 1e-6 * r.ratio.base,
                    uncertain: true,
                });
                continue;
            }
            scalar(&mut out, cfg, format!("{path}.ratio"), &c.ratio, &r.ratio);
            if let crate::distributions::SharesDist::Dirichlet { alpha, .. } = &c.shares {
                out.push(Assumption {
                    input: format!("{path}.skill_mix"),
                    base: "published 2030 level mix".into(),
                    report: "published 2030 level mix".into(),
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
