//! The point model as the report's Tables 3.1–3.3 (ours beside theirs), CSV or JSON.

use super::{TextTable, signed, thousands};
use crate::config::Config;
use crate::dims::{Area, N_YEARS, Scenario};
use crate::model::{Layout, Metric, Series};
use crate::published::{self, T33_TOTAL_2030_PRINTED_M, TABLES_3};
use std::io::{self, Write};

const Y2020: usize = 0;
const Y2030: usize = N_YEARS - 1;

fn get(out: &[f64], s: Scenario, a: Option<Area>, year: usize, metric: Metric) -> f64 {
    out[Series {
        scenario: s,
        area: a,
        year,
        metric,
    }
    .index()]
}

fn name(a: Option<Area>) -> &'static str {
    a.map_or("Total workforce", |a| a.label())
}

fn m(x: f64) -> String {
    format!("£{}m", thousands(x / 1e6))
}

/// Writes the tidy CSV: `scenario,area,year,metric,value`.
pub fn write_csv(out: &[f64], w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "scenario,area,year,metric,value")?;
    for s in Layout::series() {
        writeln!(
            w,
            "{},{},{},{},{}",
            s.scenario.key(),
            s.area_key(),
            s.calendar_year(),
            s.metric.key(),
            out[s.index()]
        )?;
    }
    Ok(())
}

/// Writes the same rows as one JSON document.
pub fn write_json(cfg: &Config, out: &[f64], w: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<serde_json::Value> = Layout::series()
        .iter()
        .map(|s| {
            serde_json::json!({
                "scenario": s.scenario.key(),
                "area": s.area_key(),
                "year": s.calendar_year(),
                "metric": s.metric.key(),
                "value": out[s.index()],
            })
        })
        .collect();
    let doc = serde_json::json!({
        "config": cfg.name,
        "origin": cfg.origin,
        "units": { "wte": "whole-time equivalents", "cost": "GBP (pounds, not millions)" },
        "rows": rows,
    });
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}

/// Renders Tables 3.1–3.3 for both scenarios, ours beside the report's.
pub fn render_tables(cfg: &Config, out: &[f64]) -> String {
    let mut text = format!("wfmc point model: {} ({})\n", cfg.title, cfg.origin);
    text.push_str("Ours beside the report's published figures (\"pub\"); \"-\" where the report published none.\n");
    let areas: Vec<Option<Area>> = Area::ALL.iter().copied().map(Some).chain([None]).collect();
    for &s in Scenario::ALL {
        let a_is = s == Scenario::DataDriven;
        let pubrow = |a: Option<Area>| TABLES_3.iter().find(|r| r.area == a).filter(|_| a_is);
        text.push_str(&format!("\n=== {} ===\n", s.label()));

        text.push_str("\nTable 3.1: demand 2020 to 2030\n");
        let mut t = TextTable::default();
        t.row([
            "Area",
            "WTE 2020",
            "Demand 2030",
            "pub",
            "Change",
            "pub",
            "Change %",
            "pub",
        ]);
        for &a in &areas {
            let w = get(out, s, a, Y2020, Metric::Demand);
            let d = get(out, s, a, Y2030, Metric::Demand);
            let pub_d = if a_is {
                published::DEMAND_2030_A
                    .iter()
                    .find(|x| x.0 == a)
                    .map(|x| thousands(x.1))
            } else {
                published::DEMAND_2030_B
                    .iter()
                    .find(|x| x.area == a)
                    .map(|x| format!("~{}", thousands(x.value)))
            };
            let p = pubrow(a);
            t.row([
                name(a).to_string(),
                thousands(w),
                thousands(d),
                pub_d.unwrap_or_else(|| "-".into()),
                signed(d - w),
                p.map_or("-".into(), |p| signed(p.change_wte)),
                format!("{}%", signed((d / w - 1.0) * 100.0)),
                p.map_or("-".into(), |p| format!("{}%", signed(p.change_pct))),
            ]);
        }
        text.push_str(&t.render());
        if a_is {
            let w: f64 = get(out, s, None, Y2020, Metric::Demand);
            text.push_str(&format!(
                "! Report inconsistency: Table 3.1 prints a 2020 total of {} (its total row), but its own rows add to {}; ours uses the rows.\n",
                thousands(published::T31_TOTAL_2020_PRINTED),
                thousands(w),
            ));
        }

        text.push_str("\nTable 3.2: supply, demand and gap in 2030 (gap = supply - demand; negative = shortfall)\n");
        let mut t = TextTable::default();
        t.row([
            "Area",
            "Supply 2030",
            "pub",
            "Demand 2030",
            "Gap 2030",
            "pub",
        ]);
        for &a in &areas {
            let p = pubrow(a);
            let sup = get(out, s, a, Y2030, Metric::Supply);
            let gap = get(out, s, a, Y2030, Metric::Gap);
            let pub_gap = match (p, a_is) {
                (Some(p), _) => signed(p.gap_2030),
                (None, false) => published::GAP_2030_B
                    .iter()
                    .find(|x| x.area == a)
                    .map_or("-".into(), |x| format!("~{}", signed(x.value))),
                _ => "-".into(),
            };
            t.row([
                name(a).to_string(),
                thousands(sup),
                TABLES_3
                    .iter()
                    .find(|r| r.area == a)
                    .map_or("-".into(), |r| thousands(r.supply_2030)),
                thousands(get(out, s, a, Y2030, Metric::Demand)),
                signed(gap),
                pub_gap,
            ]);
        }
        text.push_str(&t.render());
        text.push_str(&format!(
            "Gross shortfall 2030 (sum of area shortfalls, no netting of surpluses): {} WTE\n",
            thousands(
                out[Series {
                    scenario: s,
                    area: None,
                    year: Y2030,
                    metric: Metric::GrossShortfall
                }
                .index()]
            )
        ));

        text.push_str("\nTable 3.3: salary and employment on-costs (top of band, +2.7 %/yr, +34.9 % on-costs)\n");
        let mut t = TextTable::default();
        t.row([
            "Area",
            "Band",
            "Cost 2020",
            "pub",
            "Cost 2030",
            "pub",
            "Flat 2030",
            "pub",
        ]);
        for &a in &areas {
            let p = pubrow(a);
            let band = a.map_or("-".to_string(), |a| {
                cfg.pay_scale[cfg.area(a).band.base].name.clone()
            });
            let flat_pub = published::FLAT_COST_2030_M
                .iter()
                .find(|x| x.area == a)
                .filter(|_| a_is)
                .map_or("-".into(), |x| format!("£{}m", thousands(x.value)));
            t.row([
                name(a).to_string(),
                band,
                m(get(out, s, a, Y2020, Metric::CostDemand)),
                p.map_or("-".into(), |p| format!("£{}m", thousands(p.cost_2020_m))),
                m(get(out, s, a, Y2030, Metric::CostDemand)),
                p.map_or("-".into(), |p| format!("£{}m", thousands(p.cost_2030_m))),
                m(get(out, s, a, Y2030, Metric::CostFlat)),
                flat_pub,
            ]);
        }
        text.push_str(&t.render());
        if a_is {
            let rows_sum: f64 = published::t33_rows_total_2030_m();
            text.push_str(&format!(
                "! Report inconsistency: Table 3.3 prints a 2030 total of £{}m (its total row), but its own rows add to £{}m; ours is {}.\n",
                thousands(T33_TOTAL_2030_PRINTED_M),
                thousands(rows_sum),
                m(get(out, s, None, Y2030, Metric::CostDemand)),
            ));
        }
    }
    text
}
