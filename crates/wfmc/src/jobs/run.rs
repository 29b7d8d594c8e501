//! Runs of the Monte Carlo model: into a results folder, or kept in memory and
//! written later; merging shards; rebuilding a folder's report.

use super::{Context, DEFAULT_DRAWS, DEFAULT_SOBOL_ROWS, DrawSettings, Output, UNTIL_DRAWS};
use crate::config::Config;
use crate::engine::{self, RunSpec, RunState, Sampling, Shard, until};
use crate::error::{Error, Setting};
use crate::files::{Inputs, Staging};
use crate::results::partial;
use crate::results::registry::{self, RunFiles};
use crate::stats::Summary;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A run of the Monte Carlo model.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// Draws (default [`DEFAULT_DRAWS`]; with `until`, the cap, default
    /// [`UNTIL_DRAWS`]), seed, threads, sampling and the guard's limit.
    pub draws: DrawSettings,
    /// Precision targets `NAME=SE` (`p_shortfall_se`, `percentile_se`, `mean_se`):
    /// draw until every one is met.
    pub until: Vec<String>,
    /// Make only this shard of the run (a partial result for a merge).
    pub shard: Option<Shard>,
    /// Rows of the Sobol design computed with the run (default
    /// [`DEFAULT_SOBOL_ROWS`]; 0: none).
    pub sobol_rows: Option<usize>,
    /// The results folder.
    pub out: Output,
    /// Also write the charts as PNG.
    pub png: bool,
    /// The command line recorded in the manifest.
    pub command: String,
}

/// What a request resolves to.
struct Plan {
    spec: RunSpec,
    targets: Vec<until::Target>,
    sobol_rows: usize,
}

/// Checks that PNG charts can be written, before any work.
pub(crate) fn check_png(png: bool) -> Result<(), Error> {
    if png && !crate::report::charts::PNG_SUPPORTED {
        return Err(Error::setting(
            Setting::Png,
            "",
            "this wfmc was built without PNG support (its cargo feature `png`)",
        ));
    }
    Ok(())
}

/// Checks the rows of the Sobol design computed with a run: 0 (none) or enough for
/// its bootstrap blocks.
fn check_sobol_rows(rows: usize) -> Result<(), Error> {
    let min = 2 * crate::sensitivity::sobol::BLOCKS;
    if rows != 0 && rows < min {
        return Err(Error::setting(
            Setting::SobolRows,
            rows,
            format!("0 (no Sobol indices) or at least {min} rows"),
        ));
    }
    Ok(())
}

impl RunRequest {
    /// The draws this process will make (a shard's share), or for a run with
    /// precision targets 0 (it stops where its checks say); 0 too if the request
    /// is not valid.
    pub fn planned_draws(&self) -> u64 {
        match self.plan() {
            Ok(p) if p.targets.is_empty() => p.spec.shard_draws(),
            _ => 0,
        }
    }

    fn plan(&self) -> Result<Plan, Error> {
        check_png(self.png)?;
        let sobol_rows = self.sobol_rows.unwrap_or(DEFAULT_SOBOL_ROWS);
        check_sobol_rows(sobol_rows)?;
        let targets = self
            .until
            .iter()
            .map(|t| t.parse::<until::Target>())
            .collect::<Result<Vec<_>, _>>()?;
        let cap = if targets.is_empty() {
            DEFAULT_DRAWS
        } else {
            UNTIL_DRAWS
        };
        let mut spec = self.draws.spec(cap, Sampling::Rqmc)?;
        if let Some(s) = self.shard {
            if !targets.is_empty() {
                return Err(Error::setting(
                    Setting::Shard,
                    s,
                    "a run with precision targets stops where its checks say, so it cannot be split into shards; give shards a fixed number of draws",
                ));
            }
            spec.shard = s;
        }
        Ok(Plan {
            spec,
            targets,
            sobol_rows,
        })
    }
}

/// What a run with precision targets did.
#[derive(Debug, Clone, PartialEq)]
pub struct UntilReport {
    /// Every target met (else the cap on draws stopped the run).
    pub met: bool,
    /// The draws made.
    pub draws: u64,
    /// The cap on draws.
    pub cap: u64,
    /// The last check of the standard errors against the targets.
    pub check: until::Check,
}

