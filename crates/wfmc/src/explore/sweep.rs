//! A sweep's grid: the inputs it varies, each over a list of values, and the
//! config of each point (every combination, the first vary slowest). The sweep
//! itself, which runs the model at each point, is a job ([`crate::jobs`]); its CSV
//! is a results format ([`crate::results::sweep`]).

use crate::config::Config;
use crate::config::overrides::Override;
use crate::error::Error;
use crate::wording::{Invalid, OverrideSource, Setting};
use std::str::FromStr;
use toml::Value;

/// Largest number of grid points a sweep accepts.
pub const MAX_POINTS: usize = 100_000;

/// One swept input: a config path and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// Config path.
    pub path: String,
    /// Values, as TOML.
    pub values: Vec<Value>,
}

/// Splits on commas outside brackets, so `normal(0.1, 0.02),fixed(0.2)` is two items.
fn split_top(text: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (vec![], String::new(), 0i32);
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out
}

impl FromStr for Vary {
    type Err = Invalid;
    /// `PATH=LO:HI:STEP` (numbers, HI included) or `PATH=v1,v2,v3`.
    fn from_str(s: &str) -> Result<Vary, Invalid> {
        let bad = |shown: String, why: String| Invalid::new(Setting::Vary, shown, why);
        let Some((path, spec)) = s.split_once('=') else {
            return Err(bad(
                format!("`{s}`"),
                "expected PATH=LO:HI:STEP or PATH=v1,v2,…, e.g. salary_growth=0.01:0.05:0.01"
                    .into(),
            ));
        };
        let (path, spec) = (path.trim().to_string(), spec.trim());
        let parts: Vec<&str> = spec.split(':').collect();
        let values = if parts.len() == 3 && !spec.contains('(') {
            let num = |t: &str| {
                t.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        bad(path.clone(), format!("`{t}` is not a number in LO:HI:STEP"))
                    })
            };
            let (lo, hi, step) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
            if step <= 0.0 || hi < lo {
                return Err(bad(
                    format!("{path}={spec}"),
                    "need LO ≤ HI and STEP > 0".into(),
                ));
            }
            // Counted in f64 first: a tiny step must not overflow the count.
            let nf = ((hi - lo) / step + 1e-9).floor() + 1.0;
            if !nf.is_finite() || nf > MAX_POINTS as f64 {
                return Err(bad(
                    format!("{path}={spec}"),
                    format!("{nf:.3e} values; at most {MAX_POINTS}"),
                ));
            }
            let n = nf as usize;
            // lo + i·step, rounded to 12 significant digits so 0.1 + 2·0.1 prints 0.3.
            (0..n)
                .map(|i| {
                    let x = lo + i as f64 * step;
                    Value::Float(format!("{x:.12e}").parse().unwrap_or(x))
                })
                .collect()
        } else {
            split_top(spec)
                .into_iter()
                .map(|v| {
                    if v.is_empty() {
                        Err(bad(
                            format!("{path}={spec}"),
                            "empty value in the list".into(),
                        ))
                    } else {
                        Override::parse(&format!("{path}={v}"))
                            .map(|o| o.value)
                            .map_err(|e| Invalid {
                                setting: Setting::Vary,
                                ..e
                            })
                    }
                })
                .collect::<Result<_, _>>()?
        };
        if path.is_empty() {
            return Err(bad(format!("`{s}`"), "the path is empty".into()));
        }
        Ok(Vary { path, values })
    }
}

/// The grid: every combination of the varies' values, the first varying slowest.
/// Points are made one at a time ([`Grid::point`]), so memory does not grow with
/// the number of points.
#[derive(Debug, Clone, Copy)]
pub struct Grid<'a> {
    varies: &'a [Vary],
    len: usize,
}

impl<'a> Grid<'a> {
    /// The grid of `varies`, refused when it has more than [`MAX_POINTS`] points.
    pub fn new(varies: &'a [Vary]) -> Result<Grid<'a>, Error> {
        let len = varies
            .iter()
            .try_fold(1usize, |n, v| n.checked_mul(v.values.len()))
            .filter(|n| *n <= MAX_POINTS)
            .ok_or_else(|| Error::Input(format!("the sweep has over {MAX_POINTS} points")))?;
        Ok(Grid { varies, len })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when a vary has no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The values of point `i` (0-based), one per vary.
    pub fn point(&self, mut i: usize) -> Vec<Value> {
        let mut out = vec![Value::Integer(0); self.varies.len()];
        for (slot, v) in out.iter_mut().zip(self.varies).rev() {
            let n = v.values.len();
            *slot = v.values[i % n].clone();
            i /= n;
        }
        out
    }

    /// The config of point `i`, with the point's values (one per vary).
    pub fn config(&self, cfg: &Config, i: usize) -> Result<(Vec<Value>, Config), Error> {
        let p = self.point(i);
        let o: Vec<Override> = self
            .varies
            .iter()
            .zip(&p)
            .map(|(v, x)| Override {
                path: v.path.clone(),
                value: x.clone(),
                origin: OverrideSource::Vary {
                    path: v.path.clone(),
                    value: label(x),
                },
            })
            .collect();
        let c = cfg.with_overrides(&o)?;
        Ok((p, c))
    }
}

/// A value as a sweep CSV cell: a string without quotes, anything else as TOML.
pub fn label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_syntax() {
        let v: Vary = "salary_growth=0.01:0.05:0.01".parse().unwrap();
        assert_eq!(v.values.len(), 5);
        assert_eq!(v.values[2], Value::Float(0.03));
        let v: Vary = "supply.ict.flow_rate=normal(0.01, 0.01),fixed(0.02),0.03"
            .parse()
            .unwrap();
        assert_eq!(
            v.values,
            [
                Value::String("normal(0.01, 0.01)".into()),
                Value::String("fixed(0.02)".into()),
                Value::Float(0.03)
            ]
        );
        for bad in ["x", "a=1:0:1", "a=0:1:0", "a=0:1:x", "a=1,,2"] {
            assert!(bad.parse::<Vary>().is_err(), "{bad}");
        }
    }

    #[test]
    fn grid_is_full_factorial_first_slowest() {
        let a: Vary = "a=1,2".parse().unwrap();
        let b: Vary = "b=3,4,5".parse().unwrap();
        let v = [a, b];
        let g = Grid::new(&v).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g.point(1), [Value::Integer(1), Value::Integer(4)]);
        assert_eq!(g.point(3), [Value::Integer(2), Value::Integer(3)]);
        assert_eq!(g.point(5), [Value::Integer(2), Value::Integer(5)]);
    }

    #[test]
    fn a_step_too_small_to_count_is_an_error() {
        for bad in ["a=0:1:1e-300", "a=0:1e300:1e-300", "a=-1e308:1e308:1e-10"] {
            let e = bad.parse::<Vary>().unwrap_err();
            assert!(e.to_string().contains("at most"), "{bad}: {e}");
        }
        let huge: Vec<Vary> = (0..6).map(|_| "a=0:99:1".parse().unwrap()).collect();
        assert!(Grid::new(&huge).is_err(), "10^12 points overflow no count");
    }
}
