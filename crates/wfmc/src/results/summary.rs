//! `summary.json`: the last year's headline per scenario and area, beside the point
//! model.

use crate::config::Config;
use crate::model::{Metric, Series};
use crate::stats::{PERCENTILES, Summary, sketch};

/// The file name.
pub const FILE: &str = "summary.json";

fn stat_json(summary: &Summary, point: &[f64], s: Series) -> serde_json::Value {
    let i = summary.layout.index(&s);
    let st = &summary.series[i];
    let mut m = serde_json::Map::new();
    m.insert("point".into(), point[i].into());
    m.insert("mean".into(), st.mean.into());
    m.insert("se_mean".into(), st.se_mean.into());
    m.insert("sd".into(), st.sd.into());
    m.insert("se_sd".into(), st.se_sd.into());
    for (i, (name, _)) in PERCENTILES.iter().enumerate() {
        m.insert((*name).into(), st.percentiles[i].into());
        m.insert(format!("se_{name}"), st.se_percentiles[i].into());
    }
    serde_json::Value::Object(m)
}

/// The file's text: the headline figures of the last year per scenario.
pub fn write(cfg: &Config, summary: &Summary, point: &[f64]) -> String {
    let dims = &cfg.dims;
    let k = dims.last();
    let mut scen = serde_json::Map::new();
    for sc in 0..dims.n_scenarios() {
        let ser = |area: Option<usize>, metric| Series {
            scenario: sc,
            area,
            year: k,
            metric,
        };
        let mut areas = serde_json::Map::new();
        for a in dims.places() {
            let sf = &summary.shortfall[summary.layout.short_slot(sc, a, k)];
            areas.insert(
                dims.place_key(a).into(),
                serde_json::json!({
                    "demand": stat_json(summary, point, ser(a, Metric::Demand)),
                    "supply": stat_json(summary, point, ser(a, Metric::Supply)),
                    "gap": stat_json(summary, point, ser(a, Metric::Gap)),
                    "cost_demand": stat_json(summary, point, ser(a, Metric::CostDemand)),
                    "p_shortfall": sf.p,
                    "p_shortfall_se": sf.se,
                    "expected_shortfall": sf.expected,
                    "expected_shortfall_se": sf.expected_se,
                }),
            );
        }
        scen.insert(
            dims.scenario_key(sc).into(),
            serde_json::json!({
                "year": dims.last_year,
                "areas": areas,
                "gross_shortfall": stat_json(summary, point, ser(None, Metric::GrossShortfall)),
            }),
        );
    }
    let mut doc = serde_json::json!({
        "config": cfg.name,
        "draws": summary.draws,
        "rejected_draws": summary.rejected,
        "units": { "wte": "whole-time equivalents", "cost": "GBP" },
        "quantile_relative_accuracy": sketch::RELATIVE_ACCURACY,
        "scenarios": scen,
    });
    if let Some(p) = &cfg.panel {
        doc["forecaster_panel"] = panel_json(cfg, p);
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("json");
    s.push('\n');
    s
}

/// The panel's own mean ± SD of 2030 demand per scenario and area (the report's
/// "mean ± SD" across forecasters), national WTE.
fn panel_json(cfg: &Config, p: &crate::config::panel::Panel) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    out.insert("forecasters".into(), serde_json::json!(p.names));
    out.insert(
        "mode".into(),
        serde_json::json!(match p.mode {
            crate::config::panel::Mode::PanelMean => "panel-mean",
            crate::config::panel::Mode::Forecaster => "forecaster",
        }),
    );
    let dims = &cfg.dims;
    let last = dims.last_year;
    for sc in 0..dims.n_scenarios() {
        let mut areas = serde_json::Map::new();
        for a in 0..dims.n_areas() {
            let (m, sd, n) = p.mean_sd(sc, a);
            let w = cfg.area(a).workforce.base;
            areas.insert(
                dims.area_key(a).into(),
                serde_json::json!({
                    format!("demand_{last}_mean"): w * m,
                    format!("demand_{last}_sd"): w * sd,
                    "ratio_mean": m,
                    "ratio_sd": sd,
                    "forecasters": n,
                }),
            );
        }
        out.insert(
            dims.scenario_key(sc).into(),
            serde_json::Value::Object(areas),
        );
    }
    serde_json::Value::Object(out)
}
