//! `[areas.AREA]`, `[supply.AREA]` and `[demand.SCENARIO.AREA]`: one table per
//! area (and scenario) of the dimensions, each required.

use super::inputs::Uncertainty;
use super::*;

impl Reader {
    /// Every area's inputs, in the dimensions' order (only the complete ones; a
    /// missing or bad area is a problem).
    pub(super) fn areas(
        &mut self,
        areas: Option<&Value>,
        supply: Option<&Value>,
        dims: &Dims,
        unc: &Uncertainty,
        pay_scale: &[Band],
        factors: &[Factor],
    ) -> Vec<AreaConfig> {
        let years = Years {
            base: dims.base_year,
            last: dims.last_year,
        };
        let keys = dims.area_keys();
        let areas_t = self.table_value(areas, &at(&["areas"]), true);
        let supply_t = self.table_value(supply, &at(&["supply"]), true);
        for (t, name) in [(areas_t, "areas"), (supply_t, "supply")] {
            if let Some(t) = t {
                self.keys(t, &[name.to_string()], &keys);
            }
        }
        let mut out = vec![];
        for (a, key) in keys.iter().enumerate() {
            let ap = at(&["areas", key]);
            let sp = at(&["supply", key]);
            let at_ = areas_t.and_then(|t| self.table(t, &ap[..1], key, true).map(|_| &t[*key]));
            let st_ = supply_t.and_then(|t| self.table(t, &sp[..1], key, true).map(|_| &t[*key]));
            let (Some(at_), Some(st_)) = (at_, st_) else {
                continue;
            };
            let (Some(ar), Some(sr)) = (
                self.section::<raw::Area>(Some(at_), &ap, years, true),
                self.section::<raw::Supply>(Some(st_), &sp, years, true),
            ) else {
                continue;
            };
            if let Some(c) = self.area(a, dims, years, &ar, &sr, unc, pay_scale, factors) {
                out.push(c);
            }
        }
        out
    }

    /// Area `a` from its `[areas]` and `[supply]` tables.
    #[allow(clippy::too_many_arguments)]
    fn area(
        &mut self,
        a: usize,
        dims: &Dims,
        years: Years,
        ar: &raw::Area,
        sr: &raw::Supply,
        unc: &Uncertainty,
        pay_scale: &[Band],
        factors: &[Factor],
    ) -> Option<AreaConfig> {
        let key = dims.area_key(a);
        let ap = at(&["areas", key]);
        let sp = at(&["supply", key]);
        let extra_inflow = self
            .number(sr.extra_inflow.as_ref(), join(&sp, "extra_inflow"), false)
            .unwrap_or(0.0);
        if let Some(f) = self.string(ar.family.as_ref(), join(&ap, "family"), false) {
            let want = dims.areas[a].family.as_deref();
            if want != Some(f.as_str()) {
                let detail = match want {
                    Some(w) if dims.is_report() => {
                        format!("found `{f}`; the report places {key} in `{w}`")
                    }
                    Some(w) => format!("found `{f}`; the dimensions place {key} in `{w}`"),
                    None => format!(
                        "found `{f}`; the dimensions give {key} no family (declare it there)"
                    ),
                };
                self.problem(join(&ap, "family"), "wrong role family", detail);
            }
        }
        // The census figure is given as a number; the baseline-uncertainty family
        // (off by default) applies around it unless it is written as a distribution
        // of its own.
        let wk = years.fill("workforce_{base}");
        let fam = &unc.workforce;
        let workforce = self
            .input(ar.workforce.as_ref(), join(&ap, &wk), None, fam, factors)
            .map(|w| match (fam.around(w.base), w.is_uncertain()) {
                (Some(x), false) => x,
                _ => w,
            });
        if let Some(w) = &workforce
            && w.base <= 0.0
        {
            self.problem(
                join(&ap, &wk),
                "negative workforce",
                format!(
                    "found {}; the {} workforce must be > 0 (ratios divide by it)",
                    w.base, years.base
                ),
            );
        }
        let band = self.band(
            ar.band.as_ref(),
            join(&ap, "band"),
            pay_scale,
            unc.band_steps.as_ref(),
        );
        let lk = years.fill("levels_{base}");
        let shares_base = self
            .levels(ar.levels.as_ref(), join(&ap, &lk), dims, true)
            .map(|l| normalise(&l));
        let typical_trust = self.levels(
            ar.typical_trust.as_ref(),
            join(&ap, "typical_trust"),
            dims,
            false,
        );
        let sk = years.fill("supply_{last}");
        let supply_last = self.number(sr.supply.as_ref(), join(&sp, &sk), true);
        let supply_last = self.nonneg(supply_last, join(&sp, &sk), "supply");
        let (Some(workforce), Some(band), Some(shares_base), Some(supply_last)) =
            (workforce, band, shares_base, supply_last)
        else {
            return None;
        };
        let w0 = workforce.base.max(f64::MIN_POSITIVE);
        let horizon = f64::from(years.last - years.base);
        let flow_base = (supply_last / w0).powf(1.0 / horizon) - 1.0;
        let flow = self.input(
            sr.flow_rate.as_ref(),
            join(&sp, "flow_rate"),
            Some(flow_base),
            &unc.flow,
            factors,
        )?;
        Some(AreaConfig {
            area: a,
            workforce,
            band,
            shares_base,
            supply_last,
            flow,
            extra_inflow,
            typical_trust,
        })
    }

