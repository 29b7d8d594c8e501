//! `sobol.csv`: first-order and total Sobol indices with their 95 % intervals
//! ([`crate::sensitivity::sobol`]).

use super::num;
use crate::error::Error;
use crate::sensitivity::sobol::{SobolResult, WorkforceModel};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name.
pub const FILE: &str = "sobol.csv";

/// One row: a scenario, an output and an input group that can move it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Scenario key.
    pub scenario: String,
    /// Output name.
    pub output: String,
    /// Input group.
    pub group: String,
    /// First-order index.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub s1: f64,
    /// Its 95 % interval, low end.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub s1_lo: f64,
    /// Its 95 % interval, high end.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub s1_hi: f64,
    /// Total index.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub st: f64,
    /// Its 95 % interval, low end.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub st_lo: f64,
    /// Its 95 % interval, high end.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub st_hi: f64,
    /// Rows of the design.
    pub n: u64,
}

/// The rows of an estimate: outputs in order, then the groups of their scenario.
pub fn rows(m: &WorkforceModel, r: &SobolResult) -> Vec<Row> {
    let mut out = vec![];
    for (o, output) in m.outputs().iter().enumerate() {
        for (g, name) in r.groups.iter().enumerate() {
            if m.group_scenario(g).is_some_and(|sc| sc != output.scenario) {
                continue;
            }
            let i = r.indices[o][g];
            out.push(Row {
                scenario: m.dims().scenario_key(output.scenario).into(),
                output: output.name.clone(),
                group: name.clone(),
                s1: i.s1[0],
                s1_lo: i.s1[1],
                s1_hi: i.s1[2],
                st: i.st[0],
                st_lo: i.st[1],
                st_hi: i.st[2],
                n: r.n as u64,
            });
        }
    }
    out
}

/// The file's text.
pub fn write(m: &WorkforceModel, r: &SobolResult) -> String {
    super::write_csv(rows(m, r))
}

/// Reads the file of folder `dir`.
pub fn read(dir: &Path) -> Result<Vec<Row>, Error> {
    super::read_csv(dir, FILE)
}
