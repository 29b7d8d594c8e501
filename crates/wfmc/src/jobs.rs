//! Every job a command runs, as a library function with typed inputs and a typed
//! result: load a config with its overrides, a Monte Carlo run into a results
//! folder, merging shards, the tornado and the Sobol indices into a folder, a sweep,
//! supply targets, rebuilding a report. The CLI (and a script, or the Python package)
//! only translates its arguments into these requests and prints what comes back.

use crate::config::Config;
use crate::engine::{self, Control, RunSpec, RunState, Shard, partial};
use crate::error::Error;
use crate::files::{Inputs, Staging};
use crate::results::{self, manifest};
use crate::sensitivity::{sobol, tornado};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub mod view;

/// Where a config comes from and what is applied to it: what every command that
/// reads a config is given.
#[derive(Debug, Clone, Default)]
pub struct ConfigRequest {
    /// A config file; `None`: the built-in config.
    pub path: Option<PathBuf>,
    /// Stress profiles of the config to apply, in order.
    pub stress: Vec<String>,
    /// Interventions of the config to apply (`--intervention NAME`), after the
    /// profiles.
    pub interventions: Vec<String>,
    /// Overrides `PATH=VALUE`, applied after the profiles and interventions.
    pub set: Vec<String>,
    /// How to treat a forecaster who left an area out (`skip` or `error`); only for a
    /// config with forecaster returns.
    pub allow_missing: Option<String>,
}

impl ConfigRequest {
    /// Loads the config and applies the profiles and overrides.
    pub fn load(&self) -> Result<Config, Error> {
        let cfg = match (&self.path, &self.allow_missing) {
            (Some(path), Some(p)) => {
                Config::load_with(path, &[("forecasters.missing", p.as_str().into())])?
            }
            (None, Some(_)) => {
                return Err(Error::setting(
                    crate::error::Setting::AllowMissing,
                    self.allow_missing.as_deref().unwrap_or(""),
                    "the built-in config has no forecaster returns; it applies to a config with [forecasters]",
                ));
            }
            (path, None) => Config::load_or_builtin(path.as_deref())?,
        };
        if self.allow_missing.is_some() && cfg.panel.is_none() {
            return Err(Error::setting(
                crate::error::Setting::AllowMissing,
                self.allow_missing.as_deref().unwrap_or(""),
                format!("{} has no [forecasters] section with returns", cfg.origin),
            ));
        }
        let list = override_list(&cfg, &self.stress, &self.interventions, &self.set)?;
        Ok(cfg.with_overrides(&list)?)
    }
}

/// `cfg` with its stress profiles `stress` applied in order, then the overrides
/// `set` (`PATH=VALUE`); the result is checked like a loaded config.
pub fn apply_overrides(cfg: &Config, stress: &[String], set: &[String]) -> Result<Config, Error> {
    Ok(cfg.with_overrides(&override_list(cfg, stress, &[], set)?)?)
}

/// The overrides of the stress profiles `stress` of `cfg`, then of its
/// `interventions` (each sets `interventions.NAME.active = true`), then of `set`.
pub fn override_list(
    cfg: &Config,
    stress: &[String],
    interventions: &[String],
    set: &[String],
) -> Result<Vec<crate::config::overrides::Override>, Error> {
    let mut list = cfg.stress_overrides(stress).map_err(Error::Input)?;
    list.extend(
        cfg.intervention_overrides(interventions)
            .map_err(Error::Input)?,
    );
    for s in set {
        list.push(crate::config::overrides::Override::parse(s).map_err(Error::Input)?);
    }
    Ok(list)
}

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
    /// Leftovers of stopped processes found beside the folder, for the user.
    pub notes: Vec<String>,
}

/// Options of a job that writes a results folder.
#[derive(Debug, Clone)]
pub struct FolderOptions {
    /// The command line, recorded in the manifest.
    pub command: String,
    /// Also write PNG charts.
    pub png: bool,
    /// Rows of the Sobol design computed with a full run (0: none).
    pub sobol_rows: usize,
}

