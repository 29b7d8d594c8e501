//! `wfmc._wfmc`: the Python binding of the wfmc library. It only translates
//! arguments into the library's typed requests ([`wfmc::jobs`]) and hands back
//! what they return: CSV and JSON text exactly as the CLI writes it (the Python
//! layer in `wfmc/` turns it into DataFrames and dicts) and numpy arrays.
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
use wfmc::dims::{Area, Scenario};
use wfmc::engine::{self, Control, RunSpec, RunState, Shard, partial};
use wfmc::jobs::{self, FolderOptions};
use wfmc::model::{Metric, Series};
use wfmc::stats::{PERCENTILES, ShortStat, Stat, Summary};

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

/// Maps a library error to its Python exception.
fn err(e: wfmc::Error) -> PyErr {
    match e {
        wfmc::Error::Setting { .. } => PyValueError::new_err(e.to_string()),
        wfmc::Error::Input(m) => ConfigError::new_err(m),
        wfmc::Error::Runtime(m) => RunError::new_err(m),
        wfmc::Error::Interrupted => PyKeyboardInterrupt::new_err("interrupted"),
        wfmc::Error::OutputClosed => RunError::new_err("the output was closed"),
    }
}

/// Runs `job` without the GIL on a thread of its own; meanwhile the calling thread
/// checks for signals (a KeyboardInterrupt cancels the job through `control`) and
/// calls `progress(done, total)` about ten times a second.
fn blocking<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    total: u64,
    job: impl FnOnce(&Control) -> Result<T, wfmc::Error> + Send,
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
    cfg: wfmc::Config,
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
            cfg: jobs::apply_overrides(&self.cfg, &stress, &set).map_err(err)?,
        })
    }

    /// The paths an override may set.
    fn paths(&self) -> Vec<String> {
        self.cfg.settable_paths()
    }

    /// The stress profiles: (name, description, overrides as `PATH=VALUE`).
    fn stress_profiles(&self) -> Vec<(String, String, Vec<String>)> {
        self.cfg
            .stress
            .iter()
            .map(|p| {
                let set = p.set.iter().map(|(k, v)| format!("{k}={v}")).collect();
                (p.name.clone(), p.description.clone(), set)
            })
            .collect()
    }

    /// The point model with every input at its base value, as `wfmc point --format csv`.
    fn point_csv(&self) -> PyResult<String> {
        let mut out = vec![];
        wfmc::report::point::write_csv(&wfmc::model::point(&self.cfg), &mut out)
            .map_err(|e| RunError::new_err(e.to_string()))?;
        Ok(String::from_utf8_lossy(&out).into_owned())
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
        engine::draws::inputs(&self.cfg)
            .into_iter()
            .map(|(_, n)| n)
            .collect()
    }
}

fn run_spec(
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    shard: Option<(u64, u64)>,
    max_rejected: f64,
    sampling: &str,
) -> PyResult<RunSpec> {
    let sampling: engine::Sampling = sampling.parse().map_err(PyValueError::new_err)?;
    let shard = match shard {
        None => Shard::ALL,
        Some((i, n)) => format!("{i}/{n}")
            .parse()
            .map_err(|e: String| PyValueError::new_err(format!("shard {i}/{n}: {e}")))?,
    };
    Ok(RunSpec {
        draws,
        seed,
        threads: threads.unwrap_or_else(engine::default_threads),
        shard,
        max_rejected,
        sampling,
        block_chunks: 0,
    })
}

/// The outcome of a run or of a merge of shards, in memory.
#[pyclass(frozen, module = "wfmc._wfmc")]
struct Results {
    cfg: wfmc::Config,
    spec: RunSpec,
    state: RunState,
    summary: Summary,
    label: String,
    sobol_rows: usize,
    /// What `--until` recorded, for the manifest.
    until: Option<serde_json::Value>,
}

fn parse_stat(stat: &str) -> PyResult<Stat> {
    Ok(match stat {
        "mean" => Stat::Mean,
        "sd" => Stat::Sd,
        "se_mean" => Stat::SeMean,
        p => match PERCENTILES.iter().find(|(k, _)| *k == p) {
            Some((_, q)) => Stat::Percentile(*q),
            None => {
                let mut valid = vec!["mean", "sd", "se_mean"];
                valid.extend(PERCENTILES.iter().map(|(k, _)| *k));
                return Err(PyValueError::new_err(format!(
                    "stat `{stat}`: valid statistics are {}",
                    valid.join(", ")
                )));
            }
        },
    })
}

