//! Sweeps: the Monte Carlo model at every point of a grid of overrides, one tidy
//! CSV; with a shard, one shard's part of the grid; and merging the parts.

use super::{Context, DrawSettings};
use crate::config::Config;
use crate::engine::{self, RunSpec, Sampling, Shard};
use crate::error::{Error, Setting};
use crate::explore::sweep::{Grid, Vary};
use crate::results::sweep::{self as format, Filter, PartOf};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Draws per grid point unless told otherwise.
pub const SWEEP_DRAWS: u64 = 100_000;

/// A sweep of a grid of inputs.
#[derive(Debug, Clone, Default)]
pub struct SweepRequest {
    /// The inputs to vary: `PATH=LO:HI:STEP` or `PATH=v1,v2,…` (full factorial).
    pub vary: Vec<String>,
    /// Draws per point (default [`SWEEP_DRAWS`]), seed, threads, sampling and the
    /// guard's limit: the same at every point (common random numbers).
    pub draws: DrawSettings,
    /// Metrics to keep (default `gap` and `p_shortfall`).
    pub metrics: Vec<String>,
    /// Areas to keep, or `total` (default: all).
    pub areas: Vec<String>,
    /// Years to keep (default: the config's last).
    pub years: Vec<u32>,
    /// Run only this shard of the grid points, writing a part for a merge.
    pub shard: Option<Shard>,
}

/// Where a sweep's CSV goes.
pub enum SweepOut<'a> {
    /// A stream (standard output, a buffer).
    Stream(&'a mut dyn Write),
    /// A file, written whole or not at all; `overwrite` replaces a file that is not
    /// a sweep CSV of wfmc's.
    File {
        /// The file.
        path: &'a Path,
        /// Replace any existing file.
        overwrite: bool,
    },
}

impl SweepRequest {
    fn plan(&self, cfg: &Config) -> Result<(Vec<Vary>, RunSpec, Filter), Error> {
        if self.vary.is_empty() {
            return Err(Error::setting(
                Setting::Vary,
                "",
                "a sweep needs at least one input to vary",
            ));
        }
        let varies = self
            .vary
            .iter()
            .map(|v| v.parse::<Vary>())
            .collect::<Result<Vec<_>, _>>()?;
        let mut spec = self.draws.spec(SWEEP_DRAWS, Sampling::Rqmc)?;
        spec.shard = self.shard.unwrap_or(Shard::ALL);
        let d = Filter::default();
        let mut filter = Filter {
            metrics: if self.metrics.is_empty() {
                d.metrics
            } else {
                self.metrics.clone()
            },
            areas: self.areas.clone(),
            years: if self.years.is_empty() {
                d.years
            } else {
                self.years.clone()
            },
        };
        filter.validate(&cfg.dims)?;
        Ok((varies, spec, filter))
    }

    /// Points of the grid (0 if a vary does not parse).
    pub fn points(&self) -> usize {
        self.vary
            .iter()
            .map(|v| v.parse::<Vary>().map_or(0, |v| v.values.len()))
            .product()
    }
}

/// Runs the sweep `req` of `cfg` and writes its CSV to `out` (with a shard, that
/// shard's part of the grid, for [`merge_sweep`]), calling `ctx.on_points` after
/// each point. Every point's config is built and checked before any run. A closed
/// stream (a reader that stopped early) ends it without error.
pub fn sweep(
    cfg: &Config,
    req: &SweepRequest,
    out: SweepOut<'_>,
    ctx: &Context,
) -> Result<(), Error> {
    let (varies, spec, filter) = req.plan(cfg)?;
    let res = match out {
        SweepOut::Stream(w) => run(cfg, &varies, &spec, &filter, w, ctx),
        SweepOut::File { path, overwrite } => {
            let st = crate::files::FileStaging::new(
                path,
                &crate::files::Inputs::none(),
                overwrite,
                format::is_sweep_csv,
                "a sweep CSV",
            )?;
            let mut w = std::io::BufWriter::new(st.writer()?);
            run(cfg, &varies, &spec, &filter, &mut w, ctx)?;
            w.flush()
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            drop(w);
            st.commit(overwrite, format::is_sweep_csv).map(|_| ())
        }
    };
    match res {
        Err(Error::OutputClosed) => Ok(()),
        r => r,
    }
}

fn run(
    cfg: &Config,
    varies: &[Vary],
    spec: &RunSpec,
    filter: &Filter,
    out: &mut dyn Write,
    ctx: &Context,
) -> Result<(), Error> {
    let grid = Grid::new(varies)?;
    if grid.is_empty() {
        return Err(Error::setting(Setting::Vary, "", "the sweep has no points"));
    }
    for i in 0..grid.len() {
        ctx.control.check()?;
        grid.config(cfg, i)?;
    }
    let points = spec.shard.chunks(grid.len() as u64);
    let part = (spec.shard != Shard::ALL).then(|| PartOf {
        shard: spec.shard,
        points: points.clone(),
        total: grid.len() as u64,
        key: format::key(cfg, varies, spec, filter),
        dims: cfg.dims.signature(),
    });
    // Each point runs every draw: the shard splits the grid, not the draws.
    let point_spec = RunSpec {
        shard: Shard::ALL,
        ..spec.clone()
    };
    let mut w = format::Writer::new(out, varies, part.as_ref())?;
    for i in points.start as usize..points.end as usize {
        let (p, c) = grid.config(cfg, i)?;
        let state = engine::run_with(&c, &point_spec, ctx.control, false)?;
        state.check_rejected(spec.max_rejected)?;
        w.point(i, &p, &state.summary(), &cfg.dims, filter)?;
        (ctx.on_points)(i + 1 - points.start as usize, points.clone().count());
    }
    w.finish()
}

/// A merge of a sharded sweep's parts.
#[derive(Debug, Clone, Default)]
pub struct MergeSweepRequest {
    /// The parts, in any order.
    pub parts: Vec<PathBuf>,
}

/// Merges the parts of a sharded sweep into the CSV the unsharded sweep writes,
/// verifying each part first. A file target is refused before any work if it is
/// one of the parts, or an existing file that is not a sweep CSV of wfmc's (unless
/// `overwrite`).
pub fn merge_sweep(req: &MergeSweepRequest, out: SweepOut<'_>) -> Result<(), Error> {
    let res = match out {
        SweepOut::Stream(w) => format::merge(&req.parts, w),
        SweepOut::File { path, overwrite } => {
            let st = crate::files::FileStaging::new(
                path,
                &crate::files::Inputs::of(&req.parts),
                overwrite,
                format::is_sweep_csv,
                "a sweep CSV",
            )?;
            let mut w = std::io::BufWriter::new(st.writer()?);
            format::merge(&req.parts, &mut w)?;
            w.flush()
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            drop(w);
            st.commit(overwrite, format::is_sweep_csv).map(|_| ())
        }
    };
    match res {
        Err(Error::OutputClosed) => Ok(()),
        r => r,
    }
}
