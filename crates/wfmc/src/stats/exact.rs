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

/// An exact sum of finite `f64` values.
#[derive(Clone, Debug)]
pub struct ExactSum {
    limbs: [i64; LIMBS],
    pending: u32,
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
            limbs: [0; LIMBS],
            pending: 0,
        }
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
        let neg = x < 0.0;
        for (i, p) in parts.iter().enumerate() {
            if k + i < LIMBS {
                if neg {
                    self.limbs[k + i] -= p;
                } else {
                    self.limbs[k + i] += p;
                }
            }
        }
        self.pending += 1;
        if self.pending >= RENORM_EVERY {
            self.normalise();
        }
    }

    /// Adds another exact sum.
    pub fn merge(&mut self, other: &ExactSum) {
        let mut o = other.clone();
        o.normalise();
        self.normalise();
        for (a, b) in self.limbs.iter_mut().zip(o.limbs) {
            *a += b;
        }
        self.normalise();
    }

    /// Propagates carries so every limb but the top one lies in [0, 2^32): one
    /// canonical form per value, which is what makes results bit-identical.
    pub fn normalise(&mut self) {
        for k in 0..LIMBS - 1 {
            let carry = self.limbs[k] >> 32;
            self.limbs[k] -= carry << 32;
            self.limbs[k + 1] += carry;
        }
        self.pending = 0;
    }

    /// The sum, rounded to `f64` (deterministically: a function of the exact value).
    pub fn value(&self) -> f64 {
        let mut c = self.clone();
        c.normalise();
        // Canonical form is two's complement across limbs: read a negative sum as
        // the negation of its magnitude, or the top limb's weight would overflow.
        let negative = c.limbs[LIMBS - 1] < 0;
        if negative {
            for l in c.limbs.iter_mut() {
                *l = -*l;
            }
            c.normalise();
        }
        let mut total = 0.0f64;
        for k in (0..LIMBS).rev() {
            if c.limbs[k] != 0 {
                total += c.limbs[k] as f64 * 2f64.powi(32 * k as i32 - BIAS);
            }
        }
        if negative { -total } else { total }
    }

    /// Canonical limbs (for serialising partial results).
    pub fn to_limbs(&self) -> Vec<i64> {
        let mut c = self.clone();
        c.normalise();
        c.limbs.to_vec()
    }

    /// Rebuilds a sum from [`Self::to_limbs`]; `None` if the length is wrong.
    pub fn from_limbs(limbs: &[i64]) -> Option<ExactSum> {
        let limbs: [i64; LIMBS] = limbs.try_into().ok()?;
        let mut s = ExactSum { limbs, pending: 0 };
        s.normalise();
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
