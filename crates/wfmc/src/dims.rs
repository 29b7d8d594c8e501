//! The model's dimensions: its years, scenarios, areas of work and job levels,
//! declared by the config (`[dimensions]`, user guide "Config reference"), with the
//! report's as the default ([`Dims::report`]).
//!
//! Positions in model arrays are indices into these lists; a key (`ict`,
//! `data_driven`) is looked up once, at the config boundary, and a misspelt one is
//! reported there with the nearest valid key.

use std::sync::Arc;

/// The most years a projection spans after its base year.
pub const MAX_HORIZON: u32 = 50;
/// The most scenarios a config declares.
pub const MAX_SCENARIOS: usize = 16;
/// The most areas of work a config declares.
pub const MAX_AREAS: usize = 500;
/// The most job levels a config declares.
pub const MAX_LEVELS: usize = 32;

/// A key (the snake_case name used in configs, paths and outputs) and its label
/// (the wording for people).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Named {
    /// The key.
    pub key: String,
    /// The label.
    pub label: String,
}

impl Named {
    /// A key with its label.
    pub fn new(key: &str, label: &str) -> Named {
        Named {
            key: key.to_string(),
            label: label.to_string(),
        }
    }
}

/// An area of work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct AreaDim {
    /// Key and label.
    pub name: Named,
    /// The role family it belongs to, if the config groups its areas.
    pub family: Option<String>,
}

/// A job level (or pay-band group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LevelDim {
    /// Key and label.
    pub name: Named,
    /// The pay bands the level groups, if the config maps them (names of its pay
    /// scale); when every level has bands, demand is also costed by level.
    pub bands: Vec<String>,
}

/// The dimensions of a config.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Dims {
    /// The base year: the staff counts describe it.
    pub base_year: u32,
    /// The last year projected.
    pub last_year: u32,
    /// Scenarios of demand, in order.
    pub scenarios: Vec<Named>,
    /// Areas of work, in order.
    pub areas: Vec<AreaDim>,
    /// Job levels, in order.
    pub levels: Vec<LevelDim>,
    /// Role families the areas may name (empty: areas are not grouped).
    pub families: Vec<Named>,
}

impl Default for Dims {
    fn default() -> Dims {
        Dims::report()
    }
}

impl Dims {
    /// The dimensions of Health Education England's *Data Driven Healthcare in
    /// 2030*: 2020 to 2030, its two scenarios, nine areas of work in four role
    /// families, and the forecasting template's four job levels (report Table 5.4).
    pub fn report() -> Dims {
        let area = |k: &str, l: &str, f: &str| AreaDim {
            name: Named::new(k, l),
            family: Some(f.to_string()),
        };
        let level = |k: &str, l: &str| LevelDim {
            name: Named::new(k, l),
            bands: vec![],
        };
        Dims {
            base_year: 2020,
            last_year: 2030,
            scenarios: vec![
                Named::new("data_driven", "Data Driven Future (A)"),
                Named::new("data_desert", "Data Desert Future (B)"),
            ],
            areas: vec![
                area("clinical_coding", "Clinical coding", "data_architecture"),
                area("health_records", "Health records", "data_architecture"),
                area(
                    "information_management",
                    "Information management",
                    "data_architecture",
                ),
                area(
                    "ict",
                    "Information and communications technology",
                    "technical_infrastructure",
                ),
                area(
                    "clinical_informatics",
                    "Clinical informatics",
                    "application",
                ),
                area(
                    "knowledge_management",
                    "Knowledge management",
                    "application",
                ),
                area(
                    "it_programmes_project_management",
                    "IT programmes and project management",
                    "organisational_transformation",
                ),
                area(
                    "it_strategy_development",
                    "IT strategy and development",
                    "organisational_transformation",
                ),
                area(
                    "it_education_training",
                    "IT education and training",
                    "organisational_transformation",
                ),
            ],
            levels: vec![
                level("senior_leaders", "Senior leaders"),
                level("managers", "Managers"),
                level("professionals", "Professionals"),
                level("support", "Support staff"),
            ],
            families: vec![
                Named::new("data_architecture", "Data architecture"),
                Named::new("technical_infrastructure", "Technical infrastructure"),
                Named::new("application", "Application"),
                Named::new(
                    "organisational_transformation",
                    "Organisational transformation",
                ),
            ],
        }
    }

    /// Whether these are the report's dimensions (its published figures apply).
    pub fn is_report(&self) -> bool {
        *self == Dims::report()
    }

    /// Yearly points, base year to last year inclusive.
    pub fn n_years(&self) -> usize {
        (self.last_year - self.base_year + 1) as usize
    }

    /// Scenarios.
    pub fn n_scenarios(&self) -> usize {
        self.scenarios.len()
    }

    /// Areas of work.
    pub fn n_areas(&self) -> usize {
        self.areas.len()
    }

