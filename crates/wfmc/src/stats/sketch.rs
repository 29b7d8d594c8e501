//! A mergeable quantile sketch with a guaranteed relative error.
//!
//! Values are binned by the top bits of their `f64` representation: the exponent and
//! the first [`MANTISSA_BITS`] bits of the mantissa. Each bin spans at most
//! 2^-9 of its lower edge, so reporting its midpoint is within 2^-10 ≈ 0.098 % of any
//! value in it. Counts are integers, so merging sketches is exact and order-free:
//! thread count and sharding cannot change a quantile.

/// Mantissa bits kept in the bin key.
pub const MANTISSA_BITS: u32 = 9;
/// Worst-case relative error of a reported quantile against the sample quantile,
/// for values with magnitude at least [`MIN_MAGNITUDE`].
pub const RELATIVE_ACCURACY: f64 = 1.0 / (1u64 << (MANTISSA_BITS + 1)) as f64;
/// Magnitudes below this are binned as zero (absolute error below it). Outputs are
/// WTE or pounds, where half a unit is immaterial; a smaller floor would make every
/// series that crosses zero (a gap) span dozens of empty octaves of bins.
pub const MIN_MAGNITUDE: f64 = 0.5;

const SHIFT: u32 = 52 - MANTISSA_BITS;

fn min_key_bits() -> u64 {
    MIN_MAGNITUDE.to_bits() >> SHIFT
}

/// The smallest range holding `a` and `b` (an empty range holds nothing).
fn union(a: &std::ops::Range<usize>, b: std::ops::Range<usize>) -> std::ops::Range<usize> {
    if a.is_empty() {
        b
    } else if b.is_empty() {
        a.clone()
    } else {
        a.start.min(b.start)..a.end.max(b.end)
    }
}

/// The bin of a value: 0 for |x| < MIN_MAGNITUDE, ±(1 + bins above the minimum).
/// Its magnitude is below 2^21 (11 exponent and 9 mantissa bits), so it fits an `i32`.
#[inline]
pub fn key(x: f64) -> i64 {
    i64::from(key32(x))
}

/// [`key`] as an `i32`, without branches so that a loop over a row vectorises.
#[inline]
pub fn key32(x: f64) -> i32 {
    let bits = x.to_bits();
    // Exponent and top mantissa bits of |x|, as bin units.
    let mag = ((bits << 1) >> (SHIFT + 1)) as i32;
    let k = (mag - min_key_bits() as i32 + 1).max(0);
    let k = if x.is_nan() { 0 } else { k };
    if (bits as i64) < 0 { -k } else { k }
}

/// The value a bin stands for: the midpoint of its edges.
pub fn value_of(key: i64) -> f64 {
    if key == 0 {
        return 0.0;
    }
    let k = key.unsigned_abs() - 1;
    let lo = f64::from_bits((k + min_key_bits()) << SHIFT);
    let hi = f64::from_bits((k + 1 + min_key_bits()) << SHIFT);
    let mid = 0.5 * (lo + hi);
    if key < 0 { -mid } else { mid }
}

/// Bin counts over a contiguous, growable key range.
///
/// The hot loop touches a few kilobytes of bins in each of 2,222 sketches per worker,
/// far more than a core's cache, so the width of a count sets the speed. Counts are
/// therefore 16-bit. Batches of [`Sketch::add_keys`] may take a count up to
/// 2^16 − 1; before the headroom can run out, counts of 2^15 and more move to the
/// sparse `carry` map, which only bins holding tens of thousands of values ever
/// enter. Counts stay exact for any number of draws.
#[derive(Clone, Debug, Default)]
pub struct Sketch {
    lo: i64,
    counts: Vec<u16>,
    /// Index range of `counts` touched by batches since the last settle.
    dirty: std::ops::Range<usize>,
    /// Index range of `counts` outside which every count is zero, so that merges,
    /// resets and quantiles need not read the slack a grown range keeps.
    used: std::ops::Range<usize>,
    /// Values added by batches since the last settle.
    unsettled: u64,
    /// Counts moved out of `counts`, by key.
    carry: std::collections::BTreeMap<i64, u64>,
    total: u64,
}

