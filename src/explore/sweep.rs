//! `wfmc sweep`: the Monte Carlo model at every point of a grid of overrides.

use crate::config::Config;
use crate::config::overrides::Override;
use crate::dims::{Area, N_YEARS, Scenario, year_index, year_of};
use crate::engine::{self, Control, RunSpec};
use crate::error::Error;
use crate::model::{Layout, Metric, Series};
use crate::stats::{PERCENTILES, Summary, shortfall_slot};
use std::io::Write;
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
    type Err = String;
    /// `PATH=LO:HI:STEP` (numbers, HI included) or `PATH=v1,v2,v3`.
    fn from_str(s: &str) -> Result<Vary, String> {
        let Some((path, spec)) = s.split_once('=') else {
            return Err(format!(
                "--vary `{s}`: expected PATH=LO:HI:STEP or PATH=v1,v2,…, e.g. salary_growth=0.01:0.05:0.01"
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
                    .ok_or_else(|| format!("--vary {path}: `{t}` is not a number in LO:HI:STEP"))
            };
            let (lo, hi, step) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
            if step <= 0.0 || hi < lo {
                return Err(format!("--vary {path}={spec}: need LO ≤ HI and STEP > 0"));
            }
            // Counted in f64 first: a tiny step must not overflow the count.
            let nf = ((hi - lo) / step + 1e-9).floor() + 1.0;
            if !nf.is_finite() || nf > MAX_POINTS as f64 {
                return Err(format!(
                    "--vary {path}={spec}: {nf:.3e} values; at most {MAX_POINTS}"
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
                        Err(format!("--vary {path}={spec}: empty value in the list"))
                    } else {
                        Ok(Override::parse(&format!("{path}={v}"))?.value)
                    }
                })
                .collect::<Result<_, _>>()?
        };
        if path.is_empty() {
            return Err(format!("--vary `{s}`: the path is empty"));
        }
        Ok(Vary { path, values })
    }
}

/// Which rows of each point's results to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// Metric names: series metrics (`gap`, `demand`, …) or `p_shortfall`,
    /// `expected_shortfall`.
    pub metrics: Vec<String>,
    /// Area keys or `total`; empty = all.
    pub areas: Vec<String>,
    /// Calendar years.
    pub years: Vec<u32>,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            metrics: vec!["gap".into(), "p_shortfall".into()],
            areas: vec![],
            years: vec![2030],
        }
    }
}

impl Filter {
    /// Checks every name, listing what is valid.
    pub fn validate(&self) -> Result<(), Error> {
        for m in &self.metrics {
            if Metric::from_key(m).is_none() && m != "p_shortfall" && m != "expected_shortfall" {
                return Err(Error::Input(format!(
                    "--metric {m}: valid metrics are demand, supply, gap, cost_demand, cost_supply, cost_flat, demand_<level>, gross_shortfall, p_shortfall, expected_shortfall"
                )));
            }
        }
        for a in &self.areas {
            if a != "total" && Area::from_key(a).is_none() {
                return Err(Error::Input(format!(
                    "--area {a}: valid areas are total, {}",
                    Area::keys().join(", ")
                )));
            }
        }
        for y in &self.years {
            if year_index(*y).is_none() {
                return Err(Error::Input(format!(
                    "--year {y}: years run from 2020 to 2030"
                )));
            }
        }
        Ok(())
    }

    fn area_ok(&self, key: &str) -> bool {
        self.areas.is_empty() || self.areas.iter().any(|a| a == key)
    }
}

/// The rows of one point: (scenario, area, year, metric, stat, value).
fn rows(s: &Summary, f: &Filter) -> Vec<[String; 6]> {
    let mut out = vec![];
    for &sc in Scenario::ALL {
        for area in Area::ALL.iter().map(|a| Some(*a)).chain([None]) {
            let akey = area.map_or("total", |a| a.key());
            if !f.area_ok(akey) {
                continue;
            }
            for k in 0..N_YEARS {
                let year = year_of(k);
                if !f.years.contains(&year) {
                    continue;
                }
                for m in &f.metrics {
                    let mut push = |stat: &str, v: f64| {
                        out.push([
                            sc.key().to_string(),
                            akey.to_string(),
                            year.to_string(),
                            m.clone(),
                            stat.to_string(),
                            format!("{v}"),
                        ])
                    };
                    if m == "p_shortfall" || m == "expected_shortfall" {
                        let st =
                            &s.shortfall[shortfall_slot(sc.index(), area.map(|a| a.index()), k)];
                        if m == "p_shortfall" {
                            push("value", st.p);
                            push("se", st.se);
                        } else {
                            push("value", st.expected);
                            push("se", st.expected_se);
                        }
                        continue;
                    }
                    let Some(metric) = Metric::from_key(m) else {
                        continue;
                    };
                    if metric == Metric::GrossShortfall && area.is_some() {
                        continue;
                    }
                    let i = Series {
                        scenario: sc,
                        area,
                        year: k,
                        metric,
                    }
                    .index();
                    debug_assert!(i < Layout::LEN);
                    let st = &s.series[i];
                    push("mean", st.mean);
                    push("sd", st.sd);
                    push("se_mean", st.se_mean);
                    for ((name, _), v) in PERCENTILES.iter().zip(st.percentiles) {
                        push(name, v);
                    }
                }
            }
        }
    }
    out
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

    /// The config of point `i`.
    fn config(&self, cfg: &Config, i: usize) -> Result<(Vec<Value>, Config), Error> {
        let p = self.point(i);
        let o: Vec<Override> = self
            .varies
            .iter()
            .zip(&p)
            .map(|(v, x)| Override {
                path: v.path.clone(),
                value: x.clone(),
                origin: format!("--vary {}={}", v.path, label(x)),
            })
            .collect();
        let c = cfg.with_overrides(&o)?;
        Ok((p, c))
    }
}

