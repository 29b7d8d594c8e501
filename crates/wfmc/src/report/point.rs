//! The point model as the report's Tables 3.1–3.3 (ours beside theirs), CSV or JSON.

use super::{TextTable, signed, thousands};
use crate::config::Config;
use crate::dims::Dims;
use crate::model::{Layout, Metric, Series};
use crate::published::{self, T33_TOTAL_2030_PRINTED_M, TABLES_3};
use std::io::{self, Write};

fn get(lay: Layout, out: &[f64], s: usize, a: Option<usize>, year: usize, metric: Metric) -> f64 {
    out[lay.index(&Series {
        scenario: s,
        area: a,
        year,
        metric,
    })]
}

fn name(d: &Dims, a: Option<usize>) -> &str {
    a.map_or("Total workforce", |a| d.area_label(a))
}

fn m(x: f64) -> String {
    format!("£{}m", thousands(x / 1e6))
}

/// Writes the tidy CSV: `scenario,area,year,metric,value`.
pub fn write_csv(d: &Dims, out: &[f64], w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "scenario,area,year,metric,value")?;
    let lay = Layout::of(d);
    for (i, s) in lay.series().iter().enumerate() {
        writeln!(
            w,
            "{},{},{},{},{}",
            d.scenario_key(s.scenario),
            d.place_key(s.area),
            d.year_of(s.year),
            s.metric.key(d),
            out[i]
        )?;
    }
    Ok(())
}

