//! The Monte Carlo engine: many draws in parallel, reproducibly.
//!
//! Draws are grouped in chunks of [`CHUNK_DRAWS`]. Chunk `c` draws from ChaCha8 seeded
//! by the run seed on stream `c`, so its random numbers depend on nothing but (seed, c):
//! not on which thread runs it, nor on which machine when a run is sharded. Workers
//! pull chunk indices from a shared counter and fold results into their own
//! [`Accumulator`]; since every merge is exact (see [`crate::stats`]), the result is
//! the same bits for any thread count or sharding.

pub mod draws;
pub mod guard;
pub mod paired;

pub mod until;

pub use crate::sampling::conditional::{Conditional, Shortfall};
pub use crate::sampling::{Sampler, Sampling, chunk_rng};

use crate::config::Config;
use crate::error::{Error, Setting};
use crate::model::{Layout, evaluate, point};
use crate::stats::ranks::{CdfTable, PILOT_DRAWS, RankCorr};
use crate::stats::{Accumulator, Replicates, Sketch};
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Draws per chunk: the unit of reproducibility and of work distribution.
pub const CHUNK_DRAWS: u64 = 4096;
/// The default seed (the report's publication month, March 2021).
pub const DEFAULT_SEED: u64 = 20210301;
/// The default number of draws.
pub const DEFAULT_DRAWS: u64 = 1_000_000;
/// The largest number of draws accepted.
pub const MAX_DRAWS: u64 = 1_000_000_000_000;
/// The largest number of worker threads accepted (each keeps about 18 MB of
/// statistics); a run never starts more threads than it has chunks.
pub const MAX_THREADS: usize = 256;

