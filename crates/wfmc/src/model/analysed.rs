//! The outputs every sensitivity analysis reports on: a list of series of the
//! model's output vector.

use super::{Layout, Metric, Series};
use crate::dims::Dims;

/// One analysed output: a scalar of the model's output vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Scenario index.
    pub scenario: usize,
    /// Name like `gap/total/2030` or `gap/clinical_informatics/2030`.
    pub name: String,
    /// Index into the model's output vector.
    pub index: usize,
}

/// The analysed outputs, per scenario: the last year's net gap, gross shortfall and
/// cost of demand (totals), then the last year's gap of each area.
pub fn outputs(dims: &Dims) -> Vec<Output> {
    let lay = Layout::of(dims);
    let k = dims.last();
    let year = dims.last_year;
    let mut out = vec![];
    for s in 0..dims.n_scenarios() {
        let mut push = |area: Option<usize>, metric: Metric| {
            let sr = Series {
                scenario: s,
                area,
                year: k,
                metric,
            };
            out.push(Output {
                scenario: s,
                name: format!("{}/{}/{year}", metric.key(dims), dims.place_key(area)),
                index: lay.index(&sr),
            });
        };
        push(None, Metric::Gap);
        push(None, Metric::GrossShortfall);
        push(None, Metric::CostDemand);
        for a in 0..dims.n_areas() {
            push(Some(a), Metric::Gap);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_named_by_metric_area_and_year() {
        let o = outputs(&Dims::report());
        assert_eq!(o.len(), 2 * 12);
        let names: Vec<&str> = o.iter().map(|o| o.name.as_str()).collect();
        for n in [
            "gap/total/2030",
            "gross_shortfall/total/2030",
            "cost_demand/total/2030",
            "gap/clinical_informatics/2030",
        ] {
            assert!(names.contains(&n), "{n} in {names:?}");
        }
    }
}
