"""wfmc: Monte Carlo uncertainty and sensitivity of the NHS digital and informatics
workforce projection (Health Education England, *Data Driven Healthcare in 2030*).

The same library as the ``wfmc`` command, called in-process: for the same config,
overrides, seed and draws, every number equals the CLI's files byte for byte, on
any number of threads and however the draws are split into shards.

    >>> import wfmc
    >>> res = wfmc.run(draws=100_000)
    >>> res.shortfall.head()                 # pandas DataFrame, shortfall.csv's columns
    >>> res.cube("gap", "p50").values.shape   # (scenario, area, year) = (2, 10, 11)
    >>> res.write("results/mine")             # the files `wfmc run --out` writes

Runs release the GIL; Ctrl-C (KeyboardInterrupt) stops them at the next chunk of
4,096 draws. Problems with a config or an override raise :class:`ConfigError` (a
``ValueError``) carrying the located message; other bad arguments raise
``ValueError``; a failed run raises :class:`RunError`.
"""

from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _wfmc
from ._wfmc import ConfigError, RunError

__all__ = [
    "AREAS",
    "Config",
    "ConfigError",
    "Cube",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "Partial",
    "Results",
    "RunError",
    "SCENARIOS",
    "YEARS",
    "compare",
    "decide",
    "discover",
    "draws",
    "merge",
    "run",
    "run_shard",
    "sobol",
    "sweep",
    "target",
    "tornado",
]

__version__: str = _wfmc.VERSION
#: Seed of the CLI's runs.
DEFAULT_SEED: int = _wfmc.DEFAULT_SEED
#: Draws of the CLI's ``wfmc run``.
DEFAULT_DRAWS: int = _wfmc.DEFAULT_DRAWS
#: Largest share of draws the numerical guard may reject before a run fails.
DEFAULT_MAX_REJECTED: float = _wfmc.DEFAULT_MAX_REJECTED
#: The most a run with ``until`` draws unless ``draws`` says otherwise.
UNTIL_DRAWS: int = _wfmc.UNTIL_DRAWS
#: Rows of the Sobol design computed with a run (``wfmc run --sobol``).
DEFAULT_SOBOL_ROWS: int = _wfmc.DEFAULT_SOBOL_ROWS
_BUILTIN = _wfmc.Config.load(None, None)
#: Scenario keys of the built-in config (a config's own: :attr:`Config.scenarios`).
SCENARIOS: List[str] = list(_BUILTIN.scenarios())
#: Area keys then ``total`` of the built-in config (:attr:`Config.areas`).
AREAS: List[str] = list(_BUILTIN.areas())
#: Calendar years of the built-in config (:attr:`Config.years`).
YEARS: List[int] = list(_BUILTIN.years())

PathLike = Union[str, "os.PathLike[str]"]
Progress = Union[None, bool, Callable[[int, int], Any]]
Overrides = Union[None, Mapping[str, Any], Iterable[str]]


# ----------------------------------------------------------------------------
# Config


