//! Several configs on the same draws (common random numbers): draw d of chunk c is
//! drawn for every config from the same chunk stream, so differences between the
//! configs' outputs are the configs', not sampling noise. Where two configs have the
//! same uncertain inputs (an intervention adds none: its numbers have their own
//! stream), every input of the one equals the other's. What `wfmc compare` runs.

use super::{Control, Drawer, RunSpec, thread_pool};
use crate::config::Config;
use crate::error::Error;
use crate::model::{Inputs, evaluate};
use crate::sampling::Sampler;
use std::sync::atomic::Ordering;

/// Folds one draw: the inputs and outputs under every config, in order.
pub type PerDraw<'a, T> = &'a (dyn Fn(&mut T, &[&Inputs], &[&[f64]]) + Sync);

/// Runs the draws of `spec` for every config of `cfgs`, block by block. Each chunk's
/// draws are folded by `per_draw(state, inputs, outputs)` (one entry per config, in
/// order) into a state made by `init`; `per_block(block, states)` then gets the
/// block's chunk states in chunk order, so a caller that combines them in that order
/// gets the same result on any number of threads. Memory does not grow with draws.
pub fn fold_blocks<T: Send>(
    cfgs: &[&Config],
    spec: &RunSpec,
    control: &Control,
    init: &(dyn Fn() -> T + Sync),
    per_draw: PerDraw<'_, T>,
    per_block: &mut dyn FnMut(u64, Vec<T>),
) -> Result<(), Error> {
    use rayon::prelude::*;
    spec.validate()?;
    let samplers: Vec<Sampler> = cfgs.iter().map(|c| Sampler::new(c)).collect();
    let pool = thread_pool(spec.threads)?;
    for b in spec.shard_blocks() {
        control.check()?;
        let states: Vec<T> = pool.install(|| {
            spec.block_range(b)
                .into_par_iter()
                .map(|c| {
                    let mut drawers: Vec<Drawer> = samplers.iter().map(Drawer::new).collect();
                    let mut streams: Vec<_> = samplers.iter().map(|_| spec.stream(c)).collect();
                    let mut t = init();
                    for d in 0..spec.chunk_draws(c) {
                        for (dr, s) in drawers.iter_mut().zip(&mut streams) {
                            dr.sampler
                                .sample_from(s, d, &mut dr.u, &mut dr.raw, &mut dr.x);
                            evaluate(&dr.x, &mut dr.row);
                        }
                        let xs: Vec<&Inputs> = drawers.iter().map(|d| &d.x).collect();
                        let rows: Vec<&[f64]> = drawers.iter().map(|d| &d.row[..]).collect();
                        per_draw(&mut t, &xs, &rows);
                    }
                    control
                        .done
                        .fetch_add(spec.chunk_draws(c), Ordering::Relaxed);
                    t
                })
                .collect()
        });
        per_block(b, states);
    }
    control.check()
}
