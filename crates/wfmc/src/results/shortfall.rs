//! `shortfall.csv`: P(shortfall) and the expected shortfall, with their standard
//! errors, per scenario, area (and total) and year.

use super::num;
use crate::dims::Dims;
use crate::error::Error;
use crate::stats::Summary;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The file name.
pub const FILE: &str = "shortfall.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Scenario key.
    pub scenario: String,
    /// Area key or `total`.
    pub area: String,
    /// Calendar year.
    pub year: u32,
    /// P(demand > supply).
    #[serde(serialize_with = "num::ser", deserialize_with = "num::de")]
    pub p_shortfall: f64,
    /// Its Monte Carlo standard error.
    #[serde(serialize_with = "num::ser", deserialize_with = "num::de")]
    pub se: f64,
    /// E[max(demand − supply, 0)], WTE.
    #[serde(serialize_with = "num::ser", deserialize_with = "num::de")]
    pub expected_shortfall: f64,
    /// Its Monte Carlo standard error.
    #[serde(serialize_with = "num::ser", deserialize_with = "num::de")]
    pub expected_shortfall_se: f64,
}

/// The rows of a summary: scenarios, then areas and the total, then years.
pub fn rows(summary: &Summary, dims: &Dims) -> Vec<Row> {
    let lay = summary.layout;
    let mut out = vec![];
    for sc in 0..lay.scenarios {
        for a in dims.places() {
            for k in 0..lay.years {
                let st = &summary.shortfall[lay.short_slot(sc, a, k)];
                out.push(Row {
                    scenario: dims.scenario_key(sc).into(),
                    area: dims.place_key(a).into(),
                    year: dims.year_of(k),
                    p_shortfall: st.p,
                    se: st.se,
                    expected_shortfall: st.expected,
                    expected_shortfall_se: st.expected_se,
                });
            }
        }
    }
    out
}

/// The file's text.
pub fn write(summary: &Summary, dims: &Dims) -> String {
    super::write_csv(rows(summary, dims))
}

/// `shortfall.csv` read back, looked up by scenario, area and year.
#[derive(Debug, Clone, Default)]
pub struct Shortfalls(HashMap<(String, String, u32), Row>);

impl Shortfalls {
    /// P(shortfall) and its standard error, NaN if absent.
    pub fn p(&self, scenario: &str, area: &str, year: u32) -> (f64, f64) {
        self.0
            .get(&(scenario.into(), area.into(), year))
            .map_or((f64::NAN, f64::NAN), |r| (r.p_shortfall, r.se))
    }
}

impl Shortfalls {
    /// The rows, looked up by scenario, area and year.
    pub fn from_rows(rows: Vec<Row>) -> Shortfalls {
        Shortfalls(
            rows.into_iter()
                .map(|r| ((r.scenario.clone(), r.area.clone(), r.year), r))
                .collect(),
        )
    }
}

/// Reads the file of folder `dir`.
pub fn read(dir: &Path) -> Result<Shortfalls, Error> {
    Ok(Shortfalls::from_rows(super::read_csv(dir, FILE)?))
}
