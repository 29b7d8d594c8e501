//! `wfmc._wfmc`: the Python binding of the wfmc library. It only translates
//! arguments into the library's typed requests ([`wfmc::jobs`]) and hands back
//! what they return: CSV and JSON text exactly as the CLI writes it (the Python
//! layer in `wfmc/` turns it into DataFrames and dicts) and numpy arrays. Errors
//! are worded with the package's keyword names ([`Keywords`]).
//!
//! Every job runs with the GIL released, on a thread of its own, while the calling
//! thread polls for signals: Ctrl-C (KeyboardInterrupt) cancels the job at its next
//! chunk, and an optional progress callback is called with `(done, total)`.

use numpy::{IntoPyArray, PyArray1, PyArray3, PyArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::atomic::Ordering;
use std::time::Duration;
use wfmc::jobs::{
    self, Context, Control, DrawSettings, Hint, Output, OverrideSource, Setting, Words,
};

create_exception!(
    _wfmc,
    ConfigError,
    PyValueError,
    "A problem with a config, an override or an input file, located where it is (file, line, column)."
);
create_exception!(
    _wfmc,
    RunError,
    PyRuntimeError,
    "A run that failed: I/O, or the numerical guard rejected too many draws."
);

/// How the package words the library's errors: a setting by its keyword
/// argument, an override by the `set` entry that gave it.
struct Keywords;

impl Words for Keywords {
    fn setting(&self, s: Setting) -> String {
        let name = match s {
            Setting::Intervention => "interventions",
            Setting::Variant => "variants",
            Setting::SobolN => "n",
            Setting::Out => "folder",
            Setting::Outcome => "outputs",
            s => s.name(),
        };
        name.to_string()
    }

    fn source(&self, o: &OverrideSource) -> String {
        match o {
            OverrideSource::Set { path, value } => format!("set={{{path:?}: {value}}}"),
            OverrideSource::Stress {
                profile,
                path,
                value,
            } => format!("stress {profile}: {path} = {value}"),
            OverrideSource::Intervention { name } => format!("interventions=[{name:?}]"),
            OverrideSource::Vary { path, value } => format!("sweep {path}={value}"),
        }
    }

    fn hint(&self, h: &Hint) -> String {
        match h {
            Hint::ListPaths => "Config.paths() lists them all".into(),
            Hint::ListProfiles => "see Config.stress_profiles()".into(),
            Hint::SkipMissing => "pass allow_missing=\"skip\" (or set `missing = \"skip\"` under [forecasters]) to average over those who answered".into(),
            Hint::Overwrite => "wfmc does not replace it unless told to overwrite".into(),
            Hint::SweepParts => "make parts with sharded sweeps".into(),
            Hint::RaiseMaxRejected => "raise max_rejected to accept the loss".into(),
        }
    }
}

/// Maps a library error to its Python exception.
fn err(e: jobs::Error) -> PyErr {
    let m = e.message(&Keywords);
    match e {
        // A config, an override or an input file: the config's error.
        jobs::Error::Setting(ref i)
            if matches!(
                i.setting,
                Setting::Config
                    | Setting::Stress
                    | Setting::Intervention
                    | Setting::Set
                    | Setting::Vary
                    | Setting::AllowMissing
                    | Setting::Out
            ) =>
        {
            ConfigError::new_err(m)
        }
        jobs::Error::Setting(_) => PyValueError::new_err(m),
        jobs::Error::Config(_) | jobs::Error::Input(_) => ConfigError::new_err(m),
        jobs::Error::Interrupted => PyKeyboardInterrupt::new_err("interrupted"),
        _ => RunError::new_err(m),
    }
}

/// Runs `job` without the GIL on a thread of its own; meanwhile the calling thread
/// checks for signals (a KeyboardInterrupt cancels the job through `control`) and
/// calls `progress(done, total)` about ten times a second.
fn blocking<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    total: u64,
    job: impl FnOnce(&Control) -> Result<T, jobs::Error> + Send,
) -> PyResult<T> {
    let control = Control::default();
    let mut raised: Option<PyErr> = None;
    let mut shown = u64::MAX;
    let outcome = py.detach(|| {
        std::thread::scope(|s| {
            let handle = s.spawn(|| job(&control));
            let mut tick = 0u32;
            while !handle.is_finished() {
                std::thread::sleep(Duration::from_millis(5));
                tick += 1;
                Python::attach(|py| {
                    if raised.is_none()
                        && let Err(e) = py.check_signals()
                    {
                        control.cancel.store(true, Ordering::Relaxed);
                        raised = Some(e);
                    }
                    if let Some(p) = &progress
                        && tick.is_multiple_of(20)
                        && raised.is_none()
                    {
                        let done = control.done.load(Ordering::Relaxed);
                        if done != shown {
                            shown = done;
                            if let Err(e) = p.bind(py).call1((done, total)) {
                                control.cancel.store(true, Ordering::Relaxed);
                                raised = Some(e);
                            }
                        }
                    }
                });
            }
            handle.join()
        })
    });
    if let Some(e) = raised {
        return Err(e);
    }
    let res = outcome.map_err(|_| RunError::new_err("internal error: the job panicked"))?;
    if let Some(p) = &progress {
        p.bind(py).call1((total, total))?;
    }
    res.map_err(err)
}