/// Counts at or above this move to the carry map; the headroom up to `u16::MAX`
/// is what batches may add between settles.
const CARRY_AT: u64 = 1 << 15;
const HEADROOM: u64 = u16::MAX as u64 - CARRY_AT;
/// Bins [`Sketch::quantiles`] skips together when no wanted rank falls in them.
const QUANTILE_RUN: usize = 32;
/// Bins [`Sketch::merge`] adds together when none of their sums reaches the carry.
const MERGE_RUN: usize = 64;

/// Equal when they hold the same counts, however their storage grew.
impl PartialEq for Sketch {
    fn eq(&self, o: &Sketch) -> bool {
        self.total == o.total && self.bins().eq(o.bins())
    }
}

impl Eq for Sketch {}

impl Sketch {
    /// An empty sketch.
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Empties the sketch but keeps its bins' storage, so a sketch reused for the
    /// next replicate block does not grow again.
    pub fn reset(&mut self) {
        let used = std::mem::take(&mut self.used);
        self.counts[used].fill(0);
        self.dirty = 0..0;
        self.unsettled = 0;
        self.carry.clear();
        self.total = 0;
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Adds one value.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.add_key(key(x), 1);
    }

    /// Adds `n` values falling in bin `k`.
    #[inline]
    pub fn add_key(&mut self, k: i64, n: u64) {
        let mut i = k.wrapping_sub(self.lo);
        if !(0..self.counts.len() as i64).contains(&i) {
            self.grow_to(k);
            i = k - self.lo;
        }
        let i = i as usize;
        self.used = union(&self.used, i..i + 1);
        let c = &mut self.counts[i];
        let sum = u64::from(*c) + n;
        if sum < CARRY_AT {
            *c = sum as u16;
        } else {
            *self.carry.entry(k).or_default() += sum;
            *c = 0;
        }
        self.total += n;
    }

    /// Adds one value per key of `keys` (a batch): the range is grown once, the
    /// increments need no overflow check, and a batch of equal keys (a constant
    /// output) is one addition rather than a chain of increments to one bin.
    #[inline]
    pub fn add_keys(&mut self, keys: &[i32]) {
        if keys.is_empty() {
            return;
        }
        let n = keys.len() as u64;
        if self.unsettled + n > HEADROOM {
            self.settle();
            if n > HEADROOM {
                let (a, b) = keys.split_at(keys.len() / 2);
                self.add_keys(a);
                self.add_keys(b);
                return;
            }
        }
        // A plain fold over i32 vectorises; `Iterator::min` does not.
        let (lo, hi) = keys
            .iter()
            .fold((i32::MAX, i32::MIN), |(a, b), &k| (a.min(k), b.max(k)));
        let (lo, hi) = (i64::from(lo), i64::from(hi));
        if lo < self.lo || self.counts.is_empty() {
            self.grow_to(lo);
        }
        if hi >= self.lo + self.counts.len() as i64 {
            self.grow_to(hi);
        }
        let base = self.lo;
        let (a, b) = ((lo - base) as usize, (hi - base) as usize + 1);
        if a + 1 == b {
            self.counts[a] += n as u16;
        } else {
            for &k in keys {
                self.counts[(i64::from(k) - base) as usize] += 1;
            }
        }
        self.dirty = union(&self.dirty, a..b);
        self.used = union(&self.used, a..b);
        self.unsettled += n;
        self.total += n;
    }