#[pymethods]
impl Results {
    /// `bands.csv`, as `wfmc run` writes it.
    fn bands_csv(&self) -> String {
        wfmc::results::bands::write(&self.summary)
    }

    /// `shortfall.csv`, as `wfmc run` writes it.
    fn shortfall_csv(&self) -> String {
        wfmc::results::shortfall::write(&self.summary)
    }

    /// `summary.json`, as `wfmc run` writes it.
    fn summary_json(&self) -> String {
        wfmc::results::summary::write(&self.cfg, &self.summary, &self.state.acc.centre)
    }

    /// `manifest.json`, with `command` as the command recorded.
    fn manifest_json(&self, command: &str) -> String {
        wfmc::results::manifest::write(
            &self.cfg,
            &self.spec,
            &self.label,
            &self.state,
            command,
            self.sobol_rows,
            self.until.as_ref(),
        )
    }

    /// `correlation.csv` (Spearman rank correlations of inputs with outputs).
    fn correlation_csv(&self) -> String {
        wfmc::results::correlation::write_run(&self.cfg, &self.state.ranks)
    }

    /// Draws that entered the statistics.
    #[getter]
    fn draws(&self) -> u64 {
        self.summary.draws
    }

    /// Draws the numerical guard rejected.
    #[getter]
    fn rejected(&self) -> u64 {
        self.summary.rejected
    }

    /// Seed of the run.
    #[getter]
    fn seed(&self) -> u64 {
        self.spec.seed
    }

    /// Rows of the Sobol design `write` computes (0: none).
    #[getter]
    fn sobol_rows(&self) -> usize {
        self.sobol_rows
    }

