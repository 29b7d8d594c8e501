"""Scenario discovery against the EMA Workbench (PyPI ``ema-workbench``) and
scikit-learn: the same PRIM settings (peel and paste α = 0.05, minimum mass 0.05,
the lenient objective) on the same points give the same trajectory.

On wfmc's own draws, through ``wfmc.discover(points=True)``, and on the synthetic
data sets of ``crates/wfmc-decision/python`` (a planted box, label noise, heavy ties,
a curved region, a weak signal), whose CART leaves are also checked against
scikit-learn's tree, the EMA Workbench's CART.
"""

import logging
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfmc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "crates" / "wfmc-decision" / "python"))

warnings.filterwarnings("ignore", message=".*ipyparallel.*")
warnings.filterwarnings("ignore", message=".*float_precision.*")


def _workbench_box(points):
    from ema_workbench.analysis import prim

    logging.disable(logging.WARNING)
    x = points.drop(columns="short").astype(float)
    y = points["short"].values.astype(int)
    # a tiny threshold keeps the whole trajectory (the workbench returns a dump
    # box when the last box's density is under its threshold)
    return x, prim.Prim(x, y, threshold=1e-9).find_box()


@pytest.mark.parametrize(
    "area,threshold",
    [("ict", None), ("health_records", None), ("total", None), ("clinical_informatics", 10000.0)],
)
def test_wfmc_trajectory_equals_the_workbench_on_the_same_draws(area, threshold):
    df = wfmc.discover(area=area, threshold=threshold, draws=6000, threads=2, points=True)
    points = df.attrs["points"]
    prim_rows = df[df["method"] == "prim"]
    steps = prim_rows.groupby("step", sort=True).first()
    x, box = _workbench_box(points)
    ppt = box.peeling_trajectory
    assert len(steps) == len(ppt)
    for key in ["coverage", "density", "mass"]:
        np.testing.assert_allclose(steps[key].values, ppt[key].values.astype(float), rtol=0, atol=1e-12)
    for key in ["n", "k", "restricted"]:
        ema_key = "res_dim" if key == "restricted" else key
        assert (steps[key].values == ppt[ema_key].values.astype(int)).all(), key
    # each step's restricted inputs and their limits
    for step, rows in prim_rows[prim_rows["restricted"] > 0].groupby("step"):
        lims = box.box_lims[step]
        for _, r in rows.iterrows():
            lo, hi = lims[r["input"]]
            assert (r["lower"], r["upper"]) == (lo, hi), (step, r["input"])
            free = x[r["input"]]
            assert lo > free.min() or hi < free.max(), (step, r["input"])


def test_prim_matches_the_workbench_on_synthetic_sets():
    import compare_prim

    for r in compare_prim.all_results():
        assert compare_prim._ok(r), r


def test_cart_leaves_match_scikit_learn():
    import compare_cart

    compare_cart.test_cart_matches_sklearn()
