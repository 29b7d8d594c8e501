//! Paired comparisons: a baseline config against variants (an
//! intervention, a portfolio, a stress profile, overrides) on the same draws
//! (common random numbers, [`crate::engine::paired`]), with the standard error of
//! each change from the run's replicate blocks, computed on the paired differences.
//!
//! Per scenario, area (and the total) and year: P(shortfall), the expected shortfall
//! E[max(demand − supply, 0)], for the total also the gross shortfall (the sum of
//! the areas' shortfalls), and the cost: pay of the supply plus the programmes' own
//! cost. Per scenario and area (and the total, on the gross shortfall): the cost per
//! WTE-year of shortfall avoided after the base year: the change in cost over those years over
//! the expected WTE-years of shortfall avoided (a ratio of means, its standard error
//! by the delta method on the blocks).

use crate::config::Config;
use crate::engine::{Control, RunSpec, guard, paired};
use crate::error::Error;
use crate::model::{Inputs, Layout, Metric};

/// What is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// P(demand > supply).
    PShortfall,
    /// E[max(demand − supply, 0)], WTE (for the total: of the net gap).
    ExpectedShortfall,
    /// E[Σ over areas of max(demand − supply, 0)], WTE (the total only).
    GrossShortfall,
    /// Pay of the supply (with on-costs) plus the programmes' own cost, pounds.
    Cost,
    /// The programmes' own cost alone (part of `Cost`), pounds.
    ProgrammeCost,
    /// Change in cost after the base year per expected WTE-year of shortfall avoided
    /// (for the total: of gross shortfall), pounds; the last year in the rows.
    CostPerWteYearAvoided,
}

impl Measure {
    /// Its key in `compare.csv`.
    pub fn key(self) -> &'static str {
        match self {
            Measure::PShortfall => "p_shortfall",
            Measure::ExpectedShortfall => "expected_shortfall",
            Measure::GrossShortfall => "gross_shortfall",
            Measure::Cost => "cost",
            Measure::ProgrammeCost => "programme_cost",
            Measure::CostPerWteYearAvoided => "cost_per_wte_year_avoided",
        }
    }
}

/// The per-draw measures, in value order.
const MEASURES: [Measure; 5] = [
    Measure::PShortfall,
    Measure::ExpectedShortfall,
    Measure::GrossShortfall,
    Measure::Cost,
    Measure::ProgrammeCost,
];
const M: usize = MEASURES.len();

/// The per-draw values of one config: scenario × place (areas, then the total) ×
/// year × measure.
#[derive(Debug, Clone, Copy)]
struct Grid {
    layout: Layout,
}

impl Grid {
    fn places(&self) -> usize {
        self.layout.areas + 1
    }

    /// Values per config and draw.
    fn values(&self) -> usize {
        self.layout.scenarios * self.places() * self.layout.years * M
    }

    fn at(&self, s: usize, place: usize, k: usize, m: usize) -> usize {
        ((s * self.places() + place) * self.layout.years + k) * M + m
    }
}

/// One variant: its name and its config (the baseline with the variant applied).
#[derive(Debug, Clone)]
pub struct Variant {
    /// Its name, e.g. `graduate-ddat` or `realised-pay`.
    pub name: String,
    /// What it is, for reports.
    pub description: String,
    /// The config with the variant applied.
    pub cfg: Config,
}

/// One estimate of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Index into the variants.
    pub variant: usize,
    /// Scenario index.
    pub scenario: usize,
    /// Area index, `None` for the total.
    pub area: Option<usize>,
    /// Year index (k = year − 2020).
    pub year: usize,
    /// What is compared.
    pub measure: Measure,
    /// Under the baseline (NaN for the cost per WTE-year).
    pub base: f64,
    /// With the variant (NaN for the cost per WTE-year).
    pub with: f64,
    /// The change (with − base), or the cost per WTE-year avoided.
    pub change: f64,
    /// The change's standard error, from the paired replicate blocks.
    pub se: f64,
    /// The baseline value's own standard error.
    pub se_base: f64,
    /// The variant value's own standard error.
    pub se_with: f64,
    /// Correlation of the baseline's and the variant's values over the draws.
    pub correlation: f64,
}

