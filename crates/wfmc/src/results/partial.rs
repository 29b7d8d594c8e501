//! Partial results of a sharded run, and merging them.
//!
//! A shard writes its exact [`Accumulator`] state; `wfmc merge` adds the states of all
//! shards. Since the state is exact (integer sketch counts, exact sums), the merged
//! statistics are bit-identical to an unsharded run of the same config and seed.
//!
//! A partial is data read back from disk, so nothing in it is trusted: the file is
//! framed by its length and a CRC-32 (any single flipped bit, and any burst of up to
//! 32, is caught), every length is bounded by what the config's layout implies before
//! anything is allocated, and the decoded state must agree with itself (draw counts
//! with the chunk range, every sketch's total with the draws).

use crate::engine::{self, RunSpec, RunState, Shard};
use crate::error::Error;
use crate::stats::ranks::RankCorr;
use crate::stats::{Accumulator, ExactSum, Replicates};
use std::io::{Read, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"WFMCPRT7";
/// Largest partial file read (a real one is a few MB).
pub const MAX_PARTIAL_BYTES: u64 = 256 << 20;
/// Bound on the bins all sketches of one partial may span together (2^27 16-bit
/// counts, 256 MB): a real run spans a few tens of millions at most.
const MAX_SPAN_TOTAL: u64 = 1 << 27;
/// Largest magnitude of a sketch key ([`crate::stats::sketch::key`]).
const MAX_KEY: i64 = 1 << 21;
/// The `shard` of a merged header.
const MERGED: &str = "merged";
/// File name of a partial result inside a shard's output folder.
pub const FILE: &str = "partial.wfmc";

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
    /// Rows of the Sobol design the merged folder computes (0: none).
    pub sobol_rows: usize,
    /// Sampling (`rqmc` or `mc`).
    pub sampling: String,
    /// Chunks per replicate block.
    pub block_chunks: u64,
    /// The config's dimensions ([`crate::dims::Dims::signature`]).
    pub dimensions: String,
    /// How the shortfall statistics are estimated (`conditional` or `indicator`).
    pub shortfall: String,
}

impl PartialHeader {
    /// The header of a shard of `spec`.
    pub fn new(cfg: &crate::config::Config, spec: &RunSpec, sobol_rows: usize) -> PartialHeader {
        let r = spec.shard_chunks();
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
            sobol_rows,
            sampling: spec.sampling.key().into(),
            shortfall: spec.shortfall.key().into(),
            block_chunks: spec.block_chunks(),
            dimensions: cfg.dims.signature(),
        }
    }

    /// The run this partial is a shard of (on one thread); the whole run once merged.
    pub fn spec(&self) -> Result<RunSpec, String> {
        Ok(RunSpec {
            draws: self.draws,
            seed: self.seed,
            shard: match self.shard.as_str() {
                MERGED => Shard::ALL,
                _ => self.shard()?,
            },
            sampling: self.sampling.parse()?,
            shortfall: self.shortfall.parse()?,
            block_chunks: self.block_chunks,
            ..RunSpec::default()
        })
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
    /// A count of items that take at least one byte each: bounded by `max` and by
    /// the bytes left, before anything is allocated for them.
    fn len(&mut self, max: u64) -> Result<usize, String> {
        let n = self.varint()?;
        let left = (self.buf.len() - self.pos) as u64;
        if n > max || n > left {
            return Err(format!(
                "a length of {n} where at most {} fits",
                max.min(left)
            ));
        }
        Ok(n as usize)
    }
    /// A count that must equal `want` (what the config's layout implies).
    fn exact(&mut self, want: usize, what: &str) -> Result<(), String> {
        let n = self.varint()?;
        if n != want as u64 {
            return Err(format!("{n} {what} where this config has {want}"));
        }
        Ok(())
    }
    fn bytes(&mut self, n: usize) -> Result<&[u8], String> {
        let b = self
            .buf
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or("truncated")?;
        self.pos += n;
        Ok(b)
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

fn get_sums(c: &mut Cursor<'_>, n: usize, what: &str) -> Result<Vec<ExactSum>, String> {
    c.exact(n, what)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let k = c.len(1024)?;
        let limbs: Vec<i64> = (0..k).map(|_| c.signed()).collect::<Result<_, _>>()?;
        out.push(ExactSum::from_limbs(&limbs).ok_or("a malformed exact sum")?);
    }
    Ok(out)
}

/// What a partial of a given config must hold: sizes fixed by its layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// The layout.
    pub layout: crate::model::Layout,
    /// The dimensions' signature.
    pub dimensions: String,
    /// Output series.
    pub n_series: usize,
    /// Shortfall slots.
    pub n_short: usize,
    /// Ranked inputs.
    pub n_in: usize,
    /// Ranked outputs.
    pub n_out: usize,
}