/// A run held in memory: its statistics and everything its files need, written
/// to a folder later or read file by file ([`Run::file`]).
#[derive(Debug, Clone)]
pub struct Run {
    cfg: Config,
    spec: RunSpec,
    state: RunState,
    summary: Summary,
    label: String,
    sobol_rows: usize,
    until: Option<(serde_json::Value, UntilReport)>,
}

/// What a run (or a merge) that wrote a results folder produced.
#[derive(Debug)]
pub struct RunOutcome {
    dims: crate::dims::SharedDims,
    /// The results folder.
    pub dir: PathBuf,
    /// The statistics (for a shard, of its draws only).
    pub summary: Summary,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Worker threads used.
    pub threads: usize,
    /// The share of the run made (`1/1`: all of it).
    pub shard: Shard,
    /// The numerical guard's account of rejected draws, if it rejected any.
    pub rejected: Option<String>,
    /// Leftovers of stopped processes found beside the folder, for the user.
    pub notes: Vec<String>,
    /// For a run with precision targets, what they did.
    pub until: Option<UntilReport>,
}

impl RunOutcome {
    /// The table a whole run prints: the last year's P(shortfall) and gap per area.
    pub fn table(&self) -> String {
        crate::report::run::terminal_table(&self.dims, &self.summary)
    }

    /// Draws per second.
    pub fn rate(&self) -> f64 {
        self.summary.draws as f64 / self.seconds.max(1e-9)
    }
}

/// Runs `req` on `cfg` and keeps the result in memory.
pub fn run_in_memory(cfg: &Config, req: &RunRequest, ctx: &Context) -> Result<Run, Error> {
    let plan = req.plan()?;
    draw(cfg, plan, ctx)
}

/// Runs `req` on `cfg` and writes its results folder (all or nothing; a shard
/// writes its partial result and manifest only). The folder is checked and locked
/// before any work.
pub fn run(cfg: &Config, req: &RunRequest, ctx: &Context) -> Result<RunOutcome, Error> {
    let plan = req.plan()?;
    let dir = req
        .out
        .folder(cfg)
        .ok_or_else(|| Error::setting(Setting::Out, "", "a run written to disk needs a folder"))?;
    let st = Staging::new(&dir, &Inputs::none())?;
    let t0 = Instant::now();
    let run = draw(cfg, plan, ctx)?;
    run.write_staged(st, t0, &req.command, req.png, ctx)
}