/// A comparison's estimates and what was run.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Every estimate, variant by variant.
    pub rows: Vec<Row>,
    /// Draws used (accepted by the numerical guard under every config).
    pub draws: u64,
    /// Draws rejected (under any config).
    pub rejected: u64,
    /// Replicate blocks.
    pub blocks: u64,
}

/// A chunk's sums.
struct Chunk {
    n: u64,
    rejected: u64,
    /// Σ v per config.
    sum: Vec<f64>,
    /// Σ v² per config.
    sq: Vec<f64>,
    /// Σ v_base · v_variant per variant.
    cross: Vec<f64>,
    cur: Vec<f64>,
}

/// Writes the per-draw values of one config.
fn values(g: Grid, x: &Inputs, row: &[f64], out: &mut [f64]) {
    let lay = g.layout;
    let (gap, cost) = (lay.slot_of(Metric::Gap), lay.slot_of(Metric::CostSupply));
    let n_a = lay.areas;
    for s in 0..lay.scenarios {
        for k in 0..lay.years {
            let (mut gross, mut total_cost, mut total_prog) = (0.0, 0.0, 0.0);
            for a in 0..n_a {
                let b = lay.area_base(s, Some(a), k);
                let short = (-row[b + gap]).max(0.0);
                let prog = x
                    .policy
                    .as_deref()
                    .map_or(0.0, |p| p.programme[a * lay.years + k] * x.wage_index[k]);
                let c = row[b + cost] + prog;
                let v = &mut out[g.at(s, a, k, 0)..g.at(s, a, k, 0) + M];
                v.copy_from_slice(&[f64::from(row[b + gap] < 0.0), short, short, c, prog]);
                gross += short;
                total_cost += c;
                total_prog += prog;
            }
            let b = lay.area_base(s, None, k);
            let v = &mut out[g.at(s, n_a, k, 0)..g.at(s, n_a, k, 0) + M];
            v.copy_from_slice(&[
                f64::from(row[b + gap] < 0.0),
                (-row[b + gap]).max(0.0),
                gross,
                total_cost,
                total_prog,
            ]);
        }
    }
}

/// Run-level sums over blocks, per config (`A`) and per variant (`D`, ratio sums).
struct Totals {
    blocks: u64,
    n: u64,
    rejected: u64,
    w: f64,
    /// Σ v per config (over draws).
    tot: Vec<f64>,
    sq: Vec<f64>,
    cross: Vec<f64>,
    /// Σ n_b² m_b and Σ n_b² m_b² per config.
    a1: Vec<f64>,
    a2: Vec<f64>,
    /// Σ n_b² d_b and Σ n_b² d_b² of the block differences, per variant.
    d1: Vec<f64>,
    d2: Vec<f64>,
    /// Per variant, scenario and place: Σ n_b c_b, Σ n_b s_b, Σ n_b² c², Σ n_b² c s,
    /// Σ n_b² s², Σ n_b² s of the block cost change c_b and shortfall avoided s_b.
    ratio: Vec<[f64; 6]>,
}