def _value_text(v: Any) -> str:
    """An override value as the CLI's ``--set PATH=VALUE`` takes it."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, str):
        return v
    raise TypeError(f"override value {v!r}: give a number, a bool or the value as text (e.g. 'normal(0.03, 0.01)')")


def _set_list(set: Overrides) -> List[str]:
    if set is None:
        return []
    if isinstance(set, str):
        return [set]
    if isinstance(set, Mapping):
        return [f"{k}={_value_text(v)}" for k, v in set.items()]
    return [str(s) for s in set]


def _stress_list(stress: Union[None, str, Iterable[str]]) -> List[str]:
    if stress is None:
        return []
    if isinstance(stress, str):
        return [stress]
    return [str(s) for s in stress]


class Config:
    """A model config: the built-in one (the report's model with wfmc's default
    distributions) or a TOML file, with stress profiles and overrides applied.

    Configs are immutable: :meth:`with_overrides` returns a new one. A config
    pickles as the recipe that made it (its file's absolute path and the overrides),
    so it can be sent to other processes (Dask workers) that see the same file.
    """

    __slots__ = ("_inner", "_recipe")

    def __init__(self, _inner: Any, _recipe: tuple) -> None:
        self._inner = _inner
        self._recipe = _recipe

    @classmethod
    def load(cls, path: Optional[PathLike] = None, *, allow_missing: Optional[str] = None) -> "Config":
        """Loads the config file at ``path``, or the built-in config when ``path`` is
        None. ``allow_missing`` (``"skip"`` or ``"error"``) applies to a config with
        forecaster returns. Raises :class:`ConfigError` with the located problem."""
        p = None if path is None else os.path.abspath(os.fspath(path))
        inner = _wfmc.Config.load(p, allow_missing)
        return cls(inner, (p, allow_missing, ()))

    def with_overrides(self, set: Overrides = None, stress: Union[None, str, Iterable[str]] = None) -> "Config":
        """This config with the stress profiles ``stress`` applied in order, then the
        overrides ``set``: a dict ``{path: value}`` (see :meth:`paths`) or
        ``"PATH=VALUE"`` strings, as the CLI's ``--set`` takes them. Numbers may be
        given as numbers; a distribution as text, e.g. ``"normal(0.03, 0.01)"``."""
        st, se = _stress_list(stress), _set_list(set)
        if not st and not se:
            return self
        inner = self._inner.with_overrides(st, se)
        path, missing, steps = self._recipe
        return Config(inner, (path, missing, steps + ((tuple(st), tuple(se)),)))

    def paths(self) -> List[str]:
        """The paths an override may set (what ``--set`` accepts)."""
        return list(self._inner.paths())

    def inputs(self) -> List[str]:
        """The uncertain named inputs (config paths) that :func:`draws` can return."""
        return list(self._inner.inputs())

    def stress_profiles(self) -> pd.DataFrame:
        """The config's stress profiles: name, description and overrides."""
        rows = [
            {"name": n, "description": d, "set": list(s)}
            for n, d, s in self._inner.stress_profiles()
        ]
        return pd.DataFrame(rows, columns=["name", "description", "set"])

    def point(self) -> pd.DataFrame:
        """The point model (every input at its base value), as ``wfmc point --format
        csv``: columns scenario, area, year, metric, value."""
        return _frame(self._inner.point_csv())

    @property
    def name(self) -> str:
        """The config's name; its default results folder is ``results/<name>``."""
        return self._inner.name

    @property
    def origin(self) -> str:
        """Where the config came from."""
        return self._inner.origin

    @property
    def hash(self) -> str:
        """The config's hash, as manifests and partials record it."""
        return self._inner.hash

    @property
    def scenarios(self) -> List[str]:
        """Scenario keys, in the order of a cube's first axis."""
        return list(self._inner.scenarios())

    @property
    def areas(self) -> List[str]:
        """Area keys then ``total``, in the order of a cube's second axis."""
        return list(self._inner.areas())

    @property
    def years(self) -> List[int]:
        """Calendar years, in the order of a cube's third axis."""
        return list(self._inner.years())

    def __repr__(self) -> str:
        steps = self._recipe[2]
        extra = f", {len(steps)} override step(s)" if steps else ""
        return f"<wfmc.Config {self.origin}{extra}>"

    def __reduce__(self):
        return (_replay, (self._recipe,))


def _replay(recipe: tuple) -> Config:
    path, missing, steps = recipe
    cfg = Config.load(path, allow_missing=missing)
    for stress, set in steps:
        cfg = cfg.with_overrides(set=list(set), stress=list(stress))
    return cfg


def _config(config: Union[None, PathLike, Config], set: Overrides = None, stress: Any = None) -> Config:
    if config is None:
        cfg = Config.load()
    elif isinstance(config, Config):
        cfg = config
    elif isinstance(config, (str, os.PathLike)):
        cfg = Config.load(config)
    else:
        raise TypeError(f"config: give a wfmc.Config, a path or None (the built-in config), not {type(config).__name__}")
    return cfg.with_overrides(set=set, stress=stress)


# ----------------------------------------------------------------------------
# Helpers


def _frame(csv: str) -> pd.DataFrame:
    # Keys stay text (an area key must not become NaN); numbers parse as float64.
    return pd.read_csv(io.StringIO(csv), keep_default_na=False, na_values=[""])


def _in_notebook() -> bool:
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


class _Bar:
    """A plain progress line on stderr (tqdm when it is installed)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.bar = None
        try:
            from tqdm.auto import tqdm  # type: ignore

            self.tqdm = tqdm
        except ImportError:
            self.tqdm = None

    def __call__(self, done: int, total: int) -> None:
        if self.tqdm is not None:
            if self.bar is None:
                self.bar = self.tqdm(total=total, unit=self.unit)
            self.bar.update(done - self.bar.n)
            if done >= total:
                self.bar.close()
            return
        pct = 100.0 * done / total if total else 100.0
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{done:,}/{total:,} {self.unit} ({pct:.0f} %){end}")
        sys.stderr.flush()


def _progress(progress: Progress, unit: str) -> Optional[Callable[[int, int], Any]]:
    if callable(progress):
        return progress
    if progress is None:
        progress = _in_notebook()
    return _Bar(unit) if progress else None


def _command(name: str, **kw: Any) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items() if v is not None)
    return f"python: wfmc.{name}({args})"


# ----------------------------------------------------------------------------
# Results


class Cube(NamedTuple):
    """One statistic for every scenario × area × year, with its labels."""

    #: float64 array of shape (scenarios, areas + total, years) = (2, 10, 11).
    values: np.ndarray
    #: Labels of the first axis.
    scenarios: List[str]
    #: Labels of the second axis (the nine areas, then ``total``).
    areas: List[str]
    #: Labels of the third axis.
    years: List[int]

    def to_frame(self, name: str = "value") -> pd.DataFrame:
        """A tidy DataFrame: scenario, area, year, ``name``."""
        idx = pd.MultiIndex.from_product([self.scenarios, self.areas, self.years], names=["scenario", "area", "year"])
        return pd.DataFrame({name: self.values.reshape(-1)}, index=idx).reset_index()


class Results:
    """The outcome of :func:`run` or :func:`merge`, in memory.

    The tables are the CLI's files as DataFrames with their columns: ``bands``
    (``bands.csv``), ``shortfall`` (``shortfall.csv``), ``correlation``,
    ``tornado`` and ``sobol`` (computed on first use); ``summary`` and ``manifest``
    are dicts. :meth:`write` writes the results folder ``wfmc run --out`` writes.
    """

    def __init__(self, inner: Any, config: Config, command: str) -> None:
        self._inner = inner
        self._config = config
        self._command = command
        self._cache: Dict[str, Any] = {}

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def config(self) -> Config:
        """The config of the run."""
        return self._config

    @property
    def draws(self) -> int:
        """Draws that entered the statistics."""
        return self._inner.draws

    @property
    def rejected(self) -> int:
        """Draws the numerical guard rejected."""
        return self._inner.rejected

    @property
    def seed(self) -> int:
        """Seed of the run."""
        return self._inner.seed

    @property
    def bands(self) -> pd.DataFrame:
        """Every statistic of every series: scenario, area, year, metric, stat,
        value and its Monte Carlo standard error ``se``."""
        return self._cached("bands", lambda: _frame(self._inner.bands_csv()))

    @property
    def shortfall(self) -> pd.DataFrame:
        """P(shortfall) and the expected shortfall with their standard errors."""
        return self._cached("shortfall", lambda: _frame(self._inner.shortfall_csv()))

    @property
    def correlation(self) -> pd.DataFrame:
        """Spearman rank correlations of the inputs with the analysed outputs."""
        return self._cached("correlation", lambda: _frame(self._inner.correlation_csv()))

    @property
    def tornado(self) -> pd.DataFrame:
        """The one-at-a-time tornado of the run's config (``tornado.csv``)."""
        return self._cached("tornado", lambda: tornado(self._config))

    @property
    def sobol(self) -> pd.DataFrame:
        """Sobol indices from the run's design rows (``sobol.csv``); computed on
        first use, as ``wfmc run`` does."""
        rows = self._inner.sobol_rows
        if rows == 0:
            raise ValueError("this run was made with sobol_rows=0: no Sobol indices")
        return self._cached("sobol", lambda: sobol(self._config, n=rows, seed=self.seed))

    @property
    def summary(self) -> Dict[str, Any]:
        """``summary.json`` as a dict."""
        return self._cached("summary", lambda: json.loads(self._inner.summary_json()))

    @property
    def manifest(self) -> Dict[str, Any]:
        """``manifest.json`` as a dict (config hash, seed, draws, versions…)."""
        return json.loads(self._inner.manifest_json(self._command))

    def cube(self, metric: str, stat: str = "mean") -> Cube:
        """One statistic of ``metric`` for every scenario × area × year.

        ``metric``: a ``bands.csv`` metric (``gap``, ``demand``, ``cost_supply``…)
        with ``stat`` one of ``mean``, ``sd``, ``se_mean``, ``p5`` … ``p95``; or a
        ``shortfall.csv`` column (``p_shortfall``, ``se``, ``expected_shortfall``,
        ``expected_shortfall_se``), when ``stat`` is ignored. Cells a metric does not
        have (an area's gross shortfall) are NaN."""
        c = self._config
        return Cube(self._inner.cube(metric, stat), c.scenarios, c.areas, c.years)

    def write(self, folder: PathLike, *, png: bool = False) -> Path:
        """Writes the results folder ``folder`` whole or not at all: the same files
        as ``wfmc run --out folder`` for these draws (``machine.json`` and the
        manifest's command line apart). ``folder`` must be new, empty or a results
        folder wfmc wrote; anything else is refused (:class:`ConfigError`)."""
        return Path(self._inner.write(os.fspath(folder), self._command, png))

    def __repr__(self) -> str:
        return f"<wfmc.Results {self.draws:,} draws, seed {self.seed}, {self._config.origin}>"


# ----------------------------------------------------------------------------
# Jobs


def run(
    config: Union[None, PathLike, Config] = None,
    *,
    draws: Optional[int] = None,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    max_rejected: float = DEFAULT_MAX_REJECTED,
    sobol_rows: int = DEFAULT_SOBOL_ROWS,
    sampling: str = "rqmc",
    until: Union[None, Mapping[str, float], Iterable[str]] = None,
    progress: Progress = None,
) -> Results:
    """Runs ``draws`` Monte Carlo draws of the model (default 1,000,000), as ``wfmc run``.

    ``config``: a :class:`Config`, a path, or None for the built-in config;
    ``set``/``stress`` are applied to it. ``threads`` (default: every core) does not
    change any result. ``sampling``: ``"rqmc"`` (randomised quasi-Monte Carlo, the
    default) or ``"mc"``. ``until``: precision targets, e.g. ``{"p_shortfall_se":
    0.001, "percentile_se": 50}`` (as ``wfmc run --until``): the run goes on, in
    whole replicate blocks, until every named 2030 estimate has at most that
    standard error, with ``draws`` as the cap (default cap with ``until``: 10^8).
    ``sobol_rows`` is the Sobol design :meth:`Results.write` and
    :attr:`Results.sobol` use (0: none). ``progress``: True for a progress bar, a
    callable ``f(done, total)``, or None for a bar only in a notebook."""
    cfg = _config(config, set, stress)
    targets = _set_list(until)  # the same PATH=VALUE shape as --set
    if draws is None:
        draws = UNTIL_DRAWS if targets else DEFAULT_DRAWS
    inner = _wfmc.run(
        cfg._inner, draws, seed, threads, max_rejected, sobol_rows, sampling, targets, _progress(progress, "draws")
    )
    return Results(inner, cfg, _command("run", draws=draws, seed=seed, sampling=sampling, until=until))


@dataclass(frozen=True)
class Partial:
    """One shard's partial result: the bytes of the ``partial.wfmc`` that ``wfmc run
    --shard`` writes, with the config that made it. Picklable; :func:`merge` turns a
    full set back into :class:`Results`, and the CLI's ``wfmc merge`` reads them
    once saved with :meth:`save`."""

    data: bytes
    config: Config
    index: int
    count: int

    def save(self, path: PathLike) -> Path:
        """Writes the partial to ``path`` (a new file)."""
        p = Path(path)
        with open(p, "xb") as f:
            f.write(self.data)
        return p

    @classmethod
    def load(cls, path: PathLike, config: Union[None, PathLike, Config] = None) -> "Partial":
        """Reads a ``partial.wfmc`` (or a shard folder) written by the CLI; it is
        verified when merged."""
        p = Path(path)
        if p.is_dir():
            p = p / "partial.wfmc"
        return cls(p.read_bytes(), _config(config), 0, 0)


def run_shard(
    index: int,
    count: int,
    config: Union[None, PathLike, Config] = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    max_rejected: float = DEFAULT_MAX_REJECTED,
    sobol_rows: int = DEFAULT_SOBOL_ROWS,
    sampling: str = "rqmc",
    progress: Progress = False,
) -> Partial:
    """Runs shard ``index`` of ``count`` (1-based, as the CLI's ``--shard
    index/count``) of the run ``run(config, draws=draws, seed=seed, …)`` would make.
    :func:`merge` of all ``count`` partials equals that run exactly."""
    cfg = _config(config, set, stress)
    data = _wfmc.run_shard(
        cfg._inner, index, count, draws, seed, threads, max_rejected, sobol_rows, sampling, _progress(progress, "draws")
    )
    return Partial(bytes(data), cfg, index, count)


def merge(
    partials: Sequence[Union[Partial, bytes]],
    config: Union[None, PathLike, Config] = None,
    *,
    threads: Optional[int] = None,
    max_rejected: float = DEFAULT_MAX_REJECTED,
) -> Results:
    """Verifies and merges shard partials into the results of the whole run. The
    config defaults to the first partial's; every partial must come from it (same
    hash), from one run, and cover every chunk once."""
    parts = list(partials)
    if config is None:
        first = next((p for p in parts if isinstance(p, Partial)), None)
        cfg = first.config if first is not None else Config.load()
    else:
        cfg = _config(config)
    data = [p.data if isinstance(p, Partial) else bytes(p) for p in parts]
    inner = _wfmc.merge(cfg._inner, data, threads, max_rejected)
    return Results(inner, cfg, _command("merge", partials=len(parts)))


def tornado(
    config: Union[None, PathLike, Config] = None,
    *,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
) -> pd.DataFrame:
    """The one-at-a-time tornado (``tornado.csv``): each uncertain input at its P10
    and P90 with the others at base."""
    cfg = _config(config, set, stress)
    return _frame(_wfmc.tornado_csv(cfg._inner))


def compare(
    config: Union[None, PathLike, Config] = None,
    *,
    interventions: Union[str, Iterable[str]] = (),
    variants: Union[str, Iterable[str], Mapping[str, Any]] = (),
    draws: int = 200_000,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    sampling: str = "rqmc",
    max_rejected: float = DEFAULT_MAX_REJECTED,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    progress: Progress = None,
) -> pd.DataFrame:
    """The config (with ``set`` and ``stress`` applied to it and every variant)
    against each of ``interventions`` (names of the config's interventions; ``"a+b"``
    is a portfolio) and ``variants`` on the same draws, as ``wfmc compare``: the rows
    of ``compare.csv`` (change, paired standard error, unpaired standard error,
    correlation, and the cost per WTE-year of shortfall avoided).

    ``variants`` is a dict ``{NAME: {"stress": [...], "interventions": [...],
    "set": {PATH: VALUE}}}`` (any of the three keys), or, as the command line writes
    them, ``{NAME: "--stress P --set PATH=VALUE"}`` or ``"NAME: ARGS"`` strings."""
    cfg = _config(config, set, stress)
    ivs = [interventions] if isinstance(interventions, str) else list(interventions)
    specs = [(n, [], [n], []) for n in ivs]
    if isinstance(variants, str):
        variants = [variants]
    items = variants.items() if isinstance(variants, Mapping) else [_split_variant(v) for v in variants]
    for name, v in items:
        specs.append(_variant(str(name), v))
    csv = _wfmc.compare_csv(
        cfg._inner, specs, draws, seed, threads, max_rejected, sampling,
        _progress(progress, "draws"),
    )
    return _frame(csv)


def _options(
    interventions: Union[str, Iterable[str]], variants: Union[str, Iterable[str], Mapping[str, Any]]
) -> List[Tuple[str, List[str], List[str], List[str]]]:
    ivs = [interventions] if isinstance(interventions, str) else list(interventions)
    specs = [(n, [], [n], []) for n in ivs]
    if isinstance(variants, str):
        variants = [variants]
    items = variants.items() if isinstance(variants, Mapping) else [_split_variant(v) for v in variants]
    for name, v in items:
        specs.append(_variant(str(name), v))
    return specs


def discover(
    config: Union[None, PathLike, Config] = None,
    *,
    area: str,
    threshold: Optional[float] = None,
    option: Optional[str] = None,
    box: Optional[int] = None,
    interventions: Union[str, Iterable[str]] = (),
    variants: Union[str, Iterable[str], Mapping[str, Any]] = (),
    scenario: Optional[str] = None,
    year: Optional[int] = None,
    draws: Optional[int] = None,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    max_rejected: float = DEFAULT_MAX_REJECTED,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    points: bool = False,
    progress: Progress = None,
) -> pd.DataFrame:
    """Scenario discovery, as ``wfmc discover``: under which combinations of the
    sampled inputs ``area`` (or ``"total"``) falls short (by more than ``threshold``
    WTE) in ``year`` under ``option`` (default the baseline). The rows of
    ``discovery.csv``: PRIM's trajectory (one row per step and restricted input;
    the chosen box has ``chosen`` true, with quasi-p values and the resampled
    reproducibility), then CART's leaves. ``df.attrs["box"]`` holds the chosen box
    as sentences. Draws default to 20,000 (at most 200,000, all kept in memory).
    With ``points``, ``df.attrs["points"]`` holds the points PRIM and CART saw: one
    row per draw, a column per input (config paths, their order) and ``short``
    (True for a case), to plot the box or to check it with another tool."""
    cfg = _config(config, set, stress)
    csv, sentences, table = _wfmc.discover_csv(
        cfg._inner, area, option, threshold, box, _options(interventions, variants),
        draws, seed, threads, max_rejected, scenario, year, points,
        _progress(progress, "draws"),
    )
    df = _frame(csv)
    df.attrs["box"] = sentences
    if table is not None:
        values, labels = table
        pts = pd.DataFrame(values, columns=labels)
        pts["short"] = pts["short"] > 0.5
        df.attrs["points"] = pts
    return df


def decide(
    config: Union[None, PathLike, Config] = None,
    *,
    value: Optional[float] = None,
    groups: Optional[Mapping[str, Iterable[str]]] = None,
    interventions: Union[str, Iterable[str]] = (),
    variants: Union[str, Iterable[str], Mapping[str, Any]] = (),
    scenario: Optional[str] = None,
    year: Optional[int] = None,
    draws: Optional[int] = None,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    max_rejected: float = DEFAULT_MAX_REJECTED,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    progress: Progress = None,
) -> Dict[str, Any]:
    """A decision among the baseline and options (``interventions``, ``"a+b"``
    portfolios, ``variants``; none given: the config's interventions and the
    portfolios of its ``[decision]`` table), as ``wfmc decide``, at ``value`` pounds
    per WTE-year of shortfall avoided (default the config's
    ``decision.value_per_wte_year``). Returns a dict of DataFrames
    ``value_of_information`` (EVPI, EVPPI per input and per group of ``groups``,
    bootstrap SEs), ``acceptability`` and ``robustness``, and ``table`` (text)."""
    cfg = _config(config, set, stress)
    gs = [(str(k), [str(x) for x in v]) for k, v in (groups or {}).items()]
    voi, acc, rob, table = _wfmc.decide_csv(
        cfg._inner, value, gs, _options(interventions, variants),
        draws, seed, threads, max_rejected, scenario, year, _progress(progress, "draws"),
    )
    return {
        "value_of_information": _frame(voi),
        "acceptability": _frame(acc),
        "robustness": _frame(rob),
        "table": table,
    }


def _split_variant(text: str) -> Tuple[str, str]:
    name, sep, args = str(text).partition(":")
    if not sep:
        raise ValueError(f"variants: `{text}`: expected NAME: ARGS, e.g. 'pay: --stress realised-pay'")
    return name.strip(), args


def _variant(name: str, v: Any) -> Tuple[str, List[str], List[str], List[str]]:
    """A variant as (name, stress, interventions, set), from a dict or from the
    command line's words (``--stress P --intervention I --set PATH=VALUE``)."""
    if isinstance(v, Mapping):
        unknown = set(v) - {"stress", "interventions", "set"}
        if unknown:
            raise ValueError(f"variants[{name!r}]: unknown keys {sorted(unknown)}; give stress, interventions, set")
        return (name, _stress_list(v.get("stress")), _stress_list(v.get("interventions")), _set_list(v.get("set")))
    import shlex

    words = shlex.split(str(v))
    out: Dict[str, List[str]] = {"--stress": [], "--intervention": [], "--set": []}
    i = 0
    while i < len(words):
        flag, _, inline = words[i].partition("=")
        if flag == "--portfolio":
            flag = "--intervention"
        if flag not in out:
            raise ValueError(f"variants[{name!r}]: `{words[i]}`: only --stress, --intervention and --set")
        if inline:
            out[flag].append(inline)
            i += 1
        elif i + 1 < len(words):
            out[flag].append(words[i + 1])
            i += 2
        else:
            raise ValueError(f"variants[{name!r}]: {flag} needs a value")
    return (name, out["--stress"], out["--intervention"], out["--set"])


def sobol(
    config: Union[None, PathLike, Config] = None,
    *,
    n: int = DEFAULT_SOBOL_ROWS,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
) -> pd.DataFrame:
    """First-order and total Sobol indices with their intervals (``sobol.csv``),
    from ``n`` rows of the design, as ``wfmc sobol --n``."""
    cfg = _config(config, set, stress)
    return _frame(_wfmc.sobol_csv(cfg._inner, n, seed, threads))


def _vary_text(path: str, values: Any) -> str:
    if isinstance(values, str):
        return f"{path}={values}"
    if isinstance(values, range):
        values = list(values)
    if isinstance(values, (list, tuple, np.ndarray)):
        return f"{path}=" + ",".join(_value_text(v) for v in values)
    raise TypeError(f"vary[{path!r}]: give a list of values or 'LO:HI:STEP', not {values!r}")


def sweep(
    vary: Mapping[str, Any],
    config: Union[None, PathLike, Config] = None,
    *,
    draws: int = 100_000,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    metric: Union[None, str, Iterable[str]] = None,
    area: Union[None, str, Iterable[str]] = None,
    year: Union[None, int, Iterable[int]] = None,
    max_rejected: float = DEFAULT_MAX_REJECTED,
    sampling: str = "rqmc",
    progress: Progress = None,
) -> pd.DataFrame:
    """A full run at every point of a grid, as ``wfmc sweep``: ``vary`` maps a config
    path to its values, a list (``[0.01, 0.02]``) or ``"LO:HI:STEP"``; the grid is
    their product. Returns the tidy table of ``wfmc sweep``: point, one column per
    varied path, scenario, area, year, metric, stat (a value or its standard error
    ``se``) and value; ``metric``,
    ``area`` and ``year`` filter it as the CLI's flags do."""
    if not vary:
        raise ValueError("sweep needs at least one path in vary")
    cfg = _config(config, set, stress)

    def items(x: Any) -> List[Any]:
        if x is None:
            return []
        if isinstance(x, (str, int)):
            return [x]
        return list(x)

    csv = _wfmc.sweep_csv(
        cfg._inner,
        [_vary_text(k, v) for k, v in vary.items()],
        draws,
        seed,
        threads,
        max_rejected,
        [str(m) for m in items(metric)],
        [str(a) for a in items(area)],
        [int(y) for y in items(year)],
        sampling,
        _progress(progress, "points"),
    )
    return _frame(csv)


def target(
    area: Optional[str] = None,
    config: Union[None, PathLike, Config] = None,
    *,
    scenario: Optional[str] = None,
    year: Optional[int] = None,
    p_shortfall: float = 0.1,
    draws: int = 200_000,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    sampling: str = "mc",
) -> pd.DataFrame:
    """The extra inflow (WTE a year) that brings P(shortfall) in ``year`` down to
    ``p_shortfall``, as ``wfmc target``: for ``area``, or (None) every area short
    more often than that; ``scenario`` defaults to the config's first and ``year`` to
    its last. One row per area, with the inflow's 95 % Monte Carlo
    interval and the probability achieved on the same draws. ``sampling`` defaults to
    ``"mc"`` here, as in the CLI: the interval and standard errors are those of
    independent draws."""
    cfg = _config(config, set, stress)
    rows = _wfmc.target(cfg._inner, area, scenario, year, p_shortfall, draws, seed, threads, sampling)
    cols = [
        "area",
        "scenario",
        "year",
        "p_shortfall",
        "p_shortfall_se",
        "extra_inflow",
        "extra_inflow_lo",
        "extra_inflow_hi",
        "achieved",
        "achieved_se",
        "draws",
    ]
    return pd.DataFrame(rows, columns=cols)


OutputSpec = Union[str, Tuple[str, str, str, int]]


def _output_spec(o: OutputSpec) -> Tuple[str, str, str, int]:
    if isinstance(o, str):
        parts = o.split("/")
        if len(parts) != 4 or not parts[3].isdigit():
            raise ValueError(f"output {o!r}: give 'metric/scenario/area/year', e.g. 'gap/data_driven/total/2030'")
        return parts[0], parts[1], parts[2], int(parts[3])
    m, s, a, y = o
    return str(m), str(s), str(a), int(y)


def draws(
    n: int,
    outputs: Sequence[OutputSpec] = ("gap/data_driven/total/2030",),
    *,
    inputs: Union[bool, Sequence[str]] = False,
    config: Union[None, PathLike, Config] = None,
    seed: int = DEFAULT_SEED,
    threads: Optional[int] = None,
    set: Overrides = None,
    stress: Union[None, str, Iterable[str]] = None,
    sampling: str = "rqmc",
    progress: Progress = None,
) -> Dict[str, np.ndarray]:
    """Per-draw values, for analyses wfmc does not do itself: ``{label: array of n
    values}`` for each output (``"metric/scenario/area/year"`` or a tuple) and, with
    ``inputs`` (True for all, or a list from :meth:`Config.inputs`), each sampled
    input. The draws are those of ``run(draws=n)`` with the same config, seed and
    sampling (under rqmc, the replicate blocks depend on ``n``, so a smaller ``n`` is
    not always a prefix).
    The columns share one (n × columns) float64 block, filled chunk by chunk in
    parallel; memory is what is asked for. A draw the numerical guard rejects has
    NaN outputs. ``pandas.DataFrame(result)`` makes a table of it."""
    cfg = _config(config, set, stress)
    outs = [_output_spec(o) for o in outputs]
    if inputs is True:
        ins = cfg.inputs()
    elif inputs is False or inputs is None:
        ins = []
    else:
        ins = [str(i) for i in inputs]
    block, labels = _wfmc.draws(cfg._inner, n, outs, ins, seed, threads, sampling, _progress(progress, "draws"))
    return {label: block[:, j] for j, label in enumerate(labels)}
