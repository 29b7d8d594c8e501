//! One-at-a-time (tornado) and global (Sobol) sensitivity, into a results folder
//! or in memory.

use super::{Context, DEFAULT_SEED, DEFAULT_SOBOL_ROWS, Output, add_to_folder};
use crate::config::Config;
use crate::error::Error;
use crate::results;
use crate::sensitivity::{sobol, tornado as tor};
use std::path::PathBuf;
use std::time::Instant;

/// The tornado: each input at its P10 and P90, all others at base.
#[derive(Debug, Clone, Default)]
pub struct TornadoRequest {
    /// Where `tornado.csv` goes (other files of a results folder are kept).
    pub out: Output,
}

/// A tornado's rows, and the file written.
#[derive(Debug, Clone)]
pub struct Tornado {
    dims: crate::dims::SharedDims,
    rows: Vec<tor::Row>,
    /// `tornado.csv`, unless kept in memory.
    pub path: Option<PathBuf>,
}

impl Tornado {
    /// `tornado.csv`'s text.
    pub fn csv(&self) -> String {
        results::tornado::write(&self.dims, &self.rows)
    }

    /// The text tornado: the `top` inputs of each output.
    pub fn table(&self, top: usize) -> String {
        crate::report::terminal::tornado(&self.dims, &self.rows, top)
    }
}

/// The tornado of `cfg`.
pub fn tornado(cfg: &Config, req: &TornadoRequest, ctx: &Context) -> Result<Tornado, Error> {
    let rows = tor::run(cfg);
    let path = match req.out.folder(cfg) {
        Some(dir) => Some(add_to_folder(
            &dir,
            results::tornado::FILE,
            results::tornado::write(&cfg.dims, &rows).as_bytes(),
            ctx.control,
        )?),
        None => None,
    };
    Ok(Tornado {
        dims: cfg.dims.clone(),
        rows,
        path,
    })
}

/// Sobol indices with bootstrap intervals.
#[derive(Debug, Clone, Default)]
pub struct SobolRequest {
    /// Rows of the Saltelli design (default [`DEFAULT_SOBOL_ROWS`]); costs
    /// rows × (groups + 2) model evaluations.
    pub rows: Option<usize>,
    /// Seed of the design.
    pub seed: Option<u64>,
    /// Worker threads (default: every core).
    pub threads: Option<usize>,
    /// Where `sobol.csv` goes (other files of a results folder are kept).
    pub out: Output,
}

/// The indices, and the file written.
pub struct Sobol {
    model: sobol::WorkforceModel,
    result: sobol::SobolResult,
    /// `sobol.csv`, unless kept in memory.
    pub path: Option<PathBuf>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl Sobol {
    /// `sobol.csv`'s text.
    pub fn csv(&self) -> String {
        results::sobol::write(&self.model, &self.result)
    }

    /// The `top` groups of each output by total index.
    pub fn table(&self, top: usize) -> String {
        crate::report::terminal::sobol(&self.model, &self.result, top)
    }

    /// Rows of the design.
    pub fn rows(&self) -> usize {
        self.result.n
    }

    /// Input groups.
    pub fn groups(&self) -> usize {
        self.result.groups.len()
    }
}

/// The Sobol indices of `cfg`.
pub fn sobol(cfg: &Config, req: &SobolRequest, ctx: &Context) -> Result<Sobol, Error> {
    let rows = req.rows.unwrap_or(DEFAULT_SOBOL_ROWS);
    let threads = super::DrawSettings {
        threads: req.threads,
        ..Default::default()
    }
    .threads();
    let t0 = Instant::now();
    let (model, result) = sobol::run(cfg, rows, req.seed.unwrap_or(DEFAULT_SEED), threads)?;
    let path = match req.out.folder(cfg) {
        Some(dir) => Some(add_to_folder(
            &dir,
            results::sobol::FILE,
            results::sobol::write(&model, &result).as_bytes(),
            ctx.control,
        )?),
        None => None,
    };
    Ok(Sobol {
        model,
        result,
        path,
        seconds: t0.elapsed().as_secs_f64(),
    })
}
