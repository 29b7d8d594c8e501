//! What changes the projection year by year: the salary path, interventions and
//! their levers, stress profiles, and forecaster returns.

use super::inputs::FamilyDefault;
use super::*;

impl Reader {
    /// `salary_path = [0.03, 0.04, …]`: awards for the years after the base, at most
    /// one per year of the projection.
    pub(super) fn salary_path(&mut self, v: Option<&Value>, dims: &Dims) -> Option<Vec<f64>> {
        let Some(v) = v else {
            return Some(vec![]);
        };
        let p = at(&["salary_path"]);
        let list = self.num_list(Some(v), p.clone())?;
        let max = dims.n_years() - 1;
        if list.len() > max {
            self.problem(
                p,
                "salary path too long",
                format!(
                    "found {} awards; give at most {max} (one per year {}–{})",
                    list.len(),
                    dims.base_year + 1,
                    dims.last_year
                ),
            );
            return None;
        }
        if let Some(x) = list.iter().find(|x| !(-0.5..=0.5).contains(*x)) {
            self.problem(
                p,
                "pay award out of range",
                format!("found {x}; awards are yearly rates such as 0.03 for 3 %, within ±0.5"),
            );
            return None;
        }
        Some(list)
    }

    /// `[stress.NAME]` sections: `description` and a `set` table of path = value.
    pub(super) fn stress(
        &mut self,
        v: Option<&Value>,
        dims: &Dims,
        factors: &[Factor],
        scale: &[Band],
        interventions: &[String],
    ) -> Vec<StressProfile> {
        let mut out = vec![];
        let top = at(&["stress"]);
        let Some(t) = self.table_value(v, &top, false) else {
            return out;
        };
        let years = Years {
            base: dims.base_year,
            last: dims.last_year,
        };
        let valid = overrides::settable_paths(dims, factors, scale, interventions);
        for (name, pv) in t {
            let p = join(&top, name);
            let Value::Table(_) = pv else {
                self.problem(
                    p,
                    "wrong type",
                    format!(
                        "found {}, expected a table with `description` and `set`",
                        type_name(pv)
                    ),
                );
                continue;
            };
            let Some(raw) = self.section::<raw::Stress>(Some(pv), &p, years, true) else {
                continue;
            };
            let description = self
                .string(raw.description.as_ref(), join(&p, "description"), false)
                .unwrap_or_default();
            let Some(set) = self.table_value(raw.set.as_ref(), &join(&p, "set"), true) else {
                continue;
            };
            let mut sets = vec![];
            for (path, value) in set {
                if let Err(near) = overrides::check_path(path, &valid) {
                    self.problems.push(
                        Problem::new(
                            join(&join(&p, "set"), path),
                            format!("unknown input `{path}`"),
                            near,
                        )
                        .with_hint(crate::wording::Hint::ListPaths),
                    );
                } else {
                    sets.push((path.clone(), value.clone()));
                }
            }
            out.push(StressProfile {
                name: name.clone(),
                description,
                set: sets,
            });
        }
        out
    }

    /// `[interventions.NAME]` sections: `description`, `active` and the lever tables
    /// `intake`, `retention`, `pay` and `cost`, every number a value or a
    /// distribution.
    pub(super) fn interventions(
        &mut self,
        v: Option<&Value>,
        dims: &Dims,
        factors: &[Factor],
    ) -> Vec<Intervention> {
        let mut out = vec![];
        let Some(t) = self.table_value(v, &at(&["interventions"]), false) else {
            return out;
        };
        for (name, iv) in t {
            let p = at(&["interventions", name]);
            let Value::Table(_) = iv else {
                self.problem(
                    p,
                    "wrong type",
                    format!(
                        "found {}, expected a table with `description` and levers (`intake`, `retention`, `pay`, `cost`)",
                        type_name(iv)
                    ),
                );
                continue;
            };
            if let Some(i) = self.intervention(name, iv, &p, dims, factors) {
                out.push(i);
            }
        }
        out
    }

