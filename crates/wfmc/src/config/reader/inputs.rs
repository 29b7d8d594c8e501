//! Uncertain inputs and what they draw on: shared factors, the pay scale, the
//! family defaults of `[uncertainty]`, and pay bands.

use super::*;

/// A family default from `[uncertainty]`.
#[derive(Debug, Clone, Default)]
pub(in crate::config) struct FamilyDefault {
    dist: Option<Dist>,
    apply: Option<Apply>,
    factor: Option<FactorLink>,
}

impl FamilyDefault {
    /// The family's distribution around `base`, if the family has one.
    pub(in crate::config) fn around(&self, base: f64) -> Option<Input> {
        self.dist.as_ref().map(|d| Input {
            base,
            dist: d.clone(),
            apply: self.apply.unwrap_or(Apply::Absolute),
            factor: self.factor,
        })
    }
}

/// What `[uncertainty]` gives: the family defaults and the skill mix and band steps.
#[derive(Debug, Clone, Default)]
pub(in crate::config) struct Uncertainty {
    pub workforce: FamilyDefault,
    pub ratio: FamilyDefault,
    pub flow: FamilyDefault,
    /// The skill mix's Dirichlet concentration.
    pub kappa: Option<f64>,
    /// Band steps and their probabilities.
    pub band_steps: Option<(Vec<i64>, Vec<f64>)>,
}

impl Reader {
    /// `[factors.NAME]` tables.
    pub(super) fn factors(&mut self, v: Option<&Value>, years: Years) -> Vec<Factor> {
        let mut factors = vec![];
        let path = at(&["factors"]);
        let Some(ft) = self.table_value(v, &path, false) else {
            return factors;
        };
        for (fname, fv) in ft {
            let fp = join(&path, fname);
            let Value::Table(_) = fv else {
                self.problem(
                    fp,
                    "wrong type",
                    format!(
                        "found {}, expected a table like {{ per_scenario = true }}",
                        type_name(fv)
                    ),
                );
                continue;
            };
            let Some(f) = self.section::<raw::Factor>(Some(fv), &fp, years, true) else {
                continue;
            };
            let per_scenario =
                self.boolean(f.per_scenario.as_ref(), join(&fp, "per_scenario"), false);
            let description = self
                .string(f.description.as_ref(), join(&fp, "description"), false)
                .unwrap_or_default();
            factors.push(Factor {
                name: fname.clone(),
                per_scenario,
                description,
            });
        }
        factors
    }