/// A config with its stress profiles and overrides applied.
#[pyclass(frozen, module = "wfmc._wfmc")]
struct Config {
    cfg: jobs::Config,
}

#[pymethods]
impl Config {
    /// Loads a config file, or the built-in config when `path` is None.
    #[staticmethod]
    #[pyo3(signature = (path=None, allow_missing=None))]
    fn load(path: Option<std::path::PathBuf>, allow_missing: Option<String>) -> PyResult<Config> {
        let req = jobs::ConfigRequest {
            path,
            allow_missing,
            ..Default::default()
        };
        Ok(Config {
            cfg: req.load().map_err(err)?,
        })
    }

    /// This config with the stress profiles `stress` applied in order, then the
    /// overrides `set` (`PATH=VALUE` strings).
    fn with_overrides(&self, stress: Vec<String>, set: Vec<String>) -> PyResult<Config> {
        Ok(Config {
            cfg: jobs::apply(&self.cfg, &stress, &[], &set).map_err(err)?,
        })
    }

    /// The paths an override may set.
    fn paths(&self) -> Vec<String> {
        jobs::listing(&self.cfg).paths
    }

    /// The stress profiles: (name, description, overrides as `PATH=VALUE`).
    fn stress_profiles(&self) -> Vec<(String, String, Vec<String>)> {
        jobs::listing(&self.cfg)
            .profiles
            .into_iter()
            .map(|(n, d, set)| (n, d, set.iter().map(|(k, v)| format!("{k}={v}")).collect()))
            .collect()
    }

    /// The point model with every input at its base value, as `wfmc point --format csv`.
    fn point_csv(&self) -> PyResult<String> {
        jobs::point(&self.cfg, jobs::PointFormat::Csv).map_err(err)
    }

    /// The config's name (its default results folder is `results/<name>`).
    #[getter]
    fn name(&self) -> String {
        self.cfg.name.clone()
    }

    /// Where the config came from.
    #[getter]
    fn origin(&self) -> String {
        self.cfg.origin.clone()
    }

    /// The config's hash, as recorded in manifests and partials.
    #[getter]
    fn hash(&self) -> String {
        self.cfg.hash()
    }

    /// The named inputs a draws table can carry (config paths).
    fn inputs(&self) -> Vec<String> {
        jobs::inputs(&self.cfg)
    }

