"""Shared fixtures: the CLI binary the Python results are compared with."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli():
    """Runs the `wfmc` binary (WFMC_BIN, or the repository's target/release/wfmc,
    which `scripts/test` builds first) and returns the completed process."""
    exe = Path(os.environ.get("WFMC_BIN", ROOT / "target" / "release" / "wfmc"))
    if not exe.is_file():
        pytest.fail(f"{exe} is missing: run `cargo build --release` first (scripts/test does)")

    def run(*args, cwd=None, check=True):
        p = subprocess.run([str(exe), *map(str, args)], cwd=cwd, capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"wfmc {' '.join(map(str, args))} failed ({p.returncode}):\n{p.stderr}")
        return p

    return run
