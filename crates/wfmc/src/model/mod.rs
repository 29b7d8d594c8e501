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
    let lay = x.layout;
    let (n_a, n_y, n_l) = (lay.areas, lay.years, lay.levels);
    debug_assert_eq!(out.len(), lay.len());
    let m = lay.metrics_per_slot();
    let oc = 1.0 + x.on_cost;
    let horizon = (n_y - 1) as f64;
    // Supply, its cost and the flat cost do not depend on the scenario: they are
    // computed into the first scenario's slots and copied into the others'.
    for a in 0..n_a {
        let mut s = x.workforce[a];
        let w = x.workforce[a];
        for k in 0..n_y {
            let base = lay.area_base(0, Some(a), k);
            let (sup, u) = match x.policy.as_deref() {
                None => {
                    let sup = s + x.extra_inflow[a] * k as f64;
                    s *= 1.0 + x.flow[a];
                    (sup, x.pay[a] * x.wage_index[k] * oc)
                }
                Some(p) => {
                    let sup = s + x.extra_inflow[a] * k as f64 + p.supply_add[a * n_y + k];
                    if k + 1 < n_y {
                        s *= 1.0 + (x.flow[a] + p.flow_add[a * n_y + k + 1]);
                    }
                    (
                        sup,
                        x.pay[a] * p.pay_mult[a * n_y + k] * x.wage_index[k] * oc,
                    )
                }
            };
            out[base + 1] = sup;
            out[base + 4] = sup * u;
            out[base + 5] = w * u;
            // The unit cost waits in the gap's slot until demand is known.
            out[base + 2] = u;
        }
    }
    // The first scenario last: its slots hold supply and the unit cost until then.
    for s in (0..lay.scenarios).rev() {
        for k in 0..n_y {
            let t = lay.area_base(s, None, k);
            out[t..t + m].fill(0.0);
            out[lay.gross_index(s, k)] = 0.0;
        }
        for a in 0..n_a {
            let w = x.workforce[a];
            let r1 = x.ratio[s * n_a + a] - 1.0;
            let r_mid = x.ratio_mid[s * n_a + a];
            let q0 = &x.shares_base[a * n_l..(a + 1) * n_l];
            let q1 = &x.shares_last[(s * n_a + a) * n_l..(s * n_a + a + 1) * n_l];
            let mid = x.mid;
            for k in 0..n_y {
                let f = k as f64 / horizon;
                // A straight line from the base year to the last, or through the
                // middle year's ratio when known.
                let d = match r_mid {
                    None => w * (1.0 + r1 * f),
                    Some(rm) if k <= mid => w * (1.0 + (rm - 1.0) * (k as f64 / mid as f64)),
                    Some(rm) => {
                        w * (rm + (r1 + 1.0 - rm) * ((k - mid) as f64 / (n_y - 1 - mid) as f64))
                    }
                };
                let first = lay.area_base(0, Some(a), k);
                let (sup, u) = (out[first + 1], out[first + 2]);
                let (cs, cf) = (out[first + 4], out[first + 5]);
                let base = lay.area_base(s, Some(a), k);
                let t = lay.area_base(s, None, k);
                let head = [d, sup, sup - d, d * u, cs, cf];
                for (j, v) in head.into_iter().enumerate() {
                    out[base + j] = v;
                    out[t + j] += v;
                }
                let mut by_level = 0.0;
                for l in 0..n_l {
                    let v = d * (q0[l] + (q1[l] - q0[l]) * f);
                    out[base + 6 + l] = v;
                    out[t + 6 + l] += v;
                    if lay.level_cost {
                        by_level += v * x.level_pay[l];
                    }
                }
                if lay.level_cost {
                    let v = by_level * x.wage_index[k] * oc;
                    out[base + 6 + n_l] = v;
                    out[t + 6 + n_l] += v;
                }
                out[lay.gross_index(s, k)] += (d - sup).max(0.0);
            }
        }
    }
}

/// The point model: the config with every input at its base value.
pub fn point(cfg: &Config) -> Vec<f64> {
    let x = Inputs::base(cfg);
    let mut out = vec![0.0; x.layout.len()];
    evaluate(&x, &mut out);
    out
}
