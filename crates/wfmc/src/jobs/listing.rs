//! Jobs that read a config and run nothing: the point model, a check, and what
//! the config offers (settable paths, stress profiles, interventions).

use crate::config::Config;
use crate::error::Error;

/// How the point model is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PointFormat {
    /// The report's tables, ours beside the published figures.
    #[default]
    Table,
    /// One row per series: `scenario,area,year,metric,value`.
    Csv,
    /// The same rows as one JSON document.
    Json,
}

/// The point model of `cfg` (every input at its base value), as text.
pub fn point(cfg: &Config, format: PointFormat) -> Result<String, Error> {
    let v = crate::model::point(cfg);
    let mut out = vec![];
    let res = match format {
        PointFormat::Table => {
            return Ok(crate::report::point::render_tables(cfg, &v));
        }
        PointFormat::Csv => crate::report::point::write_csv(&cfg.dims, &v, &mut out),
        PointFormat::Json => crate::report::point::write_json(cfg, &v, &mut out),
    };
    res.map_err(|e| Error::io("writing the point model", e))?;
    String::from_utf8(out).map_err(|e| Error::Runtime(e.to_string()))
}

/// What a config check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Where the config came from.
    pub origin: String,
    /// Areas of work.
    pub areas: usize,
    /// Scenarios.
    pub scenarios: usize,
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: ok ({} areas, {} scenarios)",
            self.origin, self.areas, self.scenarios
        )
    }
}

/// The config `cfg`, loaded and checked (loading it was the check).
pub fn check(cfg: &Config) -> Check {
    Check {
        origin: cfg.origin.clone(),
        areas: cfg.areas.len(),
        scenarios: cfg.demand.len(),
    }
}

/// A stress profile: name, description, and each override as (path, value).
pub type Profile = (String, String, Vec<(String, String)>);

/// What a config offers to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// Where the config came from.
    pub origin: String,
    /// Every path an override may set.
    pub paths: Vec<String>,
    /// Stress profiles: name, description, and each override as (path, value).
    pub profiles: Vec<Profile>,
    /// Interventions: name, description, and whether the config switches it on.
    pub interventions: Vec<(String, String, bool)>,
}

/// What `cfg` offers to change.
pub fn listing(cfg: &Config) -> Listing {
    Listing {
        origin: cfg.origin.clone(),
        paths: cfg.settable_paths(),
        profiles: cfg
            .stress
            .iter()
            .map(|p| {
                let set = p
                    .set
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect();
                (p.name.clone(), p.description.clone(), set)
            })
            .collect(),
        interventions: cfg
            .interventions
            .iter()
            .map(|i| (i.name.clone(), i.description.clone(), i.active))
            .collect(),
    }
}
