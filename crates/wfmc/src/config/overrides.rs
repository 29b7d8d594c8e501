//! Overrides: `PATH=VALUE` settings and the config's stress profiles and
//! interventions.
//!
//! An override replaces one value of the config tree, then the whole config is read
//! again, so an override is validated exactly like the file: a bad value gets the
//! same message it would get in the file, blamed on the override that caused it.

use super::{Band, Config, ConfigError, Factor, Problem, Reader, locate};
use crate::wording::{Hint, Invalid, OverrideSource, Setting, Words};
use toml::{Table, Value};

/// One override: a config path and the value to put there.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted config path, e.g. `supply.ict.flow_rate`.
    pub path: String,
    /// The value, as TOML.
    pub value: Value,
    /// Where it came from (a setting, a stress profile, an intervention, a sweep).
    pub origin: OverrideSource,
}

impl Override {
    /// Parses `PATH=VALUE`. VALUE is read as TOML when it is TOML (`0.042`,
    /// `[0.03, 0.04]`, `{ base = 0.027, dist = "…" }`, `"8a"`) and as a string
    /// otherwise, so distribution syntax needs no quotes: `normal(0.10, 0.02)`.
    pub fn parse(text: &str) -> Result<Override, Invalid> {
        let bad = |shown: String, why: &str| Invalid::new(Setting::Set, shown, why);
        let Some((path, value)) = text.split_once('=') else {
            return Err(bad(
                format!("`{text}`"),
                "expected PATH=VALUE, e.g. salary_growth=0.042 or supply.ict.flow_rate=\"normal(0.03, 0.01)\"",
            ));
        };
        let (path, value) = (path.trim(), value.trim());
        if path.is_empty() || value.is_empty() {
            return Err(bad(format!("`{text}`"), "both PATH and VALUE are needed"));
        }
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(bad(
                path.to_string(),
                &format!(
                    "the value holds a control character ({c:?}); a value is one line, e.g. 0.03 or \"normal(0.03, 0.01)\""
                ),
            ));
        }
        Ok(Override {
            path: path.to_string(),
            value: toml_value(value).map_err(|e| bad(format!("{path}={value}"), &e))?,
            origin: OverrideSource::Set {
                path: path.to_string(),
                value: value.to_string(),
            },
        })
    }

    /// `value` (TOML) at `path`, set directly.
    pub fn new(path: &str, value: Value) -> Override {
        Override {
            path: path.to_string(),
            origin: OverrideSource::Set {
                path: path.to_string(),
                value: value.to_string(),
            },
            value,
        }
    }

    /// `path=value` as recorded in manifests.
    pub fn describe(&self) -> String {
        format!("{}={}", self.path, self.value)
    }
}

/// A value as TOML if it parses as such, else as a string. A bare word that is a
/// band name (`7`, `8a`) is kept as given.
fn toml_value(text: &str) -> Result<Value, String> {
    match format!("v = {text}").parse::<Table>() {
        // Anything besides `v` means the text went on past the value.
        Ok(t) if t.len() > 1 => {
            Err("text after the value (a value is one TOML value or one distribution)".into())
        }
        Ok(mut t) => Ok(t.remove("v").unwrap_or_else(|| Value::String(text.into()))),
        Err(_) => Ok(Value::String(text.into())),
    }
}

/// Every path an override may name: the model's inputs and the uncertainty settings,
/// the settable keys of the raw tables ([`super::schema`]), in a fixed order.
pub fn settable_paths(
    dims: &crate::dims::Dims,
    factors: &[Factor],
    scale: &[Band],
    interventions: &[String],
) -> Vec<String> {
    use super::raw::{self, Years};
    use super::schema::{self, settable};
    let y = Years {
        base: dims.base_year,
        last: dims.last_year,
    };
    let mut v: Vec<String> = settable::<raw::Top>("", y, schema::TOP_FIXED);
    for fam in schema::FAMILIES {
        v.extend(settable::<raw::Family>(
            &format!("uncertainty.{}.", y.fill(fam)),
            y,
            &[],
        ));
    }
    v.extend(settable::<raw::SkillMix>("uncertainty.skill_mix.", y, &[]));
    v.extend(settable::<raw::Forecasters>(
        "forecasters.",
        y,
        schema::FORECASTERS_FIXED,
    ));
    v.extend(settable::<raw::BandSteps>("uncertainty.band.", y, &[]));
    for f in factors {
        v.extend(settable::<raw::Factor>(
            &format!("factors.{}.", f.name),
            y,
            &[],
        ));
    }
    for b in scale {
        v.extend(settable::<raw::PayBand>(
            &format!("pay_scale.{}.", b.name),
            y,
            &[],
        ));
    }
    for n in interventions {
        v.extend(settable::<raw::Intervention>(
            &format!("interventions.{n}."),
            y,
            schema::INTERVENTION_FIXED,
        ));
        for lever in schema::LEVERS {
            v.extend(schema::lever_settable(
                lever,
                &format!("interventions.{n}.{lever}."),
                y,
            ));
        }
    }
    for a in dims.area_keys() {
        v.extend(settable::<raw::Area>(
            &format!("areas.{a}."),
            y,
            schema::AREA_FIXED,
        ));
        v.extend(settable::<raw::Supply>(&format!("supply.{a}."), y, &[]));
        for s in dims.scenario_keys() {
            v.extend(settable::<raw::Demand>(&format!("demand.{s}.{a}."), y, &[]));
        }
    }
    v
}

