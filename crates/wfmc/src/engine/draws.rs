//! Per-draw values of chosen outputs and sampled inputs, for analyses wfmc does not
//! do itself (the Python package's `wfmc.draws`). The draws are those of a run with
//! the same config, seed and shard: chunk `c` comes from its own stream, so the table
//! is the same bits on any number of threads.

use super::{CHUNK_DRAWS, Control, Drawer, RunSpec, guard, thread_pool};
use crate::config::Config;
use crate::error::Error;
use crate::model::Series;
use crate::sampling::Sampler;
use std::sync::atomic::Ordering;

/// One column of a draws table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// An output series.
    Output(Series),
    /// A named input (a group of the sampler, by index): its sampled value.
    Input(usize),
    /// A raw variate of the draw, by index into the sampler's raw vector (a shared
    /// factor's normal score).
    Raw(usize),
}

/// The named inputs of `cfg` a draws table can carry: (group index, config path).
pub fn inputs(cfg: &Config) -> Vec<(usize, String)> {
    let sampler = Sampler::new(cfg);
    super::ranked_groups(&sampler)
        .into_iter()
        .map(|g| (g, sampler.groups()[g].name.clone()))
        .collect()
}

/// Fills `out` (row-major, one row per draw of `spec`'s shard, one value per column)
/// chunk by chunk in parallel. A draw the numerical guard rejects (which a run leaves
/// out of its statistics) has NaN in its output columns; its inputs are kept.
/// `control.done` counts the draws made; a cancel stops at the next chunk.
pub fn fill(
    cfg: &Config,
    spec: &RunSpec,
    columns: &[Column],
    out: &mut [f64],
    control: &Control,
) -> Result<(), Error> {
    use rayon::prelude::*;
    spec.validate()?;
    let k = columns.len();
    let n = spec.shard_draws() as usize;
    if out.len() != n * k {
        return Err(Error::Runtime(format!(
            "a table of {n} draws × {k} columns needs {} values, not {}",
            n * k,
            out.len()
        )));
    }
    if k == 0 || n == 0 {
        return Ok(());
    }
    let sampler = Sampler::new(cfg);
    let chunks = spec.shard.chunks(spec.n_chunks());
    let pool = thread_pool(spec.threads)?;
    let layout = sampler.base().layout;
    let workforce = guard::workforce_indices(layout);
    pool.install(|| {
        out.par_chunks_mut(CHUNK_DRAWS as usize * k)
            .enumerate()
            .for_each_init(
                || Drawer::new(&sampler),
                |drawer, (i, rows)| {
                    let c = chunks.start + i as u64;
                    if control.cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    drawer.chunk(spec, c, |d, _, raw, row| {
                        let bad = guard::check(row, &workforce).is_some();
                        let dst = &mut rows[d as usize * k..][..k];
                        for (v, col) in dst.iter_mut().zip(columns) {
                            *v = match *col {
                                Column::Output(_) if bad => f64::NAN,
                                Column::Output(s) => row[layout.index(&s)],
                                Column::Input(g) => sampler.scalar_value(&sampler.groups()[g], raw),
                                Column::Raw(i) => raw[i],
                            };
                        }
                    });
                    control
                        .done
                        .fetch_add(spec.chunk_draws(c), Ordering::Relaxed);
                },
            )
    });
    control.check()
}
