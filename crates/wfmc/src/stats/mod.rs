//! Streaming statistics over draws: memory does not grow with the number of draws.
//!
//! An [`Accumulator`] takes model outputs one draw at a time. Moments are summed in
//! `f64` within a chunk (a fixed, sequential set of draws) and folded into
//! [`ExactSum`]s at the end of each chunk; quantiles go to integer-count
//! [`Sketch`]es; shortfalls are counted. Every merge is therefore exact, so results do
//! not depend on thread count, scheduling or how a run is split into shards.
//!
//! Speed comes from memory, not arithmetic: a worker's 2,222 sketches hold several
//! megabytes of bins, far more than its cache. So the model writes each draw's row
//! into a tile of [`TILE`] draws ([`Accumulator::slot`]), whose moments, shortfalls
//! and keys are taken series block by series block; sketch keys wait in a column-major
//! buffer of [`KEY_BATCH`] draws and go to each sketch as one batch, whose bins are
//! prefetched while the previous series is counted; bins are 16-bit
//! ([`Sketch`] explains how counts stay exact); and series the model computes once for
//! both scenarios share one sketch ([`crate::model::Layout::twin`]).

pub mod exact;
pub mod ranks;
pub mod replicates;
pub mod sketch;

pub use exact::ExactSum;
pub use replicates::Replicates;
pub use sketch::Sketch;

use crate::model::{Layout, Metric, Series};

/// Percentiles reported for every series.
pub const PERCENTILES: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];

/// Streaming state of a set of draws; merge two with [`Accumulator::merge`].
#[derive(Clone, Debug, PartialEq)]
pub struct Accumulator {
    /// The output layout.
    pub layout: Layout,
    /// Centre of each series (the point model): moments are of deviations from it,
    /// which keeps the variance formula free of cancellation.
    pub centre: Vec<f64>,
    /// Draws folded in.
    pub draws: u64,
    /// Draws the numerical guard left out (non-finite or negative workforce); the
    /// engine counts them here so that a summary carries them.
    pub rejected: u64,
    /// Σ (x − centre) per series.
    pub sum: Vec<ExactSum>,
    /// Σ (x − centre)² per series.
    pub sumsq: Vec<ExactSum>,
    /// Quantile sketch per series; a series with a twin ([`Layout::twin`]) keeps its sketch
    /// empty and shares its twin's (see [`Accumulator::sketch`]).
    pub sketches: Vec<Sketch>,
    /// Σ P(demand > supply) per shortfall slot: per draw the indicator, or its
    /// conditional probability ([`crate::sampling::conditional`]).
    pub short_p: Vec<ExactSum>,
    /// Σ max(D − S, 0) per shortfall slot.
    pub short_sum: Vec<ExactSum>,
    /// Σ max(D − S, 0)² per shortfall slot.
    pub short_sumsq: Vec<ExactSum>,
    chunk: ChunkBuf,
}

/// Draws whose sketch keys are buffered before they go to the sketches. The buffer is
/// column-major (series × draws), so each sketch takes this many keys at once and its
/// bins are fetched into cache once per batch rather than once per draw.
pub const KEY_BATCH: usize = 512;
/// Column stride of the key buffer: one cache line more than a batch, since a
/// power-of-two stride would send every column's write to the same few cache sets.
const KEY_STRIDE: usize = KEY_BATCH + 16;
/// Draws whose rows wait in a tile before their statistics are taken together. Per
/// draw, the moments would stream four arrays of 2,222 values through the cache; per
/// tile they stream once, and each key column gets a whole cache line at once.
pub const TILE: usize = 16;
/// Series per step of the moments pass: their sums stay in the first-level cache
/// while the tile's rows go by.
const MOMENT_BLOCK: usize = 64;
/// [`ChunkBuf::column`] of a series without a sketch of its own.
const NO_COLUMN: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
struct ChunkBuf {
    sum: Vec<f64>,
    sumsq: Vec<f64>,
    short_p: Vec<f64>,
    short: Vec<f64>,
    shortsq: Vec<f64>,
    /// Per draw of the tile, every slot's conditional probability then expected
    /// shortfall, when they are given ([`Accumulator::conditioned`]).
    given: Vec<f64>,
    conditioned: bool,
    /// Output index of each shortfall slot's gap.
    short_gap: Vec<usize>,
    /// The series that keep their own sketch: those without a twin.
    sketched: Vec<usize>,
    /// Per series, its column in `keys` ([`NO_COLUMN`] for a twin).
    column: Vec<u32>,
    /// Sketch keys, `[sketched series][draw]`, [`KEY_BATCH`] draws per series.
    keys: Vec<i32>,
    /// Draws in `keys`.
    filled: usize,
    /// Rows of the draws not yet folded in, `[draw][series]`, up to [`TILE`] draws.
    rows: Vec<f64>,
    /// Draws in `rows`.
    pending: usize,
}

