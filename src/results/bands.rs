//! `bands.csv`: every statistic of every series, one per row.

use super::num;
use crate::error::Error;
use crate::model::Layout;
use crate::stats::{PERCENTILES, Summary};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The file name.
pub const FILE: &str = "bands.csv";

/// One row: `scenario,area,year,metric,stat,value`.
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
    /// `mean`, `sd`, `se_mean` or a percentile such as `p5`.
    pub stat: String,
    /// WTE, or pounds for costs.
    #[serde(serialize_with = "num::ser", deserialize_with = "num::de")]
    pub value: f64,
}

/// The rows of a summary, series in layout order.
pub fn rows(summary: &Summary) -> Vec<Row> {
    let mut out = Vec::with_capacity(Layout::LEN * (3 + PERCENTILES.len()));
    for series in Layout::series() {
        let st = &summary.series[series.index()];
        let stats = [("mean", st.mean), ("sd", st.sd), ("se_mean", st.se_mean)]
            .into_iter()
            .chain(PERCENTILES.iter().map(|(n, _)| *n).zip(st.percentiles));
        for (stat, value) in stats {
            out.push(Row {
                scenario: series.scenario.key().into(),
                area: series.area_key().into(),
                year: series.calendar_year(),
                metric: series.metric.key(),
                stat: stat.into(),
                value,
            });
        }
    }
    out
}

/// The file's text.
pub fn write(summary: &Summary) -> String {
    super::write_csv(rows(summary))
}

/// `bands.csv` read back, looked up by its key columns.
#[derive(Debug, Clone, Default)]
pub struct Bands(HashMap<(String, String, u32, String, String), f64>);

impl Bands {
    /// A statistic, NaN if absent.
    pub fn get(&self, scenario: &str, area: &str, year: u32, metric: &str, stat: &str) -> f64 {
        let key = (
            scenario.into(),
            area.into(),
            year,
            metric.into(),
            stat.into(),
        );
        self.0.get(&key).copied().unwrap_or(f64::NAN)
    }
}

/// Reads the file of folder `dir`.
pub fn read(dir: &Path) -> Result<Bands, Error> {
    let rows: Vec<Row> = super::read_csv(dir, FILE)?;
    Ok(Bands(
        rows.into_iter()
            .map(|r| ((r.scenario, r.area, r.year, r.metric, r.stat), r.value))
            .collect(),
    ))
}
