//! `summary.json`: the 2030 headline per scenario and area, beside the point model.

use crate::config::Config;
use crate::dims::{Area, N_YEARS, Scenario};
use crate::model::{Metric, Series};
use crate::stats::{PERCENTILES, Summary, shortfall_slot, sketch};

/// The file name.
pub const FILE: &str = "summary.json";

fn stat_json(summary: &Summary, point: &[f64], s: Series) -> serde_json::Value {
    let st = &summary.series[s.index()];
    let mut m = serde_json::Map::new();
    m.insert("point".into(), point[s.index()].into());
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

/// The file's text: the headline 2030 figures per scenario.
pub fn write(cfg: &Config, summary: &Summary, point: &[f64]) -> String {
    let k = N_YEARS - 1;
    let mut scen = serde_json::Map::new();
    for &sc in Scenario::ALL {
        let ser = |area: Option<Area>, metric| Series {
            scenario: sc,
            area,
            year: k,
            metric,
        };
        let mut areas = serde_json::Map::new();
        for a in Area::ALL.iter().copied().map(Some).chain([None]) {
            let sf = &summary.shortfall[shortfall_slot(sc.index(), a.map(|a| a.index()), k)];
            areas.insert(
                a.map_or("total", |a| a.key()).into(),
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
            sc.key().into(),
            serde_json::json!({
                "year": 2030,
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
    for &sc in Scenario::ALL {
        let mut areas = serde_json::Map::new();
        for &a in Area::ALL {
            let (m, sd, n) = p.mean_sd(sc.index(), a.index());
            let w = cfg.area(a).workforce.base;
            areas.insert(
                a.key().into(),
                serde_json::json!({
                    "demand_2030_mean": w * m,
                    "demand_2030_sd": w * sd,
                    "ratio_mean": m,
                    "ratio_sd": sd,
                    "forecasters": n,
                }),
            );
        }
        out.insert(sc.key().into(), serde_json::Value::Object(areas));
    }
    serde_json::Value::Object(out)
}
