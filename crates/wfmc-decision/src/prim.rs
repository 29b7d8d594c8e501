//! Patient Rule Induction Method (Friedman & Fisher 1999) as used for
//! scenario discovery (Bryant & Lempert 2010).
//!
//! This is a re-implementation of the EMA Workbench's
//! `ema_workbench.analysis.prim.Prim` (Kwakkel 2017; checked against
//! ema-workbench 2.5.3) for numeric inputs and a binary outcome, finding the
//! first box (`Prim.find_box()` once). It follows the workbench step by step:
//!
//! * **Peeling.** For every input, in input order, two candidates: peel the
//!   upper side to the workbench's `get_quantile(x_in_box, 1 - peel_alpha)`
//!   (points with `x <= q` stay), then the lower side to
//!   `get_quantile(x_in_box, peel_alpha)` (points with `x >= q` stay). The
//!   quantile is the sdtoolkit rule: position `(m - 1) q` in the sorted
//!   values, widened outwards past tied values, and the midpoint of the two
//!   values found (so a limit always lies between distinct data values).
//! * **Objective** (`LENIENT1`): the gain in mean divided by the number of
//!   points removed (or added, when pasting). Candidates are ranked by
//!   (objective, number of unrestricted inputs), both descending; among exact
//!   ties the first candidate in the order above wins (Python's stable sort).
//! * **Stopping.** The best peel is taken while its mass is `>= mass_min`,
//!   it is smaller than the current box, and its objective is `> 0`.
//! * **Pasting.** For each restricted input, lower then upper: among points
//!   that satisfy every other restriction and lie between the data's minimum
//!   and the current lower limit (inclusive), the limit moves to
//!   `get_quantile(those, 1 - paste_alpha)` (the data minimum when there are
//!   none); the upper side likewise with `get_quantile(those, paste_alpha)`.
//!   The best paste is taken while its mass is `>= mass_min`, larger than the
//!   current box, and both its objective and its change of mean are `> 0`.
//! * **Threshold.** The workbench keeps the box only if the final mean is
//!   `>= threshold`, else it returns a "dump box" holding all data; here the
//!   whole trajectory is always returned with [`Trajectory::meets_threshold`].
//!
//! Box limits are inclusive at both ends. An unrestricted input's limits are
//! the data's minimum and maximum (the workbench's `box_init`), and an input
//! counts as restricted exactly when one of its limits differs from those.

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use statrs::distribution::{Binomial, DiscreteCDF};

use crate::check_columns;

/// Settings of the PRIM run; `Default` gives the EMA Workbench's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Share of the box's points peeled off one side per step (0.05).
    pub peel_alpha: f64,
    /// Share used for the pasting quantile (0.05).
    pub paste_alpha: f64,
    /// Smallest mass (share of all points) a box may have (0.05).
    pub mass_min: f64,
    /// Density the final box must reach to be kept by the workbench (0.5).
    pub threshold: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            threshold: 0.5,
        }
    }
}

/// Which phase of the algorithm produced a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The initial box holding all data.
    Initial,
    /// A peeling step.
    Peel,
    /// A pasting step.
    Paste,
}

/// One box on the peeling and pasting trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Share of all cases of interest that lie in the box.
    pub coverage: f64,
    /// Share of the box's points that are cases of interest.
    pub density: f64,
    /// Share of all points that lie in the box.
    pub mass: f64,
    /// Mean outcome in the box (equal to `density` for a binary outcome).
    pub mean: f64,
    /// Number of restricted inputs (the workbench's `res_dim`).
    pub n_restricted: usize,
    /// Points in the box.
    pub n: usize,
    /// Cases of interest in the box.
    pub k: usize,
    /// Inclusive `(lower, upper)` limits per input; an unrestricted input has
    /// the data's `(min, max)`.
    pub limits: Vec<(f64, f64)>,
    /// The phase that produced the box.
    pub phase: Phase,
}

/// The trajectory of boxes found by [`prim`].
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// Boxes in the order found: the initial box, the peels, then the pastes.
    pub steps: Vec<Step>,
    /// The data's `(min, max)` per input, which mark an input as unrestricted.
    pub init: Vec<(f64, f64)>,
    /// Whether the last box's mean is `>= threshold`; when false the
    /// workbench would discard the trajectory and return the initial box.
    pub meets_threshold: bool,
}