    /// Scenario keys, in the order of a cube's first axis.
    fn scenarios(&self) -> Vec<String> {
        jobs::view::shape(&self.cfg)
            .scenarios
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    /// Area keys then `total`, in the order of a cube's second axis.
    fn areas(&self) -> Vec<String> {
        let mut v: Vec<String> = jobs::view::shape(&self.cfg)
            .areas
            .into_iter()
            .map(|a| a.key)
            .collect();
        v.push("total".into());
        v
    }

    /// Calendar years, in the order of a cube's third axis.
    fn years(&self) -> Vec<u32> {
        jobs::view::shape(&self.cfg).years
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_settings(
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    sampling: &str,
) -> PyResult<DrawSettings> {
    Ok(DrawSettings {
        draws: Some(draws),
        seed: Some(seed),
        threads,
        sampling: Some(sampling.parse().map_err(PyValueError::new_err)?),
        max_rejected: Some(max_rejected),
        shortfall: None,
    })
}

/// The outcome of a run or of a merge of shards, in memory.
#[pyclass(frozen, module = "wfmc._wfmc")]
struct Results {
    run: jobs::Run,
}

impl Results {
    fn text(&self, name: &str, command: &str) -> PyResult<String> {
        let bytes = self.run.file(name, command).map_err(err)?;
        String::from_utf8(bytes).map_err(|e| RunError::new_err(e.to_string()))
    }
}

#[pymethods]
impl Results {
    /// `bands.csv`, as `wfmc run` writes it.
    fn bands_csv(&self) -> PyResult<String> {
        self.text("bands.csv", "")
    }

    /// `shortfall.csv`, as `wfmc run` writes it.
    fn shortfall_csv(&self) -> PyResult<String> {
        self.text("shortfall.csv", "")
    }

    /// `summary.json`, as `wfmc run` writes it.
    fn summary_json(&self) -> PyResult<String> {
        self.text("summary.json", "")
    }

    /// `manifest.json`, with `command` as the command recorded.
    fn manifest_json(&self, command: &str) -> PyResult<String> {
        self.text("manifest.json", command)
    }

    /// `correlation.csv` (Spearman rank correlations of inputs with outputs).
    fn correlation_csv(&self) -> PyResult<String> {
        self.text("correlation.csv", "")
    }

    /// Any file of the run's results folder, by name, as text.
    fn file(&self, name: &str, command: &str) -> PyResult<String> {
        self.text(name, command)
    }

    /// Draws that entered the statistics.
    #[getter]
    fn draws(&self) -> u64 {
        self.run.draws()
    }

    /// Draws the numerical guard rejected.
    #[getter]
    fn rejected(&self) -> u64 {
        self.run.rejected()
    }

    /// Seed of the run.
    #[getter]
    fn seed(&self) -> u64 {
        self.run.seed()
    }

    /// Rows of the Sobol design `write` computes (0: none).
    #[getter]
    fn sobol_rows(&self) -> usize {
        self.run.sobol_rows()
    }

    /// One statistic of one metric for every scenario × area (then the total) ×
    /// year, as a numpy array of shape (scenarios, areas + 1, years).
    fn cube<'py>(
        &self,
        py: Python<'py>,
        metric: &str,
        stat: &str,
    ) -> PyResult<Bound<'py, PyArray3<f64>>> {
        Ok(self.run.cube(metric, stat).map_err(err)?.into_pyarray(py))
    }

    /// Writes the results folder `dir` (new, empty or a results folder of wfmc's),
    /// whole or not at all: the files `wfmc run --out dir` writes for these draws.
    /// Returns the folder.
    #[pyo3(signature = (dir, command, png=false))]
    fn write(
        &self,
        py: Python<'_>,
        dir: std::path::PathBuf,
        command: String,
        png: bool,
    ) -> PyResult<std::path::PathBuf> {
        let run = &self.run;
        let out = blocking(py, None, 0, move |control| {
            run.write(&dir, &command, png, &Context::new(control))
        })?;
        Ok(out.dir)
    }
}

/// Runs `draws` draws of `config`; with `until` targets (`NAME=SE`), runs until
/// they are met with `draws` as the cap.
#[pyfunction]
#[pyo3(signature = (config, draws, seed, threads, max_rejected, sobol_rows, sampling, until, progress=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    config: &Config,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    sobol_rows: usize,
    sampling: &str,
    until: Vec<String>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Results> {
    let req = jobs::RunRequest {
        draws: draw_settings(draws, seed, threads, max_rejected, sampling)?,
        until,
        sobol_rows: Some(sobol_rows),
        out: Output::Memory,
        ..Default::default()
    };
    let total = req.planned_draws();
    let progress = if req.until.is_empty() { progress } else { None };
    let cfg = &config.cfg;
    let run = blocking(py, progress, total, |control| {
        jobs::run_in_memory(cfg, &req, &Context::new(control))
    })?;
    Ok(Results { run })
}

/// Runs shard `index` of `count` of a run and returns its partial result: the bytes
/// of the `partial.wfmc` the CLI's `run --shard` writes.
#[pyfunction]
#[pyo3(signature = (config, index, count, draws, seed, threads, max_rejected, sobol_rows, sampling, progress=None))]
#[allow(clippy::too_many_arguments)]
fn run_shard<'py>(
    py: Python<'py>,
    config: &Config,
    index: u64,
    count: u64,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    sobol_rows: usize,
    sampling: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let shard: jobs::Shard = format!("{index}/{count}")
        .parse()
        .map_err(|e: String| PyValueError::new_err(format!("shard {index}/{count}: {e}")))?;
    let req = jobs::RunRequest {
        draws: draw_settings(draws, seed, threads, max_rejected, sampling)?,
        shard: Some(shard),
        sobol_rows: Some(sobol_rows),
        out: Output::Memory,
        ..Default::default()
    };
    let cfg = &config.cfg;
    let bytes = blocking(py, progress, req.planned_draws(), |control| {
        Ok(jobs::run_in_memory(cfg, &req, &Context::new(control))?.partial_bytes())
    })?;
    Ok(PyBytes::new(py, &bytes))
}

