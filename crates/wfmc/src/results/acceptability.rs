//! `acceptability.csv`: the probability that each option has the highest net
//! benefit, over a range of values put on one WTE-year of shortfall avoided, with
//! the frontier (the option of highest expected net benefit) and the EVPI there.

use super::num;
use serde::{Deserialize, Serialize};
use wfmc_decision::robust::Acceptability;

/// The file name.
pub const FILE: &str = "acceptability.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Pounds per WTE-year of shortfall avoided.
    pub value_per_wte_year: f64,
    /// The option.
    pub option: String,
    /// P(it has the highest net benefit); an exact tie shares the draw.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub p_best: f64,
    /// Its Monte Carlo standard error.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub se: f64,
    /// Whether it has the highest expected net benefit at this value (the frontier).
    pub frontier: bool,
    /// The EVPI at this value, pounds (the same on each option's row).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub evpi: f64,
    /// Its standard error.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub evpi_se: f64,
}

/// The rows of `a`, for the options `names`.
pub fn rows(a: &Acceptability, names: &[String]) -> Vec<Row> {
    let mut out = vec![];
    for (l, &lambda) in a.lambdas.iter().enumerate() {
        let f = &a.frontier[l];
        for (k, name) in names.iter().enumerate() {
            out.push(Row {
                value_per_wte_year: lambda,
                option: name.clone(),
                p_best: a.prob[l][k],
                se: a.se[l][k],
                frontier: f.best == k,
                evpi: f.evpi.value,
                evpi_se: f.evpi.se,
            });
        }
    }
    out
}

/// The file's text.
pub fn write(a: &Acceptability, names: &[String]) -> String {
    super::write_csv(rows(a, names))
}
