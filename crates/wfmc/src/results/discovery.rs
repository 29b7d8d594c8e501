//! `discovery.csv`: a scenario discovery ([`crate::decide::discover`]) of when an
//! outcome happens: PRIM's trajectory, one row per step and restricted input (a
//! step restricting nothing has one row with no input), the chosen box's quasi-p
//! values and reproducibility, then CART's leaves as boxes.

use super::num;
use crate::decide::Discovery;
use serde::{Deserialize, Serialize};

/// The file name.
pub const FILE: &str = "discovery.csv";

/// One row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// What is explained: `OPTION/SCENARIO/PLACE/YEAR short` (above a threshold).
    pub outcome: String,
    /// `prim` or `cart`.
    pub method: String,
    /// PRIM: the trajectory step (0: every draw); CART: the leaf's number.
    pub step: usize,
    /// PRIM: `initial`, `peel` or `paste`; CART: `leaf`.
    pub phase: String,
    /// Whether this is the chosen box (PRIM), or a leaf where most draws are cases.
    pub chosen: bool,
    /// Share of all cases inside the box.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub coverage: f64,
    /// Share of the box's draws that are cases.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub density: f64,
    /// Share of all draws inside the box.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub mass: f64,
    /// Draws inside the box.
    pub n: usize,
    /// Cases inside the box.
    pub k: usize,
    /// Inputs the box restricts.
    pub restricted: usize,
    /// The restricted input's config path (empty: none).
    pub input: String,
    /// Its lower limit (inclusive for PRIM, exclusive for CART).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub lower: f64,
    /// Its upper limit (inclusive).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub upper: f64,
    /// The chosen box: one-sided binomial quasi-p of the lower limit (blank: free).
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub qp_lower: f64,
    /// The same for the upper limit.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub qp_upper: f64,
    /// The chosen box: share of resampled runs whose box closest in density
    /// restricts this input.
    #[serde(serialize_with = "num::ser_blank", deserialize_with = "num::de")]
    pub reproducibility: f64,
}

/// The rows of `d`, with `inputs` the config paths of its inputs.
pub fn rows(d: &Discovery, inputs: &[String], outcome: &str) -> Vec<Row> {
    let mut out = vec![];
    let t = &d.trajectory;
    let base = |method: &str, step: usize, phase: &str, chosen: bool| Row {
        outcome: outcome.to_string(),
        method: method.into(),
        step,
        phase: phase.into(),
        chosen,
        coverage: f64::NAN,
        density: f64::NAN,
        mass: f64::NAN,
        n: 0,
        k: 0,
        restricted: 0,
        input: String::new(),
        lower: f64::NAN,
        upper: f64::NAN,
        qp_lower: f64::NAN,
        qp_upper: f64::NAN,
        reproducibility: f64::NAN,
    };
    for (i, st) in t.steps.iter().enumerate() {
        let phase = format!("{:?}", st.phase).to_lowercase();
        let chosen = i == d.chosen;
        let mut row = base("prim", i, &phase, chosen);
        row.coverage = st.coverage;
        row.density = st.density;
        row.mass = st.mass;
        row.n = st.n;
        row.k = st.k;
        row.restricted = st.n_restricted;
        let restricted = t.restricted(i).unwrap_or_default();
        if restricted.is_empty() {
            out.push(row);
            continue;
        }
        for j in restricted {
            let mut r = row.clone();
            r.input = inputs[j].clone();
            (r.lower, r.upper) = st.limits[j];
            if chosen {
                if let Some(q) = d.restrictions.iter().find(|q| q.input == j) {
                    r.qp_lower = q.qp_lower.unwrap_or(f64::NAN);
                    r.qp_upper = q.qp_upper.unwrap_or(f64::NAN);
                }
                if let Some(q) = d.reproducibility.iter().find(|q| q.input == j) {
                    r.reproducibility = q.by_density;
                }
            }
            out.push(r);
        }
    }
    for (l, leaf) in d.leaves.iter().enumerate() {
        let mut row = base("cart", l, "leaf", leaf.density > 0.5);
        row.coverage = leaf.coverage;
        row.density = leaf.density;
        row.mass = leaf.mass;
        row.n = leaf.n;
        row.k = leaf.k;
        row.restricted = leaf.restricted.len();
        if leaf.restricted.is_empty() {
            out.push(row);
            continue;
        }
        for &j in &leaf.restricted {
            let mut r = row.clone();
            r.input = inputs[j].clone();
            (r.lower, r.upper) = leaf.limits[j];
            out.push(r);
        }
    }
    out
}

/// The file's text.
pub fn write(d: &Discovery, inputs: &[String], outcome: &str) -> String {
    super::write_csv(rows(d, inputs, outcome))
}
