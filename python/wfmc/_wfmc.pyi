"""Type stubs of the Rust extension ``wfmc._wfmc``; use the ``wfmc`` package."""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

VERSION: str
DEFAULT_SEED: int
DEFAULT_DRAWS: int
DEFAULT_MAX_REJECTED: float
DEFAULT_SOBOL_ROWS: int
UNTIL_DRAWS: int

_Progress = Optional[Callable[[int, int], Any]]

class ConfigError(ValueError):
    """A problem with a config, an override or an input file, located where it is."""

class RunError(RuntimeError):
    """A run that failed: I/O, or the numerical guard rejected too many draws."""

class Config:
    @staticmethod
    def load(path: Optional[str] = None, allow_missing: Optional[str] = None) -> "Config": ...
    def with_overrides(self, stress: List[str], set: List[str]) -> "Config": ...
    def paths(self) -> List[str]: ...
    def inputs(self) -> List[str]: ...
    def stress_profiles(self) -> List[Tuple[str, str, List[str]]]: ...
    def point_csv(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def hash(self) -> str: ...
    def scenarios(self) -> List[str]: ...
    def areas(self) -> List[str]: ...
    def years(self) -> List[int]: ...

class Results:
    def bands_csv(self) -> str: ...
    def shortfall_csv(self) -> str: ...
    def summary_json(self) -> str: ...
    def manifest_json(self, command: str) -> str: ...
    def correlation_csv(self) -> str: ...
    def file(self, name: str, command: str) -> str: ...
    def cube(self, metric: str, stat: str) -> np.ndarray: ...
    def write(self, dir: str, command: str, png: bool = False) -> str: ...
    @property
    def draws(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def sobol_rows(self) -> int: ...

def run(
    config: Config,
    draws: int,
    seed: int,
    threads: Optional[int],
    max_rejected: float,
    sobol_rows: int,
    sampling: str,
    until: List[str],
    progress: _Progress = None,
) -> Results: ...
def run_shard(
    config: Config,
    index: int,
    count: int,
    draws: int,
    seed: int,
    threads: Optional[int],
    max_rejected: float,
    sobol_rows: int,
    sampling: str,
    progress: _Progress = None,
) -> bytes: ...
def merge(config: Config, partials: Sequence[bytes], threads: Optional[int], max_rejected: float) -> Results: ...
def tornado_csv(config: Config) -> str: ...
def compare_csv(
    config: Config,
    variants: List[Tuple[str, List[str], List[str], List[str]]],
    draws: int,
    seed: int,
    threads: Optional[int],
    max_rejected: float,
    sampling: str,
    progress: Optional[Callable[[int, int], Any]] = ...,
) -> str: ...
def discover_csv(
    config: Config,
    area: str,
    option: Optional[str],
    threshold: Optional[float],
    step: Optional[int],
    variants: List[Tuple[str, List[str], List[str], List[str]]],
    draws: Optional[int],
    seed: int,
    threads: Optional[int],
    max_rejected: float,
    scenario: Optional[str],
    year: Optional[int],
    progress: Optional[Callable[[int, int], Any]] = ...,
) -> Tuple[str, str]: ...
def decide_csv(
    config: Config,
    value: Optional[float],
    groups: List[Tuple[str, List[str]]],
    variants: List[Tuple[str, List[str], List[str], List[str]]],
    draws: Optional[int],
    seed: int,
    threads: Optional[int],
    max_rejected: float,
    scenario: Optional[str],
    year: Optional[int],
    progress: Optional[Callable[[int, int], Any]] = ...,
) -> Tuple[str, str, str, str]: ...
def sobol_csv(config: Config, n: int, seed: int, threads: Optional[int]) -> str: ...
def sweep_csv(
    config: Config,
    vary: List[str],
    draws: int,
    seed: int,
    threads: Optional[int],
    max_rejected: float,
    metrics: List[str],
    areas: List[str],
    years: List[int],
    sampling: str,
    progress: _Progress = None,
) -> str: ...
def target(
    config: Config,
    area: Optional[str],
    scenario: Optional[str],
    year: Optional[int],
    p: float,
    draws: int,
    seed: int,
    threads: Optional[int],
    sampling: str,
) -> List[Dict[str, Any]]: ...
def draws(
    config: Config,
    n: int,
    outputs: List[Tuple[str, str, str, int]],
    inputs: List[str],
    seed: int,
    threads: Optional[int],
    sampling: str,
    progress: _Progress = None,
) -> Tuple[np.ndarray, List[str]]: ...
