//! `tornado.csv`: each input at its low and high setting, one at a time, per
//! scenario and analysed output ([`crate::sensitivity::tornado`]).

use super::num;
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name.
pub const FILE: &str = "tornado.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Scenario key.
    pub scenario: String,
    /// Output name, e.g. `gap/total/2030`.
    pub output: String,
    /// Input path.
    pub input: String,
    /// The input at its low setting.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub input_low: f64,
    /// The input at its high setting.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub input_high: f64,
    /// The output with the input low.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub output_low: f64,
    /// The output with the input high.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub output_high: f64,
    /// |high − low|.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub swing: f64,
    /// 1 = largest swing for this scenario and output.
    pub rank: usize,
}

/// The rows of a tornado analysis.
pub fn rows(dims: &crate::dims::Dims, t: &[crate::sensitivity::tornado::Row]) -> Vec<Row> {
    t.iter()
        .map(|r| Row {
            scenario: dims.scenario_key(r.scenario).into(),
            output: r.output.clone(),
            input: r.input.clone(),
            input_low: r.input_low,
            input_high: r.input_high,
            output_low: r.output_low,
            output_high: r.output_high,
            swing: r.swing,
            rank: r.rank,
        })
        .collect()
}

/// The file's text.
pub fn write(dims: &crate::dims::Dims, t: &[crate::sensitivity::tornado::Row]) -> String {
    super::write_csv(rows(dims, t))
}

/// Reads the file of folder `dir`.
pub fn read(dir: &Path) -> Result<Vec<Row>, Error> {
    super::read_csv(dir, FILE)
}