/// The first line of a sweep CSV, for `varies`.
fn header(varies: &[Vary]) -> Vec<String> {
    let mut header = vec!["point".to_string()];
    header.extend(varies.iter().map(|v| v.path.clone()));
    header.extend(
        ["scenario", "area", "year", "metric", "stat", "value"]
            .iter()
            .map(|s| s.to_string()),
    );
    header
}

/// True when the file at `path` starts like a sweep CSV wfmc wrote (a file wfmc may
/// replace without `--overwrite`).
pub fn is_sweep_csv(path: &std::path::Path) -> bool {
    use std::io::{BufRead, Read};
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut line = String::new();
    let ok = std::io::BufReader::new(f.take(64 * 1024))
        .read_line(&mut line)
        .is_ok();
    let line = line.trim_end();
    ok && line.starts_with("point,") && line.ends_with(",scenario,area,year,metric,stat,value")
}

fn label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// Runs the sweep and streams the tidy CSV to `out`, calling `progress(done, total)`
/// after each point. Every point's config is built and checked before any run (and
/// dropped: each is built again when its turn comes, so memory stays flat).
pub fn run(
    cfg: &Config,
    varies: &[Vary],
    spec: &RunSpec,
    filter: &Filter,
    out: &mut dyn Write,
    control: &Control,
    progress: &dyn Fn(usize, usize),
) -> Result<(), Error> {
    if varies.is_empty() {
        return Err(Error::Input("sweep needs at least one --vary".into()));
    }
    filter.validate()?;
    spec.validate()?;
    let grid = Grid::new(varies)?;
    if grid.is_empty() {
        return Err(Error::Input("the sweep has no points".into()));
    }
    for i in 0..grid.len() {
        if control.cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        grid.config(cfg, i)?;
    }
    let io = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(x) if x.kind() == std::io::ErrorKind::BrokenPipe => Error::OutputClosed,
        _ => Error::Runtime(format!("writing the sweep: {e}")),
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header(varies)).map_err(io)?;
    for i in 0..grid.len() {
        let (p, c) = grid.config(cfg, i)?;
        let state = engine::run_with(&c, spec, control, false)?;
        state.check_rejected(spec.max_rejected)?;
        let summary = state.acc.finish();
        for r in rows(&summary, filter) {
            let mut rec = vec![(i + 1).to_string()];
            rec.extend(p.iter().map(label));
            rec.extend(r);
            w.write_record(&rec).map_err(io)?;
        }
        w.flush().map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Error::OutputClosed
            } else {
                Error::io("writing the sweep", e)
            }
        })?;
        progress(i + 1, grid.len());
    }
    Ok(())
}

/// [`run`] into the file `path`, written whole or not at all: the rows stream into a
/// temporary file beside it, renamed into place when the sweep completes. A path
/// that cannot be written, or an existing file that is not a sweep CSV of wfmc's
/// (unless `overwrite`), is refused before any work.
#[allow(clippy::too_many_arguments)]
pub fn run_to_file(
    cfg: &Config,
    varies: &[Vary],
    spec: &RunSpec,
    filter: &Filter,
    path: &std::path::Path,
    overwrite: bool,
    control: &Control,
    progress: &dyn Fn(usize, usize),
) -> Result<(), Error> {
    let st = crate::files::FileStaging::new(
        path,
        &crate::files::Inputs::none(),
        overwrite,
        is_sweep_csv,
        "a sweep CSV",
    )?;
    let mut w = std::io::BufWriter::new(st.writer()?);
    run(cfg, varies, spec, filter, &mut w, control, progress)?;
    w.flush()
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    drop(w);
    st.commit(overwrite, is_sweep_csv)?;
    Ok(())
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
            assert!(e.contains("at most"), "{bad}: {e}");
        }
        let huge: Vec<Vary> = (0..6).map(|_| "a=0:99:1".parse().unwrap()).collect();
        assert!(Grid::new(&huge).is_err(), "10^12 points overflow no count");
    }
}