impl Default for FolderOptions {
    fn default() -> FolderOptions {
        FolderOptions {
            command: String::new(),
            png: false,
            sobol_rows: crate::sensitivity::sobol::DEFAULT_N,
        }
    }
}

fn write_outputs(
    st: &Staging,
    cfg: &Config,
    state: &RunState,
    seed: u64,
    threads: usize,
    opts: &FolderOptions,
) -> Result<crate::stats::Summary, Error> {
    let acc = &state.acc;
    let summary = state.summary();
    st.write(
        results::bands::FILE,
        results::bands::write(&summary).as_bytes(),
    )?;
    st.write(
        results::shortfall::FILE,
        results::shortfall::write(&summary).as_bytes(),
    )?;
    st.write(
        results::summary::FILE,
        results::summary::write(cfg, &summary, &acc.centre).as_bytes(),
    )?;
    st.write(
        results::correlation::FILE,
        results::correlation::write_run(cfg, &state.ranks).as_bytes(),
    )?;
    st.write(
        results::tornado::FILE,
        results::tornado::write(&tornado::run(cfg)).as_bytes(),
    )?;
    if opts.sobol_rows > 0 {
        let (m, r) = sobol::run(cfg, opts.sobol_rows, seed, threads)?;
        st.write(
            results::sobol::FILE,
            results::sobol::write(&m, &r).as_bytes(),
        )?;
    }
    st.write(
        results::assumptions::FILE,
        results::assumptions::json(cfg).as_bytes(),
    )?;
    Ok(summary)
}

/// Checks the options before any work.
fn check_options(opts: &FolderOptions) -> Result<(), Error> {
    check_sobol_rows(opts.sobol_rows)
}

/// Checks the rows of the Sobol design computed with a run: 0 (none) or enough for
/// its bootstrap blocks.
pub fn check_sobol_rows(rows: usize) -> Result<(), Error> {
    let min = 2 * sobol::BLOCKS;
    if rows != 0 && rows < min {
        return Err(Error::setting(
            crate::error::Setting::SobolRows,
            rows,
            format!("0 (no Sobol indices) or at least {min} rows"),
        ));
    }
    Ok(())
}

/// Runs the draws of `spec` and checks the numerical guard's share of rejected
/// draws: the run of [`run_to_folder`] without the folder, for a caller that keeps
/// the state in memory (the Python package) and may write it later with
/// [`state_to_folder`].
pub fn run(cfg: &Config, spec: &RunSpec, control: &Control) -> Result<RunState, Error> {
    spec.validate()?;
    let state = engine::run(cfg, spec, control)?;
    state.check_rejected(spec.max_rejected)?;
    Ok(state)
}

/// Runs `spec` and writes the results folder `dir` (all or nothing). A shard writes
/// its partial result (`partial.wfmc`) and manifest only.
pub fn run_to_folder(
    cfg: &Config,
    spec: &RunSpec,
    dir: &Path,
    control: &Control,
    opts: &FolderOptions,
) -> Result<RunOutcome, Error> {
    spec.validate()?;
    check_options(opts)?;
    // The folder is checked (and locked) before any work.
    let st = Staging::new(dir, &Inputs::none())?;
    let t0 = Instant::now();
    let state = run(cfg, spec, control)?;
    let label = spec.shard.to_string();
    write_run(st, cfg, spec, state, &label, t0, control, opts, None)
}

/// Runs `spec` until every target is met (or its `draws`, the cap, run out), and
/// checks the numerical guard: the run of [`run_until_to_folder`] without the
/// folder. Returns the outcome and what the manifest records of it (`until`).
pub fn run_until(
    cfg: &Config,
    spec: &RunSpec,
    targets: &[engine::until::Target],
    control: &Control,
    progress: &dyn Fn(&engine::until::Check),
) -> Result<(engine::until::Outcome, serde_json::Value), Error> {
    let out = engine::until::run(cfg, spec, targets, control, progress)?;
    out.state.check_rejected(spec.max_rejected)?;
    let until = serde_json::json!({
        "targets": targets.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
        "met": out.met,
        "stopped": if out.met {
            format!("every target met at {} draws", out.spec.draws)
        } else {
            format!("the cap of {} draws ran out before every target was met", spec.draws)
        },
        "worst": out.check.worst.iter().map(|(t, label, se)| serde_json::json!({
            "target": t.to_string(), "estimate": label, "se": se
        })).collect::<Vec<_>>(),
    });
    Ok((out, until))
}