impl Trajectory {
    /// The last step, which is the workbench's default selected box
    /// (`None` only for a hand-built empty trajectory).
    pub fn last(&self) -> Option<&Step> {
        self.steps.last()
    }

    /// Index of the last box whose density is at least `min_density`.
    ///
    /// Along a trajectory density mostly rises, so this is the most
    /// restrictive box still meeting the density goal; `None` if no box does.
    pub fn last_with_density(&self, min_density: f64) -> Option<usize> {
        self.steps.iter().rposition(|s| s.density >= min_density)
    }

    /// Index of the box with the highest coverage among those with density
    /// at least `min_density` (the first such on ties).
    pub fn best_coverage_with_density(&self, min_density: f64) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, s) in self.steps.iter().enumerate() {
            if s.density >= min_density && best.is_none_or(|b| s.coverage > self.steps[b].coverage)
            {
                best = Some(i);
            }
        }
        best
    }

    /// Indices of the inputs restricted in box `step`; `None` if there is no
    /// such step.
    pub fn restricted(&self, step: usize) -> Option<Vec<usize>> {
        self.steps
            .get(step)
            .map(|s| restricted_dims(&s.limits, &self.init))
    }
}

/// Quasi-p values of the two sides of one input's restriction; `None` for a
/// side that is not restricted (the workbench writes -1).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QuasiP {
    /// Quasi-p value of the lower limit.
    pub lower: Option<f64>,
    /// Quasi-p value of the upper limit.
    pub upper: Option<f64>,
}

/// One restricted input of a box, as shown by the workbench's `inspect`.
#[derive(Debug, Clone, PartialEq)]
pub struct Restriction {
    /// Index of the input.
    pub input: usize,
    /// Lower limit (the data minimum when only the upper side is restricted).
    pub lower: f64,
    /// Upper limit (the data maximum when only the lower side is restricted).
    pub upper: f64,
    /// Quasi-p value of the lower restriction, `None` if that side is free.
    pub qp_lower: Option<f64>,
    /// Quasi-p value of the upper restriction, `None` if that side is free.
    pub qp_upper: Option<f64>,
}

/// Settings of the reproducibility check [`resample`]; `Default` gives the
/// workbench's `PrimBox.resample` settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Resample {
    /// Number of subsamples (10).
    pub iterations: usize,
    /// Share of the points drawn, without replacement, for each (0.5).
    pub fraction: f64,
    /// Threshold used by the runs on the subsamples (the workbench uses 0.1).
    pub threshold: f64,
}

impl Default for Resample {
    fn default() -> Self {
        Resample {
            iterations: 10,
            fraction: 0.5,
            threshold: 0.1,
        }
    }
}

/// How often one input is restricted across the subsample runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Reproducibility {
    /// Index of the input.
    pub input: usize,
    /// Share of runs whose box closest in coverage restricts the input.
    pub by_coverage: f64,
    /// Share of runs whose box closest in density restricts the input.
    pub by_density: f64,
}

/// A candidate peel or paste of one side of one input.
#[derive(Clone, Copy)]
struct Candidate {
    obj: f64,
    /// Unrestricted inputs after the move (the workbench's tie-breaker).
    non_res: usize,
    input: usize,
    upper: bool,
    limit: f64,
    /// Points and cases of interest in the new box.
    n: usize,
    k: usize,
    /// For a peel: the kept range of the input's sorted in-box list.
    lo: usize,
    hi: usize,
}

impl Candidate {
    /// Python's stable descending sort on (objective, unrestricted count)
    /// keeps the earliest of exact ties, so only a strictly better candidate
    /// replaces the current best.
    fn beats(&self, best: &Option<Candidate>) -> bool {
        match best {
            None => true,
            Some(b) => self.obj > b.obj || (self.obj == b.obj && self.non_res > b.non_res),
        }
    }
}

fn restricted_dims(limits: &[(f64, f64)], init: &[(f64, f64)]) -> Vec<usize> {
    (0..limits.len())
        .filter(|&j| is_restricted(limits[j], init[j]))
        .collect()
}

fn is_restricted(l: (f64, f64), init: (f64, f64)) -> bool {
    l.0 != init.0 || l.1 != init.1
}

