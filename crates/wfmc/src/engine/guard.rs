//! The numerical guard: draws whose outputs are not finite, or whose demand or
//! supply is negative somewhere, are counted and left out of the statistics instead
//! of silently poisoning them; a few of them are kept as examples with the inputs
//! of the offending area, so a user can see which assumption produced them.

use crate::dims::Dims;
use crate::model::{Layout, Metric, Series};
use crate::sampling::Sampler;

/// Examples kept (the first ones in chunk order, so the same for any thread count).
pub const MAX_EXAMPLES: usize = 5;
/// Default largest share of rejected draws before a run fails.
pub const DEFAULT_MAX_REJECTED: f64 = 0.001;

/// Why a draw was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Reason {
    /// An output was NaN or infinite.
    NonFinite,
    /// Demand or supply below zero in some area and year.
    NegativeWorkforce,
}

/// One rejected draw.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Example {
    /// Its chunk.
    pub chunk: u64,
    /// Its index within the chunk.
    pub draw: u64,
    /// Why.
    pub reason: Reason,
    /// The first offending output, e.g. `data_driven/ict/2027/supply = -12.5`.
    pub output: String,
    /// The uncertain inputs of the offending output's area: (config path, value,
    /// marginal rank).
    pub inputs: Vec<(String, f64, f64)>,
}

/// Counts and examples of rejected draws; merges exactly.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Guard {
    /// Draws with a non-finite output.
    pub non_finite: u64,
    /// Draws with negative demand or supply.
    pub negative: u64,
    /// The first few, in (chunk, draw) order.
    pub examples: Vec<Example>,
}

/// Indices of every demand and supply series: what must not go below zero.
pub fn workforce_indices(lay: Layout) -> Vec<usize> {
    let mut v = vec![];
    for scenario in 0..lay.scenarios {
        for a in 0..lay.areas {
            for year in 0..lay.years {
                for metric in [Metric::Demand, Metric::Supply] {
                    v.push(lay.index(&Series {
                        scenario,
                        area: Some(a),
                        year,
                        metric,
                    }));
                }
            }
        }
    }
    v
}

/// Checks one draw's outputs: `None` if it may enter the statistics.
#[inline]
pub fn check(row: &[f64], workforce: &[usize]) -> Option<(Reason, usize)> {
    // A pass without early exit vectorises; only a bad row looks for which value.
    if row.iter().fold(false, |bad, x| bad | !x.is_finite()) {
        let i = row.iter().position(|x| !x.is_finite()).unwrap_or(0);
        return Some((Reason::NonFinite, i));
    }
    workforce
        .iter()
        .find(|&&i| row[i] < 0.0)
        .map(|&i| (Reason::NegativeWorkforce, i))
}

impl Guard {
    /// Draws rejected.
    pub fn total(&self) -> u64 {
        self.non_finite + self.negative
    }

    /// Records a rejected draw; keeps it as an example if it is among the first.
    pub fn record(
        &mut self,
        (reason, at): (Reason, usize),
        chunk: u64,
        draw: u64,
        row: &[f64],
        sampler: &Sampler,
        raw: &[f64],
    ) {
        match reason {
            Reason::NonFinite => self.non_finite += 1,
            Reason::NegativeWorkforce => self.negative += 1,
        }
        if self.examples.len() >= MAX_EXAMPLES
            && self
                .examples
                .last()
                .is_some_and(|e| (e.chunk, e.draw) < (chunk, draw))
        {
            return;
        }
        let dims: &Dims = sampler.dims();
        let s = Layout::of(dims).series_at(at);
        // The offending output's own area's inputs (config paths name the area).
        let tag = format!(".{}.", dims.place_key(s.area));
        let inputs: Vec<(String, f64, f64)> = sampler
            .groups()
            .iter()
            .filter(|g| g.is_named_input() && g.name.contains(&tag))
            .map(|g| {
                let u = sampler.marginal_rank(g, raw);
                (g.name.clone(), sampler.scalar_value(g, raw), u)
            })
            .collect();
        self.examples.push(Example {
            chunk,
            draw,
            reason,
            output: format!(
                "{}/{}/{}/{} = {}",
                dims.scenario_key(s.scenario),
                dims.place_key(s.area),
                dims.year_of(s.year),
                s.metric.key(dims),
                row[at]
            ),
            inputs,
        });
        self.examples.sort_by_key(|e| (e.chunk, e.draw));
        self.examples.truncate(MAX_EXAMPLES);
    }

    /// Adds another guard's counts and examples.
    pub fn merge(&mut self, o: &Guard) {
        self.non_finite += o.non_finite;
        self.negative += o.negative;
        self.examples.extend(o.examples.iter().cloned());
        self.examples.sort_by_key(|e| (e.chunk, e.draw));
        self.examples.truncate(MAX_EXAMPLES);
    }

    /// A report of the rejected draws for people.
    pub fn describe(&self, draws: u64) -> String {
        let mut s = format!(
            "{} of {} draws rejected by the numerical guard ({:.4} %): {} with a non-finite output, {} with negative demand or supply",
            self.total(),
            draws,
            100.0 * self.total() as f64 / draws.max(1) as f64,
            self.non_finite,
            self.negative
        );
        for e in &self.examples {
            s.push_str(&format!(
                "\n  chunk {} draw {}: {}",
                e.chunk, e.draw, e.output
            ));
            if !e.inputs.is_empty() {
                s.push_str("; that area's uncertain inputs in this draw:");
            }
            for (name, v, u) in &e.inputs {
                s.push_str(&format!("\n    {name} = {v} (marginal rank {u:.4})"));
            }
        }
        s
    }
}