    fn intervention(
        &mut self,
        name: &str,
        v: &Value,
        p: &[String],
        dims: &Dims,
        factors: &[Factor],
    ) -> Option<Intervention> {
        let years = Years {
            base: dims.base_year,
            last: dims.last_year,
        };
        let n0 = self.problems.len();
        let it = self.section::<raw::Intervention>(Some(v), p, years, true)?;
        let description = self
            .string(it.description.as_ref(), join(p, "description"), false)
            .unwrap_or_default();
        let active = self.boolean(it.active.as_ref(), join(p, "active"), false);
        let fam = FamilyDefault::default();
        let intake = self
            .section::<raw::Intake>(it.intake.as_ref(), &join(p, "intake"), years, false)
            .and_then(|l| {
                let lp = join(p, "intake");
                Some(Intake {
                    areas: self.areas_list(l.areas.as_ref(), &lp, dims)?,
                    per_year: self.bounded(
                        l.per_year.as_ref(),
                        join(&lp, "per_year"),
                        None,
                        0.0,
                        f64::INFINITY,
                        factors,
                    )?,
                    start: self.year(l.start.as_ref(), join(&lp, "start"), dims)?,
                    ramp: self.whole_in(
                        l.ramp.as_ref(),
                        join(&lp, "ramp"),
                        0,
                        (0, dims.last_year - dims.base_year),
                        "out of range",
                        "a whole number",
                    )?,
                    completion: self.bounded(
                        l.completion.as_ref(),
                        join(&lp, "completion"),
                        Some(1.0),
                        0.0,
                        1.0,
                        factors,
                    )?,
                    attrition: self.bounded(
                        l.attrition.as_ref(),
                        join(&lp, "attrition"),
                        Some(0.0),
                        0.0,
                        0.999,
                        factors,
                    )?,
                })
            });
        let retention = self
            .section::<raw::Retention>(it.retention.as_ref(), &join(p, "retention"), years, false)
            .and_then(|l| {
                let lp = join(p, "retention");
                Some(Retention {
                    areas: self.areas_list(l.areas.as_ref(), &lp, dims)?,
                    delta: self.input(l.delta.as_ref(), join(&lp, "delta"), None, &fam, factors)?,
                    start: self.year(l.start.as_ref(), join(&lp, "start"), dims)?,
                })
            });
        let pay = self
            .section::<raw::PayLever>(it.pay.as_ref(), &join(p, "pay"), years, false)
            .and_then(|l| {
                let lp = join(p, "pay");
                Some(PayLever {
                    areas: self.areas_list(l.areas.as_ref(), &lp, dims)?,
                    uplift: self.bounded(
                        l.uplift.as_ref(),
                        join(&lp, "uplift"),
                        None,
                        -0.5,
                        1.0,
                        factors,
                    )?,
                    start: self.year(l.start.as_ref(), join(&lp, "start"), dims)?,
                    flow_effect: self.input(
                        l.flow_effect.as_ref(),
                        join(&lp, "flow_effect"),
                        Some(0.0),
                        &fam,
                        factors,
                    )?,
                })
            });
        let cp = join(p, "cost");
        let cost_raw = self
            .section::<raw::ProgrammeCost>(it.cost.as_ref(), &cp, years, false)
            .unwrap_or_default();
        let cost = ProgrammeCost {
            per_entrant: self.bounded(
                cost_raw.per_entrant.as_ref(),
                join(&cp, "per_entrant"),
                Some(0.0),
                0.0,
                f64::INFINITY,
                factors,
            )?,
            per_year: self.bounded(
                cost_raw.per_year.as_ref(),
                join(&cp, "per_year"),
                Some(0.0),
                0.0,
                f64::INFINITY,
                factors,
            )?,
            start: self.year(cost_raw.start.as_ref(), join(&cp, "start"), dims)?,
        };
        if intake.is_none() && retention.is_none() && pay.is_none() && self.problems.len() == n0 {
            self.problem(
                p.to_vec(),
                "an intervention with no lever",
                "give at least one of `intake`, `retention` or `pay`",
            );
        }
        if self.problems.len() > n0 {
            return None;
        }
        Some(Intervention {
            name: name.to_string(),
            description,
            active,
            intake,
            retention,
            pay,
            cost,
        })
    }

    /// A year after the base year, at most the last (the first one where absent).
    fn year(&mut self, v: Option<&Value>, p: Path_, dims: &Dims) -> Option<u32> {
        let range = (dims.base_year + 1, dims.last_year);
        self.whole_in(v, p, range.0, range, "year out of range", "a year")
    }

