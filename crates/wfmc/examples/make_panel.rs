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

const M: [f64; 7] = [0.55, 0.70, 0.85, 1.00, 1.15, 1.30, 1.45];

/// Figure 5.1, Scenario A (data_driven): 2025 and 2030 WTE by level.
fn real(scenario: &str, area: &str) -> Option<([f64; 4], [f64; 4])> {
    match (scenario, area) {
        ("data_driven", "clinical_coding") => Some(([0.0, 1.0, 10.0, 6.0], [0.0, 1.0, 6.0, 1.0])),
        ("data_driven", "health_records") => Some(([0.0, 2.0, 12.0, 30.0], [1.0, 2.0, 20.0, 15.0])),
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
    let dims = cfg.dims();
    println!("{}", wfmc::config::panel::header(dims, 2025));
    let n_levels = dims.n_levels();
    let mut rows: Vec<String> = vec![];
    for s in 0..dims.n_scenarios() {
        for a in 0..dims.n_areas() {
            let (sk, ak) = (dims.scenario_key(s), dims.area_key(a));
            let ac = cfg.area(a);
            let tt = ac
                .typical_trust
                .as_ref()
                .expect("built-in config has the typical trust");
            let d = cfg.demand_of(s, a);
            let total = d.demand_last * tt.iter().sum::<f64>() / ac.workforce.base;
            let mix: f64 = d.levels_last.iter().sum();
            let target: Vec<f64> = d.levels_last.iter().map(|l| total * l / mix).collect();
            let real = real(sk, ak);
            let n = if real.is_some() { 8.0 } else { 7.0 };
            // What the seven synthetic forecasters must add up to, level by level.
            let mut need: Vec<f64> = (0..n_levels)
                .map(|l| (n * target[l] - real.map_or(0.0, |r| r.1[l])).max(0.0))
                .collect();
            let want: f64 = n * total - real.map_or(0.0, |r| r.1.iter().sum::<f64>());
            let have: f64 = need.iter().sum();
            for v in need.iter_mut() {
                *v *= want / have;
            }
            if let Some((r25, r30)) = real {
                for l in 0..n_levels {
                    rows.push(format!(
                        "figure-5.1,{sk},{ak},{},{},{},{}",
                        dims.level_key(l),
                        tt[l],
                        r25[l],
                        r30[l]
                    ));
                }
            }
            for j in 0..7 {
                let m = M[(j + a + 2 * s) % 7];
                for l in 0..n_levels {
                    rows.push(format!(
                        "synthetic-{},{sk},{ak},{},{},,{:.6}",
                        j + 1,
                        dims.level_key(l),
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
