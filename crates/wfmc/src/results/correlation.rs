//! `correlation.csv`: Spearman's ρ of each ranked input with each analysed output of
//! its scenario ([`crate::stats::ranks`]).

use super::num;
use crate::dims::Dims;
use crate::error::Error;
use crate::stats::ranks::RankCorr;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name.
pub const FILE: &str = "correlation.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Scenario key.
    pub scenario: String,
    /// Output name.
    pub output: String,
    /// Input name.
    pub input: String,
    /// Spearman's ρ.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub spearman: f64,
}

/// The rows: `inputs` are the ranked inputs' names and scenarios, in state order.
pub fn rows(dims: &Dims, inputs: &[(String, Option<usize>)], r: &RankCorr) -> Vec<Row> {
    let mut out = vec![];
    for (o, output) in crate::model::outputs(dims).iter().enumerate() {
        for (i, (name, sc)) in inputs.iter().enumerate() {
            if sc.is_some_and(|sc| sc != output.scenario) {
                continue;
            }
            out.push(Row {
                scenario: dims.scenario_key(output.scenario).into(),
                output: output.name.clone(),
                input: name.clone(),
                spearman: r.spearman(i, o),
            });
        }
    }
    out
}

/// The file's text.
pub fn write(dims: &Dims, inputs: &[(String, Option<usize>)], r: &RankCorr) -> String {
    super::write_csv(rows(dims, inputs, r))
}

/// The file's text for a run of `cfg` whose rank sums are `r` (its ranked inputs'
/// names and scenarios from the config's sampler).
pub fn write_run(cfg: &crate::config::Config, r: &RankCorr) -> String {
    let sampler = crate::engine::Sampler::new(cfg);
    let inputs: Vec<(String, Option<usize>)> = crate::engine::ranked_groups(&sampler)
        .into_iter()
        .map(|g| {
            let g = &sampler.groups()[g];
            (g.name.clone(), g.scenario())
        })
        .collect();
    write(&cfg.dims, &inputs, r)
}

/// Reads the file of folder `dir`.
pub fn read(dir: &Path) -> Result<Vec<Row>, Error> {
    super::read_csv(dir, FILE)
}