    /// Asks the cache for the bins of `keys`, so that a later
    /// [`Sketch::add_keys`] finds them loaded.
    #[inline]
    pub fn prefetch(&self, keys: &[i32]) {
        #[cfg(target_arch = "x86_64")]
        for &k in keys {
            let p = self
                .counts
                .as_ptr()
                .wrapping_offset((i64::from(k) - self.lo) as isize);
            // SAFETY: a prefetch is only a hint; it never faults, whatever the address.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
            }
        }
        // Elsewhere the hardware prefetcher is all there is.
        #[cfg(not(target_arch = "x86_64"))]
        let _ = keys;
    }

    /// Restores the headroom of the 16-bit counts after batches, moving large counts
    /// to the carry map. [`Sketch::add_keys`] calls it when needed; the result of any
    /// query is the same before and after.
    fn settle(&mut self) {
        let d = std::mem::take(&mut self.dirty);
        self.unsettled = 0;
        let limit = CARRY_AT as u16;
        if self.counts[d.clone()].iter().all(|&c| c < limit) {
            return;
        }
        for i in d {
            let c = &mut self.counts[i];
            if *c >= limit {
                *self.carry.entry(self.lo + i as i64).or_default() += u64::from(*c);
                *c = 0;
            }
        }
    }

    #[cold]
    fn grow_to(&mut self, k: i64) {
        if self.counts.is_empty() {
            self.lo = k;
            self.counts.push(0);
            return;
        }
        let hi = self.lo + self.counts.len() as i64;
        if k < self.lo {
            // Grow with slack so a drifting tail does not reallocate on every value.
            let extra = ((self.lo - k) as usize).max(self.counts.len() / 4).max(16);
            let mut v = vec![0; extra];
            v.extend_from_slice(&self.counts);
            self.counts = v;
            self.dirty = (self.dirty.start + extra)..(self.dirty.end + extra);
            if !self.used.is_empty() {
                self.used = (self.used.start + extra)..(self.used.end + extra);
            }
            self.lo -= extra as i64;
        } else if k >= hi {
            let extra = ((k - hi + 1) as usize).max(self.counts.len() / 4).max(16);
            self.counts.resize(self.counts.len() + extra, 0);
        }
    }

    /// Adds every count of another sketch: its dense bins slice by slice (the range
    /// grown once), then its carried counts one by one. Each replicate block merges
    /// every sketch, so this runs about 31 times per sketch in a default run.
    pub fn merge(&mut self, other: &Sketch) {
        let used = &other.counts[other.used.clone()];
        if let (Some(first), Some(last)) = (
            used.iter()
                .position(|&c| c != 0)
                .map(|i| i + other.used.start),
            used.iter()
                .rposition(|&c| c != 0)
                .map(|i| i + other.used.start),
        ) {
            let (lo, hi) = (other.lo + first as i64, other.lo + last as i64);
            self.grow_to(lo);
            self.grow_to(hi);
            let off = (lo - self.lo) as usize;
            let src = &other.counts[first..=last];
            self.used = union(&self.used, off..off + src.len());
            let dst = &mut self.counts[off..off + src.len()];
            let mut added = 0;
            // Runs of bins whose sums stay below the carry threshold (nearly all)
            // are added lane by lane; a run that reaches it goes bin by bin.
            for (r, (d, s)) in dst
                .chunks_mut(MERGE_RUN)
                .zip(src.chunks(MERGE_RUN))
                .enumerate()
            {
                added += s.iter().map(|&c| u64::from(c)).sum::<u64>();
                let max = d
                    .iter()
                    .zip(s)
                    .fold(0, |m, (&a, &b)| m.max(u32::from(a) + u32::from(b)));
                if u64::from(max) < CARRY_AT {
                    for (a, &b) in d.iter_mut().zip(s) {
                        *a += b;
                    }
                    continue;
                }
                for (i, (a, &b)) in d.iter_mut().zip(s).enumerate() {
                    let sum = u64::from(*a) + u64::from(b);
                    if sum < CARRY_AT {
                        *a = sum as u16;
                    } else {
                        let k = lo + (r * MERGE_RUN + i) as i64;
                        *self.carry.entry(k).or_default() += sum;
                        *a = 0;
                    }
                }
            }
            self.total += added;
        }
        for (&k, &c) in &other.carry {
            self.add_key(k, c);
        }
    }

    /// Non-empty bins as (key, count), ascending.
    pub fn bins(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        let mut carry = self.carry.iter().peekable();
        let dense = self
            .counts
            .iter()
            .enumerate()
            .map(|(i, &c)| (self.lo + i as i64, u64::from(c)));
        // Merge the dense bins with the (sorted, sparse) carried counts.
        let mut dense = dense.peekable();
        std::iter::from_fn(move || {
            let next_dense = dense.peek().map(|&(k, _)| k);
            let next_carry = carry.peek().map(|(k, _)| **k);
            match (next_dense, next_carry) {
                (None, None) => None,
                (Some(kd), Some(kc)) if kc < kd => carry.next().map(|(&k, &c)| (k, c)),
                (Some(kd), Some(kc)) if kc == kd => {
                    let (_, c) = carry.next()?;
                    dense.next().map(|(k, d)| (k, d + c))
                }
                (Some(_), _) => dense.next(),
                (None, Some(_)) => carry.next().map(|(&k, &c)| (k, c)),
            }
        })
        .filter(|(_, c)| *c > 0)
    }

    /// The q-quantile (0 ≤ q ≤ 1) as the bin value holding the value of rank
    /// ⌈q·n⌉ (the lower empirical quantile); NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        self.quantiles([q])[0]
    }

    /// [`Sketch::quantile`] at each of `qs` (ascending), in one pass over the bins.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        let mut out = [f64::NAN; N];
        if self.total == 0 || N == 0 {
            return out;
        }
        let ranks = qs.map(|q| ((q * self.total as f64).ceil() as u64).clamp(1, self.total));
        let fill = |bins: &mut dyn Iterator<Item = (i64, u64)>, out: &mut [f64; N]| {
            let (mut acc, mut i) = (0, 0);
            for (k, c) in bins {
                acc += c;
                while i < N && acc >= ranks[i] {
                    out[i] = value_of(k);
                    i += 1;
                }
                if i == N {
                    break;
                }
            }
        };
        if self.carry.is_empty() {
            // Dense bins only (the common case): no merge with the carry map. Runs of
            // bins that hold no wanted rank are skipped by their sum; an empty bin
            // never completes a rank, so this finds the bins a bin-by-bin pass would.
            let (mut acc, mut i) = (0, 0);
            let lo = self.lo + self.used.start as i64;
            for (r, run) in self.counts[self.used.clone()]
                .chunks(QUANTILE_RUN)
                .enumerate()
            {
                let sum: u64 = run.iter().map(|&c| u64::from(c)).sum();
                if acc + sum < ranks[i] {
                    acc += sum;
                    continue;
                }
                for (j, &c) in run.iter().enumerate() {
                    acc += u64::from(c);
                    while i < N && acc >= ranks[i] {
                        out[i] = value_of(lo + (r * QUANTILE_RUN + j) as i64);
                        i += 1;
                    }
                }
                if i == N {
                    break;
                }
            }
        } else {
            fill(&mut self.bins(), &mut out);
        }
        out
    }

    /// The bin holding the value of rank `r` (1-based, ascending) and the number of
    /// values in bins below it; `None` if `r` is out of range.
    pub fn locate_rank(&self, r: u64) -> Option<(i64, u64)> {
        if r == 0 || r > self.total {
            return None;
        }
        let mut below = 0;
        for (k, c) in self.bins() {
            if below + c >= r {
                return Some((k, below));
            }
            below += c;
        }
        None
    }

    /// Share of values at or below `x` (through bins, so within the bin accuracy).
    pub fn cdf(&self, x: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let kx = key(x);
        let below: u64 = self
            .bins()
            .take_while(|(k, _)| *k <= kx)
            .map(|(_, c)| c)
            .sum();
        below as f64 / self.total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_equals_adding_the_values() {
        // Overlapping and disjoint ranges, dense counts and carried ones, both orders.
        let (mut a, mut b, mut both) = (Sketch::new(), Sketch::new(), Sketch::new());
        for i in 0..3000u32 {
            let x = f64::from(i % 977) * 1.7 - 400.0;
            a.add(x);
            both.add(x);
        }
        for i in 0..2000u32 {
            let y = f64::from(i % 613) * 3.1 + 200.0;
            b.add(y);
            both.add(y);
        }
        for (in_a, k, n) in [
            (true, 50.0, 40_000),
            (false, 50.0, 30_000),
            (false, -9e5, 3),
        ] {
            if in_a { &mut a } else { &mut b }.add_key(key(k), n);
            both.add_key(key(k), n);
        }
        let qs = [0.01, 0.05, 0.5, 0.95, 0.99];
        for (x, y) in [(&a, &b), (&b, &a)] {
            let mut m = x.clone();
            m.merge(y);
            assert_eq!(m, both);
            assert_eq!(m.count(), both.count());
            assert_eq!(m.quantiles(qs), both.quantiles(qs));
        }
        let mut e = Sketch::new();
        e.merge(&a);
        assert_eq!(e, a);
        e.merge(&Sketch::new());
        assert_eq!(e, a);
    }

    #[test]
    fn quantiles_in_one_pass_equal_one_at_a_time() {
        let mut a = Sketch::new();
        for i in 0..5000u32 {
            a.add(f64::from(i.wrapping_mul(2_654_435_761) % 10_007) - 3000.0);
        }
        let qs = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0];
        assert_eq!(a.quantiles(qs), qs.map(|q| a.quantile(q)));
        assert!(Sketch::new().quantiles([0.5])[0].is_nan());
    }

    #[test]
    fn large_counts_stay_exact() {
        let mut a = Sketch::new();
        let k = key(1000.0);
        a.add_key(k, u64::from(u32::MAX) - 1);
        a.add(1000.0);
        a.add(1000.0);
        a.add(5.0);
        let big = u64::from(u32::MAX) + 1;
        assert_eq!(a.count(), big + 1);
        assert_eq!(a.bins().collect::<Vec<_>>(), vec![(key(5.0), 1), (k, big)]);
        let mut b = Sketch::new();
        b.add(5.0);
        b.merge(&a);
        assert_eq!(b.bins().collect::<Vec<_>>(), vec![(key(5.0), 2), (k, big)]);
        assert_eq!(b.quantile(0.5), value_of(k));
        assert_eq!(b.locate_rank(2), Some((key(5.0), 0)));
        assert_eq!(b.locate_rank(3), Some((k, 2)));
    }

    #[test]
    fn batches_count_like_single_values() {
        // Constant batches push one bin past the carry threshold many times; wide
        // batches grow the range both ways; one batch exceeds the headroom.
        let mut one = Sketch::new();
        let mut batched = Sketch::new();
        let mut keys = vec![];
        for b in 0..400u32 {
            keys.clear();
            let len = if b == 7 { 70_000 } else { 512 };
            for i in 0..len {
                let x = match b % 3 {
                    0 => 1234.5,
                    1 => -50.0 + ((i * 7919 + b as usize) % 1000) as f64,
                    _ => 1e6 * (1.0 + (i as f64 * 0.37).sin()),
                };
                one.add(x);
                keys.push(key(x) as i32);
            }
            batched.add_keys(&keys);
        }
        assert_eq!(one.count(), batched.count());
        assert!(one.bins().eq(batched.bins()));
        assert!(!batched.carry.is_empty() && batched.bins().all(|(_, c)| c > 0));
        for q in [0.0, 0.05, 0.5, 0.95, 1.0] {
            assert_eq!(one.quantile(q), batched.quantile(q));
        }
        batched.settle();
        assert!(one == batched);
    }

    #[test]
    fn key_is_monotone_and_accurate() {
        let xs = [
            -1e9, -3.7, -1e-3, 0.0, 1e-7, 2e-6, 0.5, 1.0, 1.5, 3560.0, 2.054e9,
        ];
        for w in xs.windows(2) {
            assert!(key(w[0]) <= key(w[1]), "{w:?}");
        }
        for x in xs {
            if x.abs() >= MIN_MAGNITUDE {
                let rel = (value_of(key(x)) - x).abs() / x.abs();
                assert!(rel <= RELATIVE_ACCURACY, "{x}: {rel}");
            }
        }
        const { assert!(RELATIVE_ACCURACY < 0.001) };
    }

    #[test]
    fn quantiles_within_stated_accuracy_of_exact_sample_quantiles() {
        let mut xs: Vec<f64> = (0..10_001)
            .map(|i| ((i * 7919) % 10_001) as f64 * 0.37 - 1200.0)
            .collect();
        let mut s = Sketch::new();
        for x in &xs {
            s.add(*x);
        }
        xs.sort_by(f64::total_cmp);
        for q in [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] {
            let exact = xs[((q * xs.len() as f64).ceil() as usize).max(1) - 1];
            let got = s.quantile(q);
            assert!(
                (got - exact).abs() <= RELATIVE_ACCURACY * exact.abs() + MIN_MAGNITUDE,
                "q{q}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn quantiles_find_the_bin_of_each_rank() {
        // Against a bin-by-bin walk (`locate_rank`): gaps of empty bins longer and
        // shorter than a skipped run, ranks in one bin, the first and last bins.
        let mut s = Sketch::new();
        for i in 0..4000u32 {
            let x = match i % 4 {
                0 => f64::from(i) * 0.013,
                1 => 5e3 + f64::from(i % 7),
                2 => -2e6 - f64::from(i),
                _ => 1e9,
            };
            s.add(x);
        }
        let qs: [f64; 9] = [0.0, 0.001, 0.1, 0.25, 0.2501, 0.5, 0.75, 0.999, 1.0];
        let got = s.quantiles(qs);
        for (q, g) in qs.iter().zip(got) {
            let rank = ((q * s.count() as f64).ceil() as u64).clamp(1, s.count());
            let (k, _) = s.locate_rank(rank).unwrap();
            assert_eq!(g, value_of(k), "q{q}");
        }
        assert_eq!(s.quantiles::<0>([]), [0.0f64; 0]);
    }

    #[test]
    fn a_reset_sketch_is_empty_however_it_grew() {
        // Growth downwards (the range shifts), upwards, by merge and by batch: after
        // a reset no count is left, and reuse equals a fresh sketch.
        let mut s = Sketch::new();
        for x in [100.0, 5.0, -3e4, 2e6] {
            s.add(x);
        }
        s.add_keys(&[key(-7e5) as i32, key(9e9) as i32]);
        let mut other = Sketch::new();
        other.add(-1e12);
        s.merge(&other);
        s.reset();
        assert_eq!((s.count(), s.bins().count()), (0, 0));
        let mut fresh = Sketch::new();
        for x in [42.0, -42.0, 1e7] {
            s.add(x);
            fresh.add(x);
        }
        assert_eq!(s, fresh);
        assert_eq!(s.quantiles([0.5, 1.0]), fresh.quantiles([0.5, 1.0]));
    }

    #[test]
    fn merge_carries_bins_whose_sums_reach_the_carry() {
        // Dense counts below the carry in each sketch, above it together, among
        // bins that merge lane by lane.
        let (mut a, mut b, mut both) = (Sketch::new(), Sketch::new(), Sketch::new());
        for i in 0..700u32 {
            let x = f64::from(i) * 0.37 + 1.0;
            for s in [&mut a, &mut b] {
                s.add(x);
            }
            both.add(x);
            both.add(x);
        }
        for s in [&mut a, &mut b] {
            s.add_keys(&[key(100.0) as i32; 20_000]);
        }
        both.add_key(key(100.0), 40_000);
        assert!(a.carry.is_empty() && b.carry.is_empty());
        a.merge(&b);
        assert!(a.carry.get(&key(100.0)).is_some_and(|&c| c >= 40_000));
        assert_eq!(a, both);
        assert_eq!(a.count(), both.count());
    }

    #[test]
    fn merge_equals_single_sketch() {
        let mut all = Sketch::new();
        let mut a = Sketch::new();
        let mut b = Sketch::new();
        for i in 0..5000 {
            let x = (i as f64 * 0.618).sin() * 1e4;
            all.add(x);
            if i % 3 == 0 { a.add(x) } else { b.add(x) }
        }
        let mut ab = b.clone();
        ab.merge(&a);
        let mut ba = a.clone();
        ba.merge(&b);
        for q in [0.01, 0.5, 0.99] {
            assert_eq!(ab.quantile(q), all.quantile(q));
            assert_eq!(ba.quantile(q), all.quantile(q));
        }
        assert_eq!(
            ab.bins().collect::<Vec<_>>(),
            all.bins().collect::<Vec<_>>()
        );
    }
}