/// What [`run_until_to_folder`] did.
pub struct UntilOutcome {
    /// The folder written, the statistics and the time.
    pub run: RunOutcome,
    /// The draws made.
    pub draws: u64,
    /// The last check of the standard errors against the targets.
    pub check: engine::until::Check,
    /// Every target met (else the draws cap stopped the run).
    pub met: bool,
}

/// Runs `spec` until every target's estimates reach their standard error (or its
/// `draws`, the cap, run out: the folder is written either way and the manifest
/// says which), calling `progress` at each check; then writes the results folder
/// like [`run_to_folder`].
pub fn run_until_to_folder(
    cfg: &Config,
    spec: &RunSpec,
    targets: &[engine::until::Target],
    dir: &Path,
    control: &Control,
    opts: &FolderOptions,
    progress: &dyn Fn(&engine::until::Check),
) -> Result<UntilOutcome, Error> {
    spec.validate()?;
    check_options(opts)?;
    let st = Staging::new(dir, &Inputs::none())?;
    let t0 = Instant::now();
    let (out, until) = run_until(cfg, spec, targets, control, progress)?;
    let (draws, check, met) = (out.spec.draws, out.check, out.met);
    let run = write_run(
        st,
        cfg,
        &out.spec,
        out.state,
        "1/1",
        t0,
        control,
        opts,
        Some(&until),
    )?;
    Ok(UntilOutcome {
        run,
        draws,
        check,
        met,
    })
}

/// Writes the results folder `dir` of a run already made (by [`run`] or
/// [`merge_partials`]): the same files [`run_to_folder`] writes for it. `label`
/// names where the draws came from in the manifest (`all`, `2/4`, `merged from 4`).
#[allow(clippy::too_many_arguments)]
pub fn state_to_folder(
    cfg: &Config,
    spec: &RunSpec,
    state: RunState,
    label: &str,
    dir: &Path,
    control: &Control,
    opts: &FolderOptions,
    until: Option<&serde_json::Value>,
) -> Result<RunOutcome, Error> {
    spec.validate()?;
    check_options(opts)?;
    let st = Staging::new(dir, &Inputs::none())?;
    write_run(
        st,
        cfg,
        spec,
        state,
        label,
        Instant::now(),
        control,
        opts,
        until,
    )
}

/// A shard's partial result as bytes: what `partial.wfmc` holds.
pub fn partial_bytes(cfg: &Config, spec: &RunSpec, state: &RunState, sobol_rows: usize) -> Vec<u8> {
    partial::encode(&partial::PartialHeader::new(cfg, spec, sobol_rows), state)
}

/// Verifies and merges shard partials of `cfg` (as [`partial::decode`] or
/// [`partial::read`] gave them): one run's shards, each chunk once, made from this
/// config. Returns the run's spec (on `threads`), its Sobol rows and the merged state.
pub fn merge_partials(
    cfg: &Config,
    parts: Vec<(partial::PartialHeader, RunState)>,
    threads: usize,
    max_rejected: f64,
) -> Result<(RunSpec, usize, RunState), Error> {
    let (header, state) = partial::merge(parts)?;
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
    let spec = RunSpec {
        threads,
        shard: Shard::ALL,
        max_rejected,
        ..header.spec().map_err(Error::Input)?
    };
    Ok((spec, header.sobol_rows, state))
}

