//! One-at-a-time sensitivity around the point model (user guide, "Sensitivity").
//!
//! Each input in turn is set to its marginal P10 and P90 (a band: its lowest and
//! highest option) with every other input at its base value; the output's swing is
//! the distance between the two results. Correlations between inputs are ignored by
//! construction: that is what [`super::sobol`] is for.

use crate::config::Config;
use crate::model::{Layout, evaluate};
use crate::model::{Output, outputs};
use crate::sampling::{GroupKind, Sampler, Target};

/// One input the tornado moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    /// Config path of the input.
    pub name: String,
    /// Scenario whose outputs it can move (`None`: both).
    pub scenario: Option<usize>,
    /// Its base value.
    pub base: f64,
    /// Its low setting (P10, or the lowest band's pay).
    pub low: f64,
    /// Its high setting (P90, or the highest band's pay).
    pub high: f64,
}

/// One line of `tornado.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Scenario index.
    pub scenario: usize,
    /// Output name.
    pub output: String,
    /// Input name.
    pub input: String,
    /// Input at its low setting.
    pub input_low: f64,
    /// Input at its high setting.
    pub input_high: f64,
    /// The output with every input at base.
    pub output_base: f64,
    /// The output with this input low.
    pub output_low: f64,
    /// The output with this input high.
    pub output_high: f64,
    /// |output_high − output_low|.
    pub swing: f64,
    /// 1 = largest swing for this scenario and output.
    pub rank: usize,
}

/// The tornado of any model: `f(values, out)` evaluates at input values `values`
/// (one per var, in order); each output is read at its index of `out`.
pub fn analyse(
    vars: &[Var],
    outputs: &[Output],
    out_len: usize,
    f: impl Fn(&[f64], &mut [f64]),
) -> Vec<Row> {
    let base: Vec<f64> = vars.iter().map(|v| v.base).collect();
    let mut y0 = vec![0.0; out_len];
    f(&base, &mut y0);
    // Only the analysed outputs are kept: memory is inputs × analysed outputs,
    // not inputs × every series.
    let pick = |y: &[f64]| -> Vec<f64> { outputs.iter().map(|o| y[o.index]).collect() };
    let mut lows = vec![];
    let mut highs = vec![];
    let (mut lo, mut hi) = (vec![0.0; out_len], vec![0.0; out_len]);
    let mut x = base.clone();
    for (i, v) in vars.iter().enumerate() {
        x[i] = v.low;
        f(&x, &mut lo);
        x[i] = v.high;
        f(&x, &mut hi);
        x[i] = base[i];
        lows.push(pick(&lo));
        highs.push(pick(&hi));
    }
    let mut rows = vec![];
    for (j, o) in outputs.iter().enumerate() {
        let mut these: Vec<Row> = vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.scenario.is_none_or(|s| s == o.scenario))
            .map(|(i, v)| {
                let (l, h) = (lows[i][j], highs[i][j]);
                Row {
                    scenario: o.scenario,
                    output: o.name.clone(),
                    input: v.name.clone(),
                    input_low: v.low,
                    input_high: v.high,
                    output_base: y0[o.index],
                    output_low: l,
                    output_high: h,
                    swing: (h - l).abs(),
                    rank: 0,
                }
            })
            .collect();
        // Stable sort: equal swings keep the config's input order.
        these.sort_by(|a, b| b.swing.total_cmp(&a.swing));
        for (r, row) in these.iter_mut().enumerate() {
            row.rank = r + 1;
        }
        rows.extend(these);
    }
    rows
}

/// The inputs of `cfg` the tornado moves: every uncertain scalar input and band.
pub fn vars(cfg: &Config) -> (Sampler, Vec<(Var, Target)>) {
    let sampler = Sampler::new(cfg);
    let mut vars = vec![];
    for g in sampler.groups() {
        let (var, t) = match &g.kind {
            GroupKind::Scalar(t, input) => (
                Var {
                    name: g.name.clone(),
                    scenario: t.scenario(),
                    base: input.base,
                    low: input.quantile(0.1),
                    high: input.quantile(0.9),
                },
                *t,
            ),
            GroupKind::Band { area, pay, .. } => (
                Var {
                    name: g.name.clone(),
                    scenario: None,
                    base: sampler.base().pay[*area],
                    low: pay[0],
                    high: pay[pay.len() - 1],
                },
                Target::Pay(*area),
            ),
            _ => continue,
        };
        vars.push((var, t));
    }
    (sampler, vars)
}

/// The tornado of the workforce model for `cfg`, for its analysed outputs.
pub fn run(cfg: &Config) -> Vec<Row> {
    let (sampler, vt) = vars(cfg);
    let vars: Vec<Var> = vt.iter().map(|(v, _)| v.clone()).collect();
    let len = Layout::of(&cfg.dims).len();
    analyse(&vars, &outputs(&cfg.dims), len, |values, out| {
        let mut x = sampler.base().clone();
        for ((_, t), v) in vt.iter().zip(values) {
            t.set(&mut x, *v);
        }
        evaluate(&x, out);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_model_swing_is_coefficient_times_spread() {
        let c = [3.0, -2.0, 0.5, 0.0];
        let vars: Vec<Var> = (0..4)
            .map(|i| Var {
                name: format!("x{i}"),
                scenario: None,
                base: 1.0,
                low: 1.0 - 0.25 * i as f64, // dyadic values: exact arithmetic
                high: 2.0 + i as f64,
            })
            .collect();
        let outs = [Output {
            scenario: 0,
            name: "y".into(),
            index: 0,
        }];
        let rows = analyse(&vars, &outs, 1, |x, out| {
            out[0] = 7.0 + c.iter().zip(x).map(|(c, x)| c * x).sum::<f64>();
        });
        for r in &rows {
            let i: usize = r.input[1..].parse().unwrap();
            let v = &vars[i];
            assert_eq!(r.swing, (c[i] * (v.high - v.low)).abs(), "{}", r.input);
            assert_eq!(r.output_high - r.output_low, c[i] * (v.high - v.low));
        }
        let order: Vec<&str> = rows.iter().map(|r| r.input.as_str()).collect();
        assert_eq!(order, ["x1", "x0", "x2", "x3"]);
        assert_eq!(
            rows.iter().map(|r| r.rank).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
    }

    #[test]
    fn default_tornado_holds_every_output_and_input() {
        let cfg = Config::builtin();
        let rows = run(&cfg);
        // Per scenario: 1 salary growth + 9 flows + 9 bands + 9 own ratios.
        assert_eq!(rows.len(), 24 * 28);
        // The base of every row is the point model.
        let p = crate::model::point(&cfg);
        for o in outputs(&cfg.dims) {
            let r = rows
                .iter()
                .find(|r| r.output == o.name && r.scenario == o.scenario)
                .unwrap();
            assert_eq!(r.output_base, p[o.index]);
        }
        // Cost of demand moves with salary growth in the direction of the growth.
        let r = rows
            .iter()
            .find(|r| r.output == "cost_demand/total/2030" && r.input == "salary_growth")
            .unwrap();
        assert!(r.output_high > r.output_base && r.output_base > r.output_low);
        // An area's own ratio drives its gap; another area's flow cannot.
        let ci = |input: &str| {
            rows.iter()
                .find(|r| {
                    r.scenario == 0
                        && r.output == "gap/clinical_informatics/2030"
                        && r.input == input
                })
                .unwrap()
                .clone()
        };
        assert_eq!(ci("demand.data_driven.clinical_informatics.ratio").rank, 1);
        assert_eq!(ci("supply.ict.flow_rate").swing, 0.0);
    }
}