/// Writes the same rows as one JSON document.
pub fn write_json(cfg: &Config, out: &[f64], w: &mut dyn Write) -> io::Result<()> {
    let d = &cfg.dims;
    let rows: Vec<serde_json::Value> = Layout::of(d)
        .series()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::json!({
                "scenario": d.scenario_key(s.scenario),
                "area": d.place_key(s.area),
                "year": d.year_of(s.year),
                "metric": s.metric.key(d),
                "value": out[i],
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

/// Renders the demand, supply and cost tables of every scenario; for a config of
/// the report's dimensions, as its Tables 3.1–3.3 with the published figures beside
/// ours.
pub fn render_tables(cfg: &Config, out: &[f64]) -> String {
    let d = &*cfg.dims;
    let lay = Layout::of(d);
    let report = d.is_report();
    let (y0, y1) = (0, d.last());
    let (b, l) = (d.base_year, d.last_year);
    let get = |s, a, year, metric| get(lay, out, s, a, year, metric);
    let key = |a: Option<usize>| a.map(|a| d.area_key(a));
    let mut text = format!("wfmc point model: {} ({})\n", cfg.title, cfg.origin);
    if report {
        text.push_str("Ours beside the report's published figures (\"pub\"); \"-\" where the report published none.\n");
    } else {
        text.push_str("The config's own projection.\n");
    }
    let areas: Vec<Option<usize>> = d.places().collect();
    for s in 0..d.n_scenarios() {
        let a_is = report && s == 0;
        let b_is = report && s == 1;
        let pubrow = |a: Option<usize>| TABLES_3.iter().find(|r| r.area == key(a)).filter(|_| a_is);
        text.push_str(&format!("\n=== {} ===\n", d.scenario_label(s)));

        if report {
            text.push_str("\nTable 3.1: demand 2020 to 2030\n");
        } else {
            text.push_str(&format!("\nDemand {b} to {l}\n"));
        }
        let mut t = TextTable::default();
        t.row([
            "Area".to_string(),
            format!("WTE {b}"),
            format!("Demand {l}"),
            "pub".into(),
            "Change".into(),
            "pub".into(),
            "Change %".into(),
            "pub".into(),
        ]);
        for &a in &areas {
            let w = get(s, a, y0, Metric::Demand);
            let dm = get(s, a, y1, Metric::Demand);
            let pub_d = if a_is {
                published::DEMAND_2030_A
                    .iter()
                    .find(|x| x.0 == key(a))
                    .map(|x| thousands(x.1))
            } else if b_is {
                published::DEMAND_2030_B
                    .iter()
                    .find(|x| x.area == key(a))
                    .map(|x| format!("~{}", thousands(x.value)))
            } else {
                None
            };
            let p = pubrow(a);
            let d = dm;
            t.row([
                name(&cfg.dims, a).to_string(),
                thousands(w),
                thousands(d),
                pub_d.unwrap_or_else(|| "-".into()),
                signed(d - w),
                p.map_or("-".into(), |p| signed(p.change_wte)),
                format!("{}%", signed((d / w - 1.0) * 100.0)),
                p.map_or("-".into(), |p| format!("{}%", signed(p.change_pct))),
            ]);
        }
        if !report {
            t.drop_columns("pub");
        }
        text.push_str(&t.render());
        if a_is {
            let w: f64 = get(s, None, y0, Metric::Demand);
            text.push_str(&format!(
                "! Report inconsistency: Table 3.1 prints a 2020 total of {} (its total row), but its own rows add to {}; ours uses the rows.\n",
                thousands(published::T31_TOTAL_2020_PRINTED),
                thousands(w),
            ));
        }

        if report {
            text.push_str("\nTable 3.2: supply, demand and gap in 2030 (gap = supply - demand; negative = shortfall)\n");
        } else {
            text.push_str(&format!(
                "\nSupply, demand and gap in {l} (gap = supply - demand; negative = shortfall)\n"
            ));
        }
        let mut t = TextTable::default();
        t.row([
            "Area".to_string(),
            format!("Supply {l}"),
            "pub".into(),
            format!("Demand {l}"),
            format!("Gap {l}"),
            "pub".into(),
        ]);
        for &a in &areas {
            let p = pubrow(a);
            let sup = get(s, a, y1, Metric::Supply);
            let gap = get(s, a, y1, Metric::Gap);
            let pub_gap = match (p, b_is) {
                (Some(p), _) => signed(p.gap_2030),
                (None, true) => published::GAP_2030_B
                    .iter()
                    .find(|x| x.area == key(a))
                    .map_or("-".into(), |x| format!("~{}", signed(x.value))),
                _ => "-".into(),
            };
            t.row([
                name(&cfg.dims, a).to_string(),
                thousands(sup),
                TABLES_3
                    .iter()
                    .find(|r| r.area == key(a))
                    .filter(|_| report)
                    .map_or("-".into(), |r| thousands(r.supply_2030)),
                thousands(get(s, a, y1, Metric::Demand)),
                signed(gap),
                pub_gap,
            ]);
        }
        if !report {
            t.drop_columns("pub");
        }
        text.push_str(&t.render());
        text.push_str(&format!(
            "Gross shortfall {l} (sum of area shortfalls, no netting of surpluses): {} WTE\n",
            thousands(get(s, None, y1, Metric::GrossShortfall))
        ));

        if report {
            text.push_str("\nTable 3.3: salary and employment on-costs (top of band, +2.7 %/yr, +34.9 % on-costs)\n");
        } else {
            text.push_str("\nSalary and employment on-costs (top of each area's band, grown and with on-costs as the config says)\n");
        }
        let mut t = TextTable::default();
        t.row([
            "Area".to_string(),
            "Band".into(),
            format!("Cost {b}"),
            "pub".into(),
            format!("Cost {l}"),
            "pub".into(),
            format!("Flat {l}"),
            "pub".into(),
        ]);
        for &a in &areas {
            let p = pubrow(a);
            let band = a.map_or("-".to_string(), |a| {
                cfg.pay_scale[cfg.area(a).band.base].name.clone()
            });
            let flat_pub = published::FLAT_COST_2030_M
                .iter()
                .find(|x| x.area == key(a))
                .filter(|_| a_is)
                .map_or("-".into(), |x| format!("£{}m", thousands(x.value)));
            t.row([
                name(&cfg.dims, a).to_string(),
                band,
                m(get(s, a, y0, Metric::CostDemand)),
                p.map_or("-".into(), |p| format!("£{}m", thousands(p.cost_2020_m))),
                m(get(s, a, y1, Metric::CostDemand)),
                p.map_or("-".into(), |p| format!("£{}m", thousands(p.cost_2030_m))),
                m(get(s, a, y1, Metric::CostFlat)),
                flat_pub,
            ]);
        }
        if !report {
            t.drop_columns("pub");
        }
        text.push_str(&t.render());
        if a_is {
            let rows_sum: f64 = published::t33_rows_total_2030_m();
            text.push_str(&format!(
                "! Report inconsistency: Table 3.3 prints a 2030 total of £{}m (its total row), but its own rows add to £{}m; ours is {}.\n",
                thousands(T33_TOTAL_2030_PRINTED_M),
                thousands(rows_sum),
                m(get(s, None, y1, Metric::CostDemand)),
            ));
        }
    }
    text
}