/// Compares `variants` with `base` on the draws of `spec` (the same seed and
/// draws for all, common random numbers).
pub fn run(
    base: &Config,
    variants: &[Variant],
    spec: &RunSpec,
    control: &Control,
) -> Result<Comparison, Error> {
    let cfgs: Vec<&Config> = std::iter::once(base)
        .chain(variants.iter().map(|v| &v.cfg))
        .collect();
    let (c, v) = (cfgs.len(), variants.len());
    let g = Grid {
        layout: Layout::of(&base.dims),
    };
    let (values_n, places, n_s, n_y) = (g.values(), g.places(), g.layout.scenarios, g.layout.years);
    let workforce = guard::workforce_indices(g.layout);
    let init = || Chunk {
        n: 0,
        rejected: 0,
        sum: vec![0.0; c * values_n],
        sq: vec![0.0; c * values_n],
        cross: vec![0.0; v * values_n],
        cur: vec![0.0; c * values_n],
    };
    let per_draw = |t: &mut Chunk, xs: &[&Inputs], rows: &[&[f64]]| {
        if rows.iter().any(|r| guard::check(r, &workforce).is_some()) {
            t.rejected += 1;
            return;
        }
        t.n += 1;
        for (i, (x, r)) in xs.iter().zip(rows).enumerate() {
            values(g, x, r, &mut t.cur[i * values_n..(i + 1) * values_n]);
        }
        for (i, &y) in t.cur.iter().enumerate() {
            t.sum[i] += y;
            t.sq[i] += y * y;
        }
        let (b0, rest) = t.cur.split_at(values_n);
        for (j, vj) in rest.chunks(values_n).enumerate() {
            for ((acc, &x0), &xj) in t.cross[j * values_n..].iter_mut().zip(b0).zip(vj) {
                *acc += x0 * xj;
            }
        }
    };
    let mut tt = Totals {
        blocks: 0,
        n: 0,
        rejected: 0,
        w: 0.0,
        tot: vec![0.0; c * values_n],
        sq: vec![0.0; c * values_n],
        cross: vec![0.0; v * values_n],
        a1: vec![0.0; c * values_n],
        a2: vec![0.0; c * values_n],
        d1: vec![0.0; v * values_n],
        d2: vec![0.0; v * values_n],
        ratio: vec![[0.0; 6]; v * n_s * places],
    };
    let mut per_block = |_b: u64, chunks: Vec<Chunk>| {
        // The block's sums (its chunks in order); squares and cross products only
        // ever enter the run's totals.
        let (mut count, mut rejected) = (0, 0);
        let mut sum = vec![0.0; c * values_n];
        for ch in &chunks {
            count += ch.n;
            rejected += ch.rejected;
            for (a, b) in sum.iter_mut().zip(&ch.sum) {
                *a += b;
            }
            for (a, b) in tt.sq.iter_mut().zip(&ch.sq) {
                *a += b;
            }
            for (a, b) in tt.cross.iter_mut().zip(&ch.cross) {
                *a += b;
            }
        }
        tt.rejected += rejected;
        if count == 0 {
            return;
        }
        let n = count as f64;
        tt.blocks += 1;
        tt.n += count;
        tt.w += n * n;
        let means: Vec<f64> = sum.iter().map(|s| s / n).collect();
        for (i, (&s, &m)) in sum.iter().zip(&means).enumerate() {
            tt.tot[i] += s;
            tt.a1[i] += n * n * m;
            tt.a2[i] += n * n * m * m;
        }
        let (m0, rest) = means.split_at(values_n);
        for (j, mj) in rest.chunks(values_n).enumerate() {
            for (i, (&x0, &xj)) in m0.iter().zip(mj).enumerate() {
                let d = xj - x0;
                tt.d1[j * values_n + i] += n * n * d;
                tt.d2[j * values_n + i] += n * n * d * d;
            }
            for s in 0..n_s {
                for place in 0..places {
                    let short = if place == places - 1 { 2 } else { 1 };
                    let (mut cb, mut sb) = (0.0, 0.0);
                    for k in 1..n_y {
                        cb += mj[g.at(s, place, k, 3)] - m0[g.at(s, place, k, 3)];
                        sb += m0[g.at(s, place, k, short)] - mj[g.at(s, place, k, short)];
                    }
                    let r = &mut tt.ratio[(j * n_s + s) * places + place];
                    r[0] += n * cb;
                    r[1] += n * sb;
                    r[2] += n * n * cb * cb;
                    r[3] += n * n * cb * sb;
                    r[4] += n * n * sb * sb;
                    r[5] += n * n * sb;
                }
            }
        }
    };
    paired::fold_blocks(&cfgs, spec, control, &init, &per_draw, &mut per_block)?;
    Ok(Comparison {
        rows: rows(g, &tt, v),
        draws: tt.n,
        rejected: tt.rejected,
        blocks: tt.blocks,
    })
}