impl Expect {
    /// The sizes of a run of `cfg`.
    pub fn of(cfg: &crate::config::Config) -> Expect {
        let sampler = engine::Sampler::new(cfg);
        let layout = crate::model::Layout::of(&cfg.dims);
        Expect {
            layout,
            dimensions: cfg.dims.signature(),
            n_series: layout.len(),
            n_short: layout.n_short(),
            n_in: engine::ranked_groups(&sampler).len(),
            n_out: crate::model::outputs(&cfg.dims).len(),
        }
    }
}

/// Serialises a header and run state: magic, body length, body, CRC-32.
pub fn encode(header: &PartialHeader, state: &RunState) -> Vec<u8> {
    let acc = &state.acc;
    let mut out = vec![];
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
    put_sums(&mut out, &acc.short_p);
    put_sums(&mut out, &acc.short_sum);
    put_sums(&mut out, &acc.short_sumsq);
    let r = &state.ranks;
    put_varint(&mut out, r.n_in as u64);
    put_varint(&mut out, r.n_out as u64);
    put_varint(&mut out, r.draws);
    put_sums(&mut out, &r.sums);
    let reps = &state.reps;
    put_varint(&mut out, reps.blocks);
    put_varint(&mut out, reps.weight as u64);
    put_varint(&mut out, (reps.weight >> 64) as u64);
    put_sums(&mut out, &reps.lin);
    put_sums(&mut out, &reps.sq);
    let g = serde_json::to_vec(&state.guard).expect("guard serialises");
    put_varint(&mut out, g.len() as u64);
    out.extend_from_slice(&g);
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&(out.len() as u64).to_le_bytes());
    file.extend_from_slice(&out);
    let crc = crc32fast::hash(&file);
    file.extend_from_slice(&crc.to_le_bytes());
    file
}

/// Checks the frame (magic, length, CRC-32) and returns the body.
fn unframe(buf: &[u8]) -> Result<&[u8], String> {
    if buf.len() >= 8 && buf[..7] == MAGIC[..7] && buf[..8] != MAGIC[..] {
        return Err(
            "a partial result from another wfmc version; re-run the shard with this one".into(),
        );
    }
    if buf.len() < 8 || &buf[..8] != MAGIC {
        return Err("not a wfmc partial result (bad magic)".into());
    }
    if buf.len() < 20 {
        return Err("damaged partial result: truncated".into());
    }
    let len = u64::from_le_bytes(buf[8..16].try_into().expect("8 bytes"));
    if len != (buf.len() - 20) as u64 {
        return Err(format!(
            "damaged partial result: its header says {len} bytes of data, the file holds {}",
            buf.len() - 20
        ));
    }
    let (data, crc) = buf.split_at(buf.len() - 4);
    let crc = u32::from_le_bytes(crc.try_into().expect("4 bytes"));
    if crc32fast::hash(data) != crc {
        return Err(
            "damaged partial result: its checksum does not match (the file changed after wfmc wrote it); re-run the shard"
                .into(),
        );
    }
    Ok(&data[16..])
}

/// Reads what [`encode`] wrote, checking it against the sizes `expect` gives and
/// against itself.
pub fn decode(buf: &[u8], expect: &Expect) -> Result<(PartialHeader, RunState), String> {
    let body = unframe(buf)?;
    decode_body(body, expect).map_err(|e| {
        if e.starts_with(OTHER_DIMENSIONS) {
            e
        } else {
            format!("damaged partial result: {e}")
        }
    })
}

/// How a partial of another config's dimensions is refused (not damage: the wrong
/// config).
const OTHER_DIMENSIONS: &str = "a partial result of a config of other dimensions";

