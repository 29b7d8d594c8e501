//! `[dimensions]`: the config's years, scenarios, areas of work and job levels.
//! Each is optional and defaults to the report's.

use super::*;
use crate::dims::{AreaDim, LevelDim, MAX_AREAS, MAX_HORIZON, MAX_LEVELS, MAX_SCENARIOS, Named};

/// Whether `k` is a key: lowercase letters, digits and `_`, starting with a letter.
fn is_key(k: &str) -> bool {
    k.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A dimension's raw entry with its position in the list (for locating problems).
type Indexed = (usize, raw::Entry);

impl Reader {
    /// The dimensions `[dimensions]` declares (the report's where it is absent);
    /// `None` when they are not valid (problems reported).
    pub(super) fn dimensions(&mut self, v: Option<&Value>) -> Option<Dims> {
        let report = Dims::report();
        let Some(v) = v else {
            return Some(report);
        };
        let path = at(&["dimensions"]);
        let years = Years {
            base: report.base_year,
            last: report.last_year,
        };
        // Problems other than unknown keys make the dimensions invalid.
        let n0 = self.problems.len() - self.unknown;
        let raw = self.section::<raw::Dimensions>(Some(v), &path, years, true)?;
        let base_year = self.whole_in(
            raw.base_year.as_ref(),
            join(&path, "base_year"),
            report.base_year,
            (1900, 2200),
            "year out of range",
            "a year",
        );
        let last_default = base_year.map_or(report.last_year, |b| {
            b + (report.last_year - report.base_year)
        });
        let last_year = self.whole_in(
            raw.last_year.as_ref(),
            join(&path, "last_year"),
            last_default,
            (1900, 2300),
            "year out of range",
            "a year",
        );
        if let (Some(b), Some(l)) = (base_year, last_year)
            && !(l > b && l - b <= MAX_HORIZON)
        {
            self.problem(
                join(&path, "last_year"),
                "horizon out of range",
                format!(
                    "{b} to {l}: the last year must come 1 to {MAX_HORIZON} years after the base year"
                ),
            );
        }
        let families = match &raw.families {
            None => report.families.clone(),
            Some(v) => self.entries(v, &join(&path, "families"), 64, false)?.0,
        };
        let scenarios = match &raw.scenarios {
            None => report.scenarios.clone(),
            Some(v) => {
                self.entries(v, &join(&path, "scenarios"), MAX_SCENARIOS, false)?
                    .0
            }
        };
        let areas = match &raw.areas {
            None => report.areas.clone(),
            Some(v) => {
                let p = join(&path, "areas");
                let (names, extra) = self.entries(v, &p, MAX_AREAS, true)?;
                let mut out = vec![];
                for (name, (i, e)) in names.into_iter().zip(extra) {
                    let at_family = join(&join(&p, &i.to_string()), "family");
                    let family = match e.family {
                        None => None,
                        Some(f) => {
                            let f = self.string(Some(&f), at_family.clone(), true)?;
                            if !families.is_empty() && !families.iter().any(|x| x.key == f) {
                                let keys: Vec<&str> =
                                    families.iter().map(|x| x.key.as_str()).collect();
                                self.problem(
                                    at_family,
                                    &format!("unknown family `{f}`"),
                                    format!("the dimensions' families: {}", keys.join(", ")),
                                );
                            }
                            Some(f)
                        }
                    };
                    out.push(AreaDim { name, family });
                }
                out
            }
        };
        let levels = match &raw.levels {
            None => report.levels.clone(),
            Some(v) => {
                let p = join(&path, "levels");
                let (names, extra) = self.entries(v, &p, MAX_LEVELS, true)?;
                let mut out = vec![];
                for (name, (i, e)) in names.into_iter().zip(extra) {
                    let at_bands = join(&join(&p, &i.to_string()), "bands");
                    let bands = match e.bands {
                        None => vec![],
                        Some(Value::Array(items)) => items
                            .iter()
                            .filter_map(|b| b.as_str().map(str::to_string))
                            .collect(),
                        Some(other) => {
                            self.problem(
                                at_bands,
                                "wrong type",
                                format!(
                                    "found {}, expected a list of pay band names",
                                    type_name(&other)
                                ),
                            );
                            vec![]
                        }
                    };
                    out.push(LevelDim { name, bands });
                }
                out
            }
        };
        if self.problems.len() - self.unknown > n0 {
            return None;
        }
        Some(Dims {
            base_year: base_year?,
            last_year: last_year?,
            scenarios,
            areas,
            levels,
            families,
        })
    }

    /// The entries of a dimension's list at `p` (1 to `max` of them): key and label,
    /// and the raw entries (for an area's family and a level's bands, where `more`).
    fn entries(
        &mut self,
        v: &Value,
        p: &[String],
        max: usize,
        more: bool,
    ) -> Option<(Vec<Named>, Vec<Indexed>)> {
        let what = p.last().cloned().unwrap_or_default();
        let Value::Array(items) = v else {
            self.problem(
                p.to_vec(),
                "wrong type",
                format!(
                    "found {}, expected a list like [{{ key = \"a\", label = \"A\" }}]",
                    type_name(v)
                ),
            );
            return None;
        };
        if items.is_empty() || items.len() > max {
            self.problem(
                p.to_vec(),
                &format!("wrong number of {what}"),
                format!("found {}, expected 1 to {max}", items.len()),
            );
            return None;
        }
        let allowed: &[&str] = match (more, what.as_str()) {
            (true, "areas") => &["key", "label", "family"],
            (true, _) => &["key", "label", "bands"],
            _ => &["key", "label"],
        };
        let years = Years { base: 0, last: 0 };
        let (mut names, mut raws) = (vec![], vec![]);
        for (i, item) in items.iter().enumerate() {
            let ip = join(p, &i.to_string());
            let Some(t) = self.table_value(Some(item), &ip, true) else {
                continue;
            };
            self.keys(t, &ip, allowed);
            let e: raw::Entry = raw::parse(t, years);
            let Some(key) = self.string(e.key.as_ref(), join(&ip, "key"), true) else {
                continue;
            };
            if !is_key(&key) || key == "total" {
                self.problem(
                    join(&ip, "key"),
                    &format!("bad key `{key}`"),
                    "a key is lowercase letters, digits and `_`, starting with a letter, and not `total`",
                );
                continue;
            }
            if names.iter().any(|n: &Named| n.key == key) {
                self.problem(
                    join(&ip, "key"),
                    &format!("duplicated key `{key}`"),
                    format!("each of the {what} needs a key of its own"),
                );
                continue;
            }
            let label = self
                .string(e.label.as_ref(), join(&ip, "label"), false)
                .unwrap_or_else(|| key.clone());
            names.push(Named { key, label });
            raws.push((i, e));
        }
        Some((names, raws))
    }

    /// The pay of each job level where every level maps pay bands: the mean of the
    /// tops of its bands (empty otherwise); unknown bands are problems.
    pub(super) fn level_pay(&mut self, dims: &Dims, scale: &[Band]) -> Vec<f64> {
        let mapped = dims.levels.iter().filter(|l| !l.bands.is_empty()).count();
        if mapped > 0 && mapped < dims.n_levels() {
            self.problem(
                at(&["dimensions", "levels"]),
                "pay bands for some levels only",
                format!(
                    "{mapped} of {} levels map pay bands: map every level (demand is then costed by level) or none",
                    dims.n_levels()
                ),
            );
        }
        let mut out = vec![];
        for (i, l) in dims.levels.iter().enumerate() {
            let tops: Vec<f64> = l
                .bands
                .iter()
                .filter_map(|b| match scale.iter().find(|x| &x.name == b) {
                    Some(x) => Some(x.top),
                    None => {
                        let names: Vec<&str> = scale.iter().map(|x| x.name.as_str()).collect();
                        self.problem(
                            at(&["dimensions", "levels", &i.to_string(), "bands"]),
                            &format!("unknown band `{b}` of level `{}`", l.name.key),
                            format!("bands of the pay scale: {}", names.join(", ")),
                        );
                        None
                    }
                })
                .collect();
            if !tops.is_empty() {
                out.push(tops.iter().sum::<f64>() / tops.len() as f64);
            }
        }
        if dims.costs_levels() && out.len() == dims.n_levels() {
            out
        } else {
            vec![]
        }
    }
}
