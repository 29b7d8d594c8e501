//! Exact summation of `f64` values, so merging partial results is associative.
//!
//! Floating-point addition depends on order, and the order in which parallel chunks
//! or sharded machines finish is not fixed. An [`ExactSum`] holds the sum of every
//! value added as an exact fixed-point number spread over 32-bit limbs, so adding
//! chunk sums in any order, or merging shards in any grouping, gives the same bits.

/// Limb `k` carries weight 2^(32k − BIAS); the range covers every finite `f64`.
const BIAS: i32 = 1120;
const LIMBS: usize = 70;
/// Limbs hold 32-bit digits in an `i64`, so ~2^30 unnormalised adds are safe.
const RENORM_EVERY: u32 = 1 << 29;

/// Limbs of the compact form: a value's 53 bits span at most three limbs, one more
/// below takes smaller values and two more above take the carries of up to 2^29
/// additions.
const WINDOW: usize = 6;

/// An exact sum of finite `f64` values.
///
/// Most sums (of one series' values, of one estimate's replicates) add values of a
/// similar magnitude, which touch a handful of the 70 limbs: such a sum keeps just a
/// window of [`WINDOW`] limbs inline, 56 bytes rather than 568, and moves to the full
/// form the first time a value falls outside it. Both forms hold the same exact
/// value and give the same bits.
#[derive(Clone, Debug)]
pub struct ExactSum {
    repr: Repr,
    pending: u32,
}

#[derive(Clone, Debug)]
enum Repr {
    /// Limbs `lo .. lo + WINDOW` of the full form; every other limb is zero. The top
    /// limb of the window carries the sign, as the top limb of the full form does.
    Window {
        lo: u8,
        used: bool,
        limbs: [i64; WINDOW],
    },
    /// Every limb.
    Full(Box<[i64; LIMBS]>),
}

/// Equal when the exact values are, whatever carries are still pending.
impl PartialEq for ExactSum {
    fn eq(&self, o: &ExactSum) -> bool {
        self.to_limbs() == o.to_limbs()
    }
}

impl Eq for ExactSum {}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum {
            repr: Repr::Window {
                lo: 0,
                used: false,
                limbs: [0; WINDOW],
            },
            pending: 0,
        }
    }
}

/// Propagates carries so every limb but the last lies in [0, 2^32).
fn carry(limbs: &mut [i64]) {
    for k in 0..limbs.len() - 1 {
        let c = limbs[k] >> 32;
        limbs[k] -= c << 32;
        limbs[k + 1] += c;
    }
}

impl ExactSum {
    /// A zero sum.
    pub fn new() -> ExactSum {
        ExactSum::default()
    }