/// Which share of the chunks a process runs: `index` of `count`, 1-based as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Shard {
    /// The whole run.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// This shard's chunk indices out of `n_chunks`: contiguous, and together the
    /// shards cover every chunk exactly once.
    pub fn chunks(&self, n_chunks: u64) -> Range<u64> {
        let (i, n) = (u64::from(self.index - 1), u64::from(self.count));
        (n_chunks * i / n)..(n_chunks * (i + 1) / n)
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not a shard like 2/8 (shard 2 of 8)"))?;
        let i: u32 = i
            .trim()
            .parse()
            .map_err(|_| format!("`{i}` in `{s}` is not a whole number"))?;
        let n: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` in `{s}` is not a whole number"))?;
        if n == 0 || i == 0 || i > n {
            return Err(format!("shard `{s}`: need 1 ≤ i ≤ N, e.g. 1/4 … 4/4"));
        }
        Ok(Shard { index: i, count: n })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunSpec {
    /// Total draws of the whole (unsharded) run.
    pub draws: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Share of the chunks to run.
    pub shard: Shard,
    /// Largest share of draws the numerical guard may reject before the run fails.
    pub max_rejected: f64,
    /// How the inputs' uniforms are drawn.
    pub sampling: Sampling,
    /// Chunks per replicate block; 0: [`auto_block_chunks`] of the run's chunks.
    pub block_chunks: u64,
    /// How the shortfall statistics are estimated.
    pub shortfall: Shortfall,
}

impl Default for RunSpec {
    /// The defaults of `wfmc run` on one thread.
    fn default() -> RunSpec {
        RunSpec {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
            threads: 1,
            shard: Shard::ALL,
            max_rejected: guard::DEFAULT_MAX_REJECTED,
            sampling: Sampling::default(),
            block_chunks: 0,
            shortfall: Shortfall::default(),
        }
    }
}

/// Largest replicate block, in chunks: 2^16 draws, the length of a Sobol' sequence.
pub const MAX_BLOCK_CHUNKS: u64 = 16;
/// Blocks a run aims for: enough for a standard error with ~30 degrees of freedom.
pub const TARGET_BLOCKS: u64 = 32;

/// Chunks per replicate block of a run of `n_chunks` chunks: the power of two that
/// gives about [`TARGET_BLOCKS`] blocks, from one chunk to [`MAX_BLOCK_CHUNKS`]
/// (1,000,000 draws: blocks of 32,768; 100,000 draws: of 4,096; 10^9: of 65,536).
pub fn auto_block_chunks(n_chunks: u64) -> u64 {
    n_chunks
        .div_ceil(TARGET_BLOCKS)
        .max(1)
        .next_power_of_two()
        .min(MAX_BLOCK_CHUNKS)
}

impl RunSpec {
    /// Checks the limits, with messages that say what is valid.
    pub fn validate(&self) -> Result<(), Error> {
        if self.draws == 0 || self.draws > MAX_DRAWS {
            return Err(Error::setting(
                Setting::Draws,
                self.draws,
                format!("must be between 1 and {MAX_DRAWS} (10^12)"),
            ));
        }
        if self.threads == 0 || self.threads > MAX_THREADS {
            return Err(Error::setting(
                Setting::Threads,
                self.threads,
                format!("must be between 1 and {MAX_THREADS}"),
            ));
        }
        if self.block_chunks > MAX_BLOCK_CHUNKS {
            return Err(Error::Runtime(format!(
                "blocks of {} chunks: at most {MAX_BLOCK_CHUNKS} (a Sobol' sequence has 2^16 points)",
                self.block_chunks
            )));
        }
        if !(0.0..=1.0).contains(&self.max_rejected) {
            return Err(Error::setting(
                Setting::MaxRejected,
                self.max_rejected,
                "a share between 0 and 1, e.g. 0.001",
            ));
        }
        Ok(())
    }

    /// Chunks of the whole run.
    pub fn n_chunks(&self) -> u64 {
        self.draws.div_ceil(CHUNK_DRAWS)
    }

    /// Draws in chunk `c`.
    pub fn chunk_draws(&self, c: u64) -> u64 {
        CHUNK_DRAWS.min(self.draws - c * CHUNK_DRAWS)
    }

    /// Draws this shard will run.
    pub fn shard_draws(&self) -> u64 {
        self.shard_chunks().map(|c| self.chunk_draws(c)).sum()
    }

    /// Chunks per replicate block.
    pub fn block_chunks(&self) -> u64 {
        match self.block_chunks {
            0 => auto_block_chunks(self.n_chunks()),
            n => n,
        }
    }

    /// Replicate blocks of the whole run (the last may be short).
    pub fn n_blocks(&self) -> u64 {
        self.n_chunks().div_ceil(self.block_chunks())
    }

    /// The chunks of block `b`.
    pub fn block_range(&self, b: u64) -> Range<u64> {
        let k = self.block_chunks();
        (b * k)..((b + 1) * k).min(self.n_chunks())
    }

    /// This shard's blocks: contiguous whole blocks, balanced like [`Shard::chunks`].
    pub fn shard_blocks(&self) -> Range<u64> {
        self.shard.chunks(self.n_blocks())
    }

    /// This shard's chunks: those of its blocks.
    pub fn shard_chunks(&self) -> Range<u64> {
        let b = self.shard_blocks();
        let k = self.block_chunks();
        (b.start * k).min(self.n_chunks())..(b.end * k).min(self.n_chunks())
    }

    /// The variates of chunk `c`: its stream, and under rqmc its block's points.
    pub fn stream(&self, c: u64) -> crate::sampling::ChunkStream {
        let k = self.block_chunks();
        crate::sampling::ChunkStream::new(self.sampling, self.seed, c, c / k, (c % k) * CHUNK_DRAWS)
    }
}

/// The threads a run uses when none are asked for: every core, at most [`MAX_THREADS`].
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

/// A pool of `threads` workers (rayon), with a clear error if the system refuses.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Runtime(format!("cannot start {threads} threads: {e}")))
}

/// Live counters a caller can watch (progress) and set (cancel).
#[derive(Debug, Default)]
pub struct Control {
    /// Draws finished so far.
    pub done: AtomicU64,
    /// Set to stop the run at the next chunk boundary.
    pub cancel: AtomicBool,
}

impl Control {
    /// `Err(Interrupted)` once a stop has been asked for.
    pub fn check(&self) -> Result<(), Error> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        Ok(())
    }
}

/// Everything a run accumulates: statistics of every output series, and the rank
/// correlations of inputs with the analysed outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct RunState {
    /// Moments, quantile sketches and shortfalls.
    pub acc: Accumulator,
    /// Spearman sums ([`crate::stats::ranks`]).
    pub ranks: RankCorr,
    /// Draws rejected by the numerical guard.
    pub guard: guard::Guard,
    /// The replicate blocks' sums, for the standard errors.
    pub reps: Replicates,
}

impl RunState {
    /// No draws yet: statistics of the series of `layout` centred on `centre` (the
    /// point model) and rank sums of `n_in` inputs with `n_out` outputs.
    pub fn new(centre: Vec<f64>, layout: Layout, n_in: usize, n_out: usize) -> RunState {
        RunState {
            reps: Replicates::new(layout),
            acc: Accumulator::new(centre, layout),
            ranks: RankCorr::new(n_in, n_out),
            guard: guard::Guard::default(),
        }
    }

    /// The final statistics of the draws so far, with their standard errors.
    pub fn summary(&self) -> crate::stats::Summary {
        self.acc.finish_with(&self.reps)
    }

    /// Adds another state's draws; exact, so the order of merges is immaterial.
    pub fn merge(&mut self, o: &RunState) {
        self.acc.merge(&o.acc);
        self.ranks.merge(&o.ranks);
        self.guard.merge(&o.guard);
        self.reps.merge(&o.reps);
    }

    /// [`RunState::merge`], the statistics and the replicate sums side by side on the
    /// current rayon pool (the same result: every part is merged exactly).
    fn merge_in_parallel(&mut self, o: &RunState) {
        let RunState {
            acc,
            ranks,
            guard,
            reps,
        } = self;
        rayon::join(
            || acc.merge(&o.acc),
            || {
                ranks.merge(&o.ranks);
                guard.merge(&o.guard);
                reps.merge(&o.reps);
            },
        );
    }

    /// Fails if the guard rejected more than `max` of the draws.
    pub fn check_rejected(&self, max: f64) -> Result<(), Error> {
        let all = self.acc.draws + self.guard.total();
        if self.guard.total() as f64 > max * all as f64 {
            return Err(Error::Rejected {
                report: self.guard.describe(all),
                max,
            });
        }
        Ok(())
    }
}

/// An input's rank or an output's value as the rank correlations take it: rounded to
/// `f32` (within 6·10⁻⁸ relative, far inside the pilot's CDF error), so that a run
/// can keep the values of its first draws in half the memory, and get the same bits
/// whether they were kept or ranked at once.
#[inline]
fn rank_value(x: f64) -> f64 {
    f64::from(x as f32)
}

/// The pilot CDFs of the ranked outputs from per-chunk sketches of them (merged on
/// `pool`; integer bin counts, so any merge order gives the same sketches).
fn cdf_tables(pool: &rayon::ThreadPool, n_out: usize, parts: Vec<Vec<Sketch>>) -> Vec<CdfTable> {
    use rayon::prelude::*;
    pool.install(|| {
        let sketches = parts.into_par_iter().reduce(
            || vec![Sketch::new(); n_out],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    x.merge(y);
                }
                a
            },
        );
        sketches.par_iter().map(CdfTable::new).collect()
    })
}

/// The pilot CDFs: the ranked outputs of the run's first chunks (the same draws on
/// every shard), binned by the quantile sketch.
fn pilot(
    sampler: &Sampler,
    outputs: &[usize],
    spec: &RunSpec,
    pool: &rayon::ThreadPool,
) -> Vec<CdfTable> {
    let n_chunks = spec.n_chunks().min(PILOT_DRAWS / CHUNK_DRAWS);
    let parts = chunk_states(
        sampler,
        spec,
        0..n_chunks,
        pool,
        &|| vec![Sketch::new(); outputs.len()],
        &|sk: &mut Vec<Sketch>, _, row| {
            for (s, &i) in sk.iter_mut().zip(outputs) {
                s.add(rank_value(row[i]));
            }
        },
    );
    cdf_tables(pool, outputs.len(), parts)
}

/// Rank values kept for chunks drawn before their run's pilot was complete: per draw
/// the ranks of the ranked inputs, then the values of the ranked outputs.
type Kept = std::collections::BTreeMap<u64, Vec<f32>>;

/// How a run gets the pilot CDFs its rank correlations need.
struct RankPlan {
    /// The pilot's chunks: the run's first ones.
    chunks: u64,
    /// The pilot CDFs, once known.
    tables: std::sync::OnceLock<Vec<CdfTable>>,
    /// Until then, the rank values of the chunks drawn so far.
    kept: std::sync::Mutex<Kept>,
}

/// What every loop over draws needs: buffers for one draw, reused chunk after chunk.
struct Drawer<'a> {
    sampler: &'a Sampler,
    x: crate::model::Inputs,
    raw: Vec<f64>,
    row: Vec<f64>,
    u: Vec<f64>,
}

impl<'a> Drawer<'a> {
    fn new(sampler: &'a Sampler) -> Drawer<'a> {
        Drawer {
            sampler,
            x: sampler.base().clone(),
            raw: vec![0.0; sampler.raw_len()],
            row: vec![0.0; sampler.base().layout.len()],
            u: vec![0.0; sampler.seq_dims()],
        }
    }

    /// Draws chunk `c` of `spec` from its own stream, calling `per_draw(d, inputs,
    /// raw variates, outputs)` for each draw `d` (the light passes: pilot and
    /// `map_chunks`; the main run writes the same steps out in its hot loop).
    fn chunk(
        &mut self,
        spec: &RunSpec,
        c: u64,
        mut per_draw: impl FnMut(u64, &crate::model::Inputs, &[f64], &[f64]),
    ) {
        let mut s = spec.stream(c);
        for d in 0..spec.chunk_draws(c) {
            self.sampler
                .sample_from(&mut s, d, &mut self.u, &mut self.raw, &mut self.x);
            evaluate(&self.x, &mut self.row);
            per_draw(d, &self.x, &self.raw, &self.row);
        }
    }
}

/// Per chunk of `chunks`, the state `per_draw` folds the chunk's draws into, in
/// chunk order (whatever the thread that ran it).
fn chunk_states<T: Send>(
    sampler: &Sampler,
    spec: &RunSpec,
    chunks: Range<u64>,
    pool: &rayon::ThreadPool,
    init: &(dyn Fn() -> T + Sync),
    per_draw: &(dyn Fn(&mut T, &crate::model::Inputs, &[f64]) + Sync),
) -> Vec<T> {
    use rayon::prelude::*;
    pool.install(|| {
        chunks
            .into_par_iter()
            .map_init(
                || Drawer::new(sampler),
                |drawer, c| {
                    let mut t = init();
                    drawer.chunk(spec, c, |_, x, _, row| per_draw(&mut t, x, row));
                    t
                },
            )
            .collect()
    })
}

/// The groups whose ranks are correlated with outputs: the named inputs.
pub fn ranked_groups(sampler: &Sampler) -> Vec<usize> {
    sampler
        .groups()
        .iter()
        .enumerate()
        .filter(|(_, g)| g.is_named_input())
        .map(|(i, _)| i)
        .collect()
}

/// An empty run state for `cfg`.
pub fn empty_state(cfg: &Config) -> RunState {
    let sampler = Sampler::new(cfg);
    RunState::new(
        point(cfg),
        Layout::of(&cfg.dims),
        ranked_groups(&sampler).len(),
        crate::model::outputs(&cfg.dims).len(),
    )
}

/// Evaluates every draw of the chunks of `spec` and folds each chunk's draws with
/// `per_draw` into a state made by `init`; returns the chunk states in chunk order,
/// so a caller that combines them in that order gets the same result on any number
/// of threads. For light passes that need a few outputs, not all statistics.
pub fn map_chunks<T: Send>(
    cfg: &Config,
    spec: &RunSpec,
    init: impl Fn() -> T + Sync,
    per_draw: impl Fn(&mut T, &crate::model::Inputs, &[f64]) + Sync,
) -> Result<Vec<T>, Error> {
    spec.validate()?;
    let sampler = Sampler::new(cfg);
    let pool = thread_pool(spec.threads)?;
    let chunks = spec.shard_chunks();
    Ok(chunk_states(
        &sampler, spec, chunks, &pool, &init, &per_draw,
    ))
}

/// Runs the draws of `spec` and returns their statistics state, rank correlations
/// included.
pub fn run(cfg: &Config, spec: &RunSpec, control: &Control) -> Result<RunState, Error> {
    run_with(cfg, spec, control, true)
}

/// [`run`], optionally without rank correlations (sweeps do not need them).
pub fn run_with(
    cfg: &Config,
    spec: &RunSpec,
    control: &Control,
    ranks: bool,
) -> Result<RunState, Error> {
    spec.validate()?;
    let blocks = spec.shard_blocks();
    // More workers than blocks would only hold memory.
    let threads = spec.threads.min(blocks.clone().count().max(1));
    let runner = Runner::new(cfg, spec, threads, ranks)?;
    let mut state = runner.blocks(spec, blocks, control)?;
    runner.finish(&mut state)?;
    Ok(state)
}

/// A run's fixed parts, made once: the sampler, the point model, the workers, which
/// inputs and outputs are ranked and the rank pilot; [`Runner::blocks`] then runs any
/// range of the run's blocks, and [`Runner::finish`] completes their state.
///
/// The rank pilot is the run's first [`PILOT_DRAWS`] draws, or all of them in a
/// smaller run (the same draws on every shard). A shard, which does not draw them
/// all itself, evaluates them first. A whole run draws them anyway: it keeps their
/// rank values (an `f32` per ranked input and output: 61 a draw for the built-in
/// config) until its first [`PILOT_DRAWS`] draws are
/// done, then builds the pilot from them and ranks them, so no draw is evaluated
/// twice. A `--until` run that stops sooner builds its pilot from the draws it made,
/// as a run of that many draws would.
pub struct Runner {
    sampler: Sampler,
    layout: Layout,
    centre: Vec<f64>,
    pool: rayon::ThreadPool,
    ranked: Vec<usize>,
    outputs: Vec<usize>,
    /// The rank pilot, when rank correlations are kept.
    ranks: Option<RankPlan>,
    /// The conditional shortfall estimators (`None`: the indicator everywhere).
    conditional: Option<Conditional>,
}

impl Runner {
    /// Prepares runs of `spec` on `threads` workers (with the rank pilot if `ranks`).
    pub fn new(cfg: &Config, spec: &RunSpec, threads: usize, ranks: bool) -> Result<Runner, Error> {
        let sampler = Sampler::new(cfg);
        let pool = thread_pool(threads)?;
        let outputs: Vec<usize> = crate::model::outputs(&cfg.dims)
            .iter()
            .map(|o| o.index)
            .collect();
        let ranks = ranks.then(|| {
            let plan = RankPlan {
                chunks: spec.n_chunks().min(PILOT_DRAWS / CHUNK_DRAWS),
                tables: std::sync::OnceLock::new(),
                kept: std::sync::Mutex::new(Kept::new()),
            };
            if spec.shard != Shard::ALL {
                let _ = plan.tables.set(pilot(&sampler, &outputs, spec, &pool));
            }
            plan
        });
        let conditional = match spec.shortfall {
            Shortfall::Conditional => Conditional::new(&sampler),
            Shortfall::Indicator => None,
        };
        Ok(Runner {
            conditional,
            ranked: ranked_groups(&sampler),
            layout: Layout::of(&cfg.dims),
            centre: point(cfg),
            sampler,
            pool,
            outputs,
            ranks,
        })
    }

    /// Adds `part` to `into` ([`RunState::merge`], on this run's workers).
    pub fn merge(&self, into: &mut RunState, part: &RunState) {
        self.pool.install(|| into.merge_in_parallel(part));
    }

    /// The conditional shortfall estimators in use (`None`: the indicator everywhere).
    pub fn conditional(&self) -> Option<&Conditional> {
        self.conditional.as_ref()
    }

    /// A state with no draws, for this run's config.
    pub fn empty_state(&self) -> RunState {
        RunState::new(
            self.centre.clone(),
            self.layout,
            self.ranked.len(),
            self.outputs.len(),
        )
    }

    /// Runs the blocks `blocks` of `spec` and returns their state. The rank sums of
    /// draws made before the pilot was complete join the state of the call that
    /// completes it, or [`Runner::finish`]'s.
    pub fn blocks(
        &self,
        spec: &RunSpec,
        blocks: Range<u64>,
        control: &Control,
    ) -> Result<RunState, Error> {
        let Some(plan) = self.ranks.as_ref().filter(|p| p.tables.get().is_none()) else {
            return self.run_blocks(spec, blocks, control);
        };
        // Blocks that start inside the pilot keep their rank values; once the
        // pilot's chunks are all drawn it is built, and later blocks rank at once.
        let split = blocks
            .clone()
            .find(|&b| spec.block_range(b).start >= plan.chunks)
            .unwrap_or(blocks.end);
        let mut state = self.run_blocks(spec, blocks.start..split, control)?;
        let complete = {
            let kept = plan.kept.lock().unwrap_or_else(|e| e.into_inner());
            (0..plan.chunks).all(|c| kept.contains_key(&c))
        };
        if complete || split < blocks.end {
            self.finish(&mut state)?;
        }
        if split < blocks.end {
            let rest = self.run_blocks(spec, split..blocks.end, control)?;
            self.merge(&mut state, &rest);
        }
        Ok(state)
    }

    /// Completes a run's state: if draws still wait for their pilot (a `--until` run
    /// that stopped before [`PILOT_DRAWS`]), builds it from them and adds their rank
    /// sums to `state`.
    pub fn finish(&self, state: &mut RunState) -> Result<(), Error> {
        let Some(plan) = &self.ranks else {
            return Ok(());
        };
        let kept = std::mem::take(&mut *plan.kept.lock().unwrap_or_else(|e| e.into_inner()));
        if kept.is_empty() {
            return Ok(());
        }
        // The pilot is the run's first draws: kept chunks must start at 0 and be
        // contiguous, and no pilot may exist yet, else the run was not drawn in
        // order (a bug, not bad input).
        if plan.tables.get().is_some() || kept.keys().copied().ne(0..kept.len() as u64) {
            return Err(Error::Runtime(
                "internal error: the rank pilot's chunks are not the run's first".into(),
            ));
        }
        let (n_in, n_out) = (self.ranked.len(), self.outputs.len());
        let width = n_in + n_out;
        let pilot_chunks = plan.chunks.min(kept.len() as u64);
        use rayon::prelude::*;
        let parts = self.pool.install(|| {
            kept.par_iter()
                .filter(|(c, _)| **c < pilot_chunks)
                .map(|(_, vals)| {
                    let mut sk = vec![Sketch::new(); n_out];
                    for draw in vals.chunks_exact(width) {
                        for (s, &y) in sk.iter_mut().zip(&draw[n_in..]) {
                            s.add(f64::from(y));
                        }
                    }
                    sk
                })
                .collect()
        });
        let tables = plan
            .tables
            .get_or_init(|| cdf_tables(&self.pool, n_out, parts));
        let parts: Vec<RankCorr> = self.pool.install(|| {
            kept.par_iter()
                .map(|(_, vals)| {
                    let mut r = RankCorr::new(n_in, n_out);
                    let (mut u, mut v) = (vec![0.0; n_in], vec![0.0; n_out]);
                    for draw in vals.chunks_exact(width) {
                        for (ui, &x) in u.iter_mut().zip(&draw[..n_in]) {
                            *ui = f64::from(x);
                        }
                        for ((vi, &y), t) in v.iter_mut().zip(&draw[n_in..]).zip(tables) {
                            *vi = t.rank(f64::from(y));
                        }
                        r.add(&u, &v);
                    }
                    r.end_chunk();
                    r
                })
                .collect()
        });
        // Exact sums: the order of the chunks cannot change the result.
        for p in &parts {
            state.ranks.merge(p);
        }
        Ok(())
    }

    /// Runs the blocks `blocks`, ranking with the pilot if it is known and keeping
    /// rank values if it is not.
    fn run_blocks(
        &self,
        spec: &RunSpec,
        blocks: Range<u64>,
        control: &Control,
    ) -> Result<RunState, Error> {
        let next = AtomicU64::new(blocks.start);
        let (plan, sampler, centre) = (self, &self.sampler, &self.centre);
        let tables = self.ranks.as_ref().map(|r| r.tables.get());
        let width = plan.ranked.len() + plan.outputs.len();
        // One total for every worker: a worker keeps only the block it is drawing,
        // so memory grows by one block's statistics per worker, not two states.
        let shared = std::sync::Mutex::new(self.empty_state());
        let parts: Vec<RunState> = self.pool.broadcast(|_| {
            let mut st = plan.empty_state();
            let workforce = guard::workforce_indices(plan.layout);
            // The hot loop stays written out here rather than through `Drawer::chunk`:
            // measured back to back, the closure cost 7–10 % of a default run.
            let mut x = sampler.base().clone();
            let mut raw = vec![0.0; sampler.raw_len()];
            let mut seq = vec![0.0; sampler.seq_dims()];
            let mut u = vec![0.0; plan.ranked.len()];
            let mut v = vec![0.0; plan.outputs.len()];
            // A worker takes whole replicate blocks: each block's own statistics give
            // its estimates for the standard errors, then join the worker's total.
            let mut block = Accumulator::new(centre.clone(), plan.layout);
            let conditional = plan.conditional.as_ref();
            if conditional.is_some() {
                block = block.conditioned();
            }
            'blocks: loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                if b >= blocks.end {
                    break;
                }
                for c in spec.block_range(b) {
                    if control.cancel.load(Ordering::Relaxed) {
                        break 'blocks;
                    }
                    let mut stream = spec.stream(c);
                    let n = spec.chunk_draws(c);
                    let mut kept: Vec<f32> = match tables {
                        Some(None) => Vec::with_capacity(n as usize * width),
                        _ => vec![],
                    };
                    for d in 0..n {
                        plan.sampler
                            .sample_from(&mut stream, d, &mut seq, &mut raw, &mut x);
                        // The model writes straight into the statistics' tile.
                        let row = block.slot();
                        evaluate(&x, row);
                        if let Some(bad) = guard::check(row, &workforce) {
                            st.guard.record(bad, c, d, row, sampler, &raw);
                            block.rejected += 1;
                            continue;
                        }
                        if let Some(t) = tables {
                            for (ui, &g) in u.iter_mut().zip(&plan.ranked) {
                                let r = plan.sampler.marginal_rank(&plan.sampler.groups()[g], &raw);
                                *ui = rank_value(r);
                            }
                            match t {
                                Some(t) => {
                                    for ((vi, &o), t) in v.iter_mut().zip(&plan.outputs).zip(t) {
                                        *vi = t.rank(rank_value(row[o]));
                                    }
                                    st.ranks.add(&u, &v);
                                }
                                None => {
                                    kept.extend(u.iter().map(|&x| x as f32));
                                    kept.extend(plan.outputs.iter().map(|&o| row[o] as f32));
                                }
                            }
                        }
                        if let Some(c) = conditional {
                            let (row, given) = block.given();
                            c.fill(&raw, &x, row, given);
                        }
                        block.commit();
                    }
                    block.end_chunk();
                    match tables {
                        Some(None) => {
                            if let Some(r) = &plan.ranks {
                                r.kept
                                    .lock()
                                    .unwrap_or_else(|e| e.into_inner())
                                    .insert(c, kept);
                            }
                        }
                        _ => st.ranks.end_chunk(),
                    }
                    control.done.fetch_add(n, Ordering::Relaxed);
                }
                let estimates = block.finish();
                {
                    let mut t = shared.lock().unwrap_or_else(|e| e.into_inner());
                    t.reps.add_block(&estimates, centre);
                    t.acc.merge(&block);
                }
                block.clear();
            }
            st
        });
        control.check()?;
        // Exact merges: the order of the parts cannot change the result.
        let mut total = shared.into_inner().unwrap_or_else(|e| e.into_inner());
        for p in &parts {
            self.merge(&mut total, p);
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_chunk_once() {
        for n_chunks in [1, 7, 245, 1000] {
            for count in [1, 2, 3, 8, 13] {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.chunks(n_chunks);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, n_chunks);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["3/2", "0/2", "1/0", "x/2", "12"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
