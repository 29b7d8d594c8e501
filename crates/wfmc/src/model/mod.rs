//! The projection itself (user guide, "The model"): one set of input values in,
//! every output out.
//!
//! [`Inputs`] is one realisation of every input (the base values for the point model,
//! a random draw in the Monte Carlo engine); [`evaluate`] fills an output vector laid
//! out by [`Layout`]. Keeping outputs in one flat `f64` vector lets the engine stream
//! them into statistics without allocating per draw.

mod analysed;
pub mod layout;
pub mod policy;

pub use analysed::{Output, outputs};
pub use layout::{Layout, Metric, Series};

use crate::config::Config;

/// One realisation of every model input. Per-area values are indexed by area,
/// per-scenario ones by `scenario × areas + area`, yearly ones by year index.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The output layout (the sizes of every array here).
    pub layout: Layout,
    /// Base-year workforce per area, WTE.
    pub workforce: Vec<f64>,
    /// Demand ratio last year / base year per scenario and area.
    pub ratio: Vec<f64>,
    /// Demand ratio at year index `mid` / base year where known (`None`: a
    /// straight line from the base year to the last).
    pub ratio_mid: Vec<Option<f64>>,
    /// The year index of the middle point of a demand path through `ratio_mid`.
    pub mid: usize,
    /// Net annual flow rate per area.
    pub flow: Vec<f64>,
    /// Annual pay per area (top of the drawn band), GBP.
    pub pay: Vec<f64>,
    /// Pay awards fixed year by year from the year after the base (a realised
    /// path); later years grow at the salary growth rate.
    pub salary_path: Vec<f64>,
    /// Wage index per year relative to the base year (1.0 in the base year).
    pub wage_index: Vec<f64>,
    /// Additional inflow per area, WTE a year from the year after the base (a
    /// policy lever; 0 in the report).
    pub extra_inflow: Vec<f64>,
    /// Employment on-cost rate.
    pub on_cost: f64,
    /// Base-year job-level shares per area, `area × levels + level`.
    pub shares_base: Vec<f64>,
    /// Last-year job-level shares per scenario and area, `(scenario × areas +
    /// area) × levels + level`.
    pub shares_last: Vec<f64>,
    /// Pay of each job level where demand is costed by level (else empty).
    pub level_pay: Vec<f64>,
    /// What active interventions change (`None`: none is active).
    pub policy: Option<Box<policy::Policy>>,
}

/// Wage index for `years` yearly points: the awards of `path` for the years after
/// the base, then `growth` a year.
pub fn wage_index(path: &[f64], growth: f64, years: usize) -> Vec<f64> {
    let mut w = vec![1.0; years];
    fill_wage_index(&mut w, path, growth);
    w
}

/// [`wage_index`] into `w` (its length the years).
#[inline]
pub fn fill_wage_index(w: &mut [f64], path: &[f64], growth: f64) {
    if let Some(first) = w.first_mut() {
        *first = 1.0;
    }
    for k in 1..w.len() {
        w[k] = w[k - 1] * (1.0 + path.get(k - 1).copied().unwrap_or(growth));
    }
}

impl Inputs {
    /// Every input at its base value: the config's own projection.
    pub fn base(cfg: &Config) -> Inputs {
        let layout = Layout::of(&cfg.dims);
        let (n_s, n_a, n_y, n_l) = (layout.scenarios, layout.areas, layout.years, layout.levels);
        let mut x = Inputs {
            layout,
            workforce: vec![0.0; n_a],
            ratio: vec![0.0; n_s * n_a],
            ratio_mid: vec![None; n_s * n_a],
            mid: cfg.panel.as_ref().map_or(0, |p| p.mid),
            flow: vec![0.0; n_a],
            pay: vec![0.0; n_a],
            salary_path: cfg.salary_path.clone(),
            wage_index: wage_index(&cfg.salary_path, cfg.salary_growth.base, n_y),
            extra_inflow: vec![0.0; n_a],
            on_cost: cfg.on_cost.base,
            shares_base: vec![0.0; n_a * n_l],
            shares_last: vec![0.0; n_s * n_a * n_l],
            level_pay: cfg.level_pay.clone(),
            policy: None,
        };
        let levers = policy::Levers::new(cfg);
        if !levers.is_empty() {
            x.policy = Some(Box::new(levers.base()));
        }
        for (i, a) in cfg.areas.iter().enumerate() {
            x.workforce[i] = a.workforce.base;
            x.flow[i] = a.flow.base;
            x.extra_inflow[i] = a.extra_inflow;
            x.pay[i] = cfg.pay_top(a.band.base);
            x.shares_base[i * n_l..(i + 1) * n_l].copy_from_slice(&a.shares_base);
        }
        for (s, row) in cfg.demand.iter().enumerate() {
            for (i, d) in row.iter().enumerate() {
                x.ratio[s * n_a + i] = d.ratio.base;
                x.ratio_mid[s * n_a + i] = d.ratio_mid;
                let total: f64 = d.levels_last.iter().sum();
                let at = (s * n_a + i) * n_l;
                for l in 0..n_l {
                    x.shares_last[at + l] = d.levels_last[l] / total;
                }
            }
        }
        x
    }
}

