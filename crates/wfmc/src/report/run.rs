//! The table a run prints at the end. (The folder's files: [`crate::results`].)

use super::{TextTable, signed, thousands};
use crate::dims::Dims;
use crate::model::{Metric, Series};
use crate::stats::Summary;
use std::fmt::Write as _;

/// The terminal table printed at the end of a run: the last year's P(shortfall)
/// and gap percentiles per area, and the gross shortfall, per scenario.
pub fn terminal_table(d: &Dims, summary: &Summary) -> String {
    let k = d.last();
    let lay = summary.layout;
    let mut text = String::new();
    for sc in 0..d.n_scenarios() {
        let _ = writeln!(
            text,
            "\n{}: {} (gap = supply - demand, WTE; {} draws)",
            d.scenario_label(sc),
            d.last_year,
            thousands(summary.draws as f64)
        );
        let mut t = TextTable::default();
        t.row(["Area", "P(shortfall)", "Gap P5", "Gap P50", "Gap P95"]);
        for a in d.places() {
            let sf = &summary.shortfall[lay.short_slot(sc, a, k)];
            let g = summary.of(&Series {
                scenario: sc,
                area: a,
                year: k,
                metric: Metric::Gap,
            });
            t.row([
                a.map_or("Total (net)", |a| d.area_label(a)).to_string(),
                format!("{:.3} ± {:.3}", sf.p, sf.se),
                signed(g.percentiles[0]),
                signed(g.percentiles[3]),
                signed(g.percentiles[6]),
            ]);
        }
        let gs = summary.of(&Series {
            scenario: sc,
            area: None,
            year: k,
            metric: Metric::GrossShortfall,
        });
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
