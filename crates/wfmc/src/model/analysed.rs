//! The outputs every sensitivity analysis reports on (spec §5): a list of series of
//! the model's output vector.

use super::{Metric, Series};
use crate::dims::{Area, END_YEAR, N_YEARS, Scenario};

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

/// The outputs of spec §5, per scenario: 2030 net gap, gross shortfall and cost of
/// demand (totals), then the 2030 gap of each area.
pub fn outputs() -> Vec<Output> {
    let k = N_YEARS - 1;
    let mut out = vec![];
    for &s in Scenario::ALL {
        let series = |area: Option<Area>, metric: Metric| Series {
            scenario: s,
            area,
            year: k,
            metric,
        };
        let mut push = |area: Option<Area>, metric: Metric| {
            let sr = series(area, metric);
            out.push(Output {
                scenario: s.index(),
                name: format!("{}/{}/{END_YEAR}", metric.key(), sr.area_key()),
                index: sr.index(),
            });
        };
        push(None, Metric::Gap);
        push(None, Metric::GrossShortfall);
        push(None, Metric::CostDemand);
        for &a in Area::ALL {
            push(Some(a), Metric::Gap);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_named_like_the_spec() {
        let o = outputs();
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
