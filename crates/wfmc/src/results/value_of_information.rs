//! `value_of_information.csv`: what knowing the inputs better before choosing among
//! the options is worth ([`crate::decide::value_of_information`]): the EVPI, then
//! the EVPPI of each input and of each named group, in pounds, with bootstrap
//! standard errors.

use super::num;
use crate::decide::{Voi, method};
use serde::{Deserialize, Serialize};

/// The file name.
pub const FILE: &str = "value_of_information.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Pounds per WTE-year of shortfall avoided.
    pub value_per_wte_year: f64,
    /// `evpi`, `input` or `group`.
    pub kind: String,
    /// The input's config path or the group's name (`all` for the EVPI).
    pub name: String,
    /// The inputs, joined by `;`.
    pub inputs: String,
    /// The regression: `gam` (one or two inputs), `mars` (more), or `max` (EVPI).
    pub method: String,
    /// The expected value of (partial) perfect information, pounds.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub value: f64,
    /// Its Monte Carlo standard error (bootstrap for the EVPPI).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub se: f64,
    /// The value as a share of the EVPI.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub share_of_evpi: f64,
}

/// The rows of `v`.
pub fn rows(v: &Voi) -> Vec<Row> {
    let share = |x: f64| {
        if v.evpi.value > 0.0 {
            x / v.evpi.value
        } else {
            f64::NAN
        }
    };
    let mut out = vec![Row {
        value_per_wte_year: v.lambda,
        kind: "evpi".into(),
        name: "all".into(),
        inputs: String::new(),
        method: "max".into(),
        value: v.evpi.value,
        se: v.evpi.se,
        share_of_evpi: share(v.evpi.value),
    }];
    for (name, e) in &v.inputs {
        out.push(Row {
            value_per_wte_year: v.lambda,
            kind: "input".into(),
            name: name.clone(),
            inputs: name.clone(),
            method: method(1).into(),
            value: e.value,
            se: e.se,
            share_of_evpi: share(e.value),
        });
    }
    for (name, members, e) in &v.groups {
        out.push(Row {
            value_per_wte_year: v.lambda,
            kind: "group".into(),
            name: name.clone(),
            inputs: members.join(";"),
            method: method(members.len()).into(),
            value: e.value,
            se: e.se,
            share_of_evpi: share(e.value),
        });
    }
    out
}

/// The file's text.
pub fn write(v: &Voi) -> String {
    super::write_csv(rows(v))
}