impl ChunkBuf {
    /// Folds the rows in the tile into the moments, shortfalls and key columns. Each
    /// series' sums take the draws in draw order, as a draw-by-draw pass would, so the
    /// bits do not depend on the tile.
    #[inline(always)]
    fn fold_tile(&mut self, centre: &[f64]) {
        let n = self.sum.len();
        let t = self.pending;
        let f0 = self.filled;
        let rows = &self.rows[..t * n];
        // A block's keys, `[draw][series]`, before they move into their columns.
        let mut kt = [[0i32; MOMENT_BLOCK]; TILE];
        for b in (0..n).step_by(MOMENT_BLOCK) {
            let e = (b + MOMENT_BLOCK).min(n);
            let (s, q, c) = (&mut self.sum[b..e], &mut self.sumsq[b..e], &centre[b..e]);
            for (r, kr) in rows.chunks_exact(n).zip(kt.iter_mut()) {
                for ((((&y, &m), s), q), k) in r[b..e]
                    .iter()
                    .zip(c)
                    .zip(s.iter_mut())
                    .zip(q.iter_mut())
                    .zip(kr.iter_mut())
                {
                    let d = y - m;
                    *s += d;
                    *q += d * d;
                    *k = sketch::key32(y);
                }
            }
            for (i, &ci) in self.column[b..e].iter().enumerate() {
                if ci != NO_COLUMN {
                    let col = &mut self.keys[ci as usize * KEY_STRIDE + f0..][..t];
                    for (k, kr) in col.iter_mut().zip(&kt) {
                        *k = kr[i];
                    }
                }
            }
        }
        if self.conditioned {
            let ns = self.short_gap.len();
            for given in self.given[..t * 2 * ns].chunks_exact(2 * ns) {
                let (p, e) = given.split_at(ns);
                for i in 0..ns {
                    self.short_p[i] += p[i];
                    self.short[i] += e[i];
                    self.shortsq[i] += e[i] * e[i];
                }
            }
        } else {
            // Without branches: whether an area is short is a coin toss for the
            // branch predictor. Adding a zero leaves a sum's bits unchanged, and sums
            // of ones are exact.
            for (i, &g) in self.short_gap.iter().enumerate() {
                for r in rows.chunks_exact(n) {
                    let gap = r[g];
                    let short = (-gap).max(0.0);
                    self.short_p[i] += f64::from(u8::from(gap < 0.0));
                    self.short[i] += short;
                    self.shortsq[i] += short * short;
                }
            }
        }
        self.filled += t;
        self.pending = 0;
    }
}

