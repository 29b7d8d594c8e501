//! The sweep CSV, one tidy row per point, scenario, area, year, metric and
//! statistic, and the *part* a shard of a sweep writes: the rows framed by a first
//! line naming the shard, its points and the sweep's key, and a last line with its
//! row count and CRC-32, so [`merge`] verifies every part before it joins them into
//! the bytes of the unsharded sweep.

use crate::config::Config;
use crate::dims::Dims;
use crate::engine::{self, RunSpec};
use crate::error::Error;
use crate::explore::sweep::{Vary, label};
use crate::model::{Metric, Series};
use crate::stats::{PERCENTILES, Summary};
use std::io::Write;
use toml::Value;

/// Which rows of each point's results to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// Metric names: series metrics (`gap`, `demand`, …) or `p_shortfall`,
    /// `expected_shortfall`.
    pub metrics: Vec<String>,
    /// Area keys or `total`; empty = all.
    pub areas: Vec<String>,
    /// Calendar years; empty: the last.
    pub years: Vec<u32>,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            metrics: vec!["gap".into(), "p_shortfall".into()],
            areas: vec![],
            years: vec![],
        }
    }
}

impl Filter {
    /// Checks every name against the config's dimensions, listing what is valid,
    /// and puts in the last year where no year is given.
    pub fn validate(&mut self, dims: &Dims) -> Result<(), Error> {
        for m in &self.metrics {
            if dims.metric(m).is_none() && m != "p_shortfall" && m != "expected_shortfall" {
                return Err(Error::setting(
                    crate::error::Setting::Metric,
                    m,
                    format!(
                        "valid metrics are {}, p_shortfall, expected_shortfall",
                        dims.metric_keys().join(", ")
                    ),
                ));
            }
        }
        for a in &self.areas {
            if a != "total" && dims.area(a).is_none() {
                return Err(Error::setting(
                    crate::error::Setting::Area,
                    a,
                    format!("valid areas are total, {}", dims.area_keys().join(", ")),
                ));
            }
        }
        for y in &self.years {
            if dims.year_index(*y).is_none() {
                return Err(Error::setting(
                    crate::error::Setting::Year,
                    y,
                    format!("years run from {} to {}", dims.base_year, dims.last_year),
                ));
            }
        }
        if self.years.is_empty() {
            self.years = vec![dims.last_year];
        }
        Ok(())
    }

    fn area_ok(&self, key: &str) -> bool {
        self.areas.is_empty() || self.areas.iter().any(|a| a == key)
    }
}

