//! Where each output lives in the flat output vector, and what it is called.
//!
//! The vector is `[scenario][area or total][year][metric]`, then the gross
//! shortfall `[scenario][year]`; its sizes come from the config's dimensions
//! ([`Layout::of`]) and are fixed for a run, so the hot loops index by arithmetic.

use crate::dims::Dims;

/// An output quantity of one scenario, area (or total) and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Demand, WTE.
    Demand,
    /// Supply, WTE.
    Supply,
    /// Supply − demand, WTE (negative = shortfall).
    Gap,
    /// Salary and on-costs of the demanded workforce, GBP.
    CostDemand,
    /// Salary and on-costs of the supplied workforce, GBP.
    CostSupply,
    /// Salary and on-costs of a workforce held at its base-year size, GBP.
    CostFlat,
    /// Demand at one job level (its index), WTE.
    DemandLevel(usize),
    /// Salary and on-costs of the demanded workforce priced level by level (each
    /// level at its pay bands), GBP; only where every level maps pay bands.
    CostDemandByLevel,
    /// Σ over areas of max(demand − supply, 0), WTE; totals only.
    GrossShortfall,
}

impl Metric {
    /// The name used in CSV and JSON outputs.
    pub fn key(self, dims: &Dims) -> String {
        match self {
            Metric::Demand => "demand".into(),
            Metric::Supply => "supply".into(),
            Metric::Gap => "gap".into(),
            Metric::CostDemand => "cost_demand".into(),
            Metric::CostSupply => "cost_supply".into(),
            Metric::CostFlat => "cost_flat".into(),
            Metric::DemandLevel(l) => format!("demand_{}", dims.level_key(l)),
            Metric::CostDemandByLevel => "cost_demand_by_level".into(),
            Metric::GrossShortfall => "gross_shortfall".into(),
        }
    }

    /// True for money metrics (GBP), false for WTE.
    pub fn is_cost(self) -> bool {
        matches!(
            self,
            Metric::CostDemand | Metric::CostSupply | Metric::CostFlat | Metric::CostDemandByLevel
        )
    }
}

/// One named output series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Series {
    /// Scenario index.
    pub scenario: usize,
    /// Area index, or `None` for the total over areas.
    pub area: Option<usize>,
    /// Year index (0 = the base year).
    pub year: usize,
    /// What is measured.
    pub metric: Metric,
}

/// The sizes of a run's output vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Scenarios.
    pub scenarios: usize,
    /// Areas of work.
    pub areas: usize,
    /// Yearly points.
    pub years: usize,
    /// Job levels.
    pub levels: usize,
    /// Whether demand is also costed by level.
    pub level_cost: bool,
}

/// The metrics before the job levels' in each area slot.
const HEAD: [Metric; 6] = [
    Metric::Demand,
    Metric::Supply,
    Metric::Gap,
    Metric::CostDemand,
    Metric::CostSupply,
    Metric::CostFlat,
];

impl Layout {
    /// The layout of a config's dimensions.
    pub fn of(d: &Dims) -> Layout {
        Layout {
            scenarios: d.n_scenarios(),
            areas: d.n_areas(),
            years: d.n_years(),
            levels: d.n_levels(),
            level_cost: d.costs_levels(),
        }
    }

    /// Metrics stored for every area and the total.
    pub fn metrics_per_slot(&self) -> usize {
        HEAD.len() + self.levels + usize::from(self.level_cost)
    }

    /// Metrics stored for every area and the total, in storage order.
    pub fn area_metrics(&self) -> Vec<Metric> {
        let mut v = HEAD.to_vec();
        v.extend((0..self.levels).map(Metric::DemandLevel));
        if self.level_cost {
            v.push(Metric::CostDemandByLevel);
        }
        v
    }

    /// Every metric, the gross shortfall last.
    pub fn all_metrics(&self) -> Vec<Metric> {
        let mut v = self.area_metrics();
        v.push(Metric::GrossShortfall);
        v
    }