/// Equal when they hold the same sums and the same draws not yet in the sketches;
/// what a flushed buffer still holds is scratch.
impl PartialEq for ChunkBuf {
    fn eq(&self, o: &ChunkBuf) -> bool {
        let pending = |c: &ChunkBuf| -> (Vec<i32>, Vec<u64>) {
            let keys = c
                .keys
                .chunks_exact(KEY_STRIDE)
                .flat_map(|col| &col[..c.filled]);
            let rows = c.rows[..c.pending * c.sum.len()]
                .iter()
                .map(|x| x.to_bits());
            (keys.copied().collect(), rows.collect())
        };
        self.sum == o.sum
            && self.sumsq == o.sumsq
            && self.short_p == o.short_p
            && self.short == o.short
            && self.shortsq == o.shortsq
            && self.conditioned == o.conditioned
            && self.given[..self.pending * 2 * self.short_gap.len()]
                .iter()
                .map(|x| x.to_bits())
                .eq(o.given[..o.pending * 2 * o.short_gap.len()]
                    .iter()
                    .map(|x| x.to_bits()))
            && self.short_gap == o.short_gap
            && self.sketched == o.sketched
            && self.filled == o.filled
            && self.pending == o.pending
            && pending(self) == pending(o)
    }
}

impl Accumulator {
    /// An empty accumulator of `layout` centred on `centre` (length
    /// [`Layout::len`]).
    pub fn new(centre: Vec<f64>, layout: Layout) -> Accumulator {
        let n = centre.len();
        let n_short = layout.n_short();
        Accumulator {
            layout,
            centre,
            draws: 0,
            rejected: 0,
            sum: vec![ExactSum::new(); n],
            sumsq: vec![ExactSum::new(); n],
            sketches: vec![Sketch::new(); n],
            short_p: vec![ExactSum::new(); n_short],
            short_sum: vec![ExactSum::new(); n_short],
            short_sumsq: vec![ExactSum::new(); n_short],
            chunk: ChunkBuf {
                sum: vec![0.0; n],
                sumsq: vec![0.0; n],
                short_p: vec![0.0; n_short],
                short: vec![0.0; n_short],
                shortsq: vec![0.0; n_short],
                given: vec![],
                conditioned: false,
                short_gap: (0..n_short).map(|i| layout.short_gap_index(i)).collect(),
                sketched: (0..n).filter(|&j| layout.twin(j).is_none()).collect(),
                column: (0..n)
                    .scan(0, |next, j| {
                        Some(match layout.twin(j) {
                            None => {
                                *next += 1;
                                *next - 1
                            }
                            Some(_) => NO_COLUMN,
                        })
                    })
                    .collect(),
                keys: vec![],
                filled: 0,
                rows: vec![],
                pending: 0,
            },
        }
    }

    /// Folds one draw in (`row` has one value per series): [`Accumulator::slot`] and
    /// [`Accumulator::commit`] without a model writing in place.
    #[inline]
    pub fn add(&mut self, row: &[f64]) {
        self.slot().copy_from_slice(row);
        self.commit();
    }

    /// Where the next draw's outputs go: the model writes them here in place, and
    /// [`Accumulator::commit`] takes them in. Not committing leaves the draw out.
    #[inline]
    pub fn slot(&mut self) -> &mut [f64] {
        let c = &mut self.chunk;
        let n = self.centre.len();
        if c.rows.is_empty() {
            // On first use: accumulators that only merge or load never need them.
            c.keys = vec![0; c.sketched.len() * KEY_STRIDE];
            c.rows = vec![0.0; n * TILE];
            if c.conditioned {
                c.given = vec![0.0; 2 * c.short_gap.len() * TILE];
            }
        }
        &mut c.rows[c.pending * n..][..n]
    }

    /// This accumulator with its shortfall statistics taken from the per-draw
    /// values written to [`Accumulator::given`], not from the gaps.
    pub fn conditioned(mut self) -> Accumulator {
        self.chunk.conditioned = true;
        self
    }

    /// The draw in [`Accumulator::slot`] and where its shortfall statistics go: every
    /// slot's probability, then every slot's expected shortfall. Only for an
    /// accumulator made [`Accumulator::conditioned`], after [`Accumulator::slot`].
    #[inline]
    pub fn given(&mut self) -> (&[f64], &mut [f64]) {
        let c = &mut self.chunk;
        let (n, w) = (self.centre.len(), 2 * c.short_gap.len());
        debug_assert!(c.conditioned && !c.given.is_empty());
        (
            &c.rows[c.pending * n..][..n],
            &mut c.given[c.pending * w..][..w],
        )
    }

