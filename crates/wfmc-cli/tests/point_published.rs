//! Pins the point model to every figure the report publishes, through the real
//! binary (`wfmc point --format csv`). Each assertion cites its source line in
//! shared/seed/hee-data-driven-healthcare-2030.md.

mod common;
use std::collections::HashMap;
use wfmc::published::{
    self, DEMAND_2030_A, DEMAND_2030_B, FLAT_COST_2030_M, GAP_2030_B, TABLES_3, agrees,
};

type Key = (String, String, u32, String);

fn point_csv() -> HashMap<Key, f64> {
    let out = common::wfmc(&["point", "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("scenario,area,year,metric,value"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 5, "{l}");
            (
                (f[0].into(), f[1].into(), f[2].parse().unwrap(), f[3].into()),
                f[4].parse().unwrap(),
            )
        })
        .collect()
}

fn area_key(a: Option<&str>) -> String {
    a.unwrap_or("total").into()
}

fn v(csv: &HashMap<Key, f64>, s: &str, a: Option<&str>, y: u32, m: &str) -> f64 {
    *csv.get(&(s.into(), area_key(a), y, m.into()))
        .unwrap_or_else(|| panic!("missing {s} {a:?} {y} {m}"))
}

#[test]
fn csv_covers_every_scenario_area_year_and_metric() {
    let csv = point_csv();
    // 2 scenarios × 10 areas (9 + total) × 11 years × 10 metrics, + gross shortfall 2 × 11.
    assert_eq!(csv.len(), 2 * 10 * 11 * 10 + 2 * 11);
    assert!(csv.keys().any(|k| k.3 == "demand_professionals"));
    assert!(
        csv.keys()
            .all(|k| k.3 != "gross_shortfall" || k.1 == "total")
    );
}

#[test]
fn table_3_1_demand_and_change() {
    let csv = point_csv();
    for (a, demand, line) in DEMAND_2030_A {
        let d = v(&csv, "data_driven", a, 2030, "demand");
        assert!(
            agrees(d, demand, 1.0),
            "Table 3.1 l.{line}: demand 2030 {a:?} ours {d}, report {demand}"
        );
    }
    for r in TABLES_3 {
        let w = v(&csv, "data_driven", r.area, 2020, "demand");
        let d = v(&csv, "data_driven", r.area, 2030, "demand");
        let pct = (d / w - 1.0) * 100.0;
        assert!(
            agrees(pct, r.change_pct, 1.0),
            "Table 3.1 l.{}: change % {:?} ours {pct}, report {}",
            r.line_t31,
            r.area,
            r.change_pct
        );
        if r.area.is_some() {
            assert!(
                agrees(d - w, r.change_wte, 1.0),
                "Table 3.1 l.{}: change {:?} ours {}, report {}",
                r.line_t31,
                r.area,
                d - w,
                r.change_wte
            );
        } else {
            // The printed total 2020 (46,009) is one below its rows' sum (46,010), so the
            // printed change is one above ours: both numbers are reported, see published.rs.
            assert!(
                (d - w - r.change_wte).abs() <= 1.0 + 1e-9,
                "Table 3.1 total change"
            );
            assert_eq!(
                w,
                published::T31_TOTAL_2020_PRINTED + 1.0,
                "Table 3.1: rows add to 46,010"
            );
        }
    }
}

#[test]
fn table_3_2_supply_and_gap() {
    let csv = point_csv();
    for r in TABLES_3 {
        let s = v(&csv, "data_driven", r.area, 2030, "supply");
        let g = v(&csv, "data_driven", r.area, 2030, "gap");
        assert!(
            agrees(s, r.supply_2030, 1.0),
            "Table 3.2 l.{}: supply {:?} ours {s}, report {}",
            r.line_t32,
            r.area,
            r.supply_2030
        );
        assert!(
            agrees(g, r.gap_2030, 1.0),
            "Table 3.2 l.{}: gap {:?} ours {g}, report {}",
            r.line_t32,
            r.area,
            r.gap_2030
        );
        // Supply is the same in both scenarios (Table 3.2).
        assert_eq!(s, v(&csv, "data_desert", r.area, 2030, "supply"));
    }
}

