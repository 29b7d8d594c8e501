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
                return Err(Error::setting(
                    crate::error::Setting::Metric,
                    m,
                    "valid metrics are demand, supply, gap, cost_demand, cost_supply, cost_flat, demand_<level>, gross_shortfall, p_shortfall, expected_shortfall",
                ));
            }
        }
        for a in &self.areas {
            if a != "total" && Area::from_key(a).is_none() {
                return Err(Error::setting(
                    crate::error::Setting::Area,
                    a,
                    format!("valid areas are total, {}", Area::keys().join(", ")),
                ));
            }
        }
        for y in &self.years {
            if year_index(*y).is_none() {
                return Err(Error::setting(
                    crate::error::Setting::Year,
                    y,
                    "years run from 2020 to 2030",
                ));
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
    ok && (line.starts_with(PART_MARK)
        || (line.starts_with("point,") && line.ends_with(",scenario,area,year,metric,stat,value")))
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
///
/// With `spec.shard` other than `1/1`, only that shard's share of the grid points is
/// run (a contiguous, balanced range; each point runs all its draws) and the CSV is a
/// *part* for [`merge`]: framed by a first line naming the shard, its points and the
/// sweep's key, and a last line with its row count and CRC-32.
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
        control.check()?;
        grid.config(cfg, i)?;
    }
    let part = spec.shard != engine::Shard::ALL;
    let points = spec.shard.chunks(grid.len() as u64);
    // Each point runs every draw: the shard splits the grid, not the draws.
    let point_spec = RunSpec {
        shard: engine::Shard::ALL,
        ..spec.clone()
    };
    let closed = |e: std::io::Error| Error::writing("writing the sweep", e);
    let io = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(x) if x.kind() == std::io::ErrorKind::BrokenPipe => Error::OutputClosed,
        _ => Error::Runtime(format!("writing the sweep: {e}")),
    };
    if part {
        writeln!(
            out,
            "{PART_MARK}{}: points {}-{} of {}; key {}",
            spec.shard,
            points.start + 1,
            points.end,
            grid.len(),
            key(cfg, varies, spec, filter)
        )
        .map_err(closed)?;
    }
    let mut sum = Summed::new(out);
    {
        let mut w = csv::Writer::from_writer(&mut sum);
        w.write_record(header(varies)).map_err(io)?;
        for i in points.start as usize..points.end as usize {
            let (p, c) = grid.config(cfg, i)?;
            let state = engine::run_with(&c, &point_spec, control, false)?;
            state.check_rejected(spec.max_rejected)?;
            let summary = state.summary();
            for r in rows(&summary, filter) {
                let mut rec = vec![(i + 1).to_string()];
                rec.extend(p.iter().map(label));
                rec.extend(r);
                w.write_record(&rec).map_err(io)?;
            }
            w.flush().map_err(closed)?;
            progress(i + 1 - points.start as usize, points.clone().count());
        }
    }
    if part {
        let (rows, crc) = (sum.lines - 1, sum.crc.clone().finalize());
        writeln!(sum.out, "{PART_END}{rows} rows, crc32 {crc:08x}").map_err(closed)?;
    }
    Ok(())
}

/// First line of a sweep part.
const PART_MARK: &str = "# wfmc sweep part ";
/// Last line of a sweep part.
const PART_END: &str = "# wfmc sweep part end: ";

/// What makes two parts parts of one sweep: config (with overrides), grid, draws,
/// seed, guard limit, filter and wfmc version, hashed.
fn key(cfg: &Config, varies: &[Vary], spec: &RunSpec, filter: &Filter) -> String {
    let mut text = format!(
        "{}\0{}\0{}\0{}\0{}\0{:?}\0{:?}\0{:?}",
        env!("CARGO_PKG_VERSION"),
        cfg.hash(),
        spec.seed,
        spec.draws,
        spec.max_rejected,
        filter.metrics,
        filter.areas,
        filter.years
    );
    for v in varies {
        text.push_str(&format!(
            "\0{}={}",
            v.path,
            v.values.iter().map(label).collect::<Vec<_>>().join("\x1f")
        ));
    }
    let h = text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    format!("{h:016x}")
}

/// A writer that counts lines and takes the CRC-32 of what passes through.
struct Summed<'a> {
    out: &'a mut dyn Write,
    crc: crc32fast::Hasher,
    lines: u64,
}