    /// Takes in the draw written to [`Accumulator::slot`].
    ///
    /// Every value must be finite: the engine's numerical guard
    /// ([`crate::engine::guard`]) leaves out and counts the draws that are not, before
    /// they get here. Each series' moments are summed in draw order, so results do
    /// not depend on how draws are batched; rows wait in a tile of [`TILE`] draws and
    /// sketch keys in a buffer of [`KEY_BATCH`] draws.
    #[inline]
    pub fn commit(&mut self) {
        debug_assert!({
            let n = self.centre.len();
            let c = &self.chunk;
            c.rows[c.pending * n..][..n].iter().all(|x| x.is_finite())
        });
        self.commit_with(Self::fold_tile);
    }

    /// [`Accumulator::commit`], folding whole tiles with `fold`.
    #[inline(always)]
    fn commit_with(&mut self, fold: fn(&mut Self)) {
        self.draws += 1;
        self.chunk.pending += 1;
        if self.chunk.pending == TILE {
            fold(self);
            if self.chunk.filled == KEY_BATCH {
                self.flush_keys();
            }
        }
    }

    fn fold_tile(&mut self) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked on the line above.
            unsafe { self.fold_tile_avx2() };
            return;
        }
        self.fold_tile_portable();
    }

    /// The tile pass compiled for AVX2: the series loops run four or eight lanes
    /// wide. The arithmetic is the same IEEE operations in the same order (Rust
    /// never fuses a multiply and an add on its own), so results are the same bits
    /// with or without it.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn fold_tile_avx2(&mut self) {
        self.fold_tile_portable();
    }

    #[inline(always)]
    fn fold_tile_portable(&mut self) {
        self.chunk.fold_tile(&self.centre);
    }

    /// [`Accumulator::add`] with whole tiles folded by the portable code.
    #[cfg(test)]
    fn add_portable(&mut self, row: &[f64]) {
        self.slot().copy_from_slice(row);
        self.commit_with(Self::fold_tile_portable);
    }

    /// Moves the buffered keys into the sketches, one series at a time.
    fn flush_keys(&mut self) {
        if self.chunk.pending > 0 {
            self.fold_tile();
        }
        let c = &mut self.chunk;
        if c.filled > 0 {
            let f = c.filled;
            let col = |i: usize| &c.keys[i * KEY_STRIDE..][..f];
            let n = c.sketched.len();
            for i in 0..n {
                if i + 1 < n {
                    self.sketches[c.sketched[i + 1]].prefetch(col(i + 1));
                }
                self.sketches[c.sketched[i]].add_keys(col(i));
            }
        }
        c.filled = 0;
    }
    /// Ends a chunk: empties the key buffer and folds the chunk's `f64` partial sums
    /// into the exact sums.
    pub fn end_chunk(&mut self) {
        self.flush_keys();
        let c = &mut self.chunk;
        for (acc, v) in self.sum.iter_mut().zip(c.sum.iter_mut()) {
            acc.add(std::mem::take(v));
        }
        for (acc, v) in self.sumsq.iter_mut().zip(c.sumsq.iter_mut()) {
            acc.add(std::mem::take(v));
        }
        for (acc, v) in self.short_p.iter_mut().zip(c.short_p.iter_mut()) {
            acc.add(std::mem::take(v));
        }
        for (acc, v) in self.short_sum.iter_mut().zip(c.short.iter_mut()) {
            acc.add(std::mem::take(v));
        }
        for (acc, v) in self.short_sumsq.iter_mut().zip(c.shortsq.iter_mut()) {
            acc.add(std::mem::take(v));
        }
    }

    /// Empties the accumulator (for the next replicate block), keeping its centre.
    pub fn clear(&mut self) {
        self.draws = 0;
        self.rejected = 0;
        for x in [
            &mut self.sum,
            &mut self.sumsq,
            &mut self.short_p,
            &mut self.short_sum,
            &mut self.short_sumsq,
        ] {
            x.fill(ExactSum::new());
        }
        self.sketches.iter_mut().for_each(Sketch::reset);
    }

    /// Adds another accumulator's draws (which must have ended their chunks).
    pub fn merge(&mut self, o: &Accumulator) {
        self.draws += o.draws;
        self.rejected += o.rejected;
        for (a, b) in self.sum.iter_mut().zip(&o.sum) {
            a.merge(b);
        }
        for (a, b) in self.sumsq.iter_mut().zip(&o.sumsq) {
            a.merge(b);
        }
        for (a, b) in self.sketches.iter_mut().zip(&o.sketches) {
            a.merge(b);
        }
        for (a, b) in self.short_p.iter_mut().zip(&o.short_p) {
            a.merge(b);
        }
        for (a, b) in self.short_sum.iter_mut().zip(&o.short_sum) {
            a.merge(b);
        }
        for (a, b) in self.short_sumsq.iter_mut().zip(&o.short_sumsq) {
            a.merge(b);
        }
    }

    /// The quantile sketch of series `j` (its twin's, when it has one).
    pub fn sketch(&self, j: usize) -> &Sketch {
        &self.sketches[self.layout.twin(j).unwrap_or(j)]
    }

    /// The statistics of everything folded in, with the standard errors the
    /// replicate blocks `reps` give ([`replicates`]).
    pub fn finish_with(&self, reps: &Replicates) -> Summary {
        let mut s = self.finish();
        let se = reps.standard_errors(&s, &self.centre);
        replicates::apply(&mut s, &se);
        s
    }

    /// The statistics of everything folded in, without standard errors (NaN): a
    /// block's own estimates, or a run's without its blocks.
    pub fn finish(&self) -> Summary {
        let n = self.draws as f64;
        let series = (0..self.centre.len())
            .map(|j| {
                let (mean, sd) = mean_sd(self.centre[j], &self.sum[j], &self.sumsq[j], n);
                SeriesStats {
                    mean,
                    sd,
                    se_mean: f64::NAN,
                    se_sd: f64::NAN,
                    percentiles: self.sketch(j).quantiles(PERCENTILES.map(|(_, q)| q)),
                    se_percentiles: [f64::NAN; PERCENTILES.len()],
                }
            })
            .collect();
        let shortfall = (0..self.layout.n_short())
            .map(|i| {
                let p = self.short_p[i].value() / n;
                let (es, _) = mean_sd(0.0, &self.short_sum[i], &self.short_sumsq[i], n);
                ShortfallStats {
                    p,
                    se: f64::NAN,
                    expected: es,
                    expected_se: f64::NAN,
                }
            })
            .collect();
        Summary {
            layout: self.layout,
            draws: self.draws,
            rejected: self.rejected,
            series,
            shortfall,
        }
    }
}