fn draw(cfg: &Config, plan: Plan, ctx: &Context) -> Result<Run, Error> {
    let Plan {
        spec,
        targets,
        sobol_rows,
    } = plan;
    if targets.is_empty() {
        let state = engine::run(cfg, &spec, ctx.control)?;
        state.check_rejected(spec.max_rejected)?;
        return Ok(Run::new(
            cfg,
            spec.clone(),
            state,
            spec.shard.to_string(),
            sobol_rows,
            None,
        ));
    }
    let out = until::run(cfg, &spec, &targets, ctx.control, ctx.on_check)?;
    out.state.check_rejected(spec.max_rejected)?;
    let doc = serde_json::json!({
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
    let report = UntilReport {
        met: out.met,
        draws: out.spec.draws,
        cap: spec.draws,
        check: out.check,
    };
    Ok(Run::new(
        cfg,
        out.spec,
        out.state,
        Shard::ALL.to_string(),
        sobol_rows,
        Some((doc, report)),
    ))
}

impl Run {
    fn new(
        cfg: &Config,
        spec: RunSpec,
        state: RunState,
        label: String,
        sobol_rows: usize,
        until: Option<(serde_json::Value, UntilReport)>,
    ) -> Run {
        Run {
            cfg: cfg.clone(),
            summary: state.summary(),
            spec,
            state,
            label,
            sobol_rows,
            until,
        }
    }

    /// The config the run was made with.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The statistics of its draws.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Draws that entered the statistics.
    pub fn draws(&self) -> u64 {
        self.summary.draws
    }

    /// Draws the numerical guard rejected.
    pub fn rejected(&self) -> u64 {
        self.summary.rejected
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.spec.seed
    }

    /// Rows of the Sobol design its folder computes (0: none).
    pub fn sobol_rows(&self) -> usize {
        self.sobol_rows
    }

    /// What its precision targets did, for a run with targets.
    pub fn until(&self) -> Option<&UntilReport> {
        self.until.as_ref().map(|(_, r)| r)
    }

    fn files<'a>(&'a self, command: &'a str, seconds: f64) -> RunFiles<'a> {
        RunFiles {
            cfg: &self.cfg,
            spec: &self.spec,
            state: &self.state,
            summary: &self.summary,
            label: &self.label,
            command,
            sobol_rows: self.sobol_rows,
            until: self.until.as_ref().map(|(d, _)| d),
            seconds,
        }
    }

    /// The bytes of results file `name` for this run, `command` recorded in its
    /// manifest; an error names the files a run has.
    pub fn file(&self, name: &str, command: &str) -> Result<Vec<u8>, Error> {
        let unknown = || {
            Error::Input(format!(
                "`{name}` is not a file of a run's results; they are {}",
                registry::run_file_names().join(", ")
            ))
        };
        let f = registry::find(name)
            .filter(|f| f.producer() == registry::Producer::Run)
            .ok_or_else(unknown)?;
        f.write(&self.files(command, 0.0))?.ok_or_else(|| {
            Error::Input(format!(
                "this run has no {name} (a shard has only its partial result and manifest; Sobol indices need sobol rows)"
            ))
        })
    }

    /// One statistic of one metric for every scenario × area (then the total) ×
    /// year. `metric` is a `bands.csv` metric with `stat` one of its statistics
    /// (`mean`, `sd`, `se_mean`, `p5` … `p95`), or a `shortfall.csv` column
    /// (`p_shortfall`, `se`, `expected_shortfall`, `expected_shortfall_se`), for
    /// which `stat` is ignored.
    pub fn cube(&self, metric: &str, stat: &str) -> Result<ndarray::Array3<f64>, Error> {
        use crate::stats::{PERCENTILES, ShortStat, Stat};
        let short = match metric {
            "p_shortfall" => Some(ShortStat::P),
            "se" => Some(ShortStat::PSe),
            "expected_shortfall" => Some(ShortStat::Expected),
            "expected_shortfall_se" => Some(ShortStat::ExpectedSe),
            _ => None,
        };
        if let Some(s) = short {
            return Ok(self.summary.shortfall_cube(s));
        }
        let dims = &self.cfg.dims;
        let m = dims.metric(metric).ok_or_else(|| {
            Error::setting(
                Setting::Metric,
                metric,
                format!(
                    "valid metrics are {}, p_shortfall, se, expected_shortfall, expected_shortfall_se",
                    dims.metric_keys().join(", ")
                ),
            )
        })?;
        let st = match stat {
            "mean" => Stat::Mean,
            "sd" => Stat::Sd,
            "se_mean" => Stat::SeMean,
            p => match PERCENTILES.iter().find(|(k, _)| *k == p) {
                Some((_, q)) => Stat::Percentile(*q),
                None => {
                    let mut valid = vec!["mean", "sd", "se_mean"];
                    valid.extend(PERCENTILES.iter().map(|(k, _)| *k));
                    return Err(Error::Input(format!(
                        "stat `{stat}`: valid statistics are {}",
                        valid.join(", ")
                    )));
                }
            },
        };
        Ok(self.summary.cube(m, st))
    }

    /// One statistic (`mean`, `sd`, `se_mean`, `p5` … `p95`) of the series named by
    /// `metric`, `scenario`, `area` (or `total`) and calendar `year`, with its Monte
    /// Carlo standard error (NaN for `se_mean`).
    pub fn stat(
        &self,
        metric: &str,
        scenario: &str,
        area: &str,
        year: u32,
        stat: &str,
    ) -> Result<(f64, f64), Error> {
        let s = self
            .cfg
            .dims
            .series(metric, scenario, area, year)
            .map_err(|e| Error::setting(Setting::Outcome, "", e))?;
        let st = self.summary.of(&s);
        let q = crate::stats::PERCENTILES
            .iter()
            .position(|(k, _)| *k == stat);
        Ok(match (stat, q) {
            ("mean", _) => (st.mean, st.se_mean),
            ("sd", _) => (st.sd, st.se_sd),
            ("se_mean", _) => (st.se_mean, f64::NAN),
            (_, Some(i)) => (st.percentiles[i], st.se_percentiles[i]),
            _ => {
                return Err(Error::Input(format!(
                    "stat `{stat}`: valid statistics are mean, sd, se_mean, p5, p10, p25, p50, p75, p90, p95"
                )));
            }
        })
    }

    /// P(shortfall) of `scenario`, `area` (or `total`) in calendar `year`, with its
    /// standard error.
    pub fn p_shortfall(&self, scenario: &str, area: &str, year: u32) -> Result<(f64, f64), Error> {
        let s = self
            .cfg
            .dims
            .series("gap", scenario, area, year)
            .map_err(|e| Error::setting(Setting::Outcome, "", e))?;
        let sh =
            &self.summary.shortfall[self.summary.layout.short_slot(s.scenario, s.area, s.year)];
        Ok((sh.p, sh.se))
    }

    /// The shard's partial result: the bytes of its `partial.wfmc`.
    pub fn partial_bytes(&self) -> Vec<u8> {
        partial::encode(
            &partial::PartialHeader::new(&self.cfg, &self.spec, self.sobol_rows),
            &self.state,
        )
    }

    /// Writes the results folder `dir` (new, empty or wfmc's), whole or not at all:
    /// the files a run into `dir` writes for these draws.
    pub fn write(
        &self,
        dir: &Path,
        command: &str,
        png: bool,
        ctx: &Context,
    ) -> Result<RunOutcome, Error> {
        check_png(png)?;
        let st = Staging::new(dir, &Inputs::none())?;
        self.write_staged(st, Instant::now(), command, png, ctx)
    }

    fn write_staged(
        &self,
        st: Staging,
        t0: Instant,
        command: &str,
        png: bool,
        ctx: &Context,
    ) -> Result<RunOutcome, Error> {
        let machine = crate::results::manifest::MACHINE_FILE;
        let files = self.files(command, 0.0);
        for f in registry::FILES.iter().filter(|f| f.name() != machine) {
            if f.producer() == registry::Producer::Run
                && let Some(bytes) = f.write(&files)?
            {
                st.write(f.name(), &bytes)?;
            }
        }
        let whole = self.spec.shard == Shard::ALL;
        if whole {
            crate::report::html::write(st.path(), png)?;
        }
        let seconds = t0.elapsed().as_secs_f64();
        if let Some(bytes) =
            registry::ResultFile::write(&registry::MachineFile, &self.files(command, seconds))?
        {
            st.write(machine, &bytes)?;
        }
        ctx.control.check()?;
        let notes = st.notes().to_vec();
        let dir = st.commit()?;
        let guard = &self.state.guard;
        Ok(RunOutcome {
            dims: self.cfg.dims.clone(),
            dir,
            summary: self.summary.clone(),
            seconds,
            threads: self.spec.threads,
            shard: self.spec.shard,
            rejected: (guard.total() > 0)
                .then(|| guard.describe(self.summary.draws + guard.total())),
            notes,
            until: self.until().cloned(),
        })
    }
}

/// A merge of shards' partial results into the whole run's results folder.
#[derive(Debug, Clone, Default)]
pub struct MergeRequest {
    /// The partial results: shard folders or their `partial.wfmc` files.
    pub parts: Vec<PathBuf>,
    /// The results folder to write (required).
    pub out: Option<PathBuf>,
    /// Worker threads for the Sobol indices (default: every core).
    pub threads: Option<usize>,
    /// The numerical guard's largest share of rejected draws.
    pub max_rejected: Option<f64>,
    /// Also write the charts as PNG.
    pub png: bool,
    /// The command line recorded in the manifest.
    pub command: String,
}

/// Verifies and merges decoded partials of `cfg`: one run's shards, each chunk
/// once, made from this config. Returns the merged run.
fn merge_parts(
    cfg: &Config,
    parts: Vec<(partial::PartialHeader, RunState)>,
    threads: usize,
    max_rejected: f64,
) -> Result<Run, Error> {
    let n = parts.len();
    let (header, state) = partial::merge(parts)?;
    if header.config_hash != cfg.hash() {
        return Err(Error::setting(
            Setting::Config,
            &cfg.origin,
            format!(
                "the partials were made from config {} ({}), not this one ({}); give the config and overrides the shards ran",
                header.config_origin,
                header.config_hash,
                cfg.hash()
            ),
        ));
    }
    state.check_rejected(max_rejected)?;
    let spec = RunSpec {
        threads,
        shard: Shard::ALL,
        max_rejected,
        ..header.spec().map_err(Error::Input)?
    };
    Ok(Run::new(
        cfg,
        spec,
        state,
        format!("merged from {n}"),
        header.sobol_rows,
        None,
    ))
}

fn merge_threads(threads: Option<usize>) -> Result<usize, Error> {
    let t = threads.unwrap_or_else(engine::default_threads);
    RunSpec {
        threads: t,
        ..RunSpec::default()
    }
    .validate()?;
    Ok(t)
}

/// Merges shard partials (files or shard folders) into a full results folder,
/// byte-identical to the unsharded run apart from `manifest.json` and
/// `machine.json`; computes the Sobol indices the shards asked for. Every partial
/// is verified before it is used.
pub fn merge(cfg: &Config, req: &MergeRequest, ctx: &Context) -> Result<RunOutcome, Error> {
    check_png(req.png)?;
    let threads = merge_threads(req.threads)?;
    let max_rejected = req.max_rejected.unwrap_or(super::DEFAULT_MAX_REJECTED);
    let dir = req.out.as_ref().ok_or_else(|| {
        Error::setting(
            Setting::Out,
            "",
            "a merge needs the results folder to write",
        )
    })?;
    let st = Staging::new(dir, &Inputs::of(&req.parts))?;
    let t0 = Instant::now();
    let expect = partial::Expect::of(cfg);
    let mut read = Vec::with_capacity(req.parts.len());
    for p in &req.parts {
        ctx.control.check()?;
        read.push(partial::read(p, &expect)?);
    }
    let run = merge_parts(cfg, read, threads, max_rejected)?;
    ctx.control.check()?;
    run.write_staged(st, t0, &req.command, req.png, ctx)
}

/// Verifies and merges shard partials given as bytes (what [`Run::partial_bytes`]
/// gives, or `partial.wfmc` files read), keeping the whole run in memory.
pub fn merge_in_memory(
    cfg: &Config,
    parts: &[Vec<u8>],
    threads: Option<usize>,
    max_rejected: Option<f64>,
    ctx: &Context,
) -> Result<Run, Error> {
    let threads = merge_threads(threads)?;
    let expect = partial::Expect::of(cfg);
    let mut read = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        ctx.control.check()?;
        read.push(
            partial::decode(p, &expect).map_err(|e| Error::Input(format!("partial {i}: {e}")))?,
        );
    }
    merge_parts(
        cfg,
        read,
        threads,
        max_rejected.unwrap_or(super::DEFAULT_MAX_REJECTED),
    )
}

/// Rebuilds `plots/` and `report.html` of the results folder `dir` from its files,
/// without re-running; the folder is replaced whole when the new page is complete.
/// Returns the number of charts.
pub fn report(dir: &Path, png: bool, ctx: &Context) -> Result<usize, Error> {
    check_png(png)?;
    crate::files::require_ours(dir)?;
    let st = Staging::new(dir, &Inputs::none())?;
    st.keep_existing(|f| f.starts_with("plots/") || f == "report.html")?;
    let n = crate::report::html::write(st.path(), png)?;
    ctx.control.check()?;
    st.commit()?;
    Ok(n)
}