/// Ok if `path` may be overridden; else the nearest valid paths (where
/// [`Hint::ListPaths`] applies).
pub fn check_path(path: &str, valid: &[String]) -> Result<(), String> {
    if valid.iter().any(|v| v == path) {
        return Ok(());
    }
    let near = locate::nearest_n(path, valid, 3);
    Err(format!("nearest valid paths: {}", near.join(", ")))
}

/// Sets `path` (dotted) in `tree`, creating tables on the way.
pub(crate) fn set(tree: &mut Table, path: &str, value: Value) {
    let keys: Vec<&str> = path.split('.').collect();
    let mut t = tree;
    for k in &keys[..keys.len() - 1] {
        let entry = t
            .entry(k.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = Value::Table(Table::new());
        }
        t = entry.as_table_mut().expect("just made a table");
    }
    t.insert(keys[keys.len() - 1].to_string(), value);
}

impl Config {
    /// The value the config's file (with its overrides) gives at the dotted `path`,
    /// as TOML text; `None` where it gives none (the input takes its default or is
    /// derived, as a flow rate from the last year's supply).
    pub fn value_text(&self, path: &str) -> Option<String> {
        let mut keys = path.split('.');
        let mut v = self.tree.get(keys.next()?)?;
        for k in keys {
            v = v.as_table()?.get(k)?;
        }
        Some(v.to_string())
    }

    /// What `list` changes in this config, one `- PATH = OLD` / `+ PATH = NEW` pair
    /// per override in order (`OLD` is `(not given)` where the file gives none):
    /// the config diff a reviewer can paste into a copy of the file.
    pub fn diff(&self, list: &[Override], w: &dyn Words) -> String {
        let mut out = String::new();
        for o in list {
            let old = self.value_text(&o.path).unwrap_or_else(|| {
                self.derived(&o.path).map_or_else(
                    || "(not given: the default)".into(),
                    |x| format!("(not given; derived: {x})"),
                )
            });
            out.push_str(&format!(
                "# {}\n- {} = {old}\n+ {} = {}\n",
                w.source(&o.origin),
                o.path,
                o.path,
                o.value
            ));
        }
        out
    }

    /// The base value of a per-area input the file need not give: a flow rate (from
    /// the last year's supply), the extra inflow, a demand ratio (from the last
    /// year's demand).
    fn derived(&self, path: &str) -> Option<f64> {
        let d = &self.dims;
        match path.split('.').collect::<Vec<_>>()[..] {
            ["supply", a, "flow_rate"] => Some(self.area(d.area(a)?).flow.base),
            ["supply", a, "extra_inflow"] => Some(self.area(d.area(a)?).extra_inflow),
            ["demand", s, a, "ratio"] => {
                Some(self.demand_of(d.scenario(s)?, d.area(a)?).ratio.base)
            }
            _ => None,
        }
    }

    /// Every path an override may name, for this config.
    pub fn settable_paths(&self) -> Vec<String> {
        let names: Vec<String> = self.interventions.iter().map(|i| i.name.clone()).collect();
        settable_paths(&self.dims, &self.factors, &self.pay_scale, &names)
    }

    /// The overrides of the stress profiles `names`, in order.
    pub fn stress_overrides(&self, names: &[String]) -> Result<Vec<Override>, Invalid> {
        let mut out = vec![];
        for n in names {
            let Some(p) = self.stress.iter().find(|p| &p.name == n) else {
                let names: Vec<&str> = self.stress.iter().map(|p| p.name.as_str()).collect();
                return Err(Invalid::new(
                    Setting::Stress,
                    n,
                    format!(
                        "no such profile in {}; profiles: {}",
                        self.origin,
                        list_or_none(&names)
                    ),
                )
                .hint(Hint::ListProfiles));
            };
            out.extend(p.set.iter().map(|(path, value)| Override {
                path: path.clone(),
                value: value.clone(),
                origin: OverrideSource::Stress {
                    profile: n.clone(),
                    path: path.clone(),
                    value: value.to_string(),
                },
            }));
        }
        Ok(out)
    }