/// The rows of one point: (scenario, area, year, metric, stat, value).
fn rows(s: &Summary, dims: &Dims, f: &Filter) -> Vec<[String; 6]> {
    let mut out = vec![];
    let lay = s.layout;
    for sc in 0..dims.n_scenarios() {
        for area in dims.places() {
            let akey = dims.place_key(area);
            if !f.area_ok(akey) {
                continue;
            }
            for k in 0..dims.n_years() {
                let year = dims.year_of(k);
                if !f.years.contains(&year) {
                    continue;
                }
                for m in &f.metrics {
                    let mut push = |stat: &str, v: f64| {
                        out.push([
                            dims.scenario_key(sc).to_string(),
                            akey.to_string(),
                            year.to_string(),
                            m.clone(),
                            stat.to_string(),
                            format!("{v}"),
                        ])
                    };
                    if m == "p_shortfall" || m == "expected_shortfall" {
                        let st = &s.shortfall[lay.short_slot(sc, area, k)];
                        if m == "p_shortfall" {
                            push("value", st.p);
                            push("se", st.se);
                        } else {
                            push("value", st.expected);
                            push("se", st.expected_se);
                        }
                        continue;
                    }
                    let Some(metric) = dims.metric(m) else {
                        continue;
                    };
                    if metric == Metric::GrossShortfall && area.is_some() {
                        continue;
                    }
                    let st = s.of(&Series {
                        scenario: sc,
                        area,
                        year: k,
                        metric,
                    });
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

/// The first line of a sweep CSV, for `varies`.
pub fn header(varies: &[Vary]) -> Vec<String> {
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
/// replace without being told to overwrite it).
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

/// First line of a sweep part.
const PART_MARK: &str = "# wfmc sweep part ";
/// Last line of a sweep part.
const PART_END: &str = "# wfmc sweep part end: ";

/// What makes two parts parts of one sweep: config (with overrides), grid, draws,
/// seed, guard limit, filter and wfmc version, hashed.
pub fn key(cfg: &Config, varies: &[Vary], spec: &RunSpec, filter: &Filter) -> String {
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
    dims: String,
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
    let not_part =
        || bad("not a part of a sharded sweep (its first line is not wfmc's part header)".into());
    let rest = first.strip_prefix(PART_MARK).ok_or_else(not_part)?;
    // "i/N: points a-b of P; key K; dims D"
    let parse = || -> Option<(engine::Shard, u64, u64, u64, String, String)> {
        let (shard, rest) = rest.split_once(": points ")?;
        let (range, rest) = rest.split_once(" of ")?;
        let (total, rest) = rest.split_once("; key ")?;
        let (key, dims) = rest.split_once("; dims ")?;
        let (a, b) = range.split_once('-')?;
        Some((
            shard.parse().ok()?,
            a.parse().ok()?,
            b.parse().ok()?,
            total.parse().ok()?,
            key.to_string(),
            dims.to_string(),
        ))
    };
    let (shard, a, b, total, key, dims) = parse().ok_or_else(not_part)?;
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
        dims,
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
        return Err(Error::setting(
            crate::wording::Setting::Out,
            "",
            "merging a sweep needs at least one part",
        ));
    };
    let (key, n, total, header) = (
        first.key.clone(),
        first.shard.count,
        first.total,
        first.header.clone(),
    );
    for p in &read {
        if let Some(why) = Dims::differs(&first.dims, &p.dims) {
            return Err(Error::Input(format!(
                "{} and {} are parts of sweeps of configs of other dimensions: {why}",
                first.path.display(),
                p.path.display()
            )));
        }
        if p.key != key || p.shard.count != n || p.total != total || p.header != header {
            return Err(Error::Input(format!(
                "{} and {} are parts of different sweeps (config, grid, draws, seed or filter differ); merge the parts of one sharded sweep",
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

/// Where a sharded sweep's part sits in the whole: its shard, the range of grid
/// points it holds, the grid's size and the sweep's [`key`].
#[derive(Debug, Clone)]
pub struct PartOf {
    /// The shard.
    pub shard: engine::Shard,
    /// Its grid points (0-based, end exclusive).
    pub points: std::ops::Range<u64>,
    /// Points in the whole grid.
    pub total: u64,
    /// The sweep's key.
    pub key: String,
    /// The config's dimensions ([`Dims::signature`]).
    pub dims: String,
}

/// Writes a sweep CSV (or, for a shard, a part framed for [`merge`]) point by point.
pub struct Writer<'a> {
    csv: csv::Writer<Summed<'a>>,
    part: bool,
}

fn csv_error(e: csv::Error) -> Error {
    match e.kind() {
        csv::ErrorKind::Io(x) if x.kind() == std::io::ErrorKind::BrokenPipe => Error::OutputClosed,
        _ => Error::Runtime(format!("writing the sweep: {e}")),
    }
}

fn closed(e: std::io::Error) -> Error {
    Error::writing("writing the sweep", e)
}

impl<'a> Writer<'a> {
    /// Starts the CSV of `varies` on `out`: a part's first line, then the header.
    pub fn new(
        out: &'a mut dyn Write,
        varies: &[Vary],
        part: Option<&PartOf>,
    ) -> Result<Writer<'a>, Error> {
        if let Some(p) = part {
            writeln!(
                out,
                "{PART_MARK}{}: points {}-{} of {}; key {}; dims {}",
                p.shard,
                p.points.start + 1,
                p.points.end,
                p.total,
                p.key,
                p.dims
            )
            .map_err(closed)?;
        }
        let mut csv = csv::Writer::from_writer(Summed::new(out));
        csv.write_record(header(varies)).map_err(csv_error)?;
        Ok(Writer {
            csv,
            part: part.is_some(),
        })
    }

    /// The rows of point `i` (0-based) with the values `p`, from its statistics.
    pub fn point(
        &mut self,
        i: usize,
        p: &[Value],
        summary: &Summary,
        dims: &Dims,
        filter: &Filter,
    ) -> Result<(), Error> {
        for r in rows(summary, dims, filter) {
            let mut rec = vec![(i + 1).to_string()];
            rec.extend(p.iter().map(label));
            rec.extend(r);
            self.csv.write_record(&rec).map_err(csv_error)?;
        }
        self.csv.flush().map_err(closed)
    }

    /// Ends the CSV: a part's last line holds its row count and CRC-32.
    pub fn finish(self) -> Result<(), Error> {
        let part = self.part;
        let sum = self.csv.into_inner().map_err(|e| closed(e.into_error()))?;
        if part {
            let (rows, crc) = (sum.lines - 1, sum.crc.clone().finalize());
            writeln!(sum.out, "{PART_END}{rows} rows, crc32 {crc:08x}").map_err(closed)?;
        }
        Ok(())
    }
}