/// Verifies and merges shard partials (bytes from `run_shard` or `partial.wfmc`
/// files) of `config` into the results of the whole run.
#[pyfunction]
#[pyo3(signature = (config, partials, threads, max_rejected))]
fn merge(
    py: Python<'_>,
    config: &Config,
    partials: Vec<Vec<u8>>,
    threads: Option<usize>,
    max_rejected: f64,
) -> PyResult<Results> {
    let cfg = &config.cfg;
    let run = blocking(py, None, 0, |control| {
        jobs::merge_in_memory(
            cfg,
            &partials,
            threads,
            Some(max_rejected),
            &Context::new(control),
        )
    })?;
    Ok(Results { run })
}

/// `tornado.csv` of `config`.
#[pyfunction]
fn tornado_csv(py: Python<'_>, config: &Config) -> PyResult<String> {
    let cfg = &config.cfg;
    let req = jobs::TornadoRequest {
        out: Output::Memory,
    };
    blocking(py, None, 0, |control| {
        Ok(jobs::tornado(cfg, &req, &Context::new(control))?.csv())
    })
}

/// `sobol.csv` of `config` from `n` rows of the design.
#[pyfunction]
#[pyo3(signature = (config, n, seed, threads))]
fn sobol_csv(
    py: Python<'_>,
    config: &Config,
    n: usize,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<String> {
    let cfg = &config.cfg;
    let req = jobs::SobolRequest {
        rows: Some(n),
        seed: Some(seed),
        threads,
        out: Output::Memory,
    };
    blocking(py, None, 0, |control| {
        Ok(jobs::sobol(cfg, &req, &Context::new(control))?.csv())
    })
}

/// `compare.csv` of `config` against `variants`: (name, stress profiles,
/// interventions, overrides `PATH=VALUE`), on the same draws.
#[pyfunction]
#[pyo3(signature = (config, variants, draws, seed, threads, max_rejected, sampling, progress=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn compare_csv(
    py: Python<'_>,
    config: &Config,
    variants: Vec<(String, Vec<String>, Vec<String>, Vec<String>)>,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    sampling: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let req = jobs::CompareRequest {
        variants: variants
            .into_iter()
            .map(|(name, stress, interventions, set)| jobs::VariantSpec {
                name,
                stress,
                interventions,
                set,
            })
            .collect(),
        draws: draw_settings(draws, seed, threads, max_rejected, sampling)?,
        year: None,
        out: Output::Memory,
    };
    let cfg = &config.cfg;
    blocking(py, progress, req.planned_draws(), |control| {
        Ok(jobs::compare(cfg, &req, &Context::new(control))?.csv())
    })
}

#[allow(clippy::type_complexity)]
fn decision_settings(
    variants: Vec<(String, Vec<String>, Vec<String>, Vec<String>)>,
    draws: jobs::DrawSettings,
    scenario: Option<String>,
    year: Option<u32>,
) -> jobs::DecisionSettings {
    jobs::DecisionSettings {
        options: variants
            .into_iter()
            .map(|(name, stress, interventions, set)| jobs::VariantSpec {
                name,
                stress,
                interventions,
                set,
            })
            .collect(),
        draws,
        scenario,
        year,
        out: Output::Memory,
    }
}