    /// The overrides that apply the interventions `names` (`--intervention NAME`:
    /// `interventions.NAME.active = true`), in order. A name may join several with
    /// `+` (a portfolio: `--intervention a+b`).
    pub fn intervention_overrides(&self, names: &[String]) -> Result<Vec<Override>, Invalid> {
        let mut out = vec![];
        for n in names.iter().flat_map(|n| n.split('+')).map(str::trim) {
            if !self.interventions.iter().any(|i| i.name == n) {
                let all: Vec<&str> = self.interventions.iter().map(|i| i.name.as_str()).collect();
                let near = locate::nearest(n, all.iter().copied())
                    .map(|x| format!("did you mean `{x}`? "))
                    .unwrap_or_default();
                return Err(Invalid::new(
                    Setting::Intervention,
                    n,
                    format!(
                        "no such intervention in {}; {near}interventions: {}",
                        self.origin,
                        list_or_none(&all)
                    ),
                )
                .hint(Hint::ListProfiles));
            }
            out.push(Override {
                path: format!("interventions.{n}.active"),
                value: Value::Boolean(true),
                origin: OverrideSource::Intervention {
                    name: n.to_string(),
                },
            });
        }
        Ok(out)
    }

    /// The same config with overrides written as on the command line, e.g.
    /// `cfg.with_set(&["salary_growth=0.042"])`.
    pub fn with_set(&self, set: &[&str]) -> Result<Config, ConfigError> {
        let list = set
            .iter()
            .map(|s| Override::parse(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ConfigError::single(&self.origin, "bad override", e.to_string()))?;
        self.with_overrides(&list)
    }

    /// The config with `list` applied in order. Unknown paths and values that make
    /// the config invalid are errors naming the override.
    pub fn with_overrides(&self, list: &[Override]) -> Result<Config, ConfigError> {
        if list.is_empty() {
            return Ok(self.clone());
        }
        let valid = self.settable_paths();
        let mut problems = vec![];
        let mut returns = vec![];
        let mut tree = self.tree.clone();
        for o in list {
            match check_path(&o.path, &valid) {
                Ok(()) => set(&mut tree, &o.path, o.value.clone()),
                Err(near) => {
                    let mut p = Problem::new(vec![], format!("unknown input `{}`", o.path), near)
                        .with_hint(Hint::ListPaths);
                    p.blame = Some(o.origin.clone());
                    problems.push(p);
                }
            }
        }
        if problems.is_empty() {
            let mut r = Reader::default();
            if let Some(mut c) = r.config(&tree, &self.source, &self.origin)
                && r.problems.is_empty()
                && r.returns.is_empty()
            {
                c.source.push_str(&r.extra_source);
                c.overrides = self.overrides.clone();
                c.overrides.extend(list.iter().map(Override::describe));
                return Ok(c);
            }
            returns = std::mem::take(&mut r.returns);
            // Blame the override whose path the problem lies under (the last one
            // that set it); other problems cannot come from overrides.
            for mut p in r.problems {
                let dotted = p.path.join(".");
                if let Some(o) = list.iter().rev().find(|o| {
                    dotted == o.path
                        || dotted.starts_with(&format!("{}.", o.path))
                        || o.path.starts_with(&format!("{dotted}."))
                }) {
                    p.blame = Some(o.origin.clone());
                }
                problems.push(p);
            }
        }
        Err(ConfigError::from_overrides(&self.origin, problems).with_returns(returns))
    }
}

/// `names` joined with commas, or `none`.
fn list_or_none(names: &[&str]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_toml_or_strings() {
        let o = Override::parse("salary_growth=0.042").unwrap();
        assert_eq!(o.value, Value::Float(0.042));
        let o = Override::parse("supply.ict.flow_rate=normal(0.03, 0.01)").unwrap();
        assert_eq!(o.value, Value::String("normal(0.03, 0.01)".into()));
        let o = Override::parse("salary_path=[0.03, 0.04]").unwrap();
        assert!(o.value.is_array());
        assert!(Override::parse("salary_growth").is_err());
    }

    #[test]
    fn overrides_change_the_point_model() {
        let cfg = Config::builtin();
        let o = Override::parse("salary_growth=fixed(0.042)").unwrap();
        let c = cfg.with_overrides(&[o]).unwrap();
        assert_eq!(c.salary_growth.base, 0.042);
        assert!(!c.salary_growth.is_uncertain());
        assert_ne!(c.hash(), cfg.hash());
        assert_eq!(c.overrides, ["salary_growth=\"fixed(0.042)\""]);
    }

    #[test]
    fn unknown_paths_list_the_nearest() {
        let cfg = Config::builtin();
        let o = Override::parse("supply.clinical_informatic.flow_rate=0").unwrap();
        let e = cfg.with_overrides(&[o]).unwrap_err();
        assert!(
            e.to_string()
                .contains("supply.clinical_informatics.flow_rate"),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains("set supply.clinical_informatic.flow_rate=0"),
            "{e}"
        );
    }

    #[test]
    fn bad_values_name_the_override() {
        let cfg = Config::builtin();
        let o = Override::parse("salary_growth=normal(0.03, -1)").unwrap();
        let e = cfg.with_overrides(&[o]).unwrap_err();
        assert!(
            e.to_string().contains("set salary_growth=normal(0.03, -1)"),
            "{e}"
        );
        assert!(e.to_string().contains("sd"), "{e}");
    }
}
