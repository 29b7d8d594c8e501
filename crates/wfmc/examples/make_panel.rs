//! Writes the illustrative forecaster panel `configs/examples/panel-returns.csv`.
//!
//! `cargo run --example make_panel > configs/examples/panel-returns.csv`
//!
//! One real, partial return (Figure 5.1 of the report: clinical coding and health
//! records, Scenario A) and seven **synthetic** forecasters. For each scenario and
//! area the synthetic returns are the published mean spread by fixed multipliers
//! 0.55, 0.70, …, 1.45 (mean exactly 1; rotated across areas and scenarios so no
//! synthetic forecaster is bullish everywhere), scaled so that the panel's mean
//! 2030 total equals the report's published 2030 demand (in typical-trust WTE:
//! demand_2030 × typical trust 2020 total ÷ national 2020 workforce) and its level
//! mix equals the published 2030 level mix. Where the real return alone exceeds a
//! level's eight-forecaster total (health records, senior leaders: the return has 1,
//! the published mean has 0), that level is 0 for the synthetic forecasters and the
//! difference is spread over the other levels, so the area total still matches.

use wfmc::Config;
use wfmc::dims::{Area, Level, N_LEVELS, Scenario};

const M: [f64; 7] = [0.55, 0.70, 0.85, 1.00, 1.15, 1.30, 1.45];

/// Figure 5.1, Scenario A (data_driven): 2025 and 2030 WTE by level.
fn real(s: Scenario, a: Area) -> Option<([f64; 4], [f64; 4])> {
    match (s, a) {
        (Scenario::DataDriven, Area::ClinicalCoding) => {
            Some(([0.0, 1.0, 10.0, 6.0], [0.0, 1.0, 6.0, 1.0]))
        }
        (Scenario::DataDriven, Area::HealthRecords) => {
            Some(([0.0, 2.0, 12.0, 30.0], [1.0, 2.0, 20.0, 15.0]))
        }
        _ => None,
    }
}

fn main() {
    let cfg = Config::builtin();
    println!("# Illustrative forecaster panel for wfmc (typical-trust WTE, Table 5.3 baseline).");
    println!("# figure-5.1 is the one real return the report prints (Figure 5.1: clinical coding");
    println!(
        "# and health records, Scenario A). synthetic-1 ... synthetic-7 are SYNTHETIC, made by"
    );
    println!(
        "# examples/make_panel.rs so the panel mean equals the report's published 2030 demand."
    );
    println!("{}", wfmc::config::panel::HEADER);
    let mut rows: Vec<String> = vec![];
    for &s in Scenario::ALL {
        for &a in Area::ALL {
            let ac = cfg.area(a);
            let tt = ac
                .typical_trust
                .expect("built-in config has the typical trust");
            let d = cfg.demand_of(s, a);
            let total = d.demand_2030 * tt.iter().sum::<f64>() / ac.workforce.base;
            let mix: f64 = d.levels_2030.iter().sum();
            let target: [f64; N_LEVELS] = d.levels_2030.map(|l| total * l / mix);
            let real = real(s, a);
            let n = if real.is_some() { 8.0 } else { 7.0 };
            // What the seven synthetic forecasters must add up to, level by level.
            let mut need = [0.0; N_LEVELS];
            for l in 0..N_LEVELS {
                need[l] = n * target[l] - real.map_or(0.0, |r| r.1[l]);
            }
            let want: f64 = n * total - real.map_or(0.0, |r| r.1.iter().sum::<f64>());
            for v in need.iter_mut() {
                *v = v.max(0.0);
            }
            let have: f64 = need.iter().sum();
            for v in need.iter_mut() {
                *v *= want / have;
            }
            if let Some((r25, r30)) = real {
                for l in 0..N_LEVELS {
                    rows.push(format!(
                        "figure-5.1,{},{},{},{},{},{}",
                        s.key(),
                        a.key(),
                        Level::ALL[l].key(),
                        tt[l],
                        r25[l],
                        r30[l]
                    ));
                }
            }
            for j in 0..7 {
                let m = M[(j + a.index() + 2 * s.index()) % 7];
                for l in 0..N_LEVELS {
                    rows.push(format!(
                        "synthetic-{},{},{},{},{},,{:.6}",
                        j + 1,
                        s.key(),
                        a.key(),
                        Level::ALL[l].key(),
                        tt[l],
                        m * need[l] / 7.0
                    ));
                }
            }
        }
    }
    rows.sort_by_key(|r| r.split(',').next().map(str::to_string));
    for r in rows {
        println!("{r}");
    }
}