/// Evaluates the model for one set of inputs into `out` (length [`Layout::len`]).
///
/// Demand follows a straight line from W to R·W (through R_mid·W in the middle year
/// when the forecasters gave middle-year figures); supply compounds the flow rate
/// (plus any extra inflow, k years × WTE a year, and what active interventions add);
/// costs price each WTE at the area's pay, grown by the wage index, plus on-costs.
pub fn evaluate(x: &Inputs, out: &mut [f64]) {
    evaluate_as(x, out, true);
}

/// [`evaluate`], with loops specialised for common sizes or (`specialise` false,
/// for the test that they agree) not.
fn evaluate_as(x: &Inputs, out: &mut [f64], specialise: bool) {
    let lay = x.layout;
    let (n_a, n_y, n_l) = (lay.areas, lay.years, lay.levels);
    debug_assert_eq!(out.len(), lay.len());
    let m = lay.metrics_per_slot();
    // One (scenario, area or total) slot holds its years contiguously; a scenario
    // holds its areas, then the total; the gross shortfalls come after every scenario.
    let per = n_y * m;
    let scen = (n_a + 1) * per;
    let (main, gross) = out.split_at_mut(lay.scenarios * scen);
    let oc = 1.0 + x.on_cost;
    let wage = &x.wage_index[..n_y];
    // Supply, its cost and the flat cost do not depend on the scenario: they are
    // computed into the first scenario's slots and copied into the others'. The
    // unit cost waits in the gap's place until demand is known.
    for a in 0..n_a {
        let rows = main[a * per..(a + 1) * per].chunks_exact_mut(m);
        let (w, flow, extra, pay) = (x.workforce[a], x.flow[a], x.extra_inflow[a], x.pay[a]);
        let mut s = w;
        match x.policy.as_deref() {
            None => {
                for (k, row) in rows.enumerate() {
                    let sup = s + extra * k as f64;
                    s *= 1.0 + flow;
                    let u = pay * wage[k] * oc;
                    row[1] = sup;
                    row[2] = u;
                    row[4] = sup * u;
                    row[5] = w * u;
                }
            }
            Some(p) => {
                let (add, flow_add, mult) = (
                    &p.supply_add[a * n_y..(a + 1) * n_y],
                    &p.flow_add[a * n_y..(a + 1) * n_y],
                    &p.pay_mult[a * n_y..(a + 1) * n_y],
                );
                for (k, row) in rows.enumerate() {
                    let sup = s + extra * k as f64 + add[k];
                    if k + 1 < n_y {
                        s *= 1.0 + (flow + flow_add[k + 1]);
                    }
                    let u = pay * mult[k] * wage[k] * oc;
                    row[1] = sup;
                    row[2] = u;
                    row[4] = sup * u;
                    row[5] = w * u;
                }
            }
        }
    }
    // The fractions of the way along the horizon (and the middle year's legs): one
    // division each per evaluation, not per area.
    let horizon = (n_y - 1) as f64;
    let mut along = [0.0; crate::dims::MAX_HORIZON as usize + 1];
    let mut legs = [0.0; crate::dims::MAX_HORIZON as usize + 1];
    let mid = x.mid;
    for k in 0..n_y {
        along[k] = k as f64 / horizon;
        legs[k] = if k <= mid {
            k as f64 / mid as f64
        } else {
            (k - mid) as f64 / (n_y - 1 - mid) as f64
        };
    }
    let years = Years {
        along: &along[..n_y],
        legs: &legs[..n_y],
        mid,
        wage,
        oc,
    };
    // The first scenario last: its slots hold supply and the unit cost until then.
    for s in (0..lay.scenarios).rev() {
        let (first, rest) = main.split_at_mut(s * scen);
        let src = (s > 0).then(|| &first[..n_a * per]);
        let gross = &mut gross[s * n_y..(s + 1) * n_y];
        // The report's eleven years and four job levels get loops the compiler
        // unrolls.
        let out = &mut rest[..scen];
        match (specialise, n_y, n_l) {
            (true, 11, 4) => scenario::<11, 4>(x, s, &years, src, out, gross),
            (true, _, 4) => scenario::<0, 4>(x, s, &years, src, out, gross),
            (true, _, 3) => scenario::<0, 3>(x, s, &years, src, out, gross),
            _ => scenario::<0, 0>(x, s, &years, src, out, gross),
        }
    }
}

/// What every area's demand path shares.
struct Years<'a> {
    /// Fraction of the way from the base year to the last, per year.
    along: &'a [f64],
    /// Fraction of the way along the leg through the middle year, per year.
    legs: &'a [f64],
    /// The middle year's index.
    mid: usize,
    /// Wage index per year.
    wage: &'a [f64],
    /// 1 + the on-cost rate.
    oc: f64,
}