/// The sdtoolkit quantile used by the workbench (`prim_util.get_quantile`),
/// on values already sorted ascending.
fn get_quantile(sorted: &[f64], q: f64) -> f64 {
    let m = sorted.len();
    let i = (m - 1) as f64 * q;
    let mut lo = i.floor() as usize;
    let mut hi = i.ceil() as usize;
    if q > 0.5 {
        while sorted[lo] == sorted[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while sorted[lo] == sorted[hi] && hi < m - 1 {
            hi += 1;
        }
    }
    (sorted[lo] + sorted[hi]) / 2.0
}

/// The workbench's LENIENT1 objective, with the same floating-point steps so
/// that exact ties are broken identically.
fn lenient1(n_old: usize, k_old: usize, n_new: usize, k_new: usize) -> f64 {
    let mean_old = k_old as f64 / n_old as f64;
    let mean_new = if n_new > 0 {
        k_new as f64 / n_new as f64
    } else {
        0.0
    };
    if mean_old == mean_new || n_old == n_new {
        return 0.0;
    }
    (mean_new - mean_old) / n_old.abs_diff(n_new) as f64
}

fn check_options(opts: &Options) -> Result<(), String> {
    let a_ok = |a: f64| a > 0.0 && a < 0.5;
    if !a_ok(opts.peel_alpha) {
        return Err(format!(
            "peel_alpha must be in (0, 0.5), got {}",
            opts.peel_alpha
        ));
    }
    if !a_ok(opts.paste_alpha) {
        return Err(format!(
            "paste_alpha must be in (0, 0.5), got {}",
            opts.paste_alpha
        ));
    }
    if !(0.0..=1.0).contains(&opts.mass_min) {
        return Err(format!("mass_min must be in [0, 1], got {}", opts.mass_min));
    }
    if !opts.threshold.is_finite() {
        return Err("threshold must be finite".into());
    }
    Ok(())
}

fn check_data<C: AsRef<[f64]>>(x: &[C], y: &[bool]) -> Result<usize, String> {
    let n = check_columns(x, "prim inputs")?;
    if y.len() != n {
        return Err(format!(
            "prim: y has length {} but inputs have {n} rows",
            y.len()
        ));
    }
    let k = y.iter().filter(|&&b| b).count();
    if k == 0 || k == n {
        return Err("prim: y must contain both cases of interest and other cases".into());
    }
    Ok(n)
}

/// Runs PRIM on inputs `x` (one slice per input) and binary outcome `y`
/// (`true` = case of interest) and returns the peeling and pasting
/// trajectory of the first box.
///
/// Each input is sorted once; a peeling step then costs O(m d) for a box of
/// m points and d inputs, and a pasting step O(n r) for r restricted inputs.
pub fn prim<C: AsRef<[f64]>>(x: &[C], y: &[bool], opts: &Options) -> Result<Trajectory, String> {
    check_options(opts)?;
    let n = check_data(x, y)?;
    let cols: Vec<&[f64]> = x.iter().map(|c| c.as_ref()).collect();
    Ok(run(&cols, y, opts, n))
}

fn run(x: &[&[f64]], y: &[bool], opts: &Options, n: usize) -> Trajectory {
    let d = x.len();
    let t_coi = y.iter().filter(|&&b| b).count();
    let init: Vec<(f64, f64)> = x
        .iter()
        .map(|c| {
            c.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                })
        })
        .collect();
    let make_step = |limits: Vec<(f64, f64)>, nb: usize, kb: usize, phase: Phase| Step {
        coverage: kb as f64 / t_coi as f64,
        density: kb as f64 / nb as f64,
        mass: nb as f64 / n as f64,
        mean: kb as f64 / nb as f64,
        n_restricted: restricted_dims(&limits, &init).len(),
        n: nb,
        k: kb,
        limits,
        phase,
    };
    let mut steps = vec![make_step(init.clone(), n, t_coi, Phase::Initial)];

    // Peeling: per input, the box's points sorted by that input.
    let mut lists: Vec<(Vec<u32>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); d];
    for_each_split(&mut lists, |j, (o, v)| {
        // sorting (value, index) pairs keeps the comparisons cache-local
        let c = x[j];
        let mut pairs: Vec<(f64, u32)> =
            c.iter().enumerate().map(|(i, &v)| (v, i as u32)).collect();
        pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        *v = pairs.iter().map(|p| p.0).collect();
        *o = pairs.iter().map(|p| p.1).collect();
    });
    let mut in_box = vec![true; n];
    let mut limits = init.clone();
    let (mut nb, mut kb) = (n, t_coi);
    let q_up = 1.0 - opts.peel_alpha;
    let q_lo = opts.peel_alpha;
    loop {
        let n_res = restricted_dims(&limits, &init).len();
        let mut best: Option<Candidate> = None;
        for j in 0..d {
            let (o, v) = &lists[j];
            let was = is_restricted(limits[j], init[j]) as usize;
            for upper in [true, false] {
                let (q, lo, hi) = if upper {
                    let q = get_quantile(v, q_up);
                    (q, 0, v.partition_point(|&a| a <= q))
                } else {
                    let q = get_quantile(v, q_lo);
                    (q, v.partition_point(|&a| a < q), v.len())
                };
                let removed = if upper { hi..v.len() } else { 0..lo };
                let k_removed = o[removed].iter().filter(|&&i| y[i as usize]).count();
                let (n_new, k_new) = (hi - lo, kb - k_removed);
                let obj = lenient1(nb, kb, n_new, k_new);
                let cand = if upper {
                    (limits[j].0, q)
                } else {
                    (q, limits[j].1)
                };
                let now = is_restricted(cand, init[j]) as usize;
                let non_res = d - (n_res - was + now);
                let c = Candidate {
                    obj,
                    non_res,
                    input: j,
                    upper,
                    limit: q,
                    n: n_new,
                    k: k_new,
                    lo,
                    hi,
                };
                if c.beats(&best) {
                    best = Some(c);
                }
            }
        }
        let Some(Candidate {
            obj,
            input: j,
            upper,
            limit: q,
            n: n_new,
            k: k_new,
            lo,
            hi,
            ..
        }) = best
        else {
            break;
        };
        let mass_new = n_new as f64 / n as f64;
        let mass_old = nb as f64 / n as f64;
        if !(mass_new >= opts.mass_min && mass_new < mass_old && obj > 0.0) {
            break;
        }
        let removed = if upper { hi..nb } else { 0..lo };
        for &i in &lists[j].0[removed] {
            in_box[i as usize] = false;
        }
        let in_box = &in_box;
        for_each_split(&mut lists, |jj, (o, v)| {
            if jj == j {
                o.truncate(hi);
                o.drain(..lo);
                v.truncate(hi);
                v.drain(..lo);
            } else {
                let mut w = 0;
                for r in 0..o.len() {
                    if in_box[o[r] as usize] {
                        o[w] = o[r];
                        v[w] = v[r];
                        w += 1;
                    }
                }
                o.truncate(w);
                v.truncate(w);
            }
        });
        if upper {
            limits[j].1 = q;
        } else {
            limits[j].0 = q;
        }
        nb = n_new;
        kb = k_new;
        steps.push(make_step(limits.clone(), nb, kb, Phase::Peel));
    }
    drop(lists);

    // Pasting, over all points.
    let q_paste_lo = 1.0 - opts.paste_alpha;
    let q_paste_hi = opts.paste_alpha;
    loop {
        let res = restricted_dims(&limits, &init);
        if res.is_empty() {
            break;
        }
        // For every point: how many restrictions it violates, and which one
        // (with its side) when it violates exactly one.
        let mut single: Vec<Vec<u32>> = vec![Vec::new(); 2 * d];
        let mut at_limit: Vec<Vec<f64>> = vec![Vec::new(); 2 * d];
        for i in 0..n {
            let mut count = 0;
            let mut which = 0;
            for &r in &res {
                let v = x[r][i];
                if v < limits[r].0 {
                    count += 1;
                    which = 2 * r;
                } else if v > limits[r].1 {
                    count += 1;
                    which = 2 * r + 1;
                }
                if count > 1 {
                    break;
                }
            }
            if count == 1 {
                single[which].push(i as u32);
            } else if count == 0 {
                for &r in &res {
                    let v = x[r][i];
                    if v == limits[r].0 {
                        at_limit[2 * r].push(v);
                    }
                    if v == limits[r].1 {
                        at_limit[2 * r + 1].push(v);
                    }
                }
            }
        }
        let n_res = res.len();
        let mut best: Option<Candidate> = None;
        for &r in &res {
            for upper in [false, true] {
                let side = 2 * r + upper as usize;
                let mut data: Vec<f64> = single[side].iter().map(|&i| x[r][i as usize]).collect();
                data.extend_from_slice(&at_limit[side]);
                let pv = if data.is_empty() {
                    if upper { init[r].1 } else { init[r].0 }
                } else {
                    data.sort_unstable_by(f64::total_cmp);
                    get_quantile(&data, if upper { q_paste_hi } else { q_paste_lo })
                };
                let (mut n_add, mut k_add) = (0, 0);
                for &i in &single[side] {
                    let v = x[r][i as usize];
                    if (upper && v <= pv) || (!upper && v >= pv) {
                        n_add += 1;
                        k_add += y[i as usize] as usize;
                    }
                }
                let (n_new, k_new) = (nb + n_add, kb + k_add);
                let obj = lenient1(nb, kb, n_new, k_new);
                let cand = if upper {
                    (limits[r].0, pv)
                } else {
                    (pv, limits[r].1)
                };
                let now = is_restricted(cand, init[r]) as usize;
                let non_res = d - (n_res - 1 + now);
                let c = Candidate {
                    obj,
                    non_res,
                    input: r,
                    upper,
                    limit: pv,
                    n: n_new,
                    k: k_new,
                    lo: 0,
                    hi: 0,
                };
                if c.beats(&best) {
                    best = Some(c);
                }
            }
        }
        let Some(Candidate {
            obj,
            input: r,
            upper,
            limit: pv,
            n: n_new,
            k: k_new,
            ..
        }) = best
        else {
            break;
        };
        let mass_new = n_new as f64 / n as f64;
        let mass_old = nb as f64 / n as f64;
        let mean_new = k_new as f64 / n_new as f64;
        let mean_old = kb as f64 / nb as f64;
        if !(mass_new >= opts.mass_min && mass_new > mass_old && obj > 0.0 && mean_new > mean_old) {
            break;
        }
        if upper {
            limits[r].1 = pv;
        } else {
            limits[r].0 = pv;
        }
        nb = n_new;
        kb = k_new;
        steps.push(make_step(limits.clone(), nb, kb, Phase::Paste));
    }

    let meets_threshold = steps
        .last()
        .map(|s| s.mean >= opts.threshold)
        .unwrap_or(false);
    Trajectory {
        steps,
        init,
        meets_threshold,
    }
}