/// Writes the files of a finished run into `st` and puts the folder in place.
#[allow(clippy::too_many_arguments)]
fn write_run(
    st: Staging,
    cfg: &Config,
    spec: &RunSpec,
    state: RunState,
    label: &str,
    t0: Instant,
    control: &Control,
    opts: &FolderOptions,
    until: Option<&serde_json::Value>,
) -> Result<RunOutcome, Error> {
    let summary = if spec.shard == Shard::ALL {
        write_outputs(&st, cfg, &state, spec.seed, spec.threads, opts)?
    } else {
        let header = partial::PartialHeader::new(cfg, spec, opts.sobol_rows);
        partial::write(&st.file(partial::PARTIAL_FILE), &header, &state)?;
        state.summary()
    };
    st.write(
        manifest::FILE,
        manifest::write(
            cfg,
            spec,
            label,
            &state,
            &opts.command,
            opts.sobol_rows,
            until,
        )
        .as_bytes(),
    )?;
    if spec.shard == Shard::ALL {
        crate::report::html::write(st.path(), opts.png)?;
    }
    finish_folder(
        st,
        FinishedRun {
            threads: spec.threads,
            t0,
            summary,
            guard: state.guard,
        },
        control,
    )
}

/// What a run or merge hands over once its files are written.
struct FinishedRun {
    threads: usize,
    t0: Instant,
    summary: crate::stats::Summary,
    guard: engine::guard::Guard,
}

/// Writes `machine.json` and puts the folder in place, unless interrupted.
fn finish_folder(st: Staging, r: FinishedRun, control: &Control) -> Result<RunOutcome, Error> {
    let seconds = r.t0.elapsed().as_secs_f64();
    st.write(
        manifest::MACHINE_FILE,
        manifest::machine(r.threads, seconds).as_bytes(),
    )?;
    control.check()?;
    let notes = st.notes().to_vec();
    let dir = st.commit()?;
    Ok(RunOutcome {
        dir,
        summary: r.summary,
        seconds,
        guard: r.guard,
        notes,
    })
}

/// Merges shard partials (files or shard folders) into a full results folder,
/// byte-identical to the unsharded run apart from `manifest.json` and
/// `machine.json`. Every partial is verified before it is used.
pub fn merge_to_folder(
    cfg: &Config,
    parts: &[PathBuf],
    dir: &Path,
    control: &Control,
    max_rejected: f64,
    threads: usize,
    opts: &FolderOptions,
) -> Result<RunOutcome, Error> {
    let st = Staging::new(dir, &Inputs::of(parts))?;
    let t0 = Instant::now();
    let expect = partial::Expect::of(cfg);
    let mut read = Vec::with_capacity(parts.len());
    for p in parts {
        control.check()?;
        read.push(partial::read(p, &expect)?);
    }
    let n = read.len();
    let (spec, sobol_rows, state) = merge_partials(cfg, read, threads, max_rejected)?;
    control.check()?;
    // The Sobol design the shards were asked for, so a merge equals the single run.
    let opts = FolderOptions {
        sobol_rows,
        ..opts.clone()
    };
    write_run(
        st,
        cfg,
        &spec,
        state,
        &format!("merged from {n}"),
        t0,
        control,
        &opts,
        None,
    )
}

/// Writes one file into the results folder `dir` (new, empty or wfmc's), keeping
/// the other files wfmc wrote there; all or nothing, like a run.
pub fn add_to_folder(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    control: &Control,
) -> Result<PathBuf, Error> {
    let st = Staging::new(dir, &Inputs::none())?;
    st.keep_existing(|f| f == name)?;
    st.write(name, bytes)?;
    control.check()?;
    Ok(st.commit()?.join(name))
}

/// Rebuilds `plots/` and `report.html` of the results folder `dir` from its files,
/// without re-running; the folder is replaced whole when the new page is complete.
pub fn report_folder(dir: &Path, png: bool, control: &Control) -> Result<usize, Error> {
    crate::files::require_ours(dir)?;
    let st = Staging::new(dir, &Inputs::none())?;
    st.keep_existing(|f| f.starts_with("plots/") || f == "report.html")?;
    let n = crate::report::html::write(st.path(), png)?;
    control.check()?;
    st.commit()?;
    Ok(n)
}

