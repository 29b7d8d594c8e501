//! What the commands print in the terminal: the text tornado, the Sobol table and the
//! table of supply targets (the run's table is [`super::run::terminal_table`]).

use super::{TextTable, thousands};
use crate::dims::Dims;
use crate::explore::target::{Answer, TargetSpec};
use crate::sensitivity::sobol::{SobolResult, WorkforceModel};
use crate::sensitivity::tornado::Row;

/// The text tornado: per scenario and output, the `top` inputs with the largest
/// swing as bars around the base value (`░` input low, `█` input high).
pub fn tornado(d: &Dims, rows: &[Row], top: usize) -> String {
    const HALF: usize = 20;
    let mut s = String::new();
    let mut i = 0;
    while i < rows.len() {
        let j = i + rows[i..]
            .iter()
            .take_while(|r| r.scenario == rows[i].scenario && r.output == rows[i].output)
            .count();
        let group = &rows[i..j];
        let r0 = &group[0];
        let shown: Vec<&Row> = group.iter().filter(|r| r.swing > 0.0).take(top).collect();
        s.push_str(&format!(
            "\n{} — {} (base {})\n",
            r0.output,
            d.scenario_label(r0.scenario),
            thousands(r0.output_base)
        ));
        if shown.is_empty() {
            s.push_str("  no input moves this output\n");
        }
        let scale = shown
            .iter()
            .map(|r| {
                (r.output_low - r.output_base)
                    .abs()
                    .max((r.output_high - r.output_base).abs())
            })
            .fold(0.0, f64::max);
        let width = shown.iter().map(|r| r.input.len()).max().unwrap_or(0);
        for r in shown {
            let cells = |d: f64| ((d.abs() / scale) * HALF as f64).round() as usize;
            let mut left = [' '; HALF];
            let mut right = [' '; HALF];
            for (d, c) in [
                (r.output_low - r.output_base, '░'),
                (r.output_high - r.output_base, '█'),
            ] {
                let n = cells(d).min(HALF);
                if d < 0.0 {
                    for x in left.iter_mut().rev().take(n) {
                        *x = c;
                    }
                } else {
                    for x in right.iter_mut().take(n) {
                        *x = c;
                    }
                }
            }
            s.push_str(&format!(
                "  {:<width$} {}|{}  {} .. {}\n",
                r.input,
                left.iter().collect::<String>(),
                right.iter().collect::<String>(),
                thousands(r.output_low),
                thousands(r.output_high),
            ));
        }
        i = j;
    }
    s.push_str("\n░ input at P10 (lowest band)   █ input at P90 (highest band)\n");
    s
}

/// Per output, the `top` groups by total index, as a text table.
pub fn sobol(m: &WorkforceModel, r: &SobolResult, top: usize) -> String {
    let mut s = String::new();
    for (o, out) in m.outputs().iter().enumerate() {
        s.push_str(&format!(
            "\n{} — {}\n",
            out.name,
            m.dims().scenario_label(out.scenario)
        ));
        let mut g: Vec<usize> = (0..r.groups.len())
            .filter(|&g| m.group_scenario(g).is_none_or(|sc| sc == out.scenario))
            .collect();
        g.sort_by(|&a, &b| r.indices[o][b].st[0].total_cmp(&r.indices[o][a].st[0]));
        let mut t = TextTable::default();
        t.row(["  group", "S1", "95 % CI", "ST", "95 % CI"]);
        for &g in g.iter().take(top) {
            let i = r.indices[o][g];
            t.row([
                format!("  {}", r.groups[g]),
                format!("{:.3}", i.s1[0]),
                format!("{:.3}–{:.3}", i.s1[1], i.s1[2]),
                format!("{:.3}", i.st[0]),
                format!("{:.3}–{:.3}", i.st[1], i.st[2]),
            ]);
        }
        s.push_str(&t.render());
    }
    s
}

