//! `bands.csv`: every statistic of every series, one per row.

use super::num;
use crate::dims::Dims;
use crate::error::Error;
use crate::stats::{PERCENTILES, Summary};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The file name.
pub const FILE: &str = "bands.csv";

/// One row: `scenario,area,year,metric,stat,value,se`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Scenario key.
    pub scenario: String,
    /// Area key or `total`.
    pub area: String,
    /// Calendar year.
    pub year: u32,
    /// Metric key.
    pub metric: String,
    /// `mean`, `sd` or a percentile such as `p5`.
    pub stat: String,
    /// WTE, or pounds for costs.
    #[serde(serialize_with = "num::ser", deserialize_with = "num::de")]
    pub value: f64,
    /// Its Monte Carlo standard error, from the run's replicate blocks (empty with
    /// fewer than two blocks).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub se: f64,
}

/// The rows of a summary of a config of `dims`, series in layout order.
pub fn rows(summary: &Summary, dims: &Dims) -> Vec<Row> {
    let lay = summary.layout;
    let mut out = Vec::with_capacity(lay.len() * (2 + PERCENTILES.len()));
    for series in lay.series() {
        let st = &summary.series[lay.index(&series)];
        let stats = [("mean", st.mean, st.se_mean), ("sd", st.sd, st.se_sd)]
            .into_iter()
            .chain(
                PERCENTILES
                    .iter()
                    .zip(st.percentiles.iter().zip(st.se_percentiles))
                    .map(|((n, _), (v, se))| (*n, *v, se)),
            );
        for (stat, value, se) in stats {
            out.push(Row {
                scenario: dims.scenario_key(series.scenario).into(),
                area: dims.place_key(series.area).into(),
                year: dims.year_of(series.year),
                metric: series.metric.key(dims),
                stat: stat.into(),
                value,
                se,
            });
        }
    }
    out
}

/// The file's text.
pub fn write(summary: &Summary, dims: &Dims) -> String {
    super::write_csv(rows(summary, dims))
}

/// A row's key: scenario, area, year, metric, stat.
type Key = (String, String, u32, String, String);

/// `bands.csv` read back, looked up by its key columns: (value, standard error).
#[derive(Debug, Clone, Default)]
pub struct Bands(HashMap<Key, (f64, f64)>);

impl Bands {
    fn cell(&self, scenario: &str, area: &str, year: u32, metric: &str, stat: &str) -> (f64, f64) {
        let key = (
            scenario.into(),
            area.into(),
            year,
            metric.into(),
            stat.into(),
        );
        self.0.get(&key).copied().unwrap_or((f64::NAN, f64::NAN))
    }

    /// A statistic, NaN if absent.
    pub fn get(&self, scenario: &str, area: &str, year: u32, metric: &str, stat: &str) -> f64 {
        self.cell(scenario, area, year, metric, stat).0
    }

    /// A statistic's standard error, NaN if absent.
    pub fn se(&self, scenario: &str, area: &str, year: u32, metric: &str, stat: &str) -> f64 {
        self.cell(scenario, area, year, metric, stat).1
    }
}

impl Bands {
    /// The rows, looked up by their key columns.
    pub fn from_rows(rows: Vec<Row>) -> Bands {
        Bands(
            rows.into_iter()
                .map(|r| {
                    (
                        (r.scenario, r.area, r.year, r.metric, r.stat),
                        (r.value, r.se),
                    )
                })
                .collect(),
        )
    }
}

/// Reads the file of folder `dir`.
pub fn read(dir: &Path) -> Result<Bands, Error> {
    Ok(Bands::from_rows(super::read_csv(dir, FILE)?))
}
