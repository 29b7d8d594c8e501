//! `wfmc target`: the extra annual inflow that brings an area's probability of
//! shortfall down to a target.
//!
//! An extra inflow of x WTE a year from the year after the base adds x·k to supply
//! k years after the base and
//! changes nothing else, so with common random numbers a draw is short after the
//! inflow exactly when its gap without it is below −x·k. The probability of
//! shortfall is therefore a monotone step function of x over the draws, and the
//! monotone search reduces to reading an order statistic of the gap: with n draws
//! and target p, the smallest x with at most ⌊n·p⌋ short draws is −g₍⌊np⌋+1₎ / k.
//!
//! Three passes over the same draws: (1) sketch each area's gap; (2) collect the
//! exact gaps in the sketch bins that hold the ranks needed, giving exact order
//! statistics; (3) apply the found inflow to the model and count shortfalls — the
//! check a user would make with `--set supply.AREA.extra_inflow=X`.

use crate::config::Config;
use crate::engine::{self, RunSpec};
use crate::error::Error;
use crate::model::{Layout, Metric, Series, evaluate};
use crate::stats::{Sketch, sketch};

/// What to solve for.
#[derive(Debug, Clone)]
pub struct TargetSpec {
    /// Areas to solve for (their indices).
    pub areas: Vec<usize>,
    /// Scenario index.
    pub scenario: usize,
    /// Year index (1: the year after the base).
    pub year: usize,
    /// Target probability of shortfall.
    pub p: f64,
}

/// The answer for one area.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Which area (its index).
    pub area: usize,
    /// P(shortfall) without extra inflow, and its standard error.
    pub p0: (f64, f64),
    /// Extra inflow, WTE a year (0 if none is needed), rounded up to 0.01.
    pub inflow: f64,
    /// 95 % Monte Carlo interval of the inflow (from the order statistics' ranks).
    pub interval: (f64, f64),
    /// P(shortfall) with the inflow applied to the same draws, and its standard error.
    pub achieved: (f64, f64),
    /// Draws.
    pub draws: u64,
}

/// Values in a few sketch bins, and counts below them.
#[derive(Clone, Default)]
struct Bins {
    values: Vec<Vec<f64>>,
}

fn gap_index(lay: Layout, s: usize, a: usize, k: usize) -> usize {
    lay.index(&Series {
        scenario: s,
        area: Some(a),
        year: k,
        metric: Metric::Gap,
    })
}

