//! Where each output lives in the flat output vector, and what it is called.

use crate::dims::{Area, Level, N_AREAS, N_SCENARIOS, N_YEARS, Scenario, year_of};

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
    /// Salary and on-costs of a workforce held at its 2020 size, GBP.
    CostFlat,
    /// Demand at one job level, WTE.
    DemandLevel(Level),
    /// Σ over areas of max(demand − supply, 0), WTE; totals only.
    GrossShortfall,
}

impl Metric {
    /// Metrics stored for every area and the total, in storage order.
    pub const AREA_METRICS: [Metric; 10] = [
        Metric::Demand,
        Metric::Supply,
        Metric::Gap,
        Metric::CostDemand,
        Metric::CostSupply,
        Metric::CostFlat,
        Metric::DemandLevel(Level::SeniorLeaders),
        Metric::DemandLevel(Level::Managers),
        Metric::DemandLevel(Level::Professionals),
        Metric::DemandLevel(Level::Support),
    ];
    /// Number of metrics per area slot.
    pub const N_AREA: usize = Self::AREA_METRICS.len();

    /// The name used in CSV and JSON outputs.
    pub fn key(self) -> String {
        match self {
            Metric::Demand => "demand".into(),
            Metric::Supply => "supply".into(),
            Metric::Gap => "gap".into(),
            Metric::CostDemand => "cost_demand".into(),
            Metric::CostSupply => "cost_supply".into(),
            Metric::CostFlat => "cost_flat".into(),
            Metric::DemandLevel(l) => format!("demand_{}", l.key()),
            Metric::GrossShortfall => "gross_shortfall".into(),
        }
    }

    /// Looks a metric up by its output name.
    pub fn from_key(key: &str) -> Option<Metric> {
        Self::AREA_METRICS
            .iter()
            .copied()
            .chain([Metric::GrossShortfall])
            .find(|m| m.key() == key)
    }

    fn slot(self) -> usize {
        Self::AREA_METRICS
            .iter()
            .position(|m| *m == self)
            .expect("gross shortfall has its own block")
    }

    /// True for money metrics (GBP), false for WTE.
    pub fn is_cost(self) -> bool {
        matches!(
            self,
            Metric::CostDemand | Metric::CostSupply | Metric::CostFlat
        )
    }
}

/// One named output series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Series {
    /// Scenario.
    pub scenario: Scenario,
    /// Area, or `None` for the total over areas.
    pub area: Option<Area>,
    /// Year index (0 = 2020).
    pub year: usize,
    /// What is measured.
    pub metric: Metric,
}

impl Series {
    /// Area name in outputs: the area's key or `total`.
    pub fn area_key(&self) -> &'static str {
        self.area.map_or("total", |a| a.key())
    }

    /// Calendar year.
    pub fn calendar_year(&self) -> u32 {
        year_of(self.year)
    }

    /// Looks a series up by the names its rows carry in `bands.csv` (metric,
    /// scenario, area key or `total`, calendar year); the message lists what is valid.
    pub fn from_keys(
        metric: &str,
        scenario: &str,
        area: &str,
        year: u32,
    ) -> Result<Series, String> {
        let m = Metric::from_key(metric).ok_or_else(|| {
            let mut valid: Vec<String> = Metric::AREA_METRICS.iter().map(|m| m.key()).collect();
            valid.push(Metric::GrossShortfall.key());
            format!("metric `{metric}`: valid metrics are {}", valid.join(", "))
        })?;
        let s = Scenario::from_key(scenario).ok_or_else(|| {
            format!(
                "scenario `{scenario}`: valid scenarios are {}",
                Scenario::keys().join(", ")
            )
        })?;
        let a = match area {
            "total" => None,
            k => Some(Area::from_key(k).ok_or_else(|| {
                format!(
                    "area `{k}`: valid areas are total, {}",
                    Area::keys().join(", ")
                )
            })?),
        };
        if m == Metric::GrossShortfall && a.is_some() {
            return Err(format!(
                "metric `{metric}` is kept for the total only, not for area `{area}`"
            ));
        }
        let k = crate::dims::year_index(year)
            .ok_or_else(|| format!("year {year}: years run from 2020 to 2030"))?;
        Ok(Series {
            scenario: s,
            area: a,
            year: k,
            metric: m,
        })
    }

    /// A name for the series: `metric/scenario/area/year`, e.g. `gap/data_driven/total/2030`.
    pub fn label(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.metric.key(),
            self.scenario.key(),
            self.area_key(),
            self.calendar_year()
        )
    }

    /// Position in the output vector.
    pub fn index(&self) -> usize {
        match self.metric {
            Metric::GrossShortfall => Layout::gross_index(self.scenario.index(), self.year),
            m => {
                Layout::area_base(
                    self.scenario.index(),
                    self.area.map(|a| a.index()),
                    self.year,
                ) + m.slot()
            }
        }
    }
}

/// The flat output vector's layout: `[scenario][area or total][year][metric]`, then
/// the gross shortfall `[scenario][year]`.
pub struct Layout;

impl Layout {
    const AREA_SLOTS: usize = N_AREAS + 1;
    const N_BASE: usize = N_SCENARIOS * Self::AREA_SLOTS * N_YEARS * Metric::N_AREA;
    /// Length of the output vector.
    pub const LEN: usize = Self::N_BASE + N_SCENARIOS * N_YEARS;

    /// Start of the metrics of scenario `s`, area index `a` (`None` = total), year `k`.
    #[inline]
    pub fn area_base(s: usize, a: Option<usize>, k: usize) -> usize {
        let slot = a.unwrap_or(N_AREAS);
        ((s * Self::AREA_SLOTS + slot) * N_YEARS + k) * Metric::N_AREA
    }

    /// Index of the gross shortfall of scenario `s`, year `k`.
    #[inline]
    pub fn gross_index(s: usize, k: usize) -> usize {
        Self::N_BASE + s * N_YEARS + k
    }

    /// The index of series `j` in the first scenario, when `j` belongs to a later
    /// scenario and is one of the metrics the model computes once for all scenarios
    /// (supply, its cost and the flat cost): the two are then the same number in
    /// every draw, which lets the statistics skip the copy.
    pub fn twin(j: usize) -> Option<usize> {
        if j >= Self::N_BASE {
            return None;
        }
        let per_scenario = Self::AREA_SLOTS * N_YEARS * Metric::N_AREA;
        let (s, r) = (j / per_scenario, j % per_scenario);
        let m = Metric::AREA_METRICS[r % Metric::N_AREA];
        let shared = matches!(m, Metric::Supply | Metric::CostSupply | Metric::CostFlat);
        (s > 0 && shared).then_some(r)
    }

    /// Every series, in storage order.
    pub fn series() -> Vec<Series> {
        let mut v = Vec::with_capacity(Self::LEN);
        for &scenario in Scenario::ALL {
            for area in Area::ALL.iter().copied().map(Some).chain([None]) {
                for year in 0..N_YEARS {
                    for metric in Metric::AREA_METRICS {
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
        for &scenario in Scenario::ALL {
            for year in 0..N_YEARS {
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
    pub fn series_at(index: usize) -> Series {
        Self::series()[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_match_storage_order() {
        let all = Layout::series();
        assert_eq!(all.len(), Layout::LEN);
        for (i, s) in all.iter().enumerate() {
            assert_eq!(s.index(), i, "{s:?}");
        }
    }
}