/// `discovery.csv` of a scenario discovery of when `area` (or `total`) falls short,
/// and the chosen box as sentences.
#[pyfunction]
#[pyo3(signature = (config, area, option, threshold, step, variants, draws, seed, threads, max_rejected, scenario, year, points=false, progress=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn discover_csv<'py>(
    py: Python<'py>,
    config: &Config,
    area: String,
    option: Option<String>,
    threshold: Option<f64>,
    step: Option<usize>,
    variants: Vec<(String, Vec<String>, Vec<String>, Vec<String>)>,
    draws: Option<u64>,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    scenario: Option<String>,
    year: Option<u32>,
    points: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<(String, String, Option<(Bound<'py, PyAny>, Vec<String>)>)> {
    let mut d = draw_settings(0, seed, threads, max_rejected, "rqmc")?;
    d.draws = draws;
    let req = jobs::DiscoverRequest {
        settings: decision_settings(variants, d, scenario, year),
        area,
        option,
        threshold,
        step,
    };
    let cfg = &config.cfg;
    let planned = 2 * draws.unwrap_or(jobs::DEFAULT_DECISION_DRAWS);
    let o = blocking(py, progress, planned, |control| {
        jobs::discover(cfg, &req, &Context::new(control))
    })?;
    let (csv, sentences) = (o.csv(), o.sentences());
    let table = if points {
        // Draw-major, the inputs then the case flag, as PRIM and CART saw them.
        let (n, k) = (o.short.len(), o.inputs.len() + 1);
        let mut values = Vec::with_capacity(n * k);
        for i in 0..n {
            values.extend(o.x.iter().map(|col| col[i]));
            values.push(if o.short[i] { 1.0 } else { 0.0 });
        }
        let arr = PyArray1::from_vec(py, values).reshape([n, k])?;
        let mut labels = o.inputs.clone();
        labels.push("short".to_string());
        Some((arr.into_any(), labels))
    } else {
        None
    };
    Ok((csv, sentences, table))
}

/// `value_of_information.csv`, `acceptability.csv` and `robustness.csv` of a decision
/// among the baseline and `variants` (none: the config's interventions and
/// portfolios), and the table `wfmc decide` prints.
#[pyfunction]
#[pyo3(signature = (config, value, groups, variants, draws, seed, threads, max_rejected, scenario, year, progress=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn decide_csv(
    py: Python<'_>,
    config: &Config,
    value: Option<f64>,
    groups: Vec<(String, Vec<String>)>,
    variants: Vec<(String, Vec<String>, Vec<String>, Vec<String>)>,
    draws: Option<u64>,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    scenario: Option<String>,
    year: Option<u32>,
    progress: Option<Py<PyAny>>,
) -> PyResult<(String, String, String, String)> {
    let mut d = draw_settings(0, seed, threads, max_rejected, "rqmc")?;
    d.draws = draws;
    let req = jobs::DecideRequest {
        settings: decision_settings(variants, d, scenario, year),
        value,
        groups,
    };
    let cfg = &config.cfg;
    let planned = 2 * draws.unwrap_or(jobs::DEFAULT_DECISION_DRAWS);
    blocking(py, progress, planned, |control| {
        let o = jobs::decide(cfg, &req, &Context::new(control))?;
        Ok((
            o.voi_csv(),
            o.acceptability_csv(),
            o.robustness_csv(),
            o.table(),
        ))
    })
}