#[test]
fn table_3_3_costs_2020_and_2030() {
    let csv = point_csv();
    for r in TABLES_3 {
        let c0 = v(&csv, "data_driven", r.area, 2020, "cost_demand") / 1e6;
        assert!(
            agrees(c0, r.cost_2020_m, 1.0),
            "Table 3.3 l.{}: cost 2020 {:?} ours {c0}, report {}",
            r.line_t33,
            r.area,
            r.cost_2020_m
        );
        let c1 = v(&csv, "data_driven", r.area, 2030, "cost_demand") / 1e6;
        if r.area.is_some() {
            assert!(
                agrees(c1, r.cost_2030_m, 1.0),
                "Table 3.3 l.{}: cost 2030 {:?} ours {c1}, report {}",
                r.line_t33,
                r.area,
                r.cost_2030_m
            );
        } else {
            // Known inconsistency (Table 3.3): printed £5,220m, rows add to £5,202m; we match the rows.
            let rows = wfmc::published::t33_rows_total_2030_m();
            assert_eq!(rows, 5202.0);
            assert!(
                agrees(c1, rows, 1.0),
                "Table 3.3: total 2030 ours {c1}, rows' sum {rows}"
            );
            assert_eq!(published::T33_TOTAL_2030_PRINTED_M, 5220.0);
        }
    }
}

/// Checks figures stated in the text against ours (divided by `unit`), at the
/// rounding each statement uses.
fn check_text_figures(
    csv: &HashMap<Key, f64>,
    scenario: &str,
    metric: &str,
    unit: f64,
    figures: &[published::TextFigure],
) {
    for f in figures {
        let ours = v(csv, scenario, f.area, 2030, metric) / unit;
        assert!(
            agrees(ours, f.value, f.rounding),
            "l.{}: {scenario} {metric} 2030 {:?} ours {ours}, text {}",
            f.line,
            f.area,
            f.value
        );
    }
}

#[test]
fn data_desert_demand_and_gap_in_area_sections() {
    let csv = point_csv();
    check_text_figures(&csv, "data_desert", "demand", 1.0, &DEMAND_2030_B);
    check_text_figures(&csv, "data_desert", "gap", 1.0, &GAP_2030_B);
}

#[test]
fn flat_workforce_costs_in_area_sections() {
    // "£151 million (baseline costs)" etc.: a workforce held at its 2020 size, in £m.
    check_text_figures(
        &point_csv(),
        "data_driven",
        "cost_flat",
        1e6,
        &FLAT_COST_2030_M,
    );
}

#[test]
fn level_demand_adds_up_to_demand() {
    let csv = point_csv();
    for s in ["data_driven", "data_desert"] {
        let dims = wfmc::dims::Dims::report();
        for a in dims.area_keys().into_iter().map(Some).chain([None]) {
            for y in [2020, 2025, 2030] {
                let sum: f64 = ["senior_leaders", "managers", "professionals", "support"]
                    .iter()
                    .map(|l| v(&csv, s, a, y, &format!("demand_{l}")))
                    .sum();
                let d = v(&csv, s, a, y, "demand");
                assert!(
                    (sum - d).abs() < 1e-6 * d,
                    "{s} {a:?} {y}: levels {sum} vs demand {d}"
                );
            }
        }
    }
    // Figure 3.2 text (§3, “Projected demand forecast – 2020 to 2030”): around 1,825 senior leaders in 2030 (Data Driven Future).
    let senior = v(&csv, "data_driven", None, 2030, "demand_senior_leaders");
    assert!(
        (senior - 1825.0).abs() < 50.0,
        "senior leaders 2030: {senior}"
    );
}

#[test]
fn table_output_marks_the_reports_inconsistencies() {
    let out = common::wfmc(&["point"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("£5,220m") && text.contains("£5,202m"),
        "{text}"
    );
    assert!(text.contains("46,009") && text.contains("46,010"));
    assert!(text.contains("Data Desert Future"));
}

#[test]
fn json_has_the_same_rows_as_csv() {
    let out = common::wfmc(&["point", "--format", "json"]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let csv = point_csv();
    assert_eq!(rows.len(), csv.len());
    for r in rows {
        let key = (
            r["scenario"].as_str().unwrap().to_string(),
            r["area"].as_str().unwrap().to_string(),
            r["year"].as_u64().unwrap() as u32,
            r["metric"].as_str().unwrap().to_string(),
        );
        assert_eq!(csv[&key], r["value"].as_f64().unwrap());
    }
}

#[test]
fn another_config_file_can_be_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pay.toml");
    let text = wfmc::config::BUILTIN_TOML.replace(
        "salary_growth = { base = 0.027, dist = \"triangular(0.010, 0.027, 0.050)\" }",
        "salary_growth = 0.04",
    );
    std::fs::write(&path, text).unwrap();
    let out = common::wfmc(&[
        "point",
        "--format",
        "csv",
        "--config",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("data_driven,clinical_coding,2030,cost_flat,"))
        .unwrap();
    let cost: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
    let expect = 3560.0 * 24157.0 * 1.04f64.powi(10) * 1.349;
    assert!((cost - expect).abs() < 1e-3, "{cost} vs {expect}");
}