    /// Every scenario's demand inputs, area by area (`[scenario][area]`).
    pub(super) fn demand(
        &mut self,
        v: Option<&Value>,
        dims: &Dims,
        areas: &[AreaConfig],
        unc: &Uncertainty,
        factors: &[Factor],
    ) -> Vec<Vec<DemandConfig>> {
        let years = Years {
            base: dims.base_year,
            last: dims.last_year,
        };
        let mut demand = vec![];
        let Some(demand_t) = self.table_value(v, &at(&["demand"]), true) else {
            return demand;
        };
        self.keys(demand_t, &at(&["demand"]), &dims.scenario_keys());
        for skey in dims.scenario_keys() {
            let dp = at(&["demand", skey]);
            let Some(dt) = self.table(demand_t, &dp[..1], skey, true) else {
                continue;
            };
            self.keys(dt, &dp, &dims.area_keys());
            let mut row = vec![];
            for (a, akey) in dims.area_keys().into_iter().enumerate() {
                let p = join(&dp, akey);
                let Some(t) = self.section::<raw::Demand>(dt.get(akey), &p, years, true) else {
                    continue;
                };
                let w = areas.iter().find(|x| x.area == a).map(|x| x.workforce.base);
                if let Some(d) = self.demand_cell(&t, &p, years, dims, w, unc, factors) {
                    row.push(d);
                }
            }
            demand.push(row);
        }
        demand
    }

    /// One scenario and area's demand.
    #[allow(clippy::too_many_arguments)]
    fn demand_cell(
        &mut self,
        t: &raw::Demand,
        p: &[String],
        years: Years,
        dims: &Dims,
        w: Option<f64>,
        unc: &Uncertainty,
        factors: &[Factor],
    ) -> Option<DemandConfig> {
        let dk = years.fill("demand_{last}");
        let d_last = self.number(t.demand.as_ref(), join(p, &dk), true);
        let d_last = self.nonneg(d_last, join(p, &dk), "demand");
        let lk = years.fill("levels_{last}");
        let levels = self.levels(t.levels.as_ref(), join(p, &lk), dims, true);
        let (Some(d_last), Some(levels), Some(w)) = (d_last, levels, w) else {
            return None;
        };
        let ratio = self.input(
            t.ratio.as_ref(),
            join(p, "ratio"),
            Some(d_last / w),
            &unc.ratio,
            factors,
        )?;
        let k = match self.number(t.concentration.as_ref(), join(p, "concentration"), false) {
            Some(k) if k <= 0.0 => {
                self.problem(
                    join(p, "concentration"),
                    "Dirichlet concentration ≤ 0",
                    format!("found {k}; it must be > 0"),
                );
                None
            }
            Some(k) => Some(k),
            None => unc.kappa,
        };
        let base = normalise(&levels);
        let shares = match k {
            Some(k) => match SharesDist::dirichlet(base.iter().map(|q| q * k).collect()) {
                Ok(d) => d,
                Err(e) => {
                    self.problem(join(p, &lk), "bad skill mix", e.0);
                    return None;
                }
            },
            None => SharesDist::Fixed(base),
        };
        Some(DemandConfig {
            demand_last: d_last,
            ratio,
            levels_last: levels,
            shares,
            ratio_mid: None,
        })
    }
}