/// Solves for every area of `t`. `spec` gives draws, seed and threads.
pub fn solve(cfg: &Config, t: &TargetSpec, spec: &RunSpec) -> Result<Vec<Answer>, Error> {
    if !(t.p > 0.0 && t.p < 1.0) {
        return Err(p_invalid(t.p));
    }
    if t.year == 0 {
        return Err(Error::setting(
            crate::error::Setting::Year,
            cfg.dims.base_year,
            format!(
                "extra inflow starts the year after the base, so it cannot change the base year; give {}–{}",
                cfg.dims.base_year + 1,
                cfg.dims.last_year
            ),
        ));
    }
    let lay = Layout::of(&cfg.dims);
    let idx: Vec<usize> = t
        .areas
        .iter()
        .map(|&a| gap_index(lay, t.scenario, a, t.year))
        .collect();
    let m = idx.len();
    // Pass 1: sketches of each area's gap without extra inflow.
    let parts = engine::map_chunks(
        cfg,
        spec,
        || vec![Sketch::new(); m],
        |sk, _, row| {
            for (s, &i) in sk.iter_mut().zip(&idx) {
                s.add(row[i]);
            }
        },
    )?;
    let mut sk = vec![Sketch::new(); m];
    for p in &parts {
        for (a, b) in sk.iter_mut().zip(p) {
            a.merge(b);
        }
    }
    let n = sk.first().map_or(0, Sketch::count);
    let nf = n as f64;
    // Ranks: the answer's order statistic, and the 95 % interval's.
    let r_mid = (nf * t.p).floor() as u64 + 1;
    let half = 1.96 * (nf * t.p * (1.0 - t.p)).sqrt();
    let r_lo = ((nf * t.p - half).floor() as u64).max(1);
    let r_hi = ((nf * t.p + half).ceil() as u64 + 1).min(n);
    let ranks = [r_lo, r_mid.min(n), r_hi];
    let bins: Vec<Vec<(i64, u64)>> = sk
        .iter()
        .map(|s| ranks.iter().filter_map(|&r| s.locate_rank(r)).collect())
        .collect();
    // Pass 2: the exact values in those bins.
    let parts = engine::map_chunks(
        cfg,
        spec,
        || {
            vec![
                Bins {
                    values: vec![vec![]; 3]
                };
                m
            ]
        },
        |b, _, row| {
            for ((b, &i), keys) in b.iter_mut().zip(&idx).zip(&bins) {
                let k = sketch::key(row[i]);
                for (j, (key, _)) in keys.iter().enumerate() {
                    if *key == k {
                        b.values[j].push(row[i]);
                    }
                }
            }
        },
    )?;
    let mut order_stats = vec![[f64::NAN; 3]; m];
    for a in 0..m {
        for j in 0..bins[a].len() {
            let mut v: Vec<f64> = parts
                .iter()
                .flat_map(|p| p[a].values[j].iter().copied())
                .collect();
            v.sort_by(f64::total_cmp);
            let (_, below) = bins[a][j];
            let at = (ranks[j] - below - 1) as usize;
            order_stats[a][j] = v.get(at).copied().unwrap_or(f64::NAN);
        }
    }
    let k = t.year as f64;
    let inflow_of = |g: f64| (((-g / k) * 100.0).ceil() / 100.0).max(0.0);
    let inflows: Vec<f64> = order_stats.iter().map(|o| inflow_of(o[1])).collect();
    // Pass 3: apply the inflows to the model itself, on the same draws.
    let areas = t.areas.clone();
    let parts = engine::map_chunks(
        cfg,
        spec,
        || (vec![0u64; m], vec![0u64; m], vec![0.0; lay.len()]),
        |(short0, short1, out), x, row| {
            let mut y = x.clone();
            for (a, (&area, &inflow)) in areas.iter().zip(&inflows).enumerate() {
                short0[a] += u64::from(row[idx[a]] < 0.0);
                y.extra_inflow[area] += inflow;
            }
            evaluate(&y, out);
            for a in 0..m {
                short1[a] += u64::from(out[idx[a]] < 0.0);
            }
        },
    )?;
    let mut short0 = vec![0u64; m];
    let mut short1 = vec![0u64; m];
    for p in &parts {
        for a in 0..m {
            short0[a] += p.0[a];
            short1[a] += p.1[a];
        }
    }
    let pse = |c: u64| {
        let p = c as f64 / nf;
        (p, (p * (1.0 - p) / nf).sqrt())
    };
    Ok((0..m)
        .map(|a| Answer {
            area: t.areas[a],
            p0: pse(short0[a]),
            inflow: inflows[a],
            interval: (inflow_of(order_stats[a][2]), inflow_of(order_stats[a][0])),
            achieved: pse(short1[a]),
            draws: n,
        })
        .collect())
}

/// A target probability outside (0, 1).
fn p_invalid(p: f64) -> Error {
    Error::setting(
        crate::error::Setting::PShortfall,
        p,
        "give a probability strictly between 0 and 1",
    )
}

/// The areas short in `year` more often than `p`, from a quick pass.
pub fn short_areas(
    cfg: &Config,
    s: usize,
    year: usize,
    p: f64,
    spec: &RunSpec,
) -> Result<Vec<usize>, Error> {
    if !(p > 0.0 && p < 1.0) {
        return Err(p_invalid(p));
    }
    let lay = Layout::of(&cfg.dims);
    let idx: Vec<usize> = (0..lay.areas).map(|a| gap_index(lay, s, a, year)).collect();
    let parts = engine::map_chunks(
        cfg,
        spec,
        || vec![0u64; idx.len()],
        |c, _, row| {
            for (c, &i) in c.iter_mut().zip(&idx) {
                *c += u64::from(row[i] < 0.0);
            }
        },
    )?;
    let mut counts = vec![0u64; idx.len()];
    for part in &parts {
        for (c, x) in counts.iter_mut().zip(part) {
            *c += x;
        }
    }
    let n = spec.shard_draws() as f64;
    Ok((0..lay.areas)
        .zip(&counts)
        .filter(|(_, c)| **c as f64 / n > p)
        .map(|(a, _)| a)
        .collect())
}
