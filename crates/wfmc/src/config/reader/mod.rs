//! The validation pass: turns the raw structs of a config's tree ([`super::raw`])
//! into the resolved [`Config`], collecting every problem by key path. One file per
//! part: the primitives here (numbers, strings, lists, keys); [`dims`] the
//! dimensions; `inputs` uncertain inputs, families, factors and bands; `tables` the
//! areas, supply and demand; `levers` interventions, stress profiles, the salary
//! path and forecaster returns.

mod decision;
mod dims;
mod inputs;
mod levers;
mod tables;

use super::raw::{self, Years};
use super::*;
use crate::dims::Dims;
use serde::de::DeserializeOwned;

pub(super) use inputs::FamilyDefault;

/// Walks a config's tree, collecting problems by key path.
#[derive(Default)]
pub struct Reader {
    /// Problems found so far.
    pub problems: Vec<Problem>,
    /// Problems located in another file (the forecaster returns).
    pub(crate) returns: Vec<super::error::Returned>,
    /// Text of files read besides the config (hashed with it).
    pub extra_source: String,
    /// How many of the problems are unknown keys (which leave what is read intact).
    pub(super) unknown: usize,
}

/// A key path, e.g. `["areas", "ict", "band"]`.
pub(super) type Path_ = Vec<String>;

/// `path` with `key` appended.
pub(super) fn join(path: &[String], key: &str) -> Path_ {
    let mut p = path.to_vec();
    p.push(key.to_string());
    p
}

/// `path` as a key path of strings.
pub(super) fn at(path: &[&str]) -> Path_ {
    path.iter().map(|s| s.to_string()).collect()
}

/// What a value is, for messages.
pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

impl Reader {
    pub(super) fn problem(&mut self, path: Path_, headline: &str, detail: impl Into<String>) {
        self.problems.push(Problem::new(path, headline, detail));
    }

    /// Reports every key of `t` not in `allowed`, naming the nearest.
    pub(super) fn keys(&mut self, t: &Table, path: &[String], allowed: &[&str]) {
        for k in t.keys() {
            if !allowed.contains(&k.as_str()) {
                let hint = match locate::nearest(k, allowed.iter().copied()) {
                    Some(n) => format!(
                        "did you mean `{n}`? valid keys here: {}",
                        allowed.join(", ")
                    ),
                    None => format!("valid keys here: {}", allowed.join(", ")),
                };
                self.problem(join(path, k), &format!("unknown key `{k}`"), hint);
                self.unknown += 1;
            }
        }
    }

    /// The table `v` as raw struct `T`, its keys checked against `T`'s (their
    /// years filled in from `years`); `None` (a problem reported) if it is no table.
    pub(super) fn section<T: DeserializeOwned + Default>(
        &mut self,
        v: Option<&Value>,
        path: &[String],
        years: Years,
        required: bool,
    ) -> Option<T> {
        let t = self.table_value(v, path, required)?;
        let allowed = raw::keys::<T>(years);
        let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
        self.keys(t, path, &allowed);
        Some(raw::parse::<T>(t, years))
    }