/// Decodes a body whose frame was checked (public for the fuzz target, which must
/// reach past the checksum).
pub fn decode_body(buf: &[u8], expect: &Expect) -> Result<(PartialHeader, RunState), String> {
    let mut c = Cursor { buf, pos: 0 };
    let hl = c.len(1 << 16)?;
    let header: PartialHeader =
        serde_json::from_slice(c.bytes(hl)?).map_err(|e| format!("header: {e}"))?;
    if header.dimensions != expect.dimensions {
        let why = crate::dims::Dims::differs(&header.dimensions, &expect.dimensions)
            .unwrap_or_else(|| "dimensions differ".into());
        return Err(format!(
            "{OTHER_DIMENSIONS}: {why}; merge with the config its shards ran with"
        ));
    }
    let (want, blocks) = shard_draws(&header)?;
    let draws = c.varint()?;
    let rejected = c.varint()?;
    if draws.checked_add(rejected) != Some(want) {
        return Err(format!(
            "{draws} draws and {rejected} rejected where shard {} of {} draws has {want}",
            header.shard, header.draws
        ));
    }
    c.exact(expect.n_series, "series")?;
    let mut centre = Vec::with_capacity(expect.n_series);
    for _ in 0..expect.n_series {
        let x = f64::from_bits(u64::from_le_bytes(c.bytes(8)?.try_into().expect("8 bytes")));
        if !x.is_finite() {
            return Err("a non-finite point value".into());
        }
        centre.push(x);
    }
    let mut acc = Accumulator::new(centre, expect.layout);
    acc.draws = draws;
    acc.rejected = rejected;
    acc.sum = get_sums(&mut c, expect.n_series, "sums")?;
    acc.sumsq = get_sums(&mut c, expect.n_series, "sums of squares")?;
    c.exact(expect.n_series, "sketches")?;
    let mut span = 0u64;
    for (j, s) in acc.sketches.iter_mut().enumerate() {
        // A series with a twin keeps its sketch empty and shares its twin's.
        let want = if expect.layout.twin(j).is_some() {
            0
        } else {
            draws
        };
        let nb = c.len(2 * MAX_KEY as u64 + 1)?;
        let (mut prev, mut first, mut total) = (0i64, None, 0u64);
        for i in 0..nb {
            let d = c.signed()?;
            if i > 0 && d <= 0 {
                return Err("sketch bins out of order".into());
            }
            prev = prev
                .checked_add(d)
                .filter(|k| k.abs() <= MAX_KEY)
                .ok_or("a sketch bin out of range")?;
            let first = *first.get_or_insert(prev);
            if span + (prev - first) as u64 > MAX_SPAN_TOTAL {
                return Err("sketches span more bins than any run makes".into());
            }
            let n = c.varint()?;
            total = total
                .checked_add(n)
                .filter(|t| *t <= draws)
                .ok_or_else(|| format!("a sketch holds more values than the {draws} draws"))?;
            s.add_key(prev, n);
        }
        if total != want {
            return Err(format!(
                "sketch {j} holds {total} values where it should hold {want}"
            ));
        }
        span += first.map_or(0, |f| (prev - f) as u64);
    }
    acc.short_p = get_sums(&mut c, expect.n_short, "shortfall probabilities")?;
    if let Some(i) = acc
        .short_p
        .iter()
        .position(|p| !(0.0..=draws as f64).contains(&p.value()))
    {
        return Err(format!(
            "shortfall slot {i} sums probabilities to {} in {draws} draws",
            acc.short_p[i].value()
        ));
    }
    acc.short_sum = get_sums(&mut c, expect.n_short, "shortfall sums")?;
    acc.short_sumsq = get_sums(&mut c, expect.n_short, "shortfall sums of squares")?;
    c.exact(expect.n_in, "ranked inputs")?;
    c.exact(expect.n_out, "ranked outputs")?;
    let mut ranks = RankCorr::new(expect.n_in, expect.n_out);
    ranks.draws = c.varint()?;
    if ranks.draws != draws {
        return Err(format!(
            "rank sums of {} draws where there are {draws}",
            ranks.draws
        ));
    }
    let n_sums = ranks.sums.len();
    ranks.sums = get_sums(&mut c, n_sums, "rank sums")?;
    let mut reps = Replicates::new(expect.layout);
    reps.blocks = c.varint()?;
    if reps.blocks > blocks {
        return Err(format!(
            "{} replicate blocks where the shard has {blocks}",
            reps.blocks
        ));
    }
    reps.weight = u128::from(c.varint()?) | (u128::from(c.varint()?) << 64);
    // Σ n_b² of blocks of at most 2^16 draws each.
    if reps.weight > u128::from(reps.blocks) << 32 || (reps.blocks > 0) != (reps.weight > 0) {
        return Err("replicate weights that no blocks give".into());
    }
    let n_est = reps.lin.len();
    reps.lin = get_sums(&mut c, n_est, "replicate sums")?;
    reps.sq = get_sums(&mut c, n_est, "replicate sums of squares")?;
    let gl = c.len(1 << 24)?;
    let guard: engine::guard::Guard =
        serde_json::from_slice(c.bytes(gl)?).map_err(|e| format!("guard record: {e}"))?;
    if guard.total() != rejected {
        return Err(format!(
            "the guard record counts {} rejected draws where the header says {rejected}",
            guard.total()
        ));
    }
    if c.pos != buf.len() {
        return Err("trailing bytes".into());
    }
    Ok((
        header,
        RunState {
            acc,
            ranks,
            guard,
            reps,
        },
    ))
}