    /// `areas = ["ict", …]` in the lever at `p`: one or more area keys.
    fn areas_list(&mut self, v: Option<&Value>, p: &[String], dims: &Dims) -> Option<Vec<usize>> {
        let ap = join(p, "areas");
        let keys = dims.area_keys();
        let Some(Value::Array(items)) = v else {
            self.problem(
                ap,
                "missing or wrong `areas`",
                format!("a list of one or more of: {}", keys.join(", ")),
            );
            return None;
        };
        let mut out = vec![];
        for v in items {
            match v.as_str().and_then(|k| dims.area(k)) {
                Some(i) if !out.contains(&i) => out.push(i),
                Some(_) => {}
                None => {
                    let hint = v
                        .as_str()
                        .and_then(|k| locate::nearest(k, keys.iter().copied()))
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    self.problem(
                        ap.clone(),
                        &format!("unknown area {v}"),
                        format!("{hint}areas: {}", keys.join(", ")),
                    );
                    return None;
                }
            }
        }
        if out.is_empty() {
            self.problem(ap, "no areas", "name one or more areas");
            return None;
        }
        Some(out)
    }

    /// `[forecasters]`: `returns = "FILE.csv"` (relative to the config), `mode`,
    /// `missing`, `mid_year`, `weights`. Problems in the CSV are located in the CSV.
    pub(super) fn panel(
        &mut self,
        v: Option<&Value>,
        dims: &Dims,
        areas: &[AreaConfig],
        origin: &str,
    ) -> Option<Option<std::sync::Arc<panel::Panel>>> {
        let years = Years {
            base: dims.base_year,
            last: dims.last_year,
        };
        let top = at(&["forecasters"]);
        if v.is_none() {
            return Some(None);
        }
        let t = self.section::<raw::Forecasters>(v, &top, years, true)?;
        let mode = match self
            .string(t.mode.as_ref(), join(&top, "mode"), false)
            .as_deref()
        {
            None | Some("panel-mean") => panel::Mode::PanelMean,
            Some("forecaster") => panel::Mode::Forecaster,
            Some(m) => {
                self.problem(
                    join(&top, "mode"),
                    &format!("unknown mode `{m}`"),
                    "valid: panel-mean (bootstrap of the panel's mean), forecaster (one forecaster per draw)",
                );
                return None;
            }
        };
        let missing = match self
            .string(t.missing.as_ref(), join(&top, "missing"), false)
            .as_deref()
        {
            None | Some("error") => panel::Missing::Error,
            Some("skip") => panel::Missing::Skip,
            Some(m) => {
                self.problem(
                    join(&top, "missing"),
                    &format!("unknown missing policy `{m}`"),
                    "valid: error (refuse), skip (average over those who answered)",
                );
                return None;
            }
        };
        let mid_default = dims.base_year + (dims.last_year - dims.base_year) / 2;
        let mid = self.whole_in(
            t.mid_year.as_ref(),
            join(&top, "mid_year"),
            mid_default,
            (dims.base_year + 1, dims.last_year - 1),
            "year out of range",
            "a year",
        )?;
        let mut weights = std::collections::BTreeMap::new();
        if let Some(w) = self.table_value(t.weights.as_ref(), &join(&top, "weights"), false) {
            for (k, v) in w {
                let x = self.num_value(v, join(&join(&top, "weights"), k))?;
                weights.insert(k.clone(), x);
            }
        }
        let file = self.string(t.returns.as_ref(), join(&top, "returns"), true)?;
        let mut trust = vec![];
        for ac in areas {
            match &ac.typical_trust {
                Some(tt) if tt.iter().sum::<f64>() > 0.0 => trust.push(tt.clone()),
                _ => {
                    self.problem(
                        at(&["areas", dims.area_key(ac.area), "typical_trust"]),
                        "typical trust needed",
                        format!(
                            "forecaster returns are ratios to the typical trust's {} WTE (the report's Table 5.3): give `typical_trust = [{}]`",
                            dims.base_year,
                            dims.level_keys().join(", ")
                        ),
                    );
                    return None;
                }
            }
        }
        let path = load::base_dir(origin).join(&file);
        let shown = path.display().to_string();
        let text = match read_limited(&path) {
            Ok(x) => x,
            Err(e) => {
                self.problem(
                    join(&top, "returns"),
                    "cannot read the returns file",
                    format!("{shown}: {e}"),
                );
                return None;
            }
        };
        match panel::Panel::parse(&text, dims, mid, &trust, mode, missing, &weights) {
            Ok(p) => {
                self.extra_source.push_str(&text);
                Some(Some(std::sync::Arc::new(p)))
            }
            Err(ps) => {
                for p in ps {
                    let mut problem = Problem::new(vec![], p.headline, p.detail);
                    problem.hint = p.hint;
                    self.returns.push(super::super::error::Returned::new(
                        &shown, &text, p.span, problem,
                    ));
                }
                None
            }
        }
    }
}