/// The batch-means standard error from block sums: `factor` is B/(B−1)/N², and
/// Σ n_b² (θ_b − θ)² = `sq` − 2θ·`lin` + θ²·`weight`.
fn block_se(factor: f64, sq: f64, lin: f64, weight: f64, theta: f64) -> f64 {
    (factor * (sq - 2.0 * theta * lin + theta * theta * weight))
        .max(0.0)
        .sqrt()
}

fn rows(g: Grid, t: &Totals, v: usize) -> Vec<Row> {
    let (values_n, places, n_s, n_y) = (g.values(), g.places(), g.layout.scenarios, g.layout.years);
    let n_a = g.layout.areas;
    let nn = t.n as f64;
    let b = t.blocks as f64;
    let factor = if t.blocks >= 2 {
        b / (b - 1.0) / (nn * nn)
    } else {
        f64::NAN
    };
    let mean = |i: usize| t.tot[i] / nn;
    let se = |i: usize| block_se(factor, t.a2[i], t.a1[i], t.w, mean(i));
    let mut out = vec![];
    for j in 0..v {
        let off = (j + 1) * values_n;
        for s in 0..n_s {
            for place in 0..places {
                for (m, &measure) in MEASURES.iter().enumerate() {
                    // Per area, the gross shortfall is the expected shortfall.
                    if measure == Measure::GrossShortfall && place < n_a {
                        continue;
                    }
                    for k in 0..n_y {
                        let i = g.at(s, place, k, m);
                        let (b0, bj) = (mean(i), mean(off + i));
                        let d = bj - b0;
                        let dj = j * values_n + i;
                        let se_d = block_se(factor, t.d2[dj], t.d1[dj], t.w, d);
                        let (s0, sj) = (se(i), se(off + i));
                        let var0 = t.sq[i] / nn - b0 * b0;
                        let varj = t.sq[off + i] / nn - bj * bj;
                        let cov = t.cross[dj] / nn - b0 * bj;
                        let corr = if var0 > 0.0 && varj > 0.0 {
                            (cov / (var0 * varj).sqrt()).clamp(-1.0, 1.0)
                        } else {
                            f64::NAN
                        };
                        out.push(Row {
                            variant: j,
                            scenario: s,
                            area: (place < n_a).then_some(place),
                            year: k,
                            measure,
                            base: b0,
                            with: bj,
                            change: d,
                            se: se_d,
                            se_base: s0,
                            se_with: sj,
                            correlation: corr,
                        });
                    }
                }
                let r = t.ratio[(j * n_s + s) * places + place];
                let (c, sh) = (r[0] / nn, r[1] / nn);
                let ratio = c / sh;
                // Delta method: the spread of c_b − R·s_b, over the shortfall avoided.
                let se_r = block_se(factor, r[2], r[3], r[4], ratio) / sh.abs();
                // Only where the shortfall avoided is clearly above zero (at least one
                // WTE-year and two standard errors): near zero the ratio is noise.
                let se_sh = block_se(factor, r[4], r[5], t.w, sh);
                let meaningful = sh >= 1.0 && sh > 2.0 * se_sh;
                out.push(Row {
                    variant: j,
                    scenario: s,
                    area: (place < n_a).then_some(place),
                    year: n_y - 1,
                    measure: Measure::CostPerWteYearAvoided,
                    base: f64::NAN,
                    with: f64::NAN,
                    change: if meaningful { ratio } else { f64::NAN },
                    se: if meaningful { se_r } else { f64::NAN },
                    se_base: f64::NAN,
                    se_with: f64::NAN,
                    correlation: f64::NAN,
                });
            }
        }
    }
    out
}

impl Row {
    /// What the change's standard error would be from two independent runs.
    pub fn se_unpaired(&self) -> f64 {
        (self.se_base * self.se_base + self.se_with * self.se_with).sqrt()
    }
}

impl Comparison {
    /// The row of a variant, scenario, place, year and measure, if any.
    pub fn get(
        &self,
        variant: usize,
        scenario: usize,
        area: Option<usize>,
        year: usize,
        measure: Measure,
    ) -> Option<&Row> {
        self.rows.iter().find(|r| {
            r.variant == variant
                && r.scenario == scenario
                && r.area == area
                && r.year == year
                && r.measure == measure
        })
    }
}