    /// Adds one finite value exactly; non-finite values are ignored (callers count them).
    pub fn add(&mut self, x: f64) {
        if x == 0.0 || !x.is_finite() {
            return;
        }
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (mant, e) = if exp == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), exp - 1075)
        };
        let pos = (e + BIAS) as u32;
        let (k, shift) = ((pos / 32) as usize, pos % 32);
        let v = (mant as u128) << shift;
        let parts = [
            (v & 0xffff_ffff) as i64,
            ((v >> 32) & 0xffff_ffff) as i64,
            (v >> 64) as i64,
        ];
        let sign = if x < 0.0 { -1 } else { 1 };
        if let Repr::Window { lo, used, limbs } = &mut self.repr {
            if !*used {
                // One limb of room below, the carries' room above.
                *lo = k.saturating_sub(1).min(LIMBS - WINDOW) as u8;
                *used = true;
            }
            let base = *lo as usize;
            // The three parts and a carry limb stay inside the window.
            if k >= base && k + 3 < base + WINDOW {
                for (i, p) in parts.iter().enumerate() {
                    limbs[k - base + i] += sign * p;
                }
                self.count();
                return;
            }
            self.widen();
        }
        let Repr::Full(limbs) = &mut self.repr else {
            unreachable!("widened above")
        };
        for (i, p) in parts.iter().enumerate() {
            if k + i < LIMBS {
                limbs[k + i] += sign * p;
            }
        }
        self.count();
    }

    fn count(&mut self) {
        self.pending += 1;
        if self.pending >= RENORM_EVERY {
            self.normalise();
        }
    }

    /// Moves to the full form (the same value).
    fn widen(&mut self) {
        if let Repr::Window { lo, limbs, .. } = &self.repr {
            let mut full = Box::new([0i64; LIMBS]);
            let lo = *lo as usize;
            full[lo..lo + WINDOW].copy_from_slice(limbs);
            self.repr = Repr::Full(full);
        }
    }

    /// Adds another exact sum.
    pub fn merge(&mut self, other: &ExactSum) {
        match (&mut self.repr, &other.repr) {
            (_, Repr::Window { used: false, .. }) => return,
            (Repr::Window { used: false, .. }, _) => {
                *self = other.clone();
                self.normalise();
                return;
            }
            (
                Repr::Window { lo, limbs, .. },
                Repr::Window {
                    lo: olo, limbs: ol, ..
                },
            ) if lo == olo => {
                let mut o = *ol;
                carry(&mut o);
                carry(limbs);
                for (a, b) in limbs.iter_mut().zip(o) {
                    *a += b;
                }
            }
            _ => {
                self.widen();
                let mut o = other.clone();
                o.widen();
                o.normalise();
                self.normalise();
                if let (Repr::Full(a), Repr::Full(b)) = (&mut self.repr, &o.repr) {
                    for (a, b) in a.iter_mut().zip(b.iter()) {
                        *a += b;
                    }
                }
            }
        }
        self.normalise();
    }

    /// Propagates carries so every limb but the top one lies in [0, 2^32): one
    /// canonical form per value, which is what makes results bit-identical. A window
    /// whose top limb outgrows its carry room moves to the full form.
    pub fn normalise(&mut self) {
        match &mut self.repr {
            Repr::Window { limbs, .. } => {
                carry(limbs);
                if limbs[WINDOW - 1].unsigned_abs() >= 1 << 31 {
                    self.widen();
                    self.normalise();
                }
            }
            Repr::Full(limbs) => carry(&mut limbs[..]),
        }
        self.pending = 0;
    }

    /// Every limb, carried (the full form's canonical limbs).
    fn full(&self) -> [i64; LIMBS] {
        let mut out = [0i64; LIMBS];
        match &self.repr {
            Repr::Window { lo, limbs, .. } => {
                let lo = *lo as usize;
                out[lo..lo + WINDOW].copy_from_slice(limbs);
            }
            Repr::Full(limbs) => out.copy_from_slice(&limbs[..]),
        }
        carry(&mut out);
        out
    }

    /// The sum, rounded to `f64` (deterministically: a function of the exact value).
    pub fn value(&self) -> f64 {
        let mut c = self.full();
        // Canonical form is two's complement across limbs: read a negative sum as
        // the negation of its magnitude, or the top limb's weight would overflow.
        let negative = c[LIMBS - 1] < 0;
        if negative {
            for l in c.iter_mut() {
                *l = -*l;
            }
            carry(&mut c);
        }
        let mut total = 0.0f64;
        for k in (0..LIMBS).rev() {
            if c[k] != 0 {
                total += c[k] as f64 * 2f64.powi(32 * k as i32 - BIAS);
            }
        }
        if negative { -total } else { total }
    }

    /// Canonical limbs (for serialising partial results).
    pub fn to_limbs(&self) -> Vec<i64> {
        self.full().to_vec()
    }

    /// Rebuilds a sum from [`Self::to_limbs`]; `None` if the length is wrong. A sum
    /// whose limbs fit a window takes the compact form.
    pub fn from_limbs(limbs: &[i64]) -> Option<ExactSum> {
        let limbs: [i64; LIMBS] = limbs.try_into().ok()?;
        let mut s = ExactSum {
            repr: Repr::Full(Box::new(limbs)),
            pending: 0,
        };
        s.normalise();
        let c = s.full();
        if let Some(first) = c.iter().position(|&l| l != 0) {
            let lo = first.saturating_sub(1).min(LIMBS - WINDOW);
            let mut w = [0i64; WINDOW];
            w.copy_from_slice(&c[lo..lo + WINDOW]);
            if c[LIMBS - 1] < 0 {
                // The window's top limb carries the sign itself.
                w[WINDOW - 1] -= 1 << 32;
            }
            let compact = ExactSum {
                repr: Repr::Window {
                    lo: lo as u8,
                    used: true,
                    limbs: w,
                },
                pending: 0,
            };
            if w[WINDOW - 1].unsigned_abs() < 1 << 31 && compact.full() == c {
                return Some(compact);
            }
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_exactly_in_any_order() {
        let xs = [
            1e16,
            1.0,
            -1e16,
            3.5e-300,
            2.0f64.powi(-1074),
            -7.25,
            1e300,
            -1e300,
        ];
        let mut a = ExactSum::new();
        for x in xs {
            a.add(x);
        }
        let mut b = ExactSum::new();
        for x in xs.iter().rev() {
            b.add(*x);
        }
        assert_eq!(a.to_limbs(), b.to_limbs());
        assert_eq!(a.value(), 1.0 - 7.25 + 3.5e-300);
        let mut neg = ExactSum::new();
        neg.add(-10.1);
        neg.add(0.1);
        assert_eq!(neg.value(), -10.1 + 0.1);
    }

    /// The compact form and the full form agree on every operation, for sums that
    /// stay in a window, leave it, and mix both forms.
    #[test]
    fn compact_and_full_forms_agree() {
        let widen = |mut s: ExactSum| {
            s.widen();
            s
        };
        let cases: [&[f64]; 4] = [
            &[1.5, 2.25, -0.125, 1e3],
            &[-3.0, -1e-3, -7.5],
            &[1e10, 1e-10, -1e10],
            &[1e300, 1.0, -1e300, 3.5e-300],
        ];
        for xs in cases {
            let (mut a, mut b) = (ExactSum::new(), widen(ExactSum::new()));
            for &x in xs {
                a.add(x);
                b.add(x);
            }
            assert_eq!(a.to_limbs(), b.to_limbs(), "{xs:?}");
            assert_eq!(a.value().to_bits(), b.value().to_bits(), "{xs:?}");
            let back = ExactSum::from_limbs(&a.to_limbs()).unwrap();
            assert_eq!(back.value().to_bits(), a.value().to_bits());
            let mut m = a.clone();
            m.merge(&b);
            let mut n = b.clone();
            n.merge(&a);
            assert_eq!(m.to_limbs(), n.to_limbs());
            assert_eq!(m.value(), 2.0 * a.value());
        }
        // A negative sum read back keeps the compact form, and its value.
        let mut neg = ExactSum::new();
        neg.add(-2.5);
        let back = ExactSum::from_limbs(&neg.to_limbs()).unwrap();
        assert!(matches!(back.repr, Repr::Window { .. }));
        assert_eq!(back.value(), -2.5);
        // Many additions: the carries stay exact.
        let mut big = ExactSum::new();
        for _ in 0..100_000 {
            big.add(f64::MAX / 1e6);
        }
        assert_eq!(big.value(), (f64::MAX / 1e6) * 1e5);
    }

    #[test]
    fn merge_is_associative() {
        let mut parts: Vec<ExactSum> = (0..3).map(|_| ExactSum::new()).collect();
        for i in 0..3000 {
            parts[i % 3].add((i as f64).sqrt() * if i % 2 == 0 { 1.0 } else { -1.3 });
        }
        let mut left = parts[0].clone();
        left.merge(&parts[1]);
        left.merge(&parts[2]);
        let mut right = parts[1].clone();
        right.merge(&parts[2]);
        right.merge(&parts[0]);
        assert_eq!(left.to_limbs(), right.to_limbs());
        let direct: f64 = (0..3000)
            .map(|i| (i as f64).sqrt() * if i % 2 == 0 { 1.0 } else { -1.3 })
            .sum();
        assert!((left.value() - direct).abs() < 1e-9);
    }
}