/// Draws and blocks of the shard a header describes, checking the header agrees
/// with itself.
fn shard_draws(h: &PartialHeader) -> Result<(u64, u64), String> {
    if h.draws == 0 || h.draws > engine::MAX_DRAWS {
        return Err(format!("{} draws in the header", h.draws));
    }
    if h.block_chunks == 0 || h.block_chunks > engine::MAX_BLOCK_CHUNKS {
        return Err(format!("blocks of {} chunks in the header", h.block_chunks));
    }
    let spec = h.spec()?;
    let r = spec.shard_chunks();
    if (h.chunk_start, h.chunk_end) != (r.start, r.end) {
        return Err(format!(
            "chunks {}..{} in the header where shard {} has {}..{}",
            h.chunk_start, h.chunk_end, h.shard, r.start, r.end
        ));
    }
    Ok((spec.shard_draws(), spec.shard_blocks().count() as u64))
}

/// Writes a partial result file.
pub fn write(path: &Path, header: &PartialHeader, state: &RunState) -> Result<(), Error> {
    let bytes = encode(header, state);
    let mut f = std::fs::File::create(path).map_err(|e| Error::io(path.display(), e))?;
    f.write_all(&bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::io(path.display(), e))
}

/// Reads and verifies a partial result from a file or from a shard's output folder.
pub fn read(path: &Path, expect: &Expect) -> Result<(PartialHeader, RunState), Error> {
    let file = if path.is_dir() {
        path.join(FILE)
    } else {
        path.to_path_buf()
    };
    let bad = |e: String| Error::Input(format!("{}: {e}", file.display()));
    let meta = std::fs::metadata(&file).map_err(|e| bad(e.to_string()))?;
    if !meta.is_file() {
        return Err(bad(
            "not a regular file; give a shard folder or its partial.wfmc".into(),
        ));
    }
    let mut buf = vec![];
    std::fs::File::open(&file)
        .and_then(|f| f.take(MAX_PARTIAL_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| bad(e.to_string()))?;
    if buf.len() as u64 > MAX_PARTIAL_BYTES {
        return Err(bad(format!(
            "over {MAX_PARTIAL_BYTES} bytes: not a partial result of wfmc's"
        )));
    }
    decode(&buf, expect).map_err(bad)
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
            || (h.sampling.as_str(), h.shortfall.as_str(), h.block_chunks)
                != (
                    first.sampling.as_str(),
                    first.shortfall.as_str(),
                    first.block_chunks,
                )
        {
            return Err(Error::Input(format!(
                "partials come from different runs: shard {} has config {} seed {} draws {} sampling {} shortfall {} (blocks of {} chunks), shard {} has config {} seed {} draws {} sampling {} shortfall {} (blocks of {} chunks)",
                first.shard,
                first.config_hash,
                first.seed,
                first.draws,
                first.sampling,
                first.shortfall,
                first.block_chunks,
                h.shard,
                h.config_hash,
                h.seed,
                h.draws,
                h.sampling,
                h.shortfall,
                h.block_chunks
            )));
        }
    }
    let mut ranges: Vec<(u64, u64, String)> = parts
        .iter()
        .map(|(h, _)| (h.chunk_start, h.chunk_end, h.shard.clone()))
        .collect();
    ranges.sort();
    let n_chunks = first.draws.div_ceil(engine::CHUNK_DRAWS);
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
    for (h, st) in &parts {
        if st.acc.centre != parts[0].1.acc.centre {
            return Err(Error::Input(format!(
                "shard {} holds another point model than shard {}: not parts of one run",
                h.shard, first.shard
            )));
        }
    }
    // The merged sketches span the union of the parts' bins: bound it before adding.
    let mut span = 0u64;
    for i in 0..parts[0].1.acc.sketches.len() {
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for (_, st) in &parts {
            let mut bins = st.acc.sketches[i].bins();
            if let Some((k, _)) = bins.next() {
                lo = lo.min(k);
                hi = hi.max(bins.last().map_or(k, |(k, _)| k));
            }
        }
        span += hi.saturating_sub(lo).max(0) as u64;
    }
    if span > MAX_SPAN_TOTAL {
        return Err(Error::Input(
            "the partials' sketches together span more bins than any run makes".into(),
        ));
    }
    let first_state = &parts[0].1;
    let mut total = RunState::new(
        first_state.acc.centre.clone(),
        first_state.acc.layout,
        first_state.ranks.n_in,
        first_state.ranks.n_out,
    );
    for (_, a) in &parts {
        total.merge(a);
    }
    let mut header = first;
    header.shard = MERGED.into();
    header.chunk_start = 0;
    header.chunk_end = n_chunks;
    Ok((header, total))
}