    /// `v` as a table; a problem where it is another type, or missing and `required`.
    pub(super) fn table_value<'t>(
        &mut self,
        v: Option<&'t Value>,
        path: &[String],
        required: bool,
    ) -> Option<&'t Table> {
        match v {
            Some(Value::Table(x)) => Some(x),
            Some(v) => {
                self.problem(
                    path.to_vec(),
                    "wrong type",
                    format!("found {}, expected a table", type_name(v)),
                );
                None
            }
            None => {
                if required {
                    let key = path.last().map_or("", String::as_str);
                    self.problem(
                        path.to_vec(),
                        &format!("missing `{key}`"),
                        "this table is required".to_string(),
                    );
                }
                None
            }
        }
    }

    /// The table at `key` of `t` (a problem where it is not a table).
    pub(super) fn table<'t>(
        &mut self,
        t: &'t Table,
        path: &[String],
        key: &str,
        required: bool,
    ) -> Option<&'t Table> {
        self.table_value(t.get(key), &join(path, key), required)
    }

    /// A finite number at `p`; a problem where it is something else, or missing and
    /// `required`.
    pub(super) fn number(&mut self, v: Option<&Value>, p: Path_, required: bool) -> Option<f64> {
        match v {
            Some(v) => self.num_value(v, p),
            None => {
                if required {
                    let key = p.last().cloned().unwrap_or_default();
                    self.problem(p, &format!("missing `{key}`"), "a number is required here");
                }
                None
            }
        }
    }

    pub(super) fn num_value(&mut self, v: &Value, p: Path_) -> Option<f64> {
        let x = match v {
            Value::Integer(i) => *i as f64,
            Value::Float(f) => *f,
            other => {
                self.problem(
                    p,
                    "wrong type",
                    format!("found {}, expected a number", type_name(other)),
                );
                return None;
            }
        };
        if !x.is_finite() {
            self.problem(
                p,
                "not a finite number",
                format!("found {x}; NaN and infinities are not allowed"),
            );
            return None;
        }
        Some(x)
    }

    pub(super) fn nonneg(&mut self, x: Option<f64>, p: Path_, what: &str) -> Option<f64> {
        match x {
            Some(v) if v < 0.0 => {
                self.problem(
                    p,
                    &format!("negative {what}"),
                    format!("found {v}, expected a number ≥ 0"),
                );
                None
            }
            other => other,
        }
    }

    /// A string at `p`.
    pub(super) fn string(&mut self, v: Option<&Value>, p: Path_, required: bool) -> Option<String> {
        match v {
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.problem(
                    p,
                    "wrong type",
                    format!("found {}, expected a string", type_name(v)),
                );
                None
            }
            None => {
                if required {
                    let key = p.last().cloned().unwrap_or_default();
                    self.problem(p, &format!("missing `{key}`"), "a string is required here");
                }
                None
            }
        }
    }

    /// A boolean at `p` (`default` where absent).
    pub(super) fn boolean(&mut self, v: Option<&Value>, p: Path_, default: bool) -> bool {
        match v {
            None => default,
            Some(Value::Boolean(b)) => *b,
            Some(v) => {
                self.problem(
                    p,
                    "wrong type",
                    format!("found {}, expected true or false", type_name(v)),
                );
                default
            }
        }
    }

    /// Level counts at `p`: one WTE count ≥ 0 per level of `dims`, not all zero.
    pub(super) fn levels(
        &mut self,
        v: Option<&Value>,
        p: Path_,
        dims: &Dims,
        required: bool,
    ) -> Option<Vec<f64>> {
        let n = dims.n_levels();
        let expect = format!(
            "expected a list of {n} WTE counts ≥ 0 in the order {}",
            dims.level_keys().join(", ")
        );
        match v {
            Some(Value::Array(items)) if items.len() == n => {
                let mut out = vec![0.0; n];
                for (i, v) in items.iter().enumerate() {
                    match num_quiet(v) {
                        Some(x) if x >= 0.0 => out[i] = x,
                        _ => {
                            let found = match v {
                                Value::Integer(_) | Value::Float(_) => format!("{v}"),
                                v => type_name(v).to_string(),
                            };
                            self.problem(
                                p,
                                "bad level count",
                                format!("item {} is {found}; {expect}", i + 1),
                            );
                            return None;
                        }
                    }
                }
                if out.iter().sum::<f64>() <= 0.0 {
                    self.problem(
                        p,
                        "level counts all zero",
                        format!("they are used as shares, so at least one must be > 0; {expect}"),
                    );
                    return None;
                }
                Some(out)
            }
            Some(v) => {
                let found = match v {
                    Value::Array(a) => format!("a list of {}", a.len()),
                    v => type_name(v).to_string(),
                };
                self.problem(p, "wrong level counts", format!("found {found}; {expect}"));
                None
            }
            None => {
                if required {
                    let key = p.last().cloned().unwrap_or_default();
                    self.problem(p, &format!("missing `{key}`"), expect);
                }
                None
            }
        }
    }

    /// A list of numbers at `p` (required).
    pub(super) fn num_list(&mut self, v: Option<&Value>, p: Path_) -> Option<Vec<f64>> {
        match v {
            Some(Value::Array(items)) => {
                let mut out = vec![];
                for v in items {
                    out.push(self.num_value(v, p.clone())?);
                }
                Some(out)
            }
            Some(v) => {
                self.problem(
                    p,
                    "wrong type",
                    format!("found {}, expected a list of numbers", type_name(v)),
                );
                None
            }
            None => {
                let key = p.last().cloned().unwrap_or_default();
                self.problem(
                    p,
                    &format!("missing `{key}`"),
                    "a list of numbers is required here",
                );
                None
            }
        }
    }

    /// A whole number in `lo..=hi` at `p` (`default` where absent); else the
    /// problem `what`, expecting `kind` in the range.
    pub(super) fn whole_in(
        &mut self,
        v: Option<&Value>,
        p: Path_,
        default: u32,
        (lo, hi): (u32, u32),
        what: &str,
        kind: &str,
    ) -> Option<u32> {
        let x = match v {
            None => f64::from(default),
            Some(v) => self.num_value(v, p.clone())?,
        };
        if x.fract() != 0.0 || x < f64::from(lo) || x > f64::from(hi) {
            self.problem(
                p,
                what,
                format!("found {x}, expected {kind} from {lo} to {hi}"),
            );
            return None;
        }
        Some(x as u32)
    }

    /// A distribution written as text at `p`.
    pub(super) fn dist(&mut self, text: &str, p: Path_) -> Option<Dist> {
        match Dist::parse(text) {
            Ok(d) => Some(d),
            Err(DistError(msg)) => {
                self.problem(p, "bad distribution", format!("`{text}`: {msg}"));
                None
            }
        }
    }

    /// Reads the whole config from its tree.
    pub(super) fn config(&mut self, root: &Table, text: &str, origin: &str) -> Option<Config> {
        let top: Path_ = vec![];
        let report = Dims::report();
        let fixed = Years {
            base: report.base_year,
            last: report.last_year,
        };
        let raw = self.section::<raw::Top>(Some(&Value::Table(root.clone())), &top, fixed, true)?;
        let name = self.string(raw.name.as_ref(), at(&["name"]), true);
        if let Some(n) = &name
            && (n.is_empty()
                || !n
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                || n.starts_with('.'))
        {
            self.problem(
                at(&["name"]),
                "bad name",
                format!("`{n}` names the results folder: use letters, digits, `-`, `_` or `.`"),
            );
        }
        let title = self
            .string(raw.title.as_ref(), at(&["title"]), false)
            .unwrap_or_default();
        let declares_dims = raw.dimensions.is_some();
        // Every other table is read against the dimensions: with none valid, its
        // problems would be noise.
        let dims = self.dimensions(raw.dimensions.as_ref())?;
        let years = Years {
            base: dims.base_year,
            last: dims.last_year,
        };
        // Factors first: inputs refer to them.
        let factors = self.factors(raw.factors.as_ref(), years);
        let pay_scale = self.pay_scale(raw.pay_scale.as_ref(), years);
        let level_pay = self.level_pay(&dims, &pay_scale);
        let unc = self.uncertainty(raw.uncertainty.as_ref(), &dims, &factors);
        let fam = FamilyDefault::default();
        let salary_growth = self.input(
            raw.salary_growth.as_ref(),
            at(&["salary_growth"]),
            None,
            &fam,
            &factors,
        );
        let on_cost = self.input(raw.on_cost.as_ref(), at(&["on_cost"]), None, &fam, &factors);
        let salary_path = self.salary_path(raw.salary_path.as_ref(), &dims);
        let interventions = self.interventions(raw.interventions.as_ref(), &dims, &factors);
        let names: Vec<String> = interventions.iter().map(|i| i.name.clone()).collect();
        let stress = self.stress(raw.stress.as_ref(), &dims, &factors, &pay_scale, &names);
        let decision = self.decision(raw.decision.as_ref(), years, &names);
        let areas = self.areas(
            raw.areas.as_ref(),
            raw.supply.as_ref(),
            &dims,
            &unc,
            &pay_scale,
            &factors,
        );
        let mut demand = self.demand(raw.demand.as_ref(), &dims, &areas, &unc, &factors);
        if !self.problems.is_empty()
            || areas.len() != dims.n_areas()
            || demand.len() != dims.n_scenarios()
            || demand.iter().any(|r| r.len() != dims.n_areas())
        {
            return None;
        }
        let panel = self.panel(raw.forecasters.as_ref(), &dims, &areas, origin)?;
        if let Some(p) = &panel {
            // The panel replaces the demand ratios and last-year level shares entirely.
            for (s, row) in demand.iter_mut().enumerate() {
                for (a, d) in row.iter_mut().enumerate() {
                    let (r_mid, r_last, q) = p.mean(s, a)?;
                    d.ratio = Input::fixed(r_last);
                    d.ratio_mid = Some(r_mid);
                    d.shares = SharesDist::Fixed(q);
                }
            }
        }
        Some(Config {
            name: name?,
            title,
            origin: origin.to_string(),
            dims: std::sync::Arc::new(dims),
            declares_dims,
            level_pay,
            source: text.to_string(),
            tree: root.clone(),
            salary_growth: salary_growth?,
            salary_path: salary_path?,
            stress,
            interventions,
            overrides: vec![],
            panel,
            on_cost: on_cost?,
            pay_scale,
            factors,
            areas,
            demand,
            decision,
        })
    }
}

/// A finite number, or `None`, reporting nothing.
pub(super) fn num_quiet(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}