/// The tidy CSV of a sweep, as `wfmc sweep` prints it. `vary` holds
/// `PATH=LO:HI:STEP` or `PATH=v1,v2,…` strings.
#[pyfunction]
#[pyo3(signature = (config, vary, draws, seed, threads, max_rejected, metrics, areas, years, sampling, progress=None))]
#[allow(clippy::too_many_arguments)]
fn sweep_csv(
    py: Python<'_>,
    config: &Config,
    vary: Vec<String>,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    metrics: Vec<String>,
    areas: Vec<String>,
    years: Vec<u32>,
    sampling: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let req = jobs::SweepRequest {
        vary,
        draws: draw_settings(draws, seed, threads, max_rejected, sampling)?,
        metrics,
        areas,
        years,
        shard: None,
    };
    let points = req.points() as u64;
    let cfg = &config.cfg;
    let bytes = blocking(py, progress, points, |control| {
        let mut out = vec![];
        // The sweep reports points done through its callback, not through `control`.
        let on_points = |done: usize, _: usize| control.done.store(done as u64, Ordering::Relaxed);
        let ctx = Context {
            on_points: &on_points,
            ..Context::new(control)
        };
        jobs::sweep(cfg, &req, jobs::SweepOut::Stream(&mut out), &ctx)?;
        Ok(out)
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Supply targets: per area, the extra inflow a year that brings P(shortfall) in
/// `year` down to `p`. `area` None: every area short more often than `p`. Returns
/// a list of dicts.
#[pyfunction]
#[pyo3(signature = (config, area, scenario, year, p, draws, seed, threads, sampling))]
#[allow(clippy::too_many_arguments)]
fn target<'py>(
    py: Python<'py>,
    config: &Config,
    area: Option<String>,
    scenario: Option<String>,
    year: Option<u32>,
    p: f64,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    sampling: &str,
) -> PyResult<Vec<Bound<'py, pyo3::types::PyDict>>> {
    use pyo3::types::PyDictMethods;
    let req = jobs::TargetRequest {
        area,
        scenario,
        p_shortfall: Some(p),
        year,
        draws: draw_settings(draws, seed, threads, jobs::DEFAULT_MAX_REJECTED, sampling)?,
    };
    let cfg = &config.cfg;
    let t = blocking(py, None, 0, |_| jobs::target(cfg, &req))?;
    t.answers
        .iter()
        .map(|a| {
            let d = pyo3::types::PyDict::new(py);
            d.set_item("area", t.area(a))?;
            d.set_item("scenario", t.scenario())?;
            d.set_item("year", t.year())?;
            d.set_item("p_shortfall", a.p0.0)?;
            d.set_item("p_shortfall_se", a.p0.1)?;
            d.set_item("extra_inflow", a.inflow)?;
            d.set_item("extra_inflow_lo", a.interval.0)?;
            d.set_item("extra_inflow_hi", a.interval.1)?;
            d.set_item("achieved", a.achieved.0)?;
            d.set_item("achieved_se", a.achieved.1)?;
            d.set_item("draws", a.draws)?;
            Ok(d)
        })
        .collect()
}

/// Per-draw values: a (draws × columns) float64 array and its column labels. An
/// output is `(metric, scenario, area, year)`; an input is a config path from
/// `Config.inputs()`. Draws are those of a run with the same config and seed.
#[pyfunction]
#[pyo3(signature = (config, n, outputs, inputs, seed, threads, sampling, progress=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn draws<'py>(
    py: Python<'py>,
    config: &Config,
    n: u64,
    outputs: Vec<(String, String, String, u32)>,
    inputs: Vec<String>,
    seed: u64,
    threads: Option<usize>,
    sampling: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, Vec<String>)> {
    let req = jobs::DrawsRequest {
        outputs,
        inputs,
        draws: draw_settings(n, seed, threads, jobs::DEFAULT_MAX_REJECTED, sampling)?,
    };
    let cfg = &config.cfg;
    let t = blocking(py, progress, n, |control| {
        jobs::draws(cfg, &req, &Context::new(control))
    })?;
    let k = t.labels.len();
    let arr = PyArray1::from_vec(py, t.values).reshape([t.rows, k])?;
    Ok((arr.into_any(), t.labels))
}

/// The workforce model's Monte Carlo engine (Rust); use the `wfmc` package.
#[pymodule]
fn _wfmc(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Config>()?;
    m.add_class::<Results>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(run_shard, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_function(wrap_pyfunction!(tornado_csv, m)?)?;
    m.add_function(wrap_pyfunction!(sobol_csv, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_csv, m)?)?;
    m.add_function(wrap_pyfunction!(compare_csv, m)?)?;
    m.add_function(wrap_pyfunction!(discover_csv, m)?)?;
    m.add_function(wrap_pyfunction!(decide_csv, m)?)?;
    m.add_function(wrap_pyfunction!(target, m)?)?;
    m.add_function(wrap_pyfunction!(draws, m)?)?;
    m.add("ConfigError", m.py().get_type::<ConfigError>())?;
    m.add("RunError", m.py().get_type::<RunError>())?;
    m.add("DEFAULT_SEED", jobs::DEFAULT_SEED)?;
    m.add("DEFAULT_DRAWS", jobs::DEFAULT_DRAWS)?;
    m.add("UNTIL_DRAWS", jobs::UNTIL_DRAWS)?;
    m.add("DEFAULT_MAX_REJECTED", jobs::DEFAULT_MAX_REJECTED)?;
    m.add("DEFAULT_SOBOL_ROWS", jobs::DEFAULT_SOBOL_ROWS)?;
    m.add("VERSION", jobs::VERSION)?;
    Ok(())
}