fn mean_sd(centre: f64, s1: &ExactSum, s2: &ExactSum, n: f64) -> (f64, f64) {
    if n == 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let (s1, s2) = (s1.value(), s2.value());
    let mean_dev = s1 / n;
    let var = if n > 1.0 {
        ((s2 - s1 * mean_dev) / (n - 1.0)).max(0.0)
    } else {
        0.0
    };
    (centre + mean_dev, var.sqrt())
}

/// Statistics of one output series.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesStats {
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub sd: f64,
    /// Monte Carlo standard error of the mean (from the replicate blocks).
    pub se_mean: f64,
    /// Monte Carlo standard error of the SD.
    pub se_sd: f64,
    /// Values at [`PERCENTILES`], within the sketch's relative accuracy.
    pub percentiles: [f64; 7],
    /// Monte Carlo standard error of each percentile.
    pub se_percentiles: [f64; 7],
}

/// Shortfall statistics of one scenario, area (or total) and year.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortfallStats {
    /// P(demand > supply).
    pub p: f64,
    /// Its Monte Carlo standard error.
    pub se: f64,
    /// E[max(demand − supply, 0)], WTE.
    pub expected: f64,
    /// Its Monte Carlo standard error.
    pub expected_se: f64,
}

/// Final statistics of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The output layout.
    pub layout: Layout,
    /// Draws that entered the statistics.
    pub draws: u64,
    /// Draws rejected by the numerical guard.
    pub rejected: u64,
    /// Per series, in [`Layout`] order.
    pub series: Vec<SeriesStats>,
    /// Per shortfall slot, `[scenario][area or total][year]`.
    pub shortfall: Vec<ShortfallStats>,
}