    /// Position of an area metric within a slot.
    pub fn slot_of(&self, m: Metric) -> usize {
        match m {
            Metric::Demand => 0,
            Metric::Supply => 1,
            Metric::Gap => 2,
            Metric::CostDemand => 3,
            Metric::CostSupply => 4,
            Metric::CostFlat => 5,
            Metric::DemandLevel(l) => HEAD.len() + l,
            Metric::CostDemandByLevel => HEAD.len() + self.levels,
            Metric::GrossShortfall => usize::MAX,
        }
    }

    fn area_slots(&self) -> usize {
        self.areas + 1
    }

    fn n_base(&self) -> usize {
        self.scenarios * self.area_slots() * self.years * self.metrics_per_slot()
    }

    /// Length of the output vector.
    pub fn len(&self) -> usize {
        self.n_base() + self.scenarios * self.years
    }

    /// Whether the vector is empty (never, for a valid config).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Start of the metrics of scenario `s`, area index `a` (`None` = total), year `k`.
    #[inline]
    pub fn area_base(&self, s: usize, a: Option<usize>, k: usize) -> usize {
        let slot = a.unwrap_or(self.areas);
        ((s * self.area_slots() + slot) * self.years + k) * self.metrics_per_slot()
    }

    /// Index of the gross shortfall of scenario `s`, year `k`.
    #[inline]
    pub fn gross_index(&self, s: usize, k: usize) -> usize {
        self.n_base() + s * self.years + k
    }

    /// Position of a series in the output vector.
    pub fn index(&self, s: &Series) -> usize {
        match s.metric {
            Metric::GrossShortfall => self.gross_index(s.scenario, s.year),
            m => self.area_base(s.scenario, s.area, s.year) + self.slot_of(m),
        }
    }

    /// The index of series `j` in the first scenario, when `j` belongs to a later
    /// scenario and is one of the metrics the model computes once for all scenarios
    /// (supply, its cost and the flat cost): the two are then the same number in
    /// every draw, which lets the statistics skip the copy.
    pub fn twin(&self, j: usize) -> Option<usize> {
        if j >= self.n_base() {
            return None;
        }
        let per_scenario = self.area_slots() * self.years * self.metrics_per_slot();
        let (s, r) = (j / per_scenario, j % per_scenario);
        let m = r % self.metrics_per_slot();
        let shared = m == 1 || m == 4 || m == 5;
        (s > 0 && shared).then_some(r)
    }

    /// Every series, in storage order.
    pub fn series(&self) -> Vec<Series> {
        let mut v = Vec::with_capacity(self.len());
        let metrics = self.area_metrics();
        for scenario in 0..self.scenarios {
            for area in (0..self.areas).map(Some).chain([None]) {
                for year in 0..self.years {
                    for &metric in &metrics {
                        v.push(Series {
                            scenario,
                            area,
                            year,
                            metric,
                        });
                    }
                }
            }
        }
        for scenario in 0..self.scenarios {
            for year in 0..self.years {
                v.push(Series {
                    scenario,
                    area: None,
                    year,
                    metric: Metric::GrossShortfall,
                });
            }
        }
        v
    }

    /// The series at a position.
    pub fn series_at(&self, index: usize) -> Series {
        let g = self.n_base();
        if index >= g {
            let (scenario, year) = ((index - g) / self.years, (index - g) % self.years);
            return Series {
                scenario,
                area: None,
                year,
                metric: Metric::GrossShortfall,
            };
        }
        let mps = self.metrics_per_slot();
        let m = index % mps;
        let k = (index / mps) % self.years;
        let slot = (index / mps / self.years) % self.area_slots();
        let s = index / mps / self.years / self.area_slots();
        Series {
            scenario: s,
            area: (slot < self.areas).then_some(slot),
            year: k,
            metric: self.area_metrics()[m],
        }
    }