/// A table of answers for the terminal.
pub fn target(d: &Dims, t: &TargetSpec, answers: &[Answer]) -> String {
    let mut tb = TextTable::default();
    tb.row([
        "area".to_string(),
        format!("P(short {}) now", d.year_of(t.year)),
        "extra inflow, WTE/yr".into(),
        "95 % MC interval".into(),
        "P(short) with it".into(),
    ]);
    for a in answers {
        tb.row([
            d.area_label(a.area).to_string(),
            format!("{:.4} ± {:.4}", a.p0.0, a.p0.1),
            format!("{:.2}", a.inflow),
            format!("{:.2} – {:.2}", a.interval.0, a.interval.1),
            format!("{:.4} ± {:.4}", a.achieved.0, a.achieved.1),
        ]);
    }
    format!(
        "Extra annual inflow (WTE a year from {}, on top of the modelled flows) for P(shortfall in {}) ≤ {} — {}, {} draws\n{}",
        d.base_year + 1,
        d.year_of(t.year),
        t.p,
        d.scenario_label(t.scenario),
        answers.first().map_or(0, |a| a.draws),
        tb.render()
    )
}

/// A comparison's table: per variant and scenario, the change in `year` of
/// P(shortfall), the expected shortfall and the cost, each ± its paired standard
/// error, and the cost per WTE-year of shortfall avoided after the base year, for
/// the areas the variant changes and the total.
pub fn compare(
    d: &Dims,
    c: &crate::explore::compare::Comparison,
    variants: &[crate::explore::compare::Variant],
    year: usize,
) -> String {
    use crate::explore::compare::Measure;
    let mut s = format!(
        "Paired comparison on the same {} draws (common random numbers): change = with − baseline, ± its Monte Carlo standard error\n",
        super::thousands(c.draws as f64)
    );
    for (j, v) in variants.iter().enumerate() {
        s.push_str(&format!("\n{}: {}\n", v.name, v.description));
        for sc in 0..d.n_scenarios() {
            let mut tb = TextTable::default();
            tb.row([
                format!("{}, {}", d.scenario_label(sc), d.year_of(year)),
                "P(shortfall)".into(),
                "change".into(),
                "expected shortfall, WTE".into(),
                "cost, £m (programme)".into(),
                "£ per WTE-year avoided".into(),
            ]);
            for a in d.places() {
                let get = |m| c.get(j, sc, a, year, m);
                let (Some(p), Some(es), Some(cost), Some(prog)) = (
                    get(Measure::PShortfall),
                    get(if a.is_some() {
                        Measure::ExpectedShortfall
                    } else {
                        Measure::GrossShortfall
                    }),
                    get(Measure::Cost),
                    get(Measure::ProgrammeCost),
                ) else {
                    continue;
                };
                // An area the variant leaves alone is left out (the total never is).
                let moved = (0..d.n_years()).any(|k| {
                    [Measure::ExpectedShortfall, Measure::Cost]
                        .iter()
                        .any(|&m| c.get(j, sc, a, k, m).is_some_and(|r| r.change != 0.0))
                });
                if a.is_some() && !moved {
                    continue;
                }
                let ratio = c.get(j, sc, a, d.last(), Measure::CostPerWteYearAvoided);
                tb.row([
                    a.map_or("All areas (P: net; shortfall: gross)", |a| d.area_label(a))
                        .to_string(),
                    format!("{:.3} → {:.3}", p.base, p.with),
                    format!("{:+.4} ± {:.4}", p.change, p.se),
                    format!("{} ± {:.1}", super::signed(es.change), es.se),
                    format!(
                        "{:+.1} ± {:.1} ({:.1})",
                        cost.change / 1e6,
                        cost.se / 1e6,
                        prog.change / 1e6
                    ),
                    ratio
                        .filter(|r| r.change.is_finite())
                        .map_or("–".into(), |r| {
                            format!(
                                "{} ± {}",
                                super::thousands(r.change),
                                super::thousands(r.se)
                            )
                        }),
                ]);
            }
            s.push_str(&tb.render());
        }
    }
    s
}
