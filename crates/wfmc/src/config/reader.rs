//! The reader: walks a TOML tree, collecting every problem by key path, and builds
//! the resolved [`Config`] (family defaults applied to the inputs they cover).

use super::*;

/// A family default from `[uncertainty]`.
#[derive(Debug, Clone, Default)]
pub(super) struct Family_ {
    dist: Option<Dist>,
    apply: Option<Apply>,
    factor: Option<FactorLink>,
}

/// Walks a TOML tree, collecting problems by key path.
#[derive(Default)]
pub struct Reader {
    /// Problems found so far.
    pub problems: Vec<Problem>,
    /// Problems located in another file (the forecaster returns).
    pub(crate) returns: Vec<super::error::Returned>,
    /// Text of files read besides the config (hashed with it).
    pub extra_source: String,
}

pub(super) type Path_ = Vec<String>;

pub(super) fn join(path: &[String], key: &str) -> Path_ {
    let mut p = path.to_vec();
    p.push(key.to_string());
    p
}

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
            }
        }
    }

    pub(super) fn table<'t>(
        &mut self,
        t: &'t Table,
        path: &[String],
        key: &str,
        required: bool,
    ) -> Option<&'t Table> {
        match t.get(key) {
            Some(Value::Table(x)) => Some(x),
            Some(v) => {
                self.problem(
                    join(path, key),
                    "wrong type",
                    format!("found {}, expected a table", type_name(v)),
                );
                None
            }
            None => {
                if required {
                    self.problem(
                        join(path, key),
                        &format!("missing `{key}`"),
                        "this table is required".to_string(),
                    );
                }
                None
            }
        }
    }

    pub(super) fn number(
        &mut self,
        t: &Table,
        path: &[String],
        key: &str,
        required: bool,
    ) -> Option<f64> {
        let p = join(path, key);
        match t.get(key) {
            Some(v) => self.num_value(v, p),
            None => {
                if required {
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

    pub(super) fn string(
        &mut self,
        t: &Table,
        path: &[String],
        key: &str,
        required: bool,
    ) -> Option<String> {
        let p = join(path, key);
        match t.get(key) {
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
                    self.problem(p, &format!("missing `{key}`"), "a string is required here");
                }
                None
            }
        }
    }

    pub(super) fn levels(
        &mut self,
        t: &Table,
        path: &[String],
        key: &str,
        required: bool,
    ) -> Option<[f64; N_LEVELS]> {
        let p = join(path, key);
        let expect = format!(
            "expected a list of {N_LEVELS} WTE counts ≥ 0 in the order {}",
            Level::keys().join(", ")
        );
        match t.get(key) {
            Some(Value::Array(items)) if items.len() == N_LEVELS => {
                let mut out = [0.0; N_LEVELS];
                for (i, v) in items.iter().enumerate() {
                    match self.num_value_quiet(v) {
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
                    self.problem(p, &format!("missing `{key}`"), expect);
                }
                None
            }
        }
    }

    pub(super) fn num_value_quiet(&self, v: &Value) -> Option<f64> {
        match v {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) if f.is_finite() => Some(*f),
            _ => None,
        }
    }

    pub(super) fn dist(&mut self, text: &str, p: Path_) -> Option<Dist> {
        match Dist::parse(text) {
            Ok(d) => Some(d),
            Err(DistError(msg)) => {
                self.problem(p, "bad distribution", format!("`{text}`: {msg}"));
                None
            }
        }
    }

    pub(super) fn factor_link(
        &mut self,
        t: &Table,
        path: &[String],
        factors: &[Factor],
    ) -> Option<Option<FactorLink>> {
        let name = self.string(t, path, "factor", false);
        let rho = self.number(t, path, "rho", false);
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

    pub(super) fn apply(&mut self, t: &Table, path: &[String]) -> Option<Option<Apply>> {
        match self.string(t, path, "apply", false).as_deref() {
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

    pub(super) fn family(&mut self, unc: Option<&Table>, key: &str, factors: &[Factor]) -> Family_ {
        let path = vec!["uncertainty".to_string(), key.to_string()];
        let Some(t) = unc.and_then(|u| self.table(u, &path[..1], key, false)) else {
            return Family_::default();
        };
        self.keys(t, &path, &schema::names(schema::FAMILY));
        let dist = self
            .string(t, &path, "dist", true)
            .and_then(|s| self.dist(&s, join(&path, "dist")));
        let apply = self.apply(t, &path).flatten();
        let factor = self.factor_link(t, &path, factors).flatten();
        Family_ {
            dist,
            apply,
            factor,
        }
    }

    /// An input: number (fixed), string (distribution, base = its mean), or
    /// table `{ base, dist, apply, factor, rho }`; falls back to the family default.
    pub(super) fn input(
        &mut self,
        t: &Table,
        path: &[String],
        key: &str,
        base: Option<f64>,
        family: &Family_,
        factors: &[Factor],
    ) -> Option<Input> {
        let p = join(path, key);
        let from_family = |base: f64| -> Input {
            match &family.dist {
                Some(d) => Input {
                    base,
                    dist: d.clone(),
                    apply: family.apply.unwrap_or(Apply::Absolute),
                    factor: family.factor,
                },
                None => Input::fixed(base),
            }
        };
        match t.get(key) {
            None => match base {
                Some(b) => Some(from_family(b)),
                None => {
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
            Some(Value::Table(it)) => {
                self.keys(it, &p, &schema::names(schema::INPUT));
                let own_base = self.number(it, &p, "base", false);
                let dist = match self.string(it, &p, "dist", true) {
                    Some(s) => self.dist(&s, join(&p, "dist"))?,
                    None => return None,
                };
                let apply = self.apply(it, &p)?.unwrap_or(Apply::Absolute);
                let factor = self.factor_link(it, &p, factors)?;
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

    pub(super) fn config(&mut self, root: &Table, _text: &str, origin: &str) -> Option<Config> {
        let top: Path_ = vec![];
        self.keys(root, &top, &schema::names(schema::TOP));
        let name = self.string(root, &top, "name", true);
        if let Some(n) = &name
            && (n.is_empty()
                || !n
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                || n.starts_with('.'))
        {
            self.problem(
                vec!["name".into()],
                "bad name",
                format!("`{n}` names the results folder: use letters, digits, `-`, `_` or `.`"),
            );
        }
        let title = self.string(root, &top, "title", false).unwrap_or_default();

        // Factors first: inputs refer to them.
        let mut factors = vec![];
        if let Some(ft) = self.table(root, &top, "factors", false) {
            for (fname, fv) in ft {
                let fp = vec!["factors".to_string(), fname.clone()];
                let Value::Table(f) = fv else {
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
                self.keys(f, &fp, &schema::names(schema::FACTOR));
                let per_scenario = match f.get("per_scenario") {
                    None => false,
                    Some(Value::Boolean(b)) => *b,
                    Some(v) => {
                        self.problem(
                            join(&fp, "per_scenario"),
                            "wrong type",
                            format!("found {}, expected true or false", type_name(v)),
                        );
                        false
                    }
                };
                let description = self
                    .string(f, &fp, "description", false)
                    .unwrap_or_default();
                factors.push(Factor {
                    name: fname.clone(),
                    per_scenario,
                    description,
                });
            }
        }

        // Pay scale, lowest band first (file order is kept: the scale is ordered).
        let mut pay_scale = vec![];
        if let Some(pt) = self.table(root, &top, "pay_scale", true) {
            for (bname, bv) in pt {
                let bp = vec!["pay_scale".to_string(), bname.clone()];
                let Value::Table(b) = bv else {
                    self.problem(
                        bp,
                        "wrong type",
                        format!("found {}, expected {{ min = …, top = … }}", type_name(bv)),
                    );
                    continue;
                };
                self.keys(b, &bp, &schema::names(schema::PAY_BAND));
                let min = self.number(b, &bp, "min", true);
                let top_ = self.number(b, &bp, "top", true);
                let min = self.nonneg(min, join(&bp, "min"), "pay");
                let top_ = self.nonneg(top_, join(&bp, "top"), "pay");
                if let (Some(min), Some(t)) = (min, top_) {
                    if min > t {
                        self.problem(
                            join(&bp, "min"),
                            "min above top",
                            format!(
                                "min {min} > top {t}: the bottom of a band cannot exceed its top"
                            ),
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
                    vec!["pay_scale".into()],
                    "empty pay scale",
                    "give at least one band like \"5\" = { min = 24907, top = 30615 }",
                );
            }
        }

        let unc = self.table(root, &top, "uncertainty", false);
        if let Some(u) = unc {
            self.keys(
                u,
                &["uncertainty".to_string()],
                &schema::names(schema::UNCERTAINTY),
            );
        }
        let fam_workforce = self.family(unc, "workforce_2020", &factors);
        let fam_ratio = self.family(unc, "demand_ratio", &factors);
        let fam_flow = self.family(unc, "flow_rate", &factors);
        let kappa = unc.and_then(|u| {
            let p = vec!["uncertainty".to_string()];
            let t = self.table(u, &p, "skill_mix", false)?;
            let p = join(&p, "skill_mix");
            self.keys(t, &p, &schema::names(schema::SKILL_MIX));
            let k = self.number(t, &p, "concentration", true)?;
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
        });
        let band_steps = unc.and_then(|u| {
            let p = vec!["uncertainty".to_string()];
            let t = self.table(u, &p, "band", false)?;
            let p = join(&p, "band");
            self.keys(t, &p, &schema::names(schema::BAND_UNCERTAINTY));
            let steps = self.num_list(t, &p, "steps")?;
            let probs = self.num_list(t, &p, "p")?;
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
        });

        let salary_growth = self.input(
            root,
            &top,
            "salary_growth",
            None,
            &Family_::default(),
            &factors,
        );
        let on_cost = self.input(root, &top, "on_cost", None, &Family_::default(), &factors);
        let salary_path = self.salary_path(root);
        let interventions = self.interventions(root, &factors);
        let names: Vec<String> = interventions.iter().map(|i| i.name.clone()).collect();
        let stress = self.stress(root, &factors, &pay_scale, &names);

        // Areas.
        let areas_t = self.table(root, &top, "areas", true);
        let supply_t = self.table(root, &top, "supply", true);
        let demand_t = self.table(root, &top, "demand", true);
        let area_keys = Area::keys();
        for (t, name) in [(areas_t, "areas"), (supply_t, "supply")] {
            if let Some(t) = t {
                self.keys(t, &[name.to_string()], &area_keys);
            }
        }
        if let Some(d) = demand_t {
            self.keys(d, &["demand".to_string()], &Scenario::keys());
        }
        let mut areas = vec![];
        for &a in Area::ALL {
            let ap = vec!["areas".to_string(), a.key().to_string()];
            let at = areas_t.and_then(|t| self.table(t, &ap[..1], a.key(), true));
            let sp = vec!["supply".to_string(), a.key().to_string()];
            let st = supply_t.and_then(|t| self.table(t, &sp[..1], a.key(), true));
            let (Some(at), Some(st)) = (at, st) else {
                continue;
            };
            self.keys(at, &ap, &schema::names(schema::AREA));
            self.keys(st, &sp, &schema::names(schema::SUPPLY));
            let extra_inflow = self.number(st, &sp, "extra_inflow", false).unwrap_or(0.0);
            if let Some(f) = self.string(at, &ap, "family", false)
                && Family::from_key(&f) != Some(a.family())
            {
                self.problem(
                    join(&ap, "family"),
                    "wrong role family",
                    format!(
                        "found `{f}`; the report places {} in `{}`",
                        a.key(),
                        a.family().key()
                    ),
                );
            }
            // The census figure is given as a number; the baseline-uncertainty family
            // (off by default) applies around it unless it is written as a
            // distribution of its own.
            let workforce = self
                .input(at, &ap, "workforce_2020", None, &fam_workforce, &factors)
                .map(|w| match (&fam_workforce.dist, w.is_uncertain()) {
                    (Some(d), false) => Input {
                        base: w.base,
                        dist: d.clone(),
                        apply: fam_workforce.apply.unwrap_or(Apply::Absolute),
                        factor: fam_workforce.factor,
                    },
                    _ => w,
                });
            if let Some(w) = &workforce
                && w.base <= 0.0
            {
                self.problem(
                    join(&ap, "workforce_2020"),
                    "negative workforce",
                    format!(
                        "found {}; the 2020 workforce must be > 0 (ratios divide by it)",
                        w.base
                    ),
                );
            }
            let band = self.band(at, &ap, &pay_scale, band_steps.as_ref());
            let shares_2020 = self.levels(at, &ap, "levels_2020", true).map(|l| {
                let s = normalise(&l);
                [s[0], s[1], s[2], s[3]]
            });
            let typical_trust = self.levels(at, &ap, "typical_trust", false);
            let supply_2030 = self.number(st, &sp, "supply_2030", true);
            let supply_2030 = self.nonneg(supply_2030, join(&sp, "supply_2030"), "supply");
            let (Some(workforce), Some(band), Some(shares_2020), Some(supply_2030)) =
                (workforce, band, shares_2020, supply_2030)
            else {
                continue;
            };
            let w0 = workforce.base.max(f64::MIN_POSITIVE);
            let flow_base = (supply_2030 / w0).powf(0.1) - 1.0;
            let Some(flow) = self.input(st, &sp, "flow_rate", Some(flow_base), &fam_flow, &factors)
            else {
                continue;
            };
            areas.push(AreaConfig {
                area: a,
                workforce,
                band,
                shares_2020,
                supply_2030,
                flow,
                extra_inflow,
                typical_trust,
            });
        }

        let mut demand = vec![];
        for &s in Scenario::ALL {
            let dp = vec!["demand".to_string(), s.key().to_string()];
            let Some(dt) = demand_t.and_then(|t| self.table(t, &dp[..1], s.key(), true)) else {
                continue;
            };
            self.keys(dt, &dp, &area_keys);
            let mut row = vec![];
            for &a in Area::ALL {
                let p = join(&dp, a.key());
                let Some(t) = self.table(dt, &dp, a.key(), true) else {
                    continue;
                };
                self.keys(t, &p, &schema::names(schema::DEMAND));
                let d2030 = self.number(t, &p, "demand_2030", true);
                let d2030 = self.nonneg(d2030, join(&p, "demand_2030"), "demand");
                let levels = self.levels(t, &p, "levels_2030", true);
                let w = areas.iter().find(|x| x.area == a).map(|x| x.workforce.base);
                let (Some(d2030), Some(levels), Some(w)) = (d2030, levels, w) else {
                    continue;
                };
                let Some(ratio) = self.input(t, &p, "ratio", Some(d2030 / w), &fam_ratio, &factors)
                else {
                    continue;
                };
                let k = match self.number(t, &p, "concentration", false) {
                    Some(k) if k <= 0.0 => {
                        self.problem(
                            join(&p, "concentration"),
                            "Dirichlet concentration ≤ 0",
                            format!("found {k}; it must be > 0"),
                        );
                        None
                    }
                    Some(k) => Some(k),
                    None => kappa,
                };
                let base = normalise(&levels);
                let shares = match k {
                    Some(k) => match SharesDist::dirichlet(base.iter().map(|q| q * k).collect()) {
                        Ok(d) => d,
                        Err(e) => {
                            self.problem(join(&p, "levels_2030"), "bad skill mix", e.0);
                            continue;
                        }
                    },
                    None => SharesDist::Fixed(base),
                };
                row.push(DemandConfig {
                    demand_2030: d2030,
                    ratio,
                    levels_2030: levels,
                    shares,
                    ratio_2025: None,
                });
            }
            demand.push(row);
        }

        if !self.problems.is_empty()
            || areas.len() != N_AREAS
            || demand.iter().any(|r| r.len() != N_AREAS)
        {
            return None;
        }
        let panel = self.panel(root, &areas, origin)?;
        if let Some(p) = &panel {
            // The panel replaces the demand ratios and 2030 level shares entirely.
            for (s, row) in demand.iter_mut().enumerate() {
                for (a, d) in row.iter_mut().enumerate() {
                    let (r25, r30, q) = p.mean(s, a)?;
                    d.ratio = Input::fixed(r30);
                    d.ratio_2025 = Some(r25);
                    d.shares = SharesDist::Fixed(q.to_vec());
                }
            }
        }
        Some(Config {
            name: name?,
            title,
            origin: origin.to_string(),
            source: _text.to_string(),
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
        })
    }

    /// `[forecasters]`: returns = "FILE.csv" (relative to the config), mode, missing,
    /// weights. Problems in the CSV are located in the CSV.
    pub(super) fn panel(
        &mut self,
        root: &Table,
        areas: &[AreaConfig],
        origin: &str,
    ) -> Option<Option<std::sync::Arc<panel::Panel>>> {
        let top = vec!["forecasters".to_string()];
        let Some(t) = self.table(root, &[], "forecasters", false) else {
            return Some(None);
        };
        self.keys(t, &top, &schema::names(schema::FORECASTERS));
        let mode = match self.string(t, &top, "mode", false).as_deref() {
            None | Some("panel-mean") => panel::Mode::PanelMean,
            Some("forecaster") => panel::Mode::Forecaster,
            Some(m) => {
                self.problem(join(&top, "mode"), &format!("unknown mode `{m}`"), "valid: panel-mean (bootstrap of the panel's mean), forecaster (one forecaster per draw)");
                return None;
            }
        };
        let missing = match self.string(t, &top, "missing", false).as_deref() {
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
        let mut weights = std::collections::BTreeMap::new();
        if let Some(w) = self.table(t, &top, "weights", false) {
            for (k, v) in w {
                let x = self.num_value(v, join(&join(&top, "weights"), k))?;
                weights.insert(k.clone(), x);
            }
        }
        let file = self.string(t, &top, "returns", true)?;
        let mut trust = [[0.0; N_LEVELS]; N_AREAS];
        for (a, ac) in areas.iter().enumerate() {
            match ac.typical_trust {
                Some(tt) if tt.iter().sum::<f64>() > 0.0 => trust[a] = tt,
                _ => {
                    self.problem(
                        vec!["areas".into(), ac.area.key().into(), "typical_trust".into()],
                        "typical trust needed",
                        "forecaster returns are ratios to the typical trust's 2020 WTE (Table 5.3): give `typical_trust = [senior_leaders, managers, professionals, support]`",
                    );
                    return None;
                }
            }
        }
        let path = base_dir(origin).join(&file);
        let shown = path.display().to_string();
        let text = read_limited(&path);
        let text = match text {
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
        match panel::Panel::parse(&text, &trust, mode, missing, &weights) {
            Ok(p) => {
                self.extra_source.push_str(&text);
                Some(Some(std::sync::Arc::new(p)))
            }
            Err(ps) => {
                for p in ps {
                    let mut problem = Problem::new(vec![], p.headline, p.detail);
                    problem.hint = p.hint;
                    self.returns
                        .push(super::error::Returned::new(&shown, &text, p.span, problem));
                }
                None
            }
        }
    }

    /// `salary_path = [0.03, 0.04, …]`: awards for 2021, 2022, … (at most ten).
    pub(super) fn salary_path(&mut self, root: &Table) -> Option<Vec<f64>> {
        if !root.contains_key("salary_path") {
            return Some(vec![]);
        }
        let list = self.num_list(root, &[], "salary_path")?;
        let p = vec!["salary_path".to_string()];
        if list.len() > N_YEARS - 1 {
            self.problem(
                p,
                "salary path too long",
                format!(
                    "found {} awards; give at most {} (one per year 2021–2030)",
                    list.len(),
                    N_YEARS - 1
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
        root: &Table,
        factors: &[Factor],
        scale: &[Band],
        interventions: &[String],
    ) -> Vec<StressProfile> {
        let mut out = vec![];
        let top = vec!["stress".to_string()];
        let Some(t) = self.table(root, &[], "stress", false) else {
            return out;
        };
        let valid = overrides::settable_paths(factors, scale, interventions);
        for (name, v) in t {
            let p = join(&top, name);
            let Value::Table(pt) = v else {
                self.problem(
                    p,
                    "wrong type",
                    format!(
                        "found {}, expected a table with `description` and `set`",
                        type_name(v)
                    ),
                );
                continue;
            };
            self.keys(pt, &p, &["description", "set"]);
            let description = self
                .string(pt, &p, "description", false)
                .unwrap_or_default();
            let Some(set) = self.table(pt, &p, "set", true) else {
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
    pub(super) fn interventions(&mut self, root: &Table, factors: &[Factor]) -> Vec<Intervention> {
        let mut out = vec![];
        let Some(t) = self.table(root, &[], "interventions", false) else {
            return out;
        };
        for (name, v) in t {
            let p = vec!["interventions".to_string(), name.clone()];
            let Value::Table(it) = v else {
                self.problem(
                    p,
                    "wrong type",
                    format!(
                        "found {}, expected a table with `description` and levers (`intake`, `retention`, `pay`, `cost`)",
                        type_name(v)
                    ),
                );
                continue;
            };
            if let Some(i) = self.intervention(name, it, &p, factors) {
                out.push(i);
            }
        }
        out
    }

    fn intervention(
        &mut self,
        name: &str,
        it: &Table,
        p: &[String],
        factors: &[Factor],
    ) -> Option<Intervention> {
        self.keys(it, p, &schema::names(schema::INTERVENTION));
        let description = self.string(it, p, "description", false).unwrap_or_default();
        let active = match it.get("active") {
            None => false,
            Some(Value::Boolean(b)) => *b,
            Some(v) => {
                self.problem(
                    join(p, "active"),
                    "wrong type",
                    format!("found {}, expected true or false", type_name(v)),
                );
                false
            }
        };
        let n0 = self.problems.len();
        let fam = Family_::default();
        let lever = |r: &mut Reader, key: &str, keys: &[schema::Key]| -> Option<(Table, Path_)> {
            let t = r.table(it, p, key, false)?.clone();
            let lp = join(p, key);
            r.keys(&t, &lp, &schema::names(keys));
            Some((t, lp))
        };
        let intake = lever(self, "intake", schema::INTAKE).and_then(|(t, lp)| {
            Some(Intake {
                areas: self.areas_list(&t, &lp)?,
                per_year: self.bounded(&t, &lp, "per_year", None, 0.0, f64::INFINITY, factors)?,
                start: self.year(&t, &lp, "start")?,
                ramp: self.whole(&t, &lp, "ramp", 0, 10)?,
                completion: self.bounded(&t, &lp, "completion", Some(1.0), 0.0, 1.0, factors)?,
                attrition: self.bounded(&t, &lp, "attrition", Some(0.0), 0.0, 0.999, factors)?,
            })
        });
        let retention = lever(self, "retention", schema::RETENTION).and_then(|(t, lp)| {
            Some(Retention {
                areas: self.areas_list(&t, &lp)?,
                delta: self.input(&t, &lp, "delta", None, &fam, factors)?,
                start: self.year(&t, &lp, "start")?,
            })
        });
        let pay = lever(self, "pay", schema::PAY_LEVER).and_then(|(t, lp)| {
            Some(PayLever {
                areas: self.areas_list(&t, &lp)?,
                uplift: self.bounded(&t, &lp, "uplift", None, -0.5, 1.0, factors)?,
                start: self.year(&t, &lp, "start")?,
                flow_effect: self.input(&t, &lp, "flow_effect", Some(0.0), &fam, factors)?,
            })
        });
        let empty = Table::new();
        let (ct, cp) = lever(self, "cost", schema::PROGRAMME_COST)
            .unwrap_or_else(|| (empty.clone(), join(p, "cost")));
        let cost = ProgrammeCost {
            per_entrant: self.bounded(
                &ct,
                &cp,
                "per_entrant",
                Some(0.0),
                0.0,
                f64::INFINITY,
                factors,
            )?,
            per_year: self.bounded(&ct, &cp, "per_year", Some(0.0), 0.0, f64::INFINITY, factors)?,
            start: self.year(&ct, &cp, "start")?,
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

    /// `areas = ["ict", …]`: one or more area keys.
    fn areas_list(&mut self, t: &Table, p: &[String]) -> Option<Vec<usize>> {
        let ap = join(p, "areas");
        let keys = Area::keys();
        let Some(Value::Array(items)) = t.get("areas") else {
            self.problem(
                ap,
                "missing or wrong `areas`",
                format!("a list of one or more of: {}", keys.join(", ")),
            );
            return None;
        };
        let mut out = vec![];
        for v in items {
            let found = v
                .as_str()
                .and_then(|k| Area::ALL.iter().position(|a| a.key() == k));
            match found {
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

    /// A whole number in `lo..=hi` (`lo` where absent).
    fn whole(&mut self, t: &Table, p: &[String], key: &str, lo: u32, hi: u32) -> Option<u32> {
        self.whole_in(t, p, key, (lo, hi), "out of range", "a whole number")
    }

    /// A year from 2021 to 2030 (2021 where absent).
    fn year(&mut self, t: &Table, p: &[String], key: &str) -> Option<u32> {
        let range = (crate::dims::BASE_YEAR + 1, crate::dims::END_YEAR);
        self.whole_in(t, p, key, range, "year out of range", "a year")
    }

    /// A whole number in `lo..=hi` (`lo` where absent); else the problem `what`,
    /// expecting `kind` in the range.
    fn whole_in(
        &mut self,
        t: &Table,
        p: &[String],
        key: &str,
        (lo, hi): (u32, u32),
        what: &str,
        kind: &str,
    ) -> Option<u32> {
        let x = self.number(t, p, key, false).unwrap_or(lo as f64);
        if x.fract() != 0.0 || x < lo as f64 || x > hi as f64 {
            self.problem(
                join(p, key),
                what,
                format!("found {x}, expected {kind} from {lo} to {hi}"),
            );
            return None;
        }
        Some(x as u32)
    }

    /// An input whose base value lies in `[lo, hi]` (draws are clamped to it).
    #[allow(clippy::too_many_arguments)]
    fn bounded(
        &mut self,
        t: &Table,
        p: &[String],
        key: &str,
        default: Option<f64>,
        lo: f64,
        hi: f64,
        factors: &[Factor],
    ) -> Option<Input> {
        let i = self.input(t, p, key, default, &Family_::default(), factors)?;
        if !(lo..=hi).contains(&i.base) {
            self.problem(
                join(p, key),
                "out of range",
                format!("its value {} must lie in [{lo}, {hi}]", i.base),
            );
            return None;
        }
        Some(i)
    }

    pub(super) fn num_list(&mut self, t: &Table, path: &[String], key: &str) -> Option<Vec<f64>> {
        let p = join(path, key);
        match t.get(key) {
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
                self.problem(
                    p,
                    &format!("missing `{key}`"),
                    "a list of numbers is required here",
                );
                None
            }
        }
    }

    pub(super) fn band_index(&mut self, name: &str, p: Path_, scale: &[Band]) -> Option<usize> {
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

    /// `band = "8a"` (family default applies) or `{ base = "8a", dist = "categorical(7=0.2, 8a=0.6, 8b=0.2)" }`.
    pub(super) fn band(
        &mut self,
        t: &Table,
        path: &[String],
        scale: &[Band],
        steps: Option<&(Vec<i64>, Vec<f64>)>,
    ) -> Option<BandInput> {
        let p = join(path, "band");
        match t.get("band") {
            Some(Value::String(name)) => {
                let base = self.band_index(name, p, scale)?;
                let Some((steps, probs)) = steps else {
                    return Some(BandInput {
                        base,
                        choices: vec![base],
                        p: vec![1.0],
                    });
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
                    return Some(BandInput {
                        base,
                        choices: vec![base],
                        p: vec![1.0],
                    });
                }
                Some(BandInput {
                    base,
                    choices,
                    p: ps.iter().map(|q| q / total).collect(),
                })
            }
            Some(Value::Table(bt)) => {
                self.keys(bt, &p, &["base", "dist", "note"]);
                let base_name = self.string(bt, &p, "base", true)?;
                let base = self.band_index(&base_name, join(&p, "base"), scale)?;
                let text = self.string(bt, &p, "dist", true)?;
                let dp = join(&p, "dist");
                let usage = "categorical(7=0.2, 8a=0.6, 8b=0.2)";
                let call = match Call::parse(&text) {
                    Ok(c)
                        if c.name == "categorical"
                            && c.positional.is_empty()
                            && !c.named.is_empty() =>
                    {
                        c
                    }
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
}
