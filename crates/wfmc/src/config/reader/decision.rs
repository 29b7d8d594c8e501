//! `[decision]`: the value of a WTE-year of shortfall avoided, the acceptability
//! curve's range, portfolios and named input groups.

use super::raw::{self, Years};
use super::{Path_, Reader, at, join, type_name};
use crate::config::{ACCEPTABILITY_POINTS, Decision};
use toml::Value;

impl Reader {
    /// The `[decision]` table (the defaults where absent); `interventions` are the
    /// config's intervention names, which portfolios are made of.
    pub(super) fn decision(
        &mut self,
        v: Option<&Value>,
        years: Years,
        interventions: &[String],
    ) -> Decision {
        let mut out = Decision {
            points: ACCEPTABILITY_POINTS,
            ..Decision::default()
        };
        let p = at(&["decision"]);
        let Some(d) = self.section::<raw::Decision>(v, &p, years, false) else {
            return out;
        };
        let value = self.number(
            d.value_per_wte_year.as_ref(),
            join(&p, "value_per_wte_year"),
            false,
        );
        out.value_per_wte_year = self.nonneg(value, join(&p, "value_per_wte_year"), "a value");
        if let Some(v) = d.values.as_ref() {
            let vp = join(&p, "values");
            if let Some(list) = self.num_list(Some(v), vp.clone()) {
                match list[..] {
                    [lo, hi] if lo >= 0.0 && hi > lo => out.values = Some((lo, hi)),
                    _ => self.problem(
                        vp,
                        "bad range",
                        format!(
                            "found {list:?}, expected [low, high] with 0 ≤ low < high (pounds per WTE-year)"
                        ),
                    ),
                }
            }
        }
        out.points = self
            .whole_in(
                d.points.as_ref(),
                join(&p, "points"),
                ACCEPTABILITY_POINTS as u32,
                (2, 1001),
                "bad number of points",
                "a whole number",
            )
            .map_or(ACCEPTABILITY_POINTS, |n| n as usize);
        if let Some(v) = d.portfolios.as_ref() {
            let pp = join(&p, "portfolios");
            for s in self.strings(v, &pp) {
                let unknown: Vec<&str> = s
                    .split('+')
                    .map(str::trim)
                    .filter(|n| !interventions.iter().any(|i| i == n))
                    .collect();
                if !unknown.is_empty() || !s.contains('+') {
                    let detail = if unknown.is_empty() {
                        "a portfolio joins two or more interventions with `+`".to_string()
                    } else {
                        format!(
                            "`{}` is no intervention of this config; they are {}",
                            unknown.join("`, `"),
                            interventions.join(", ")
                        )
                    };
                    self.problem(pp.clone(), &format!("bad portfolio `{s}`"), detail);
                } else {
                    out.portfolios.push(s);
                }
            }
        }
        if let Some(g) = self.table_value(d.groups.as_ref(), &join(&p, "groups"), false) {
            for (name, members) in g {
                let gp = join(&join(&p, "groups"), name);
                let list = self.strings(members, &gp);
                if list.is_empty() {
                    self.problem(gp, "empty group", "list one or more input paths");
                } else {
                    out.groups.push((name.clone(), list));
                }
            }
        }
        out
    }

    /// A list of strings at `p` (a problem, and nothing, where it is not one).
    fn strings(&mut self, v: &Value, p: &Path_) -> Vec<String> {
        let Value::Array(items) = v else {
            self.problem(
                p.clone(),
                "wrong type",
                format!("found {}, expected a list of strings", type_name(v)),
            );
            return vec![];
        };
        let mut out = vec![];
        for item in items {
            match item {
                Value::String(s) => out.push(s.clone()),
                other => self.problem(
                    p.clone(),
                    "wrong type",
                    format!("found {} in the list, expected strings", type_name(other)),
                ),
            }
        }
        out
    }
}