    /// Shortfall slots: scenario × (areas + total) × year.
    pub fn n_short(&self) -> usize {
        self.scenarios * self.area_slots() * self.years
    }

    /// Shortfall slot of scenario `s`, area index `a` (`None` = total), year `k`.
    #[inline]
    pub fn short_slot(&self, s: usize, a: Option<usize>, k: usize) -> usize {
        (s * self.area_slots() + a.unwrap_or(self.areas)) * self.years + k
    }

    /// Output index of the gap behind shortfall slot `i`.
    pub fn short_gap_index(&self, i: usize) -> usize {
        let k = i % self.years;
        let slot = (i / self.years) % self.area_slots();
        let s = i / (self.years * self.area_slots());
        let a = (slot < self.areas).then_some(slot);
        self.area_base(s, a, k) + self.slot_of(Metric::Gap)
    }
}

impl Dims {
    /// The metric named `key`, if this config's outputs have it.
    pub fn metric(&self, key: &str) -> Option<Metric> {
        Layout::of(self)
            .all_metrics()
            .into_iter()
            .find(|m| m.key(self) == key)
    }

    /// Every metric key of this config's outputs.
    pub fn metric_keys(&self) -> Vec<String> {
        Layout::of(self)
            .all_metrics()
            .into_iter()
            .map(|m| m.key(self))
            .collect()
    }

    /// Looks a series up by the names its rows carry in `bands.csv` (metric,
    /// scenario, area key or `total`, calendar year); the message lists what is valid.
    pub fn series(
        &self,
        metric: &str,
        scenario: &str,
        area: &str,
        year: u32,
    ) -> Result<Series, String> {
        let m = self.metric(metric).ok_or_else(|| {
            format!(
                "metric `{metric}`: valid metrics are {}",
                self.metric_keys().join(", ")
            )
        })?;
        let s = self.scenario(scenario).ok_or_else(|| {
            format!(
                "scenario `{scenario}`: valid scenarios are {}",
                self.scenario_keys().join(", ")
            )
        })?;
        let a = match area {
            "total" => None,
            k => Some(self.area(k).ok_or_else(|| {
                format!(
                    "area `{k}`: valid areas are total, {}",
                    self.area_keys().join(", ")
                )
            })?),
        };
        if m == Metric::GrossShortfall && a.is_some() {
            return Err(format!(
                "metric `{metric}` is kept for the total only, not for area `{area}`"
            ));
        }
        let k = self.year_index(year).ok_or_else(|| {
            format!(
                "year {year}: years run from {} to {}",
                self.base_year, self.last_year
            )
        })?;
        Ok(Series {
            scenario: s,
            area: a,
            year: k,
            metric: m,
        })
    }

    /// A name for a series: `metric/scenario/area/year`, e.g. `gap/data_driven/total/2030`.
    pub fn series_label(&self, s: &Series) -> String {
        format!(
            "{}/{}/{}/{}",
            s.metric.key(self),
            self.scenario_key(s.scenario),
            self.place_key(s.area),
            self.year_of(s.year)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_match_storage_order() {
        let mut d = Dims::report();
        for l in &mut d.levels {
            l.bands = vec!["5".into()];
        }
        for dims in [Dims::report(), d] {
            let lay = Layout::of(&dims);
            let all = lay.series();
            assert_eq!(all.len(), lay.len());
            for (i, s) in all.iter().enumerate() {
                assert_eq!(lay.index(s), i, "{s:?}");
                assert_eq!(lay.series_at(i), *s);
            }
            for i in 0..lay.n_short() {
                let s = lay.series_at(lay.short_gap_index(i));
                assert_eq!(s.metric, Metric::Gap);
                assert_eq!(lay.short_slot(s.scenario, s.area, s.year), i);
            }
        }
        assert_eq!(Layout::of(&Dims::report()).len(), 2222);
    }
}
