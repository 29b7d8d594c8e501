//! End-to-end jobs the CLI (or a script) runs: a Monte Carlo run into a results folder,
//! and merging shards' partial results into one.

use crate::config::Config;
use crate::engine::{self, Control, RunSpec, RunState, Shard, partial};
use crate::error::Error;
use crate::report::run::{self as out, Staging};
use crate::sensitivity::{correlation, tornado};
use crate::stats::sketch;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The default results folder of a config: `results/<name>/`.
pub fn default_out(cfg: &Config) -> PathBuf {
    Path::new("results").join(&cfg.name)
}

/// What a finished run produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// The results folder.
    pub dir: PathBuf,
    /// The statistics (for a shard, of its draws only).
    pub summary: crate::stats::Summary,
    /// Wall-clock seconds of the draws.
    pub seconds: f64,
    /// Draws the numerical guard rejected, with examples.
    pub guard: engine::guard::Guard,
}

fn manifest(
    cfg: &Config,
    spec: &RunSpec,
    shards: &str,
    seconds: f64,
    state: &RunState,
    command: &str,
) -> String {
    let (acc, guard) = (&state.acc, &state.guard);
    let doc = serde_json::json!({
        "wfmc_version": env!("CARGO_PKG_VERSION"),
        "config": { "name": cfg.name, "origin": cfg.origin, "hash": cfg.hash() },
        "overrides": cfg.overrides,
        "seed": spec.seed,
        "draws": spec.draws,
        "draws_in_statistics": acc.draws,
        "rejected_draws": acc.rejected,
        "rejected_examples": guard.examples.iter().map(|e| e.output.clone()).collect::<Vec<_>>(),
        "max_rejected_share": spec.max_rejected,
        "threads": spec.threads,
        "shards": shards,
        "chunk_draws": engine::CHUNK_DRAWS,
        "elapsed_seconds": seconds,
        "quantile_accuracy": format!(
            "relative error <= {:.4} % of the value for |x| >= {:e}; smaller magnitudes reported as 0",
            sketch::RELATIVE_ACCURACY * 100.0, sketch::MIN_MAGNITUDE
        ),
        "command": command,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("json");
    s.push('\n');
    s
}

fn write_outputs(
    st: &Staging,
    cfg: &Config,
    state: &RunState,
) -> Result<crate::stats::Summary, Error> {
    let acc = &state.acc;
    let summary = acc.finish();
    st.write("bands.csv", out::bands_csv(&summary).as_bytes())?;
    st.write("shortfall.csv", out::shortfall_csv(&summary).as_bytes())?;
    st.write(
        "summary.json",
        out::summary_json(cfg, &summary, &acc.centre).as_bytes(),
    )?;
    let sampler = engine::Sampler::new(cfg);
    let inputs: Vec<(String, Option<usize>)> = engine::ranked_groups(&sampler)
        .into_iter()
        .map(|g| {
            let g = &sampler.groups()[g];
            (g.name.clone(), g.scenario())
        })
        .collect();
    st.write(
        "correlation.csv",
        correlation::csv(&inputs, &state.ranks).as_bytes(),
    )?;
    st.write("tornado.csv", tornado::csv(&tornado::run(cfg)).as_bytes())?;
    st.write(
        "assumptions.json",
        crate::report::assumptions::json(cfg).as_bytes(),
    )?;
    Ok(summary)
}

/// Runs `spec` and writes the results folder `dir` (all or nothing). A shard writes
/// its partial result (`partial.wfmc`) and manifest only.
pub fn run_to_folder(
    cfg: &Config,
    spec: &RunSpec,
    dir: &Path,
    control: &Control,
    command: &str,
    png: bool,
) -> Result<RunOutcome, Error> {
    spec.validate()?;
    let st = Staging::new(dir)?;
    let t0 = Instant::now();
    let state = engine::run(cfg, spec, control)?;
    let seconds = t0.elapsed().as_secs_f64();
    state.check_rejected(spec.max_rejected)?;
    let summary = if spec.shard == Shard::ALL {
        write_outputs(&st, cfg, &state)?
    } else {
        let header = partial::PartialHeader::new(cfg, spec);
        partial::write(&st.file(partial::PARTIAL_FILE), &header, &state)?;
        state.acc.finish()
    };
    st.write(
        "manifest.json",
        manifest(cfg, spec, &spec.shard.to_string(), seconds, &state, command).as_bytes(),
    )?;
    if spec.shard == Shard::ALL {
        crate::report::html::write(st.path(), png)?;
    }
    let dir = st.commit()?;
    Ok(RunOutcome {
        dir,
        summary,
        seconds,
        guard: state.guard,
    })
}

/// Merges shard partials (files or shard folders) into a full results folder,
/// byte-identical to the unsharded run apart from `manifest.json`.
pub fn merge_to_folder(
    cfg: &Config,
    parts: &[PathBuf],
    dir: &Path,
    command: &str,
    max_rejected: f64,
    png: bool,
) -> Result<RunOutcome, Error> {
    let st = Staging::new(dir)?;
    let read: Vec<_> = parts
        .iter()
        .map(|p| partial::read(p))
        .collect::<Result<_, _>>()?;
    let n = read.len();
    let (header, state) = partial::merge(read)?;
    if header.config_hash != cfg.hash() {
        return Err(Error::Input(format!(
            "the partials were made from config {} ({}), not {} ({}); pass the same --config to merge",
            header.config_origin,
            header.config_hash,
            cfg.origin,
            cfg.hash()
        )));
    }
    state.check_rejected(max_rejected)?;
    let summary = write_outputs(&st, cfg, &state)?;
    let spec = RunSpec {
        draws: header.draws,
        seed: header.seed,
        threads: 0,
        shard: Shard::ALL,
        max_rejected,
    };
    st.write(
        "manifest.json",
        manifest(
            cfg,
            &spec,
            &format!("merged from {n}"),
            0.0,
            &state,
            command,
        )
        .as_bytes(),
    )?;
    crate::report::html::write(st.path(), png)?;
    let dir = st.commit()?;
    Ok(RunOutcome {
        dir,
        summary,
        seconds: 0.0,
        guard: state.guard,
    })
}
