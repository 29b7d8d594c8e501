//! `compare.csv`: a baseline against variants on the same draws
//! ([`crate::explore::compare`]): per variant, scenario, area (and total), year
//! and measure, the value under each, the change and its paired standard error.

use super::num;
use crate::dims::Dims;
use crate::error::Error;
use crate::explore::compare::Comparison;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name.
pub const FILE: &str = "compare.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Variant name.
    pub variant: String,
    /// Scenario key.
    pub scenario: String,
    /// Area key or `total`.
    pub area: String,
    /// Calendar year (the last, for `cost_per_wte_year_avoided`, which covers every
    /// year after the base).
    pub year: u32,
    /// `p_shortfall`, `expected_shortfall`, `gross_shortfall` (total only), `cost`
    /// (pounds) or `cost_per_wte_year_avoided` (pounds).
    pub measure: String,
    /// Under the baseline.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub base: f64,
    /// With the variant.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub with: f64,
    /// with − base (the cost per WTE-year for that measure).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub change: f64,
    /// The change's Monte Carlo standard error, paired (same draws).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub se: f64,
    /// What it would be from two independent runs.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub se_unpaired: f64,
    /// Correlation of the baseline's and the variant's values over the draws.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub correlation: f64,
}

/// The rows of a comparison of the variants `names`.
pub fn rows(c: &Comparison, names: &[String], dims: &Dims) -> Vec<Row> {
    c.rows
        .iter()
        .map(|r| Row {
            variant: names[r.variant].clone(),
            scenario: dims.scenario_key(r.scenario).into(),
            area: dims.place_key(r.area).into(),
            year: dims.year_of(r.year),
            measure: r.measure.key().into(),
            base: r.base,
            with: r.with,
            change: r.change,
            se: r.se,
            se_unpaired: r.se_unpaired(),
            correlation: r.correlation,
        })
        .collect()
}

/// The file's text.
pub fn write(c: &Comparison, names: &[String], dims: &Dims) -> String {
    super::write_csv(rows(c, names, dims))
}

/// The variants of `rows`, each once, in the order they first appear.
pub fn variants(rows: &[Row]) -> Vec<&str> {
    let mut names: Vec<&str> = vec![];
    for row in rows {
        if !names.contains(&row.variant.as_str()) {
            names.push(&row.variant);
        }
    }
    names
}

/// Reads the file of folder `dir`.
pub fn read(dir: &Path) -> Result<Vec<Row>, Error> {
    super::read_csv(dir, FILE)
}