/// Fills scenario `s`'s slots (`out`: its areas, then its total) and its gross
/// shortfall from the supply and unit cost in `src` (the first scenario's area
/// slots) or, for the first scenario, in its own slots. Area by area (each area's
/// years are contiguous), then the totals as a sum of the areas' slots in order.
/// `Y` and `L` are the numbers of years and job levels when known at compile
/// time, 0 otherwise.
#[inline(always)]
fn scenario<const Y: usize, const L: usize>(
    x: &Inputs,
    s: usize,
    y: &Years,
    src: Option<&[f64]>,
    out: &mut [f64],
    gross: &mut [f64],
) {
    let lay = x.layout;
    let n_a = lay.areas;
    let n_y = if Y > 0 { Y } else { lay.years };
    let n_l = if L > 0 { L } else { lay.levels };
    let m = 6 + n_l + usize::from(lay.level_cost);
    let per = n_y * m;
    let (areas, total) = out.split_at_mut(n_a * per);
    let gross = &mut gross[..n_y];
    gross.fill(0.0);
    for a in 0..n_a {
        let w = x.workforce[a];
        let sa = s * n_a + a;
        let r1 = x.ratio[sa] - 1.0;
        let r_mid = x.ratio_mid[sa];
        let q0 = &x.shares_base[a * n_l..(a + 1) * n_l];
        let q1 = &x.shares_last[sa * n_l..(sa + 1) * n_l];
        let rows = &mut areas[a * per..(a + 1) * per];
        let src = src.map(|r| &r[a * per..(a + 1) * per]);
        for (k, row) in rows.chunks_exact_mut(m).enumerate() {
            let f = y.along[k];
            // A straight line from the base year to the last, or through the
            // middle year's ratio when known.
            let d = match r_mid {
                None => w * (1.0 + r1 * f),
                Some(rm) if k <= y.mid => w * (1.0 + (rm - 1.0) * y.legs[k]),
                Some(rm) => w * (rm + (r1 + 1.0 - rm) * y.legs[k]),
            };
            let from = src.map_or(&row[..6], |r| &r[k * m..k * m + 6]);
            let (sup, u, cs, cf) = (from[1], from[2], from[4], from[5]);
            let (head, rest) = row.split_at_mut(6);
            head.copy_from_slice(&[d, sup, sup - d, d * u, cs, cf]);
            let (levels, by_level) = rest.split_at_mut(n_l);
            level_path::<L>(levels, q0, q1, d, f);
            if let Some(c) = by_level.first_mut() {
                let mut sum = 0.0;
                for (v, pay) in levels.iter().zip(&x.level_pay) {
                    sum += v * pay;
                }
                *c = sum * y.wage[k] * y.oc;
            }
            gross[k] += (d - sup).max(0.0);
        }
    }
    // Each total sums its areas in order, from 0.
    total.fill(0.0);
    for a in 0..n_a {
        for (t, v) in total.iter_mut().zip(&areas[a * per..(a + 1) * per]) {
            *t += v;
        }
    }
}

/// Demand by job level: `d` times shares moving from `q0` to `q1`, `f` of the way.
/// As fixed-size arrays when `L` is known, which the compiler vectorises.
#[inline(always)]
fn level_path<const L: usize>(levels: &mut [f64], q0: &[f64], q1: &[f64], d: f64, f: f64) {
    if L > 0
        && let (Ok(v), Ok(a), Ok(b)) = (
            <&mut [f64; L]>::try_from(&mut *levels),
            <&[f64; L]>::try_from(q0),
            <&[f64; L]>::try_from(q1),
        )
    {
        for l in 0..L {
            v[l] = d * (a[l] + (b[l] - a[l]) * f);
        }
        return;
    }
    for ((v, a), b) in levels.iter_mut().zip(q0).zip(q1) {
        *v = d * (a + (b - a) * f);
    }
}

/// The point model: the config with every input at its base value.
pub fn point(cfg: &Config) -> Vec<f64> {
    let x = Inputs::base(cfg);
    let mut out = vec![0.0; x.layout.len()];
    evaluate(&x, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loops specialised for the report's sizes give the generic loops' bits,
    /// with and without a middle-year path and active interventions.
    #[test]
    fn specialised_loops_agree_with_the_generic_ones() {
        let cfg = Config::builtin();
        let mut x = Inputs::base(&cfg);
        let n = x.layout.len();
        for case in 0..3 {
            if case >= 1 {
                x.mid = 5;
                for (i, r) in x.ratio_mid.iter_mut().enumerate() {
                    *r = Some(1.0 + 0.1 * i as f64);
                }
            }
            if case == 2 {
                let mut p = policy::Policy::none(x.layout.areas, x.layout.years);
                p.supply_add
                    .iter_mut()
                    .enumerate()
                    .for_each(|(i, v)| *v = i as f64);
                p.pay_mult.iter_mut().for_each(|v| *v = 1.05);
                x.policy = Some(Box::new(p));
            }
            let (mut a, mut b) = (vec![f64::NAN; n], vec![f64::NAN; n]);
            evaluate_as(&x, &mut a, true);
            evaluate_as(&x, &mut b, false);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "case {case}");
        }
    }
}