/// A statistic of a series, for [`Summary::get`] and [`Summary::cube`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stat {
    /// Sample mean.
    Mean,
    /// Sample standard deviation.
    Sd,
    /// Monte Carlo standard error of the mean.
    SeMean,
    /// A percentile, as a fraction: one of [`PERCENTILES`] (0.05, 0.10, … 0.95).
    Percentile(f64),
}

/// A shortfall statistic, for [`Summary::shortfall_of`] and [`Summary::shortfall_cube`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortStat {
    /// P(demand > supply).
    P,
    /// Its Monte Carlo standard error.
    PSe,
    /// E[max(demand − supply, 0)], WTE.
    Expected,
    /// Its Monte Carlo standard error.
    ExpectedSe,
}

/// The position of percentile `q` (a fraction) in [`PERCENTILES`], if it is one.
fn percentile_slot(q: f64) -> Option<usize> {
    PERCENTILES.iter().position(|(_, p)| (p - q).abs() < 1e-12)
}

impl SeriesStats {
    /// The Monte Carlo standard error of `stat`; `None` for a percentile not in
    /// [`PERCENTILES`] and for [`Stat::SeMean`] (an error has none of its own).
    pub fn se(&self, stat: Stat) -> Option<f64> {
        match stat {
            Stat::Mean => Some(self.se_mean),
            Stat::Sd => Some(self.se_sd),
            Stat::SeMean => None,
            Stat::Percentile(q) => percentile_slot(q).map(|i| self.se_percentiles[i]),
        }
    }

    /// The statistic `stat`; `None` for a percentile not in [`PERCENTILES`].
    pub fn get(&self, stat: Stat) -> Option<f64> {
        match stat {
            Stat::Mean => Some(self.mean),
            Stat::Sd => Some(self.sd),
            Stat::SeMean => Some(self.se_mean),
            Stat::Percentile(q) => percentile_slot(q).map(|i| self.percentiles[i]),
        }
    }
}

impl ShortfallStats {
    /// The statistic `stat`.
    pub fn get(&self, stat: ShortStat) -> f64 {
        match stat {
            ShortStat::P => self.p,
            ShortStat::PSe => self.se,
            ShortStat::Expected => self.expected,
            ShortStat::ExpectedSe => self.expected_se,
        }
    }
}

/// Accessors by scenario, area (`None`: the total) and year index rather than by
/// storage index; names are looked up through the config's dimensions
/// ([`crate::dims::Dims::series`]).
impl Summary {
    /// The statistics of one series; `None` for a year or metric the layout does not
    /// have (the gross shortfall is a total only).
    pub fn series_of(
        &self,
        scenario: usize,
        area: Option<usize>,
        year: usize,
        metric: Metric,
    ) -> Option<&SeriesStats> {
        if (metric == Metric::GrossShortfall && area.is_some())
            || year >= self.layout.years
            || scenario >= self.layout.scenarios
        {
            return None;
        }
        let s = Series {
            scenario,
            area,
            year,
            metric,
        };
        self.series.get(self.layout.index(&s))
    }

    /// The statistics of series `s`.
    pub fn of(&self, s: &Series) -> &SeriesStats {
        &self.series[self.layout.index(s)]
    }