/// Runs `f(j, item)` on every item, split over two threads; the work per
/// item is independent, so the result does not depend on the split.
fn for_each_split<T: Send>(items: &mut [T], f: impl Fn(usize, &mut T) + Sync) {
    let half = items.len() / 2;
    if items.len() < 4 {
        items.iter_mut().enumerate().for_each(|(j, t)| f(j, t));
        return;
    }
    let (a, b) = items.split_at_mut(half);
    let f = &f;
    std::thread::scope(|s| {
        s.spawn(move || a.iter_mut().enumerate().for_each(|(j, t)| f(j, t)));
        b.iter_mut().enumerate().for_each(|(j, t)| f(j + half, t));
    });
}

/// Quasi-p values of every restriction of box `step` (Bryant & Lempert
/// 2010), computed as the workbench's `PrimBox._calculate_quasi_p`.
///
/// For a restricted side of input j, drop that one limit (set it back to the
/// data's minimum or maximum), count the points `T_j` and cases of interest
/// `H_j` in the widened box, and return the one-sided binomial test
/// `P(X >= H_box)` with `X ~ Binomial(T_box, H_j / T_j)`, where `T_box` and
/// `H_box` are the counts of the box itself. Small values mean the
/// restriction raises density by more than chance would. Returns one entry
/// per input (both sides `None` for an unrestricted input).
pub fn quasi_p<C: AsRef<[f64]>>(
    x: &[C],
    y: &[bool],
    traj: &Trajectory,
    step: usize,
) -> Result<Vec<QuasiP>, String> {
    let n = check_data(x, y)?;
    let s = traj
        .steps
        .get(step)
        .ok_or_else(|| format!("quasi_p: step {step} is outside the trajectory"))?;
    if s.limits.len() != x.len() || traj.init.len() != x.len() {
        return Err("quasi_p: the trajectory has a different number of inputs than x".into());
    }
    let cols: Vec<&[f64]> = x.iter().map(|c| c.as_ref()).collect();
    let res = restricted_dims(&s.limits, &traj.init);
    let mut out = vec![QuasiP::default(); x.len()];
    for &r in &res {
        for upper in [false, true] {
            let (lim, free) = if upper {
                (s.limits[r].1, traj.init[r].1)
            } else {
                (s.limits[r].0, traj.init[r].0)
            };
            if lim == free {
                continue;
            }
            let mut temp = s.limits.clone();
            if upper {
                temp[r].1 = free;
            } else {
                temp[r].0 = free;
            }
            let (mut tj, mut hj) = (0u64, 0u64);
            for i in 0..n {
                if res
                    .iter()
                    .all(|&q| cols[q][i] >= temp[q].0 && cols[q][i] <= temp[q].1)
                {
                    tj += 1;
                    hj += y[i] as u64;
                }
            }
            let p = hj as f64 / tj as f64;
            let qp = binom_greater(s.k as u64, s.n as u64, p)?;
            if upper {
                out[r].upper = Some(qp);
            } else {
                out[r].lower = Some(qp);
            }
        }
    }
    Ok(out)
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`: scipy's `binomtest(k, n, p,
/// alternative="greater").pvalue`.
fn binom_greater(k: u64, n: u64, p: f64) -> Result<f64, String> {
    if k == 0 {
        return Ok(1.0);
    }
    let b = Binomial::new(p, n).map_err(|e| format!("quasi_p: {e}"))?;
    Ok(b.sf(k - 1))
}

/// The restricted inputs of box `step` with their limits and quasi-p values,
/// ordered as the workbench's `inspect` table: by `(qp_lower, qp_upper)`
/// ascending, with a free side counting as -1 (the workbench's marker).
pub fn inspect<C: AsRef<[f64]>>(
    x: &[C],
    y: &[bool],
    traj: &Trajectory,
    step: usize,
) -> Result<Vec<Restriction>, String> {
    let qp = quasi_p(x, y, traj, step)?;
    let s = &traj.steps[step];
    let mut out: Vec<Restriction> = restricted_dims(&s.limits, &traj.init)
        .into_iter()
        .map(|j| Restriction {
            input: j,
            lower: s.limits[j].0,
            upper: s.limits[j].1,
            qp_lower: qp[j].lower,
            qp_upper: qp[j].upper,
        })
        .collect();
    let key = |r: &Restriction| (r.qp_lower.unwrap_or(-1.0), r.qp_upper.unwrap_or(-1.0));
    out.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    Ok(out)
}

/// Reproducibility of a box under subsampling, as the workbench's
/// `PrimBox.resample`.
///
/// Each of `rs.iterations` runs draws `floor(n * rs.fraction)` points
/// without replacement (a partial Fisher-Yates shuffle driven by
/// `ChaCha8Rng::seed_from_u64(seed)`) and runs [`prim`] on them with `opts`
/// but `threshold = rs.threshold`. A run whose final box misses that
/// threshold, or whose subsample lacks one of the two classes, keeps only its
/// initial box (the workbench's "dump box"), which restricts nothing.
///
/// The *chosen box* of a run is the step of its trajectory whose coverage is
/// closest to `target.coverage` (first such step on ties); separately, the
/// step whose density is closest to `target.density`. For every input the
/// result gives the share of runs whose chosen box restricts it, by each
/// rule. The workbench reports the same shares times 100. (Its subsample
/// runs pass on only the two alphas, so they use the default `mass_min`;
/// here `opts.mass_min` is used.)
pub fn resample<C: AsRef<[f64]>>(
    x: &[C],
    y: &[bool],
    opts: &Options,
    target: &Step,
    rs: &Resample,
    seed: u64,
) -> Result<Vec<Reproducibility>, String> {
    check_options(opts)?;
    let n = check_data(x, y)?;
    if rs.iterations == 0 {
        return Err("resample: iterations must be at least 1".into());
    }
    if !(rs.fraction > 0.0 && rs.fraction <= 1.0) {
        return Err(format!(
            "resample: fraction must be in (0, 1], got {}",
            rs.fraction
        ));
    }
    let m = (n as f64 * rs.fraction) as usize;
    if m < 2 {
        return Err(format!("resample: a subsample of {m} points is too small"));
    }
    let d = x.len();
    let sub_opts = Options {
        threshold: rs.threshold,
        ..opts.clone()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut perm: Vec<usize> = (0..n).collect();
    let mut by_cov = vec![0usize; d];
    let mut by_den = vec![0usize; d];
    let mut xs: Vec<Vec<f64>> = vec![vec![0.0; m]; d];
    let mut ys = vec![false; m];
    for _ in 0..rs.iterations {
        for i in 0..m {
            let j = rng.random_range(i..n);
            perm.swap(i, j);
        }
        for (c, col) in xs.iter_mut().zip(x) {
            let col = col.as_ref();
            for (t, &i) in perm[..m].iter().enumerate() {
                c[t] = col[i];
            }
        }
        for (t, &i) in perm[..m].iter().enumerate() {
            ys[t] = y[i];
        }
        let k = ys.iter().filter(|&&b| b).count();
        if k == 0 || k == m {
            continue;
        }
        let cols: Vec<&[f64]> = xs.iter().map(|c| c.as_slice()).collect();
        let t = run(&cols, &ys, &sub_opts, m);
        if !t.meets_threshold {
            continue;
        }
        let closest = |f: &dyn Fn(&Step) -> f64, goal: f64| {
            let mut best = 0;
            for (i, s) in t.steps.iter().enumerate() {
                if (f(s) - goal).abs() < (f(&t.steps[best]) - goal).abs() {
                    best = i;
                }
            }
            best
        };
        let ic = closest(&|s: &Step| s.coverage, target.coverage);
        let id = closest(&|s: &Step| s.density, target.density);
        for j in restricted_dims(&t.steps[ic].limits, &t.init) {
            by_cov[j] += 1;
        }
        for j in restricted_dims(&t.steps[id].limits, &t.init) {
            by_den[j] += 1;
        }
    }
    let it = rs.iterations as f64;
    Ok((0..d)
        .map(|j| Reproducibility {
            input: j,
            by_coverage: by_cov[j] as f64 / it,
            by_density: by_den[j] as f64 / it,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six uniform inputs; y = x1 > 0.7 and x2 < 0.4 (inputs 0 and 1 here).
    fn planted(n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<bool>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut x = vec![vec![0.0; n]; 6];
        for i in 0..n {
            for c in x.iter_mut() {
                c[i] = rng.random::<f64>();
            }
        }
        let y = (0..n).map(|i| x[0][i] > 0.7 && x[1][i] < 0.4).collect();
        (x, y)
    }

    #[test]
    fn planted_box_is_recovered() {
        let (x, y) = planted(5000, 42);
        let t = prim(&x, &y, &Options::default()).unwrap();
        assert!(t.meets_threshold);
        let i = t.last_with_density(0.9).unwrap();
        let s = &t.steps[i];
        assert_eq!(t.restricted(i), Some(vec![0, 1]));
        assert!((s.limits[0].0 - 0.7).abs() <= 0.05, "{:?}", s.limits[0]);
        assert!((s.limits[1].1 - 0.4).abs() <= 0.05, "{:?}", s.limits[1]);
        assert!(s.coverage >= 0.9 && s.density >= 0.9, "{s:?}");
        // the workbench's default selection, the last box, is the planted box too
        assert_eq!(t.restricted(t.steps.len() - 1), Some(vec![0, 1]));
        assert_eq!(t.restricted(t.steps.len()), None);
    }

    #[test]
    fn trajectory_bookkeeping_is_consistent() {
        let (x, y) = planted(2000, 7);
        let t = prim(&x, &y, &Options::default()).unwrap();
        let total = y.iter().filter(|&&b| b).count();
        assert_eq!(t.steps[0].phase, Phase::Initial);
        assert_eq!(t.steps[0].mass, 1.0);
        for s in &t.steps {
            // recount the box from its limits
            let inside: Vec<usize> = (0..y.len())
                .filter(|&i| (0..6).all(|j| x[j][i] >= s.limits[j].0 && x[j][i] <= s.limits[j].1))
                .collect();
            let k = inside.iter().filter(|&&i| y[i]).count();
            assert_eq!((s.n, s.k), (inside.len(), k));
            assert_eq!(s.coverage, k as f64 / total as f64);
            assert!(s.mass >= 0.05);
        }
        // peels only shrink the box, pastes only grow it
        for w in t.steps.windows(2) {
            match w[1].phase {
                Phase::Peel => assert!(w[1].n < w[0].n),
                Phase::Paste => assert!(w[1].n > w[0].n && w[1].mean > w[0].mean),
                Phase::Initial => unreachable!(),
            }
        }
    }

    #[test]
    fn sdtoolkit_quantile_by_hand() {
        // (5-1)*0.05 = 0.2: floor 0, ceil 1 -> midpoint of 1 and 2
        assert_eq!(get_quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.05), 1.5);
        // upper: (5-1)*0.95 = 3.8 -> indices 3 and 4 -> 4.5
        assert_eq!(get_quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95), 4.5);
        // ties widen outwards: lower side moves the upper index past the 1s
        assert_eq!(get_quantile(&[1.0, 1.0, 1.0, 2.0, 3.0], 0.05), 1.5);
        // upper side moves the lower index below the 3s
        assert_eq!(get_quantile(&[1.0, 2.0, 3.0, 3.0, 3.0], 0.95), 2.5);
        // all equal: no distinct neighbour, the value itself
        assert_eq!(get_quantile(&[2.0, 2.0, 2.0], 0.05), 2.0);
    }

    #[test]
    fn quasi_p_is_the_one_sided_binomial_tail() {
        let (x, y) = planted(1000, 3);
        let t = prim(&x, &y, &Options::default()).unwrap();
        let i = t.steps.len() - 1;
        let s = &t.steps[i];
        let qp = quasi_p(&x, &y, &t, i).unwrap();
        // input 0 is restricted from below only: drop that limit by hand
        assert!(qp[0].lower.is_some() && qp[0].upper.is_none());
        let (mut tj, mut hj) = (0usize, 0usize);
        for r in 0..y.len() {
            let inside = x[1][r] >= s.limits[1].0 && x[1][r] <= s.limits[1].1;
            if inside {
                tj += 1;
                hj += y[r] as usize;
            }
        }
        let p = hj as f64 / tj as f64;
        // P(X >= k), X ~ Bin(n, p), summed term by term in log space
        let (n, k) = (s.n, s.k);
        let mut lg = vec![0.0f64; n + 1];
        for m in 1..=n {
            lg[m] = lg[m - 1] + (m as f64).ln();
        }
        let tail: f64 = (k..=n)
            .map(|m| {
                (lg[n] - lg[m] - lg[n - m] + m as f64 * p.ln() + (n - m) as f64 * (1.0 - p).ln())
                    .exp()
            })
            .sum();
        let got = qp[0].lower.unwrap();
        assert!(
            (got - tail).abs() <= 1e-9 * tail.max(1e-300),
            "{got} vs {tail}"
        );
        let table = inspect(&x, &y, &t, i).unwrap();
        assert_eq!(table.iter().map(|r| r.input).collect::<Vec<_>>().len(), 2);
    }

    #[test]
    fn resampling_reproduces_the_planted_inputs() {
        let (x, y) = planted(4000, 11);
        let opts = Options::default();
        let t = prim(&x, &y, &opts).unwrap();
        let r = resample(&x, &y, &opts, t.last().unwrap(), &Resample::default(), 5).unwrap();
        // the step closest in coverage can be an early peel that has not yet
        // cut the second planted input (coverage stays near 1 until it does),
        // so the coverage rule is a looser check than the density rule
        assert!(r[0].by_coverage >= 0.8 && r[1].by_coverage >= 0.8, "{r:?}");
        assert_eq!(r[0].by_density, 1.0);
        assert_eq!(r[1].by_density, 1.0);
        for rr in &r[2..] {
            assert!(rr.by_coverage <= 0.3, "{rr:?}");
        }
        // same seed, same bits
        assert_eq!(
            r,
            resample(&x, &y, &opts, t.last().unwrap(), &Resample::default(), 5).unwrap()
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let x = vec![vec![0.0, 1.0, 2.0]];
        assert!(prim(&x, &[true, false], &Options::default()).is_err());
        assert!(prim(&x, &[true, true, true], &Options::default()).is_err());
        assert!(
            prim(
                &[vec![0.0, f64::NAN, 1.0]],
                &[true, false, true],
                &Options::default()
            )
            .is_err()
        );
        let empty: Vec<Vec<f64>> = vec![];
        assert!(prim(&empty, &[], &Options::default()).is_err());
        let bad = Options {
            peel_alpha: 0.0,
            ..Options::default()
        };
        assert!(prim(&x, &[true, false, true], &bad).is_err());
        let t = prim(&x, &[true, false, true], &Options::default()).unwrap();
        assert!(quasi_p(&x, &[true, false, true], &t, 99).is_err());
    }
}
