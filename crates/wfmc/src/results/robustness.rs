//! `robustness.csv`: how each option holds up across the draws
//! ([`crate::decide::robustness`]): expected WTE-years of shortfall, programme cost
//! and net benefit, P(no area short), regret against the best option of each draw
//! (mean and 90th percentile) and, per area and the total, the share of draws in
//! which it is not short (satisficing).

use super::num;
use crate::decide::Robustness;
use crate::dims::Dims;
use serde::{Deserialize, Serialize};

/// The file name.
pub const FILE: &str = "robustness.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The option.
    pub option: String,
    /// `wte_years_short`, `programme_cost`, `net_benefit`, `p_no_area_short`,
    /// `regret_mean`, `regret_p90` or `p_not_short` (per place).
    pub measure: String,
    /// The area or `total` for `p_not_short`; `all` otherwise.
    pub place: String,
    /// The value (WTE-years, pounds or a probability).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub value: f64,
    /// Its Monte Carlo standard error (blank for the percentile).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub se: f64,
}

/// The rows of `r`, for the options `names`.
pub fn rows(r: &[Robustness], names: &[String], dims: &Dims) -> Vec<Row> {
    let mut out = vec![];
    for (o, name) in r.iter().zip(names) {
        let mut push = |measure: &str, place: &str, value: f64, se: f64| {
            out.push(Row {
                option: name.clone(),
                measure: measure.into(),
                place: place.into(),
                value,
                se,
            });
        };
        push("wte_years_short", "all", o.wte_years.value, o.wte_years.se);
        push("programme_cost", "all", o.cost.value, o.cost.se);
        push("net_benefit", "all", o.net_benefit.value, o.net_benefit.se);
        push(
            "p_no_area_short",
            "all",
            o.p_none_short.value,
            o.p_none_short.se,
        );
        push("regret_mean", "all", o.regret_mean.value, o.regret_mean.se);
        push("regret_p90", "all", o.regret_p90, f64::NAN);
        let n_a = o.satisficing.len() - 1;
        for (p, e) in o.satisficing.iter().enumerate() {
            push(
                "p_not_short",
                dims.place_key((p < n_a).then_some(p)),
                e.value,
                e.se,
            );
        }
    }
    out
}

/// The file's text.
pub fn write(r: &[Robustness], names: &[String], dims: &Dims) -> String {
    super::write_csv(rows(r, names, dims))
}
