"""Compares wfmc_decision's PRIM with the EMA Workbench's ``Prim``.

For every data set from ``make_fixtures.py`` (plus the Rust unit test's
planted data set) it runs ``ema_workbench.analysis.prim.Prim`` with its
defaults (peel_alpha = paste_alpha = mass_min = 0.05, LENIENT1, ABOVE,
threshold 0.5) and the Rust example ``sd_cli prim``, then compares the whole
peeling and pasting trajectory (coverage, density, mass, mean, res_dim, n,
k), every box's limits and every quasi-p value.

Run from the crate root:  .venv/bin/python python/compare_prim.py
or as a test:            .venv/bin/python -m pytest python/compare_prim.py
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import warnings

import numpy as np
import pandas as pd

# pandas 3 flags float_precision as deprecated; exact parsing is what
# makes both sides see bit-identical inputs
warnings.filterwarnings("ignore", message=".*float_precision.*")

HERE = Path(__file__).resolve().parent
CRATE = HERE.parent
sys.path.insert(0, str(HERE))
import make_fixtures  # noqa: E402


def _rust_binary():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "sd_cli"],
        cwd=CRATE,
        check=True,
    )
    # the crate is a workspace member: cargo says where its target folder is
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=CRATE, check=True, capture_output=True, text=True,
    )
    target = Path(json.loads(meta.stdout)["target_directory"])
    return target / "release" / "examples" / "sd_cli"


def _workbench(csv, threshold):
    import logging

    from ema_workbench.analysis import prim

    logging.disable(logging.WARNING)
    data = pd.read_csv(csv, float_precision="round_trip")
    y = data.pop("y").values.astype(int)
    data = data.astype(float)
    alg = prim.Prim(data, y, threshold=threshold)
    box = alg.find_box()
    return data, box


def compare(csv, binary):
    """Returns a dict of discrepancies for one data set."""
    out = Path(tempfile.mkdtemp()) / "traj.csv"
    subprocess.run([str(binary), "prim", str(csv), str(out)], check=True)
    rust = pd.read_csv(out, float_precision="round_trip")
    # threshold 0.5 is the comparison setting; a tiny threshold gives the
    # same counts for a 0/1 outcome but keeps the trajectory when the final
    # mean is below 0.5 (the workbench would otherwise return a dump box)
    data, box = _workbench(csv, 0.5)
    meets = bool(rust["meets_threshold"].iloc[0])
    dump = len(box.peeling_trajectory) == 1 and len(rust) > 1
    if dump:
        data, box = _workbench(csv, 1e-9)
    ppt = box.peeling_trajectory
    cols = list(data.columns)
    res = {
        "name": Path(csv).stem,
        "n": len(data),
        "d": len(cols),
        "steps_rust": len(rust),
        "steps_ema": len(ppt),
        "paste_steps_rust": int((rust["phase"] == "paste").sum()),
        "meets_threshold_rust": meets,
        "dump_box_ema": dump,
    }
    m = min(len(rust), len(ppt))
    for key in ["coverage", "density", "mass", "mean"]:
        res[f"max_abs_{key}"] = float(
            np.max(np.abs(rust[key].values[:m] - ppt[key].values[:m].astype(float)))
        )
    for key in ["res_dim", "n", "k"]:
        res[f"mismatch_{key}"] = int(
            np.sum(rust[key].values[:m] != ppt[key].values[:m].astype(int))
        )
    lim = 0.0
    qp_abs = 0.0
    qp_rel = 0.0
    qp_log = 0.0
    for i in range(m):
        bl = box.box_lims[i]
        qp = box.qp[i]
        for j, c in enumerate(cols):
            lim = max(lim, abs(rust[f"lo{j}"][i] - bl[c][0]), abs(rust[f"hi{j}"][i] - bl[c][1]))
            ema_qp = qp.get(c, [-1.0, -1.0])
            for side, v in zip(["qplo", "qphi"], ema_qp):
                r = rust[f"{side}{j}"][i]
                if (r < 0) != (v < 0):
                    qp_abs = np.inf
                    continue
                qp_abs = max(qp_abs, abs(r - v))
                if v > 1e-200:
                    qp_rel = max(qp_rel, abs(r - v) / v)
                if v > 0 and r > 0:
                    qp_log = max(qp_log, abs(np.log10(r) - np.log10(v)))
    res["max_abs_limit"] = float(lim)
    res["max_abs_qp"] = float(qp_abs)
    # quasi-p values below 1e-200 lose relative accuracy in both libraries'
    # incomplete beta functions, so they are compared on the log10 scale
    res["max_rel_qp_above_1e-200"] = float(qp_rel)
    res["max_abs_log10_qp"] = float(qp_log)
    return res


def all_results():
    binary = _rust_binary()
    folder = Path(tempfile.mkdtemp())
    make_fixtures.main(folder)
    subprocess.run([str(binary), "planted", str(folder / "planted.csv")], check=True)
    return [compare(p, binary) for p in sorted(folder.glob("*.csv"))]


def _ok(r):
    return (
        r["steps_rust"] == r["steps_ema"]
        and r["meets_threshold_rust"] != r["dump_box_ema"]
        and r["mismatch_res_dim"] == 0
        and r["mismatch_n"] == 0
        and r["mismatch_k"] == 0
        and max(r["max_abs_coverage"], r["max_abs_density"], r["max_abs_mass"]) <= 1e-12
        and r["max_abs_limit"] == 0.0
        and r["max_rel_qp_above_1e-200"] <= 1e-6
        and r["max_abs_log10_qp"] <= 0.05
    )


def test_prim_matches_workbench():
    for r in all_results():
        assert _ok(r), r


if __name__ == "__main__":
    results = all_results()
    table = pd.DataFrame(results).set_index("name")
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(table.T)
    bad = [r["name"] for r in results if not _ok(r)]
    print("all match" if not bad else f"MISMATCH: {bad}")
    sys.exit(1 if bad else 0)
