//! `manifest.json`, what was run: the same bytes for the same command on any machine;
//! and `machine.json`, what differs between machines (threads, time).

use crate::config::Config;
use crate::engine::{self, RunSpec, RunState};
use crate::stats::sketch;

/// The file name of the manifest.
pub const FILE: &str = "manifest.json";
/// What may differ between machines and runs of the same command (threads, time):
/// kept out of the manifest so a results folder is the same bytes wherever the same
/// command ran.
pub const MACHINE_FILE: &str = "machine.json";

/// `machine.json`'s text.
pub fn machine(threads: usize, seconds: f64) -> String {
    let doc = serde_json::json!({
        "threads": threads,
        "elapsed_seconds": seconds,
        "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("json");
    s.push('\n');
    s
}

/// `manifest.json`'s text.
pub fn write(
    cfg: &Config,
    spec: &RunSpec,
    shards: &str,
    state: &RunState,
    command: &str,
    sobol_rows: usize,
    until: Option<&serde_json::Value>,
) -> String {
    let (acc, guard) = (&state.acc, &state.guard);
    let mut doc = serde_json::json!({
        "wfmc_version": env!("CARGO_PKG_VERSION"),
        "config": { "name": cfg.name, "origin": cfg.origin, "hash": cfg.hash() },
        "overrides": cfg.overrides,
        "seed": spec.seed,
        "draws": spec.draws,
        "draws_in_statistics": acc.draws,
        "rejected_draws": acc.rejected,
        "rejected_examples": guard.examples.iter().map(|e| e.output.clone()).collect::<Vec<_>>(),
        "max_rejected_share": spec.max_rejected,
        "shards": shards,
        "chunk_draws": engine::CHUNK_DRAWS,
        "sampling": spec.sampling.key(),
        "block_draws": spec.block_chunks() * engine::CHUNK_DRAWS,
        "replicate_blocks": state.reps.blocks,
        "sobol_rows": sobol_rows,
        "quantile_accuracy": format!(
            "relative error <= {:.4} % of the value for |x| >= {:e}; smaller magnitudes reported as 0",
            sketch::RELATIVE_ACCURACY * 100.0, sketch::MIN_MAGNITUDE
        ),
        "command": command,
    });
    doc["shortfall"] = shortfall_note(cfg, spec);
    if let Some(u) = until {
        doc["until"] = u.clone();
    }
    // A config of the report's dimensions leaves them out (its folders' bytes are
    // those of a version without dimensions); a report reads them back from here.
    if cfg.declares_dims {
        doc["title"] = cfg.title.clone().into();
        doc["dimensions"] = serde_json::to_value(&*cfg.dims).expect("dimensions serialise");
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("json");
    s.push('\n');
    s
}

/// How the shortfall statistics were estimated, and where the indicator stayed.
fn shortfall_note(cfg: &Config, spec: &RunSpec) -> serde_json::Value {
    use crate::engine::{Conditional, Sampler, Shortfall};
    let slots = crate::model::Layout::of(&cfg.dims).n_short();
    let c = match spec.shortfall {
        Shortfall::Conditional => Conditional::new(&Sampler::new(cfg)),
        Shortfall::Indicator => None,
    };
    serde_json::json!({
        "estimator": spec.shortfall.key(),
        "slots": slots,
        "conditional_slots": c.as_ref().map_or(0, Conditional::conditioned_slots),
        "indicator_notes": c.as_ref().map_or_else(
            || vec![match spec.shortfall {
                Shortfall::Indicator => "the indicator in every slot, as asked".to_string(),
                Shortfall::Conditional => "no input to integrate (a forecaster panel or fixed demand ratios): the indicator in every slot".to_string(),
            }],
            |c| c.notes().to_vec(),
        ),
    })
}