impl<'a> Summed<'a> {
    fn new(out: &'a mut dyn Write) -> Summed<'a> {
        Summed {
            out,
            crc: crc32fast::Hasher::new(),
            lines: 0,
        }
    }
}

impl Write for Summed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.crc.update(&buf[..n]);
        self.lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// One sweep part, read and verified.
struct Part {
    path: std::path::PathBuf,
    shard: engine::Shard,
    total: u64,
    key: String,
    header: String,
}

fn read_part(path: &std::path::Path) -> Result<Part, Error> {
    use std::io::BufRead;
    let bad = |m: String| Error::Input(format!("{}: {m}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
    if !meta.is_file() {
        return Err(bad("not a regular file".into()));
    }
    let f = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let mut lines = std::io::BufReader::new(f).split(b'\n');
    let mut next = || -> Result<Option<String>, Error> {
        match lines.next() {
            None => Ok(None),
            Some(l) => {
                let l = l.map_err(|e| bad(e.to_string()))?;
                String::from_utf8(l)
                    .map(Some)
                    .map_err(|_| bad("not UTF-8 text".into()))
            }
        }
    };
    let first = next()?.unwrap_or_default();
    let not_part = || {
        bad("not a part of a sharded sweep (its first line is not wfmc's part header); make parts with `wfmc sweep --shard i/N --out FILE`".into())
    };
    let rest = first.strip_prefix(PART_MARK).ok_or_else(not_part)?;
    // "i/N: points a-b of P; key K"
    let parse = || -> Option<(engine::Shard, u64, u64, u64, String)> {
        let (shard, rest) = rest.split_once(": points ")?;
        let (range, rest) = rest.split_once(" of ")?;
        let (total, key) = rest.split_once("; key ")?;
        let (a, b) = range.split_once('-')?;
        Some((
            shard.parse().ok()?,
            a.parse().ok()?,
            b.parse().ok()?,
            total.parse().ok()?,
            key.to_string(),
        ))
    };
    let (shard, a, b, total, key) = parse().ok_or_else(not_part)?;
    let want = shard.chunks(total);
    if (a, b) != (want.start + 1, want.end) {
        return Err(bad(format!(
            "its header says points {a}-{b}, but shard {shard} of {total} points holds {}-{}",
            want.start + 1,
            want.end
        )));
    }
    let header = next()?.ok_or_else(|| bad("truncated: no CSV header".into()))?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(header.as_bytes());
    crc.update(b"\n");
    let (mut rows, mut last_point) = (0u64, a);
    loop {
        let line = next()?.ok_or_else(|| {
            bad("truncated: no end line (the shard did not finish writing it)".into())
        })?;
        if let Some(end) = line.strip_prefix(PART_END) {
            let ok = end.split_once(" rows, crc32 ").and_then(|(n, c)| {
                Some((n.parse::<u64>().ok()?, u32::from_str_radix(c, 16).ok()?))
            });
            let Some((n, c)) = ok else {
                return Err(bad("a malformed end line".into()));
            };
            if n != rows || c != crc.finalize() {
                return Err(bad(format!(
                    "damaged: its end line says {n} rows with crc32 {c:08x}, the file holds {rows} rows that do not match"
                )));
            }
            if next()?.is_some_and(|l| !l.is_empty()) {
                return Err(bad("text after its end line".into()));
            }
            break;
        }
        let point: u64 = line
            .split(',')
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| bad(format!("row {}: no point number", rows + 1)))?;
        if point < last_point || point > b {
            return Err(bad(format!(
                "row {}: point {point} outside this part's points {a}-{b}",
                rows + 1
            )));
        }
        last_point = point;
        crc.update(line.as_bytes());
        crc.update(b"\n");
        rows += 1;
    }
    Ok(Part {
        path: path.to_path_buf(),
        shard,
        total,
        key,
        header,
    })
}

/// Merges the parts of a sharded sweep into the CSV the unsharded sweep writes, to
/// the same bytes. Every part is verified first (its frame, row count and CRC-32);
/// parts of different sweeps (config, grid, draws, seed, filter), and a missing or
/// repeated shard, are refused.
pub fn merge(parts: &[std::path::PathBuf], out: &mut dyn Write) -> Result<(), Error> {
    let mut read = parts
        .iter()
        .map(|p| read_part(p))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(first) = read.first() else {
        return Err(Error::Input("merge-sweep needs at least one part".into()));
    };
    let (key, n, total, header) = (
        first.key.clone(),
        first.shard.count,
        first.total,
        first.header.clone(),
    );
    for p in &read {
        if p.key != key || p.shard.count != n || p.total != total || p.header != header {
            return Err(Error::Input(format!(
                "{} and {} are parts of different sweeps (config, grid, draws, seed or filter differ); merge the parts of one `wfmc sweep --shard i/N` run",
                first.path.display(),
                p.path.display()
            )));
        }
    }
    read.sort_by_key(|p| p.shard.index);
    for i in 1..=n {
        let have: Vec<_> = read.iter().filter(|p| p.shard.index == i).collect();
        match have.as_slice() {
            [_] => {}
            [] => {
                return Err(Error::Input(format!(
                    "shard {i}/{n} is missing (points {}-{} of {total})",
                    engine::Shard { index: i, count: n }.chunks(total).start + 1,
                    engine::Shard { index: i, count: n }.chunks(total).end
                )));
            }
            [a, b, ..] => {
                return Err(Error::Input(format!(
                    "shard {i}/{n} is given twice: {} and {}",
                    a.path.display(),
                    b.path.display()
                )));
            }
        }
    }
    let closed = |e: std::io::Error| Error::writing("writing the merged sweep", e);
    writeln!(out, "{header}").map_err(closed)?;
    for p in &read {
        use std::io::BufRead;
        let f = std::fs::File::open(&p.path).map_err(|e| Error::io(p.path.display(), e))?;
        for line in std::io::BufReader::new(f).lines().skip(2) {
            let line = line.map_err(|e| Error::io(p.path.display(), e))?;
            if line.starts_with(PART_END) {
                break;
            }
            writeln!(out, "{line}").map_err(closed)?;
        }
    }
    out.flush().map_err(closed)
}

/// [`merge`] into the file `path`, written whole or not at all; the file is refused
/// before any work if it is one of the parts, or an existing file that is not a
/// sweep CSV of wfmc's (unless `overwrite`).
pub fn merge_to_file(
    parts: &[std::path::PathBuf],
    path: &std::path::Path,
    overwrite: bool,
) -> Result<(), Error> {
    let st = crate::files::FileStaging::new(
        path,
        &crate::files::Inputs::of(parts),
        overwrite,
        is_sweep_csv,
        "a sweep CSV",
    )?;
    let mut w = std::io::BufWriter::new(st.writer()?);
    merge(parts, &mut w)?;
    w.flush()
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    drop(w);
    st.commit(overwrite, is_sweep_csv)?;
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
