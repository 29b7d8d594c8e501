"""Writes the PRIM cross-check data sets (CSV: x0..x{d-1}, y) into a folder.

Every float is written with 17 significant digits so that Rust and pandas
(read with ``float_precision="round_trip"``) see identical values.
The planted data set of the Rust unit test is written by the Rust example
``sd_cli planted`` (see ``compare_prim.py``).
"""

import sys
from pathlib import Path

import numpy as np


def _write(path, x, y):
    d = x.shape[1]
    header = ",".join([f"x{j}" for j in range(d)] + ["y"])
    with open(path, "w") as f:
        f.write(header + "\n")
        for row, yi in zip(x, y):
            f.write(",".join(f"{v:.17g}" for v in row) + f",{int(yi)}\n")


def datasets():
    """Yields (name, x, y) for every synthetic data set."""
    rng = np.random.default_rng(1)
    # label noise around a planted box
    x = rng.uniform(size=(3000, 8))
    y = (x[:, 0] > 0.6) & (x[:, 3] < 0.5)
    flip = rng.uniform(size=3000) < 0.1
    yield "noisy", x, y ^ flip

    # heavy ties: one-decimal values and a three-level input
    x = np.round(rng.uniform(size=(4000, 5)), 1)
    x[:, 4] = rng.integers(0, 3, size=4000).astype(float)
    y = ((x[:, 0] >= 0.5) & (x[:, 1] <= 0.3) & (x[:, 4] > 0)) | (rng.uniform(size=4000) < 0.05)
    yield "ties", x, y

    # a curved region in 20 normal inputs
    x = rng.normal(size=(20000, 20))
    y = x[:, 0] + 0.5 * x[:, 1] ** 2 + 0.3 * rng.normal(size=20000) > 1.2
    yield "curved", x, y

    # skewed inputs, planted box
    x = rng.lognormal(sigma=1.0, size=(10000, 10))
    y = (x[:, 2] > 2.0) & (x[:, 5] < 1.0) & (rng.uniform(size=10000) < 0.9)
    yield "lognormal", x, y

    # weak signal: the final box stays below the 0.5 threshold, so the
    # workbench returns its "dump box"
    x = rng.uniform(size=(3000, 5))
    y = rng.uniform(size=3000) < 0.05 + 0.2 * (x[:, 0] > 0.5)
    yield "weak", x, y

    # small sample
    x = rng.uniform(size=(200, 3))
    y = rng.uniform(size=200) < 0.2 + 0.7 * (x[:, 0] > 0.5) * (x[:, 1] > 0.5)
    yield "small", x, y


def main(folder):
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, x, y in datasets():
        _write(out / f"{name}.csv", x, y)
    return out


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fixtures")
