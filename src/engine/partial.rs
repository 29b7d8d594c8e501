//! Partial results of a sharded run, and merging them.
//!
//! A shard writes its exact [`Accumulator`] state; `wfmc merge` adds the states of all
//! shards. Since the state is exact (integer sketch counts, exact sums), the merged
//! statistics are bit-identical to an unsharded run of the same config and seed.

use super::{RunSpec, RunState, Shard};
use crate::error::Error;
use crate::sensitivity::correlation::RankCorr;
use crate::stats::{Accumulator, ExactSum, Sketch};
use std::io::{Read, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"WFMCPRT3";
/// File name of a partial result inside a shard's output folder.
pub const PARTIAL_FILE: &str = "partial.wfmc";

/// What a partial result claims to be part of; merge checks these agree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartialHeader {
    /// wfmc version that wrote it.
    pub version: String,
    /// Config name.
    pub config_name: String,
    /// Config origin (path or built-in).
    pub config_origin: String,
    /// Hash of the config text.
    pub config_hash: String,
    /// Seed.
    pub seed: u64,
    /// Draws of the whole run.
    pub draws: u64,
    /// This shard, as `i/N`.
    pub shard: String,
    /// First chunk of this shard.
    pub chunk_start: u64,
    /// One past the last chunk of this shard.
    pub chunk_end: u64,
}

impl PartialHeader {
    /// The header of a shard of `spec`.
    pub fn new(cfg: &crate::config::Config, spec: &RunSpec) -> PartialHeader {
        let r = spec.shard.chunks(spec.n_chunks());
        PartialHeader {
            version: env!("CARGO_PKG_VERSION").into(),
            config_name: cfg.name.clone(),
            config_origin: cfg.origin.clone(),
            config_hash: cfg.hash(),
            seed: spec.seed,
            draws: spec.draws,
            shard: spec.shard.to_string(),
            chunk_start: r.start,
            chunk_end: r.end,
        }
    }

