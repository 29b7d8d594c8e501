//! The projection itself (spec §3): one set of input values in, every output out.
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
use crate::dims::{N_AREAS, N_LEVELS, N_SCENARIOS, N_YEARS};

/// One realisation of every model input.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// 2020 workforce per area, WTE.
    pub workforce: [f64; N_AREAS],
    /// Demand ratio 2030 / 2020 per scenario and area.
    pub ratio: [[f64; N_AREAS]; N_SCENARIOS],
    /// Demand ratio 2025 / 2020 where known (`None`: a straight line 2020 → 2030).
    pub ratio_2025: [[Option<f64>; N_AREAS]; N_SCENARIOS],
    /// Net annual flow rate per area.
    pub flow: [f64; N_AREAS],
    /// Annual pay per area (top of the drawn band), GBP.
    pub pay: [f64; N_AREAS],
    /// Pay awards fixed year by year from 2021 (a realised path); later years grow
    /// at the salary growth rate.
    pub salary_path: Vec<f64>,
    /// Wage index per year relative to 2020 (1.0 in 2020).
    pub wage_index: [f64; N_YEARS],
    /// Additional inflow per area, WTE a year from 2021 (a policy lever; 0 in the report).
    pub extra_inflow: [f64; N_AREAS],
    /// Employment on-cost rate.
    pub on_cost: f64,
    /// 2020 job-level shares per area.
    pub shares_2020: [[f64; N_LEVELS]; N_AREAS],
    /// 2030 job-level shares per scenario and area.
    pub shares_2030: [[[f64; N_LEVELS]; N_AREAS]; N_SCENARIOS],
    /// What active interventions change (`None`: none is active).
    pub policy: Option<Box<policy::Policy>>,
}

/// Wage index: the awards of `path` for 2021, 2022, …, then `growth` a year.
pub fn wage_index(path: &[f64], growth: f64) -> [f64; N_YEARS] {
    let mut w = [1.0; N_YEARS];
    for k in 1..N_YEARS {
        w[k] = w[k - 1] * (1.0 + path.get(k - 1).copied().unwrap_or(growth));
    }
    w
}

impl Inputs {
    /// Every input at its base value: the report's own projection.
    pub fn base(cfg: &Config) -> Inputs {
        let mut x = Inputs {
            workforce: [0.0; N_AREAS],
            ratio: [[0.0; N_AREAS]; N_SCENARIOS],
            ratio_2025: [[None; N_AREAS]; N_SCENARIOS],
            flow: [0.0; N_AREAS],
            pay: [0.0; N_AREAS],
            salary_path: cfg.salary_path.clone(),
            wage_index: wage_index(&cfg.salary_path, cfg.salary_growth.base),
            extra_inflow: [0.0; N_AREAS],
            on_cost: cfg.on_cost.base,
            shares_2020: [[0.0; N_LEVELS]; N_AREAS],
            shares_2030: [[[0.0; N_LEVELS]; N_AREAS]; N_SCENARIOS],
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
            x.shares_2020[i] = a.shares_2020;
        }
        for (s, row) in cfg.demand.iter().enumerate() {
            for (i, d) in row.iter().enumerate() {
                x.ratio[s][i] = d.ratio.base;
                x.ratio_2025[s][i] = d.ratio_2025;
                let total: f64 = d.levels_2030.iter().sum();
                for l in 0..N_LEVELS {
                    x.shares_2030[s][i][l] = d.levels_2030[l] / total;
                }
            }
        }
        x
    }
}

/// Evaluates the model for one set of inputs into `out` (length [`Layout::LEN`]).
///
/// Demand follows a straight line from W to R·W (through R₂₀₂₅·W in 2025 when the
/// forecasters gave 2025 figures); supply compounds the flow rate (plus
/// any extra inflow, k years × WTE a year, and what active interventions add);
/// costs price each WTE at the area's pay, grown by the wage index, plus on-costs.
pub fn evaluate(x: &Inputs, out: &mut [f64]) {
    debug_assert_eq!(out.len(), Layout::LEN);
    let oc = 1.0 + x.on_cost;
    // Supply, supply cost and flat cost do not depend on the scenario: compute once.
    let mut supply = [[0.0; N_YEARS]; N_AREAS];
    let mut unit = [[0.0; N_YEARS]; N_AREAS];
    for a in 0..N_AREAS {
        let mut s = x.workforce[a];
        match x.policy.as_deref() {
            None => {
                for k in 0..N_YEARS {
                    supply[a][k] = s + x.extra_inflow[a] * k as f64;
                    s *= 1.0 + x.flow[a];
                    unit[a][k] = x.pay[a] * x.wage_index[k] * oc;
                }
            }
            Some(p) => {
                for k in 0..N_YEARS {
                    supply[a][k] = s + x.extra_inflow[a] * k as f64 + p.supply_add[a][k];
                    if k + 1 < N_YEARS {
                        s *= 1.0 + (x.flow[a] + p.flow_add[a][k + 1]);
                    }
                    unit[a][k] = x.pay[a] * p.pay_mult[a][k] * x.wage_index[k] * oc;
                }
            }
        }
    }
    for s in 0..N_SCENARIOS {
        let mut tot = [[0.0; Metric::N_AREA]; N_YEARS];
        let mut gross = [0.0; N_YEARS];
        for a in 0..N_AREAS {
            let w = x.workforce[a];
            let r1 = x.ratio[s][a] - 1.0;
            let r25 = x.ratio_2025[s][a];
            let q0 = &x.shares_2020[a];
            let q1 = &x.shares_2030[s][a];
            for k in 0..N_YEARS {
                let f = k as f64 / 10.0;
                // A straight line 2020 → 2030, or through the 2025 ratio when known.
                let d = match r25 {
                    None => w * (1.0 + r1 * f),
                    Some(r25) if k <= 5 => w * (1.0 + (r25 - 1.0) * (k as f64 / 5.0)),
                    Some(r25) => w * (r25 + (r1 + 1.0 - r25) * ((k - 5) as f64 / 5.0)),
                };
                let sup = supply[a][k];
                let u = unit[a][k];
                let vals = [
                    d,
                    sup,
                    sup - d,
                    d * u,
                    sup * u,
                    w * u,
                    d * (q0[0] + (q1[0] - q0[0]) * f),
                    d * (q0[1] + (q1[1] - q0[1]) * f),
                    d * (q0[2] + (q1[2] - q0[2]) * f),
                    d * (q0[3] + (q1[3] - q0[3]) * f),
                ];
                let base = Layout::area_base(s, Some(a), k);
                out[base..base + Metric::N_AREA].copy_from_slice(&vals);
                for (t, v) in tot[k].iter_mut().zip(vals) {
                    *t += v;
                }
                gross[k] += (d - sup).max(0.0);
            }
        }
        for k in 0..N_YEARS {
            let base = Layout::area_base(s, None, k);
            out[base..base + Metric::N_AREA].copy_from_slice(&tot[k]);
            out[Layout::gross_index(s, k)] = gross[k];
        }
    }
}

/// The point model: the config with every input at its base value.
pub fn point(cfg: &Config) -> Vec<f64> {
    let mut out = vec![0.0; Layout::LEN];
    evaluate(&Inputs::base(cfg), &mut out);
    out
}