    /// One statistic of one series (see [`Summary::series_of`]).
    pub fn get(
        &self,
        scenario: usize,
        area: Option<usize>,
        year: usize,
        metric: Metric,
        stat: Stat,
    ) -> Option<f64> {
        self.series_of(scenario, area, year, metric)?.get(stat)
    }

    /// The shortfall statistics of one scenario, area (`None`: the total) and year.
    pub fn shortfall_of(
        &self,
        scenario: usize,
        area: Option<usize>,
        year: usize,
    ) -> Option<&ShortfallStats> {
        if year >= self.layout.years || scenario >= self.layout.scenarios {
            return None;
        }
        self.shortfall
            .get(self.layout.short_slot(scenario, area, year))
    }

    /// One statistic of `metric` for every scenario × area × year, as an array of
    /// shape (scenarios, areas + 1, years): areas in order, then the total. Cells a
    /// metric does not have (an area's gross shortfall) and percentiles not in
    /// [`PERCENTILES`] are NaN.
    pub fn cube(&self, metric: Metric, stat: Stat) -> ndarray::Array3<f64> {
        let l = self.layout;
        ndarray::Array3::from_shape_fn((l.scenarios, l.areas + 1, l.years), |(s, a, k)| {
            let area = (a < l.areas).then_some(a);
            self.get(s, area, k, metric, stat).unwrap_or(f64::NAN)
        })
    }

    /// One shortfall statistic for every scenario × area × year, shaped as [`Summary::cube`].
    pub fn shortfall_cube(&self, stat: ShortStat) -> ndarray::Array3<f64> {
        let l = self.layout;
        ndarray::Array3::from_shape_fn((l.scenarios, l.areas + 1, l.years), |(s, a, k)| {
            self.shortfall[l.short_slot(s, (a < l.areas).then_some(a), k)].get(stat)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of real draws of the built-in config, some with shortfalls.
    fn rows(n: usize) -> (Vec<f64>, Vec<Vec<f64>>, Layout) {
        let cfg = crate::Config::builtin();
        let layout = Layout::of(&cfg.dims);
        let sampler = crate::sampling::Sampler::new(&cfg);
        let mut rng = crate::sampling::chunk_rng(5, 0);
        let mut x = sampler.base().clone();
        let mut raw = vec![0.0; sampler.raw_len()];
        let rows = (0..n)
            .map(|_| {
                let mut out = vec![0.0; layout.len()];
                sampler.sample(&mut rng, &mut raw, &mut x);
                crate::model::evaluate(&x, &mut out);
                out
            })
            .collect();
        (crate::model::point(&cfg), rows, layout)
    }

    #[test]
    fn simd_and_portable_paths_give_the_same_bits() {
        let (centre, rows, layout) = rows(1500);
        let mut portable = Accumulator::new(centre.clone(), layout);
        let mut dispatched = Accumulator::new(centre, layout);
        for (i, r) in rows.iter().enumerate() {
            portable.add_portable(r);
            dispatched.add(r);
            if i % 700 == 699 {
                portable.end_chunk();
                dispatched.end_chunk();
            }
        }
        portable.end_chunk();
        dispatched.end_chunk();
        assert!(portable == dispatched);
        assert!(portable.short_p.iter().any(|c| c.value() > 0.0));
    }

    #[test]
    fn batching_does_not_change_results() {
        // Chunk ends at odd places flush partial key batches; the sums and sketches
        // must come out as with whole batches.
        let (centre, rows, layout) = rows(1500);
        let mut a = Accumulator::new(centre.clone(), layout);
        let mut b = Accumulator::new(centre, layout);
        for (i, r) in rows.iter().enumerate() {
            a.add(r);
            b.add(r);
            if i == 100 || i == 1000 {
                b.flush_keys();
            }
        }
        a.end_chunk();
        b.end_chunk();
        assert_eq!(a.sketches, b.sketches);
        // Debug text: the standard errors are NaN here, and NaN != NaN.
        assert_eq!(format!("{:?}", a.finish()), format!("{:?}", b.finish()));
    }
}