    /// One statistic of one metric for every scenario × area (nine, then the total)
    /// × year (2020–2030), as a numpy array of shape (2, 10, 11). `metric` is a
    /// `bands.csv` metric with `stat` one of its statistics, or a `shortfall.csv`
    /// column (`p_shortfall`, `se`, `expected_shortfall`, `expected_shortfall_se`),
    /// for which `stat` is ignored.
    fn cube<'py>(
        &self,
        py: Python<'py>,
        metric: &str,
        stat: &str,
    ) -> PyResult<Bound<'py, PyArray3<f64>>> {
        let short = match metric {
            "p_shortfall" => Some(ShortStat::P),
            "se" => Some(ShortStat::PSe),
            "expected_shortfall" => Some(ShortStat::Expected),
            "expected_shortfall_se" => Some(ShortStat::ExpectedSe),
            _ => None,
        };
        let arr = match short {
            Some(s) => self.summary.shortfall_cube(s),
            None => {
                let m = Metric::from_key(metric).ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "metric `{metric}`: valid metrics are {}, gross_shortfall, p_shortfall, se, expected_shortfall, expected_shortfall_se",
                        Metric::AREA_METRICS.map(|m| m.key()).join(", ")
                    ))
                })?;
                self.summary.cube(m, parse_stat(stat)?)
            }
        };
        Ok(arr.into_pyarray(py))
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
        let opts = FolderOptions {
            command,
            png,
            sobol_rows: self.sobol_rows,
        };
        let (cfg, spec, state, label) = (&self.cfg, &self.spec, self.state.clone(), &self.label);
        let until = self.until.as_ref();
        let out = blocking(py, None, 0, move |control| {
            jobs::state_to_folder(cfg, spec, state, label, &dir, control, &opts, until)
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
    let spec = run_spec(draws, seed, threads, None, max_rejected, sampling)?;
    jobs::check_sobol_rows(sobol_rows).map_err(err)?;
    let targets = until
        .iter()
        .map(|t| {
            t.parse::<engine::until::Target>()
                .map_err(PyValueError::new_err)
        })
        .collect::<PyResult<Vec<_>>>()?;
    let cfg = &config.cfg;
    let (spec, state, until) = if targets.is_empty() {
        let state = blocking(py, progress, spec.shard_draws(), |control| {
            jobs::run(cfg, &spec, control)
        })?;
        (spec, state, None)
    } else {
        let (out, until) = blocking(py, None, 0, |control| {
            jobs::run_until(cfg, &spec, &targets, control, &|_| {})
        })?;
        (out.spec, out.state, Some(until))
    };
    Ok(Results {
        cfg: cfg.clone(),
        summary: state.summary(),
        state,
        spec,
        label: Shard::ALL.to_string(),
        sobol_rows,
        until,
    })
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
    let spec = run_spec(
        draws,
        seed,
        threads,
        Some((index, count)),
        max_rejected,
        sampling,
    )?;
    jobs::check_sobol_rows(sobol_rows).map_err(err)?;
    let cfg = &config.cfg;
    let bytes = blocking(py, progress, spec.shard_draws(), |control| {
        let state = jobs::run(cfg, &spec, control)?;
        Ok(jobs::partial_bytes(cfg, &spec, &state, sobol_rows))
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
    let threads = threads.unwrap_or_else(engine::default_threads);
    let n = partials.len();
    let (spec, sobol_rows, state) = blocking(py, None, 0, |control| {
        let expect = partial::Expect::of(cfg);
        let mut read = Vec::with_capacity(n);
        for (i, p) in partials.iter().enumerate() {
            control.check()?;
            read.push(
                partial::decode(p, &expect)
                    .map_err(|e| wfmc::Error::Input(format!("partial {i}: {e}")))?,
            );
        }
        jobs::merge_partials(cfg, read, threads, max_rejected)
    })?;
    Ok(Results {
        cfg: cfg.clone(),
        summary: state.summary(),
        state,
        spec,
        label: format!("merged from {n}"),
        sobol_rows,
        until: None,
    })
}

/// `tornado.csv` of `config`.
#[pyfunction]
fn tornado_csv(py: Python<'_>, config: &Config) -> PyResult<String> {
    let cfg = &config.cfg;
    blocking(py, None, 0, |_| {
        Ok(wfmc::results::tornado::write(
            &wfmc::sensitivity::tornado::run(cfg),
        ))
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
    let threads = threads.unwrap_or_else(engine::default_threads);
    blocking(py, None, 0, |_| {
        let (m, r) = wfmc::sensitivity::sobol::run(cfg, n, seed, threads)?;
        Ok(wfmc::results::sobol::write(&m, &r))
    })
}

/// `compare.csv` of `config` against `interventions` (names, `A+B` for a portfolio)
/// and `variants` (`NAME: ARGS` as `wfmc compare --variant` takes them), on the same
/// draws.
#[pyfunction]
#[pyo3(signature = (config, interventions, variants, draws, seed, threads, max_rejected, sampling, progress=None))]
#[allow(clippy::too_many_arguments)]
fn compare_csv(
    py: Python<'_>,
    config: &Config,
    interventions: Vec<String>,
    variants: Vec<String>,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    max_rejected: f64,
    sampling: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let spec = run_spec(draws, seed, threads, None, max_rejected, sampling)?;
    let mut list: Vec<jobs::VariantSpec> = interventions
        .iter()
        .map(|n| jobs::VariantSpec::intervention(n))
        .collect();
    for v in &variants {
        list.push(jobs::VariantSpec::parse(v).map_err(err)?);
    }
    let cfg = &config.cfg;
    blocking(py, progress, spec.draws, |control| {
        let (vs, c) = jobs::compare(cfg, &list, &spec, control)?;
        let names: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
        Ok(wfmc::results::compare::write(&c, &names))
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
    use wfmc::explore::sweep::{Filter, Vary};
    let varies = vary
        .iter()
        .map(|v| v.parse::<Vary>().map_err(ConfigError::new_err))
        .collect::<PyResult<Vec<_>>>()?;
    let spec = run_spec(draws, seed, threads, None, max_rejected, sampling)?;
    let d = Filter::default();
    let filter = Filter {
        metrics: if metrics.is_empty() {
            d.metrics
        } else {
            metrics
        },
        areas,
        years: if years.is_empty() { d.years } else { years },
    };
    let points: u64 = varies.iter().map(|v| v.values.len() as u64).product();
    let cfg = &config.cfg;
    let bytes = blocking(py, progress, points, |control| {
        let mut out = vec![];
        // The sweep reports points done through its callback, not through `control`.
        let progress = |done: usize, _: usize| control.done.store(done as u64, Ordering::Relaxed);
        jobs::sweep(
            cfg,
            &varies,
            &spec,
            &filter,
            jobs::SweepOut::Stream(&mut out),
            control,
            &progress,
        )?;
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
    scenario: String,
    year: u32,
    p: f64,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    sampling: &str,
) -> PyResult<Vec<Bound<'py, pyo3::types::PyDict>>> {
    use pyo3::types::PyDictMethods;
    let area = area
        .map(|a| {
            Area::from_key(&a).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "area `{a}`: valid areas are {}",
                    Area::keys().join(", ")
                ))
            })
        })
        .transpose()?;
    let scenario = Scenario::from_key(&scenario).ok_or_else(|| {
        PyValueError::new_err(format!(
            "scenario `{scenario}`: valid scenarios are {}",
            Scenario::keys().join(", ")
        ))
    })?;
    let year_index = wfmc::dims::year_index(year).ok_or_else(|| {
        PyValueError::new_err(format!("year {year}: years run from 2020 to 2030"))
    })?;
    let req = jobs::TargetRequest {
        area,
        scenario,
        year: year_index,
        p,
    };
    let spec = run_spec(
        draws,
        seed,
        threads,
        None,
        engine::guard::DEFAULT_MAX_REJECTED,
        sampling,
    )?;
    let cfg = &config.cfg;
    let (_, answers) = blocking(py, None, 0, |_| jobs::targets(cfg, &req, &spec))?;
    answers
        .iter()
        .map(|a| {
            let d = pyo3::types::PyDict::new(py);
            d.set_item("area", a.area.key())?;
            d.set_item("scenario", scenario.key())?;
            d.set_item("year", year)?;
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
    use engine::draws::Column;
    let cfg = &config.cfg;
    let mut columns = vec![];
    let mut labels = vec![];
    for (m, s, a, y) in &outputs {
        let series = Series::from_keys(m, s, a, *y).map_err(PyValueError::new_err)?;
        columns.push(Column::Output(series));
        labels.push(series.label());
    }
    let named = engine::draws::inputs(cfg);
    for i in &inputs {
        let Some((g, _)) = named.iter().find(|(_, n)| n == i) else {
            let names: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
            return Err(PyValueError::new_err(format!(
                "input `{i}`: the uncertain inputs of {} are {}",
                cfg.origin,
                names.join(", ")
            )));
        };
        columns.push(Column::Input(*g));
        labels.push(i.clone());
    }
    let spec = run_spec(
        n,
        seed,
        threads,
        None,
        engine::guard::DEFAULT_MAX_REJECTED,
        sampling,
    )?;
    spec.validate().map_err(err)?;
    let k = columns.len();
    let len = (n as usize)
        .checked_mul(k)
        .filter(|l| *l <= isize::MAX as usize / 8)
        .ok_or_else(|| {
            PyValueError::new_err(format!("{n} draws × {k} columns do not fit in memory"))
        })?;
    let mut values = Vec::new();
    values.try_reserve_exact(len).map_err(|_| {
        pyo3::exceptions::PyMemoryError::new_err(format!("{n} draws × {k} columns"))
    })?;
    values.resize(len, 0.0);
    let values = blocking(py, progress, n, move |control| {
        engine::draws::fill(cfg, &spec, &columns, &mut values, control)?;
        Ok(values)
    })?;
    let arr = PyArray1::from_vec(py, values).reshape([n as usize, k])?;
    Ok((arr.into_any(), labels))
}

/// The HEE workforce model's Monte Carlo engine (Rust); use the `wfmc` package.
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
    m.add_function(wrap_pyfunction!(target, m)?)?;
    m.add_function(wrap_pyfunction!(draws, m)?)?;
    m.add("ConfigError", m.py().get_type::<ConfigError>())?;
    m.add("RunError", m.py().get_type::<RunError>())?;
    m.add("DEFAULT_SEED", engine::DEFAULT_SEED)?;
    m.add("DEFAULT_DRAWS", engine::DEFAULT_DRAWS)?;
    m.add("DEFAULT_MAX_REJECTED", engine::guard::DEFAULT_MAX_REJECTED)?;
    m.add("DEFAULT_SOBOL_ROWS", wfmc::sensitivity::sobol::DEFAULT_N)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add("SCENARIOS", Scenario::keys())?;
    let mut areas = Area::keys();
    areas.push("total");
    m.add("AREAS", areas)?;
    let years: Vec<u32> = (0..wfmc::dims::N_YEARS).map(wfmc::dims::year_of).collect();
    m.add("YEARS", years)?;
    Ok(())
}