    /// `[pay_scale]`: bands lowest first (by top, then bottom).
    pub(super) fn pay_scale(&mut self, v: Option<&Value>, years: Years) -> Vec<Band> {
        let mut pay_scale = vec![];
        let path = at(&["pay_scale"]);
        let Some(pt) = self.table_value(v, &path, true) else {
            return pay_scale;
        };
        for (bname, bv) in pt {
            let bp = join(&path, bname);
            let Value::Table(_) = bv else {
                self.problem(
                    bp,
                    "wrong type",
                    format!("found {}, expected {{ min = …, top = … }}", type_name(bv)),
                );
                continue;
            };
            let Some(b) = self.section::<raw::PayBand>(Some(bv), &bp, years, true) else {
                continue;
            };
            let min = self.number(b.min.as_ref(), join(&bp, "min"), true);
            let top = self.number(b.top.as_ref(), join(&bp, "top"), true);
            let min = self.nonneg(min, join(&bp, "min"), "pay");
            let top = self.nonneg(top, join(&bp, "top"), "pay");
            if let (Some(min), Some(t)) = (min, top) {
                if min > t {
                    self.problem(
                        join(&bp, "min"),
                        "min above top",
                        format!("min {min} > top {t}: the bottom of a band cannot exceed its top"),
                    );
                }
                pay_scale.push(Band {
                    name: bname.clone(),
                    min,
                    top: t,
                });
            }
        }
        pay_scale.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.min.total_cmp(&b.min)));
        if pay_scale.is_empty() {
            self.problem(
                path,
                "empty pay scale",
                "give at least one band like \"5\" = { min = 24907, top = 30615 }",
            );
        }
        pay_scale
    }

    /// `[uncertainty]`.
    pub(super) fn uncertainty(
        &mut self,
        v: Option<&Value>,
        dims: &Dims,
        factors: &[Factor],
    ) -> Uncertainty {
        let years = Years {
            base: dims.base_year,
            last: dims.last_year,
        };
        let path = at(&["uncertainty"]);
        let Some(u) = self.section::<raw::Uncertainty>(v, &path, years, false) else {
            return Uncertainty::default();
        };
        let workforce_key = years.fill("workforce_{base}");
        let workforce = self.family(u.workforce.as_ref(), &workforce_key, factors, years);
        let ratio = self.family(u.demand_ratio.as_ref(), "demand_ratio", factors, years);
        let flow = self.family(u.flow_rate.as_ref(), "flow_rate", factors, years);
        let kappa = (|| {
            let p = join(&path, "skill_mix");
            let t = self.section::<raw::SkillMix>(u.skill_mix.as_ref(), &p, years, false)?;
            let k = self.number(t.concentration.as_ref(), join(&p, "concentration"), true)?;
            if k <= 0.0 {
                self.problem(
                    join(&p, "concentration"),
                    "Dirichlet concentration ≤ 0",
                    format!(
                        "found {k}; it must be > 0 (larger = tighter around the published mix)"
                    ),
                );
                return None;
            }
            Some(k)
        })();
        let band_steps = (|| {
            let p = join(&path, "band");
            let t = self.section::<raw::BandSteps>(u.band.as_ref(), &p, years, false)?;
            let steps = self.num_list(t.steps.as_ref(), join(&p, "steps"))?;
            let probs = self.num_list(t.p.as_ref(), join(&p, "p"))?;
            if steps.len() != probs.len() {
                self.problem(
                    join(&p, "p"),
                    "length mismatch",
                    format!("{} steps but {} probabilities", steps.len(), probs.len()),
                );
                return None;
            }
            if steps.iter().any(|s| s.fract() != 0.0) {
                self.problem(
                    join(&p, "steps"),
                    "steps must be whole numbers",
                    "e.g. [-1, 0, 1]: bands below and above the published one",
                );
                return None;
            }
            if let Err(e) = check_probabilities(&probs) {
                self.problem(join(&p, "p"), "bad probabilities", e.0);
                return None;
            }
            Some((steps.iter().map(|s| *s as i64).collect::<Vec<_>>(), probs))
        })();
        Uncertainty {
            workforce,
            ratio,
            flow,
            kappa,
            band_steps,
        }
    }

    /// A family default `[uncertainty.KEY]`.
    fn family(
        &mut self,
        v: Option<&Value>,
        key: &str,
        factors: &[Factor],
        years: Years,
    ) -> FamilyDefault {
        let path = at(&["uncertainty", key]);
        let Some(t) = self.section::<raw::Family>(v, &path, years, false) else {
            return FamilyDefault::default();
        };
        let dist = self
            .string(t.dist.as_ref(), join(&path, "dist"), true)
            .and_then(|s| self.dist(&s, join(&path, "dist")));
        let apply = self.apply(t.apply.as_ref(), &path).flatten();
        let factor = self
            .factor_link(t.factor.as_ref(), t.rho.as_ref(), &path, factors)
            .flatten();
        FamilyDefault {
            dist,
            apply,
            factor,
        }
    }

    /// `factor = "NAME"` and `rho` at `path`.
    fn factor_link(
        &mut self,
        factor: Option<&Value>,
        rho: Option<&Value>,
        path: &[String],
        factors: &[Factor],
    ) -> Option<Option<FactorLink>> {
        let name = self.string(factor, join(path, "factor"), false);
        let rho = self.number(rho, join(path, "rho"), false);
        match (name, rho) {
            (None, None) => Some(None),
            (Some(n), rho) => {
                let Some(i) = factors.iter().position(|f| f.name == n) else {
                    let names: Vec<&str> = factors.iter().map(|f| f.name.as_str()).collect();
                    let hint = locate::nearest(&n, names.iter().copied())
                        .map(|x| format!(" (did you mean `{x}`?)"))
                        .unwrap_or_default();
                    self.problem(
                        join(path, "factor"),
                        &format!("unknown factor `{n}`"),
                        format!("declared factors: {}{hint}", names.join(", ")),
                    );
                    return None;
                };
                let rho = rho.unwrap_or(0.5);
                if !(0.0..=1.0).contains(&rho) {
                    self.problem(
                        join(path, "rho"),
                        "correlation out of range",
                        format!("found {rho}; rho is a share of variance and must lie in [0, 1]"),
                    );
                    return None;
                }
                Some(Some(FactorLink { factor: i, rho }))
            }
            (None, Some(_)) => {
                self.problem(
                    join(path, "rho"),
                    "rho without a factor",
                    "add `factor = \"NAME\"` or remove `rho`",
                );
                None
            }
        }
    }

    /// `apply = "absolute" | "add" | "multiply"` at `path`.
    fn apply(&mut self, v: Option<&Value>, path: &[String]) -> Option<Option<Apply>> {
        match self.string(v, join(path, "apply"), false).as_deref() {
            None => Some(None),
            Some("absolute") => Some(Some(Apply::Absolute)),
            Some("add") => Some(Some(Apply::Add)),
            Some("multiply") => Some(Some(Apply::Multiply)),
            Some(other) => {
                self.problem(
                    join(path, "apply"),
                    &format!("unknown apply `{other}`"),
                    "valid: absolute, add, multiply",
                );
                None
            }
        }
    }

    /// An input at `p`: a number (fixed), a string (a distribution, base = its
    /// mean), or a table `{ base, dist, apply, factor, rho }`; where absent, `base`
    /// with the family default (a problem where there is no base either).
    pub(super) fn input(
        &mut self,
        v: Option<&Value>,
        p: Path_,
        base: Option<f64>,
        family: &FamilyDefault,
        factors: &[Factor],
    ) -> Option<Input> {
        let from_family = |base: f64| family.around(base).unwrap_or_else(|| Input::fixed(base));
        match v {
            None => match base {
                Some(b) => Some(from_family(b)),
                None => {
                    let key = p.last().cloned().unwrap_or_default();
                    self.problem(
                        p,
                        &format!("missing `{key}`"),
                        "a number or a distribution is required here",
                    );
                    None
                }
            },
            Some(Value::String(s)) => {
                let d = self.dist(s, p)?;
                let base = d.fixed_value().unwrap_or_else(|| d.mean());
                Some(Input {
                    base,
                    dist: d,
                    apply: Apply::Absolute,
                    factor: None,
                })
            }
            Some(t @ Value::Table(_)) => {
                let years = Years { base: 0, last: 0 };
                let it = self.section::<raw::Input>(Some(t), &p, years, true)?;
                let own_base = self.number(it.base.as_ref(), join(&p, "base"), false);
                let dist = match self.string(it.dist.as_ref(), join(&p, "dist"), true) {
                    Some(s) => self.dist(&s, join(&p, "dist"))?,
                    None => return None,
                };
                let apply = self
                    .apply(it.apply.as_ref(), &p)?
                    .unwrap_or(Apply::Absolute);
                let factor = self.factor_link(it.factor.as_ref(), it.rho.as_ref(), &p, factors)?;
                let base = own_base.or(match apply {
                    Apply::Absolute => None,
                    _ => base,
                });
                let base = base.unwrap_or_else(|| dist.mean());
                Some(Input {
                    base,
                    dist,
                    apply,
                    factor,
                })
            }
            Some(v) => {
                let x = self.num_value(v, p)?;
                Some(Input::fixed(x))
            }
        }
    }

    /// An input whose base value lies in `[lo, hi]` (draws are clamped to it).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn bounded(
        &mut self,
        v: Option<&Value>,
        p: Path_,
        default: Option<f64>,
        lo: f64,
        hi: f64,
        factors: &[Factor],
    ) -> Option<Input> {
        let i = self.input(v, p.clone(), default, &FamilyDefault::default(), factors)?;
        if !(lo..=hi).contains(&i.base) {
            self.problem(
                p,
                "out of range",
                format!("its value {} must lie in [{lo}, {hi}]", i.base),
            );
            return None;
        }
        Some(i)
    }

    fn band_index(&mut self, name: &str, p: Path_, scale: &[Band]) -> Option<usize> {
        match scale.iter().position(|b| b.name == name) {
            Some(i) => Some(i),
            None => {
                let names: Vec<&str> = scale.iter().map(|b| b.name.as_str()).collect();
                self.problem(
                    p,
                    &format!("unknown band `{name}`"),
                    format!("bands of the pay scale: {}", names.join(", ")),
                );
                None
            }
        }
    }

    /// `band = "8a"` (the band steps of `[uncertainty]` apply) or
    /// `{ base = "8a", dist = "categorical(7=0.2, 8a=0.6, 8b=0.2)" }`, at `p`.
    pub(super) fn band(
        &mut self,
        v: Option<&Value>,
        p: Path_,
        scale: &[Band],
        steps: Option<&(Vec<i64>, Vec<f64>)>,
    ) -> Option<BandInput> {
        match v {
            Some(Value::String(name)) => {
                let base = self.band_index(name, p, scale)?;
                let fixed = BandInput {
                    base,
                    choices: vec![base],
                    p: vec![1.0],
                };
                let Some((steps, probs)) = steps else {
                    return Some(fixed);
                };
                // Steps that fall off the scale are dropped and the rest renormalised.
                let mut choices = vec![];
                let mut ps = vec![];
                for (s, q) in steps.iter().zip(probs) {
                    let i = base as i64 + s;
                    if (0..scale.len() as i64).contains(&i) {
                        choices.push(i as usize);
                        ps.push(*q);
                    }
                }
                let total: f64 = ps.iter().sum();
                if total <= 0.0 {
                    return Some(fixed);
                }
                Some(BandInput {
                    base,
                    choices,
                    p: ps.iter().map(|q| q / total).collect(),
                })
            }
            Some(t @ Value::Table(_)) => {
                let years = Years { base: 0, last: 0 };
                let bt = self.section::<raw::BandTable>(Some(t), &p, years, true)?;
                let base_name = self.string(bt.base.as_ref(), join(&p, "base"), true)?;
                let base = self.band_index(&base_name, join(&p, "base"), scale)?;
                let text = self.string(bt.dist.as_ref(), join(&p, "dist"), true)?;
                self.categorical_band(&text, join(&p, "dist"), scale, base)
            }
            Some(v) => {
                self.problem(
                    p,
                    "wrong type",
                    format!(
                        "found {}, expected a band name like \"8a\" or a table",
                        type_name(v)
                    ),
                );
                None
            }
            None => {
                self.problem(
                    p,
                    "missing `band`",
                    "the Agenda for Change band, e.g. band = \"5\"",
                );
                None
            }
        }
    }

    /// `categorical(7=0.2, 8a=0.6, 8b=0.2)` over the pay scale's bands.
    fn categorical_band(
        &mut self,
        text: &str,
        dp: Path_,
        scale: &[Band],
        base: usize,
    ) -> Option<BandInput> {
        let usage = "categorical(7=0.2, 8a=0.6, 8b=0.2)";
        let call = match Call::parse(text) {
            Ok(c) if c.name == "categorical" && c.positional.is_empty() && !c.named.is_empty() => c,
            Ok(_) => {
                self.problem(
                    dp,
                    "bad band distribution",
                    format!("`{text}`: write {usage}"),
                );
                return None;
            }
            Err(e) => {
                self.problem(
                    dp,
                    "bad band distribution",
                    format!("`{text}`: {}; write {usage}", e.0),
                );
                return None;
            }
        };
        let mut choices = vec![];
        let mut ps = vec![];
        for (name, arg) in &call.named {
            let crate::distributions::Arg::Num(q) = arg else {
                self.problem(
                    dp.clone(),
                    "bad band distribution",
                    format!("probability of `{name}` must be a number"),
                );
                return None;
            };
            choices.push(self.band_index(name, dp.clone(), scale)?);
            ps.push(*q);
        }
        if let Err(e) = check_probabilities(&ps) {
            self.problem(dp, "bad probabilities", e.0);
            return None;
        }
        let distinct: BTreeSet<_> = choices.iter().collect();
        if distinct.len() != choices.len() {
            self.problem(
                dp,
                "band listed twice",
                format!("`{text}` names a band more than once"),
            );
            return None;
        }
        Some(BandInput {
            base,
            choices,
            p: ps,
        })
    }
}
