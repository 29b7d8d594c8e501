//! The table `wfmc run` prints at the end. (The folder's files: [`crate::results`].)

use super::{TextTable, signed, thousands};
use crate::dims::{Area, N_YEARS, Scenario};
use crate::model::{Metric, Series};
use crate::stats::{Summary, shortfall_slot};
use std::fmt::Write as _;

/// The terminal table printed at the end of a run.
pub fn terminal_table(summary: &Summary) -> String {
    let k = N_YEARS - 1;
    let mut text = String::new();
    for &sc in Scenario::ALL {
        let _ = writeln!(
            text,
            "\n{}: 2030 (gap = supply - demand, WTE; {} draws)",
            sc.label(),
            thousands(summary.draws as f64)
        );
        let mut t = TextTable::default();
        t.row(["Area", "P(shortfall)", "Gap P5", "Gap P50", "Gap P95"]);
        for a in Area::ALL.iter().copied().map(Some).chain([None]) {
            let sf = &summary.shortfall[shortfall_slot(sc.index(), a.map(|a| a.index()), k)];
            let g = &summary.series[Series {
                scenario: sc,
                area: a,
                year: k,
                metric: Metric::Gap,
            }
            .index()];
            t.row([
                a.map_or("Total (net)", |a| a.label()).to_string(),
                format!("{:.3} ± {:.3}", sf.p, sf.se),
                signed(g.percentiles[0]),
                signed(g.percentiles[3]),
                signed(g.percentiles[6]),
            ]);
        }
        let gs = &summary.series[Series {
            scenario: sc,
            area: None,
            year: k,
            metric: Metric::GrossShortfall,
        }
        .index()];
        t.row([
            "Gross shortfall".to_string(),
            "-".into(),
            thousands(gs.percentiles[0]),
            thousands(gs.percentiles[3]),
            thousands(gs.percentiles[6]),
        ]);
        text.push_str(&t.render());
    }
    text
}