    /// Job levels.
    pub fn n_levels(&self) -> usize {
        self.levels.len()
    }

    /// Calendar year of year index `k` (0 = the base year).
    pub fn year_of(&self, k: usize) -> u32 {
        self.base_year + k as u32
    }

    /// Year index of a calendar year, if it lies within the projection.
    pub fn year_index(&self, year: u32) -> Option<usize> {
        (self.base_year..=self.last_year)
            .contains(&year)
            .then(|| (year - self.base_year) as usize)
    }

    /// The last year's index.
    pub fn last(&self) -> usize {
        self.n_years() - 1
    }

    /// The key of scenario `s`.
    pub fn scenario_key(&self, s: usize) -> &str {
        &self.scenarios[s].key
    }

    /// The label of scenario `s`.
    pub fn scenario_label(&self, s: usize) -> &str {
        &self.scenarios[s].label
    }

    /// The key of area `a`.
    pub fn area_key(&self, a: usize) -> &str {
        &self.areas[a].name.key
    }

    /// The label of area `a`.
    pub fn area_label(&self, a: usize) -> &str {
        &self.areas[a].name.label
    }

    /// The key of area `a`, or `total` for `None`.
    pub fn place_key(&self, a: Option<usize>) -> &str {
        a.map_or("total", |a| self.area_key(a))
    }

    /// The key of level `l`.
    pub fn level_key(&self, l: usize) -> &str {
        &self.levels[l].name.key
    }

    /// The label of level `l`.
    pub fn level_label(&self, l: usize) -> &str {
        &self.levels[l].name.label
    }

    /// The index of scenario `key`.
    pub fn scenario(&self, key: &str) -> Option<usize> {
        self.scenarios.iter().position(|s| s.key == key)
    }

    /// The index of area `key`.
    pub fn area(&self, key: &str) -> Option<usize> {
        self.areas.iter().position(|a| a.name.key == key)
    }

    /// The index of level `key`.
    pub fn level(&self, key: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.name.key == key)
    }

    /// Scenario keys, in order.
    pub fn scenario_keys(&self) -> Vec<&str> {
        self.scenarios.iter().map(|s| s.key.as_str()).collect()
    }

    /// Area keys, in order.
    pub fn area_keys(&self) -> Vec<&str> {
        self.areas.iter().map(|a| a.name.key.as_str()).collect()
    }

    /// Level keys, in order.
    pub fn level_keys(&self) -> Vec<&str> {
        self.levels.iter().map(|l| l.name.key.as_str()).collect()
    }

    /// Every area (`Some`), then the total (`None`).
    pub fn places(&self) -> impl Iterator<Item = Option<usize>> + Clone {
        (0..self.n_areas()).map(Some).chain([None])
    }

    /// Whether demand is also costed by level: every level maps pay bands.
    pub fn costs_levels(&self) -> bool {
        !self.levels.is_empty() && self.levels.iter().all(|l| !l.bands.is_empty())
    }

    /// What the dimensions are, for files that must record them (partials, sweep
    /// parts): years, then the keys of each list.
    pub fn signature(&self) -> String {
        format!(
            "years {}-{}; scenarios {}; areas {}; levels {}",
            self.base_year,
            self.last_year,
            self.scenario_keys().join(","),
            self.area_keys().join(","),
            self.level_keys().join(","),
        )
    }

    /// Which dimension differs between two signatures, in words.
    pub fn differs(a: &str, b: &str) -> Option<String> {
        let parts = |s: &str| -> Vec<(String, String)> {
            s.split("; ")
                .map(|p| {
                    let (k, v) = p.split_once(' ').unwrap_or((p, ""));
                    (k.to_string(), v.to_string())
                })
                .collect()
        };
        let (pa, pb) = (parts(a), parts(b));
        for ((ka, va), (_, vb)) in pa.iter().zip(&pb) {
            if va != vb {
                return Some(format!("{ka} differ ({va} against {vb})"));
            }
        }
        (pa.len() != pb.len() || a != b).then(|| format!("dimensions differ ({a} against {b})"))
    }
}

/// Shared dimensions: configs, layouts and summaries hold the same `Arc`.
pub type SharedDims = Arc<Dims>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_s_dimensions() {
        let d = Dims::report();
        assert_eq!(
            (d.n_years(), d.n_scenarios(), d.n_areas(), d.n_levels()),
            (11, 2, 9, 4)
        );
        assert_eq!(d.year_index(2030), Some(10));
        assert_eq!(d.year_index(2031), None);
        assert_eq!(d.area("ict"), Some(3));
        assert_eq!(d.place_key(None), "total");
        assert!(d.is_report() && !d.costs_levels());
        let mut other = d.clone();
        other.last_year = 2035;
        assert_eq!(
            Dims::differs(&d.signature(), &other.signature()).unwrap(),
            "years differ (2020-2030 against 2020-2035)"
        );
    }
}