    /// The shard this partial holds.
    pub fn shard(&self) -> Result<Shard, String> {
        self.shard.parse()
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_signed(out: &mut Vec<u8>, v: i64) {
    put_varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.buf.get(self.pos).ok_or("truncated partial file")?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("corrupt varint in partial file".into())
    }
    fn signed(&mut self) -> Result<i64, String> {
        let u = self.varint()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }
    fn len(&mut self, max: u64) -> Result<usize, String> {
        let n = self.varint()?;
        if n > max {
            return Err(format!("corrupt partial file: length {n} exceeds {max}"));
        }
        Ok(n as usize)
    }
}

fn put_sums(out: &mut Vec<u8>, sums: &[ExactSum]) {
    put_varint(out, sums.len() as u64);
    for s in sums {
        let limbs = s.to_limbs();
        put_varint(out, limbs.len() as u64);
        for l in limbs {
            put_signed(out, l);
        }
    }
}

fn get_sums(c: &mut Cursor<'_>) -> Result<Vec<ExactSum>, String> {
    let n = c.len(1 << 24)?;
    (0..n)
        .map(|_| {
            let k = c.len(1024)?;
            let limbs: Vec<i64> = (0..k).map(|_| c.signed()).collect::<Result<_, _>>()?;
            ExactSum::from_limbs(&limbs)
                .ok_or_else(|| "corrupt exact sum in partial file".to_string())
        })
        .collect()
}

/// Serialises a header and run state.
pub fn encode(header: &PartialHeader, state: &RunState) -> Vec<u8> {
    let acc = &state.acc;
    let mut out = MAGIC.to_vec();
    let h = serde_json::to_vec(header).expect("header serialises");
    put_varint(&mut out, h.len() as u64);
    out.extend_from_slice(&h);
    put_varint(&mut out, acc.draws);
    put_varint(&mut out, acc.rejected);
    put_varint(&mut out, acc.centre.len() as u64);
    for c in &acc.centre {
        out.extend_from_slice(&c.to_bits().to_le_bytes());
    }
    put_sums(&mut out, &acc.sum);
    put_sums(&mut out, &acc.sumsq);
    put_varint(&mut out, acc.sketches.len() as u64);
    for s in &acc.sketches {
        let bins: Vec<(i64, u64)> = s.bins().collect();
        put_varint(&mut out, bins.len() as u64);
        let mut prev = 0i64;
        for (k, n) in bins {
            put_signed(&mut out, k - prev);
            put_varint(&mut out, n);
            prev = k;
        }
    }
    put_varint(&mut out, acc.short_count.len() as u64);
    for n in &acc.short_count {
        put_varint(&mut out, *n);
    }
    put_sums(&mut out, &acc.short_sum);
    put_sums(&mut out, &acc.short_sumsq);
    let r = &state.ranks;
    put_varint(&mut out, r.n_in as u64);
    put_varint(&mut out, r.n_out as u64);
    put_varint(&mut out, r.draws);
    put_sums(&mut out, &r.sums);
    let g = serde_json::to_vec(&state.guard).expect("guard serialises");
    put_varint(&mut out, g.len() as u64);
    out.extend_from_slice(&g);
    out
}

/// Reads what [`encode`] wrote.
pub fn decode(buf: &[u8]) -> Result<(PartialHeader, RunState), String> {
    if buf.len() >= 8 && buf[..7] == MAGIC[..7] && buf[..8] != MAGIC[..] {
        return Err(
            "a partial result from another wfmc version; re-run the shard with this one".into(),
        );
    }
    if buf.len() < 8 || &buf[..8] != MAGIC {
        return Err("not a wfmc partial result (bad magic)".into());
    }
    let mut c = Cursor { buf, pos: 8 };
    let hl = c.len(1 << 20)?;
    let h = buf.get(c.pos..c.pos + hl).ok_or("truncated partial file")?;
    let header: PartialHeader =
        serde_json::from_slice(h).map_err(|e| format!("corrupt header: {e}"))?;
    c.pos += hl;
    let draws = c.varint()?;
    let rejected = c.varint()?;
    let n = c.len(1 << 24)?;
    let mut centre = Vec::with_capacity(n);
    for _ in 0..n {
        let b = buf.get(c.pos..c.pos + 8).ok_or("truncated partial file")?;
        centre.push(f64::from_bits(u64::from_le_bytes(
            b.try_into().expect("8 bytes"),
        )));
        c.pos += 8;
    }
    let mut acc = Accumulator::new(centre);
    acc.draws = draws;
    acc.rejected = rejected;
    acc.sum = get_sums(&mut c)?;
    acc.sumsq = get_sums(&mut c)?;
    let ns = c.len(1 << 24)?;
    acc.sketches = (0..ns)
        .map(|_| {
            let nb = c.len(1 << 32)?;
            let mut s = Sketch::new();
            let mut prev = 0i64;
            for _ in 0..nb {
                prev += c.signed()?;
                s.add_key(prev, c.varint()?);
            }
            Ok(s)
        })
        .collect::<Result<_, String>>()?;
    let nc = c.len(1 << 24)?;
    acc.short_count = (0..nc).map(|_| c.varint()).collect::<Result<_, _>>()?;
    acc.short_sum = get_sums(&mut c)?;
    acc.short_sumsq = get_sums(&mut c)?;
    let n_series = acc.centre.len();
    if acc.sum.len() != n_series || acc.sumsq.len() != n_series || acc.sketches.len() != n_series {
        return Err("corrupt partial file: series counts disagree".into());
    }
    let n_in = c.len(1 << 16)?;
    let n_out = c.len(1 << 16)?;
    let mut ranks = RankCorr::new(n_in, n_out);
    ranks.draws = c.varint()?;
    let sums = get_sums(&mut c)?;
    if sums.len() != ranks.sums.len() {
        return Err("corrupt partial file: rank sums disagree".into());
    }
    ranks.sums = sums;
    let gl = c.len(1 << 24)?;
    let g = buf.get(c.pos..c.pos + gl).ok_or("truncated partial file")?;
    let guard = serde_json::from_slice(g).map_err(|e| format!("corrupt guard record: {e}"))?;
    c.pos += gl;
    if c.pos != buf.len() {
        return Err("corrupt partial file: trailing bytes".into());
    }
    Ok((header, RunState { acc, ranks, guard }))
}

/// Writes a partial result file.
pub fn write(path: &Path, header: &PartialHeader, state: &RunState) -> Result<(), Error> {
    let bytes = encode(header, state);
    let mut f = std::fs::File::create(path).map_err(|e| Error::io(path.display(), e))?;
    f.write_all(&bytes)
        .map_err(|e| Error::io(path.display(), e))
}

/// Reads a partial result from a file or from a shard's output folder.
pub fn read(path: &Path) -> Result<(PartialHeader, RunState), Error> {
    let file = if path.is_dir() {
        path.join(PARTIAL_FILE)
    } else {
        path.to_path_buf()
    };
    let mut buf = vec![];
    std::fs::File::open(&file)
        .and_then(|mut f| f.read_to_end(&mut buf))
        .map_err(|e| Error::Input(format!("{}: {e}", file.display())))?;
    decode(&buf).map_err(|e| Error::Input(format!("{}: {e}", file.display())))
}

/// Merges partials, checking they come from one run and cover every chunk once.
pub fn merge(parts: Vec<(PartialHeader, RunState)>) -> Result<(PartialHeader, RunState), Error> {
    let Some((first, _)) = parts.first() else {
        return Err(Error::Input(
            "merge needs at least one partial result".into(),
        ));
    };
    let first = first.clone();
    for (h, _) in &parts {
        if (h.config_hash.as_str(), h.seed, h.draws)
            != (first.config_hash.as_str(), first.seed, first.draws)
        {
            return Err(Error::Input(format!(
                "partials come from different runs: shard {} has config {} seed {} draws {}, shard {} has config {} seed {} draws {}",
                first.shard,
                first.config_hash,
                first.seed,
                first.draws,
                h.shard,
                h.config_hash,
                h.seed,
                h.draws
            )));
        }
    }
    let mut ranges: Vec<(u64, u64, String)> = parts
        .iter()
        .map(|(h, _)| (h.chunk_start, h.chunk_end, h.shard.clone()))
        .collect();
    ranges.sort();
    let n_chunks = first.draws.div_ceil(super::CHUNK_DRAWS);
    let mut next = 0;
    for (s, e, name) in &ranges {
        if *s != next {
            return Err(Error::Input(if *s < next {
                format!("shard {name} overlaps another (chunks {s}..{e}); pass each shard once")
            } else {
                format!("chunks {next}..{s} are missing: a shard was not passed to merge")
            }));
        }
        next = *e;
    }
    if next != n_chunks {
        return Err(Error::Input(format!(
            "chunks {next}..{n_chunks} are missing: a shard was not passed to merge"
        )));
    }
    let mut total = RunState {
        acc: Accumulator::new(parts[0].1.acc.centre.clone()),
        ranks: RankCorr::new(parts[0].1.ranks.n_in, parts[0].1.ranks.n_out),
        guard: Default::default(),
    };
    for (_, a) in &parts {
        total.merge(a);
    }
    let mut header = first;
    header.shard = "merged".into();
    header.chunk_start = 0;
    header.chunk_end = n_chunks;
    Ok((header, total))
}