/// The tornado of `cfg`, written into the results folder `dir` as `tornado.csv`.
pub fn tornado_to_folder(
    cfg: &Config,
    dir: &Path,
    control: &Control,
) -> Result<(Vec<tornado::Row>, PathBuf), Error> {
    let rows = tornado::run(cfg);
    let path = add_to_folder(
        dir,
        results::tornado::FILE,
        results::tornado::write(&rows).as_bytes(),
        control,
    )?;
    Ok((rows, path))
}

/// What `sobol_to_folder` computed.
pub struct SobolOutcome {
    /// The model the indices are of (its outputs and input groups).
    pub model: sobol::WorkforceModel,
    /// The indices with their intervals.
    pub result: sobol::SobolResult,
    /// The file written.
    pub path: PathBuf,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Sobol indices of `cfg` from `rows` rows of the design, written into the results
/// folder `dir` as `sobol.csv`.
pub fn sobol_to_folder(
    cfg: &Config,
    rows: usize,
    seed: u64,
    threads: usize,
    dir: &Path,
    control: &Control,
) -> Result<SobolOutcome, Error> {
    let t0 = Instant::now();
    let (model, result) = sobol::run(cfg, rows, seed, threads)?;
    let path = add_to_folder(
        dir,
        results::sobol::FILE,
        results::sobol::write(&model, &result).as_bytes(),
        control,
    )?;
    Ok(SobolOutcome {
        model,
        result,
        path,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// Which supply targets to find.
#[derive(Debug, Clone)]
pub struct TargetRequest {
    /// One area, or `None` for every area short more often than `p`.
    pub area: Option<crate::dims::Area>,
    /// Scenario.
    pub scenario: crate::dims::Scenario,
    /// Year index (1 = 2021 … 10 = 2030).
    pub year: usize,
    /// Target probability of shortfall.
    pub p: f64,
}

/// The supply targets asked for: the areas solved for (empty when none is short
/// often enough) and their answers.
pub fn targets(
    cfg: &Config,
    req: &TargetRequest,
    spec: &RunSpec,
) -> Result<
    (
        crate::explore::target::TargetSpec,
        Vec<crate::explore::target::Answer>,
    ),
    Error,
> {
    use crate::explore::target;
    let areas = match req.area {
        Some(a) => vec![a],
        None => target::short_areas(cfg, req.scenario, req.year, req.p, spec)?,
    };
    let t = target::TargetSpec {
        areas,
        scenario: req.scenario,
        year: req.year,
        p: req.p,
    };
    if t.areas.is_empty() {
        return Ok((t, vec![]));
    }
    let answers = target::solve(cfg, &t, spec)?;
    Ok((t, answers))
}

/// Where a sweep's CSV goes.
pub enum SweepOut<'a> {
    /// A stream (standard output).
    Stream(&'a mut dyn std::io::Write),
    /// A file, written whole or not at all; `overwrite` replaces a file that is not
    /// a sweep CSV of wfmc's.
    File {
        /// The file.
        path: &'a Path,
        /// Replace any existing file.
        overwrite: bool,
    },
}

/// Merges the parts of a sharded sweep (`wfmc sweep --shard i/N`) into the CSV the
/// unsharded sweep writes, verifying each part first.
pub fn merge_sweep(parts: &[PathBuf], out: SweepOut<'_>) -> Result<(), Error> {
    use crate::explore::sweep;
    let res = match out {
        SweepOut::Stream(w) => sweep::merge(parts, w),
        SweepOut::File { path, overwrite } => sweep::merge_to_file(parts, path, overwrite),
    };
    match res {
        Err(Error::OutputClosed) => Ok(()),
        r => r,
    }
}

/// A sweep of `varies` over `cfg`, its tidy CSV to `out` (with `spec.shard`, one
/// shard's part of the grid, for [`merge_sweep`]); a closed stream (a reader
/// that stopped early) ends it without error.
pub fn sweep(
    cfg: &Config,
    varies: &[crate::explore::sweep::Vary],
    spec: &RunSpec,
    filter: &crate::explore::sweep::Filter,
    out: SweepOut<'_>,
    control: &Control,
    progress: &dyn Fn(usize, usize),
) -> Result<(), Error> {
    use crate::explore::sweep;
    let res = match out {
        SweepOut::Stream(w) => sweep::run(cfg, varies, spec, filter, w, control, progress),
        SweepOut::File { path, overwrite } => sweep::run_to_file(
            cfg, varies, spec, filter, path, overwrite, control, progress,
        ),
    };
    match res {
        Err(Error::OutputClosed) => Ok(()),
        r => r,
    }
}

/// One variant of `wfmc compare`: a name and what it applies to the baseline
/// (stress profiles, then interventions, then overrides).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VariantSpec {
    /// Its name in the table and `compare.csv`.
    pub name: String,
    /// Stress profiles.
    pub stress: Vec<String>,
    /// Interventions (`A+B`: a portfolio).
    pub interventions: Vec<String>,
    /// Overrides `PATH=VALUE`.
    pub set: Vec<String>,
}

impl VariantSpec {
    /// An intervention or portfolio (`a+b`), named after it.
    pub fn intervention(name: &str) -> VariantSpec {
        VariantSpec {
            name: name.to_string(),
            interventions: vec![name.to_string()],
            ..Default::default()
        }
    }

    /// Parses `NAME: ARGS`, ARGS being `--stress NAME`, `--intervention NAME` and
    /// `--set PATH=VALUE` as on the command line (quotes group words), e.g.
    /// `realised-pay: --stress realised-pay` or `ict+: --set supply.ict.flow_rate=0.05`.
    pub fn parse(text: &str) -> Result<VariantSpec, Error> {
        let bad = |why: &str| {
            Error::Input(format!(
                "--variant `{text}`: {why}; expected NAME: ARGS, e.g. 'realised-pay: --stress realised-pay' or 'ict: --set supply.ict.flow_rate=0.05'"
            ))
        };
        let (name, args) = text.split_once(':').ok_or_else(|| bad("no `:`"))?;
        let name = name.trim();
        if name.is_empty() || name.contains(',') || name.chars().any(char::is_control) {
            return Err(bad("a name is needed (no commas)"));
        }
        let words = shell_words(args).map_err(|e| bad(&e))?;
        let mut v = VariantSpec {
            name: name.to_string(),
            ..Default::default()
        };
        let mut it = words.into_iter();
        while let Some(flag) = it.next() {
            let (flag, inline) = match flag.split_once('=') {
                Some((f, rest)) if f.starts_with("--") => (f.to_string(), Some(rest.to_string())),
                _ => (flag, None),
            };
            let value = match inline {
                Some(x) => x,
                None => it
                    .next()
                    .ok_or_else(|| bad(&format!("{flag} needs a value")))?,
            };
            match flag.as_str() {
                "--stress" => v.stress.push(value),
                "--intervention" | "--portfolio" => v.interventions.push(value),
                "--set" => v.set.push(value),
                other => {
                    return Err(bad(&format!(
                        "`{other}`: only --stress, --intervention and --set"
                    )));
                }
            }
        }
        if v.stress.is_empty() && v.interventions.is_empty() && v.set.is_empty() {
            return Err(bad("it changes nothing"));
        }
        Ok(v)
    }
}

/// Words of `s` split on blanks, with '…' and "…" grouping (no escapes).
fn shell_words(s: &str) -> Result<Vec<String>, String> {
    let (mut out, mut cur, mut quote, mut any) = (vec![], String::new(), None, false);
    for ch in s.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if quote.is_some() {
        return Err("an unclosed quote".into());
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// The configs of `variants` applied to `base`, with their descriptions.
pub fn variants(
    base: &Config,
    variants: &[VariantSpec],
) -> Result<Vec<crate::explore::compare::Variant>, Error> {
    let mut out: Vec<crate::explore::compare::Variant> = vec![];
    for v in variants {
        if out.iter().any(|o| o.name == v.name) {
            return Err(Error::Input(format!(
                "variant `{}` is named twice: give each a name of its own",
                v.name
            )));
        }
        let list = override_list(base, &v.stress, &v.interventions, &v.set)?;
        let cfg = base.with_overrides(&list)?;
        let mut what: Vec<String> = vec![];
        for n in v.interventions.iter().flat_map(|n| n.split('+')) {
            let d = cfg
                .interventions
                .iter()
                .find(|i| i.name == n.trim())
                .map_or(String::new(), |i| i.description.clone());
            what.push(format!("intervention {n}: {d}"));
        }
        for s in &v.stress {
            let d = cfg
                .stress
                .iter()
                .find(|p| &p.name == s)
                .map_or(String::new(), |p| p.description.clone());
            what.push(format!("stress {s}: {d}"));
        }
        what.extend(v.set.iter().map(|s| format!("--set {s}")));
        out.push(crate::explore::compare::Variant {
            name: v.name.clone(),
            description: what.join("; "),
            cfg,
        });
    }
    Ok(out)
}

/// What [`compare_to_folder`] did.
pub struct CompareOutcome {
    /// The variants compared.
    pub variants: Vec<crate::explore::compare::Variant>,
    /// The estimates.
    pub comparison: crate::explore::compare::Comparison,
    /// `compare.csv`.
    pub path: PathBuf,
}

/// Compares `variants` with `base` on the draws of `spec` (checking the numerical
/// guard's share of rejected draws): the comparison of [`compare_to_folder`]
/// without the folder.
pub fn compare(
    base: &Config,
    variants_: &[VariantSpec],
    spec: &RunSpec,
    control: &Control,
) -> Result<
    (
        Vec<crate::explore::compare::Variant>,
        crate::explore::compare::Comparison,
    ),
    Error,
> {
    spec.validate()?;
    if variants_.is_empty() {
        return Err(Error::Input(
            "nothing to compare: give --intervention NAME, --portfolio A+B or --variant 'NAME: ARGS'".into(),
        ));
    }
    let vs = variants(base, variants_)?;
    let comparison = crate::explore::compare::run(base, &vs, spec, control)?;
    let share = comparison.rejected as f64 / spec.draws.max(1) as f64;
    if share > spec.max_rejected {
        return Err(Error::Runtime(format!(
            "{} of {} draws ({:.2} %) failed the numerical guard under the baseline or a variant (limit {:.2} %)",
            comparison.rejected,
            spec.draws,
            100.0 * share,
            100.0 * spec.max_rejected
        )));
    }
    Ok((vs, comparison))
}

/// Compares `variants` with `base` on the draws of `spec` and writes `compare.csv`
/// into the results folder `dir` (new, empty or wfmc's); where the folder holds a
/// run's results, its `report.html` is rebuilt with the comparison.
pub fn compare_to_folder(
    base: &Config,
    variants_: &[VariantSpec],
    spec: &RunSpec,
    dir: &Path,
    control: &Control,
) -> Result<CompareOutcome, Error> {
    spec.validate()?;
    // The folder is checked (and locked) before any work.
    let st = Staging::new(dir, &Inputs::none())?;
    // Its report would show the run beside a comparison of another baseline.
    if let Ok(m) = results::read_json(dir, results::MANIFEST_FILE)
        && let Some(hash) = m["config"]["hash"].as_str()
        && hash != base.hash()
    {
        return Err(Error::Input(format!(
            "{} holds a run of another config or other overrides (hash {hash}, the baseline's is {}): \
             compare into another --out, or give the run's --config, --stress and --set",
            dir.display(),
            base.hash()
        )));
    }
    let (vs, comparison) = compare(base, variants_, spec, control)?;
    let names: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
    let text = results::compare::write(&comparison, &names);
    st.keep_existing(|f| f == results::compare::FILE)?;
    st.write(results::compare::FILE, text.as_bytes())?;
    // A run's folder gets its page rebuilt with the comparison, in the same swap.
    if st.path().join(results::bands::FILE).exists() {
        crate::report::html::write(st.path(), false)?;
    }
    control.check()?;
    let path = st.commit()?.join(results::compare::FILE);
    Ok(CompareOutcome {
        variants: vs,
        comparison,
        path,
    })
}
