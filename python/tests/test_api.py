"""The Python API: configs, runs, tables, errors, draws."""

import pickle

import numpy as np
import pandas as pd
import pytest

import wfmc

DRAWS = 20_000


@pytest.fixture(scope="module")
def res():
    return wfmc.run(draws=DRAWS, seed=11, threads=2, sobol_rows=0)


def test_config_load_paths_overrides():
    cfg = wfmc.Config.load()
    assert cfg.name == "hee-2021"
    paths = cfg.paths()
    assert "salary_growth" in paths and "supply.ict.flow_rate" in paths
    c2 = cfg.with_overrides(set={"salary_growth": 0.04})
    assert c2.hash != cfg.hash
    # A dict and the CLI's PATH=VALUE strings are the same override.
    assert cfg.with_overrides(set=["salary_growth=0.04"]).hash == c2.hash
    assert cfg.with_overrides().hash == cfg.hash
    assert "salary_growth" in cfg.inputs()


def test_config_pickles_as_its_recipe():
    cfg = wfmc.Config.load().with_overrides(set={"salary_growth": 0.035})
    back = pickle.loads(pickle.dumps(cfg))
    assert back.hash == cfg.hash


def test_bad_config_raises_located_config_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nsalary_growth = [\n')
    with pytest.raises(wfmc.ConfigError) as e:
        wfmc.Config.load(bad)
    assert isinstance(e.value, ValueError)
    assert "bad.toml:" in str(e.value)  # file:line:column


def test_bad_override_raises_config_error():
    with pytest.raises(wfmc.ConfigError) as e:
        wfmc.run(draws=1000, set={"no.such.path": 1})
    assert "no.such.path" in str(e.value)


def test_bad_settings_raise_value_error():
    with pytest.raises(ValueError, match="draws"):
        wfmc.run(draws=0)
    with pytest.raises(ValueError, match="sobol_rows"):
        wfmc.run(draws=1000, sobol_rows=3)
    with pytest.raises(ValueError, match="metric"):
        wfmc.draws(10, ["nonsense/data_driven/total/2030"])
    with pytest.raises(ValueError, match="stat"):
        wfmc.run(draws=1000, sobol_rows=0).cube("gap", "p42")
    with pytest.raises(TypeError):
        wfmc.run(draws=1000, set={"salary_growth": object()})


def test_tables_have_the_csv_columns(res):
    assert list(res.bands.columns) == ["scenario", "area", "year", "metric", "stat", "value", "se"]
    assert (res.bands.se.dropna() >= 0).all() and res.bands.se.notna().all()
    assert list(res.shortfall.columns) == [
        "scenario",
        "area",
        "year",
        "p_shortfall",
        "se",
        "expected_shortfall",
        "expected_shortfall_se",
    ]
    assert res.draws == DRAWS and res.rejected == 0
    assert res.summary["draws"] == DRAWS
    assert res.manifest["seed"] == 11


def test_cube_agrees_with_bands(res):
    cube = res.cube("gap", "p50")
    assert cube.values.shape == (2, 10, 11)
    assert cube.areas[-1] == "total" and cube.years[0] == 2020 and cube.years[-1] == 2030
    b = res.bands
    for s, a, y in [(0, 9, 10), (1, 3, 5), (0, 0, 1)]:
        row = b[
            (b.scenario == cube.scenarios[s])
            & (b.area == cube.areas[a])
            & (b.year == cube.years[y])
            & (b.metric == "gap")
            & (b.stat == "p50")
        ]
        assert row.value.iloc[0] == cube.values[s, a, y]
    p = res.cube("p_shortfall")
    sh = res.shortfall
    total = sh[(sh.scenario == "data_driven") & (sh.area == "total") & (sh.year == 2030)]
    assert p.values[0, 9, 10] == total.p_shortfall.iloc[0]
    tidy = cube.to_frame("p50")
    assert len(tidy) == 220 and list(tidy.columns) == ["scenario", "area", "year", "p50"]
    # An area has no gross shortfall.
    assert np.isnan(res.cube("gross_shortfall", "mean").values[0, 0, 0])


def test_same_bytes_on_any_thread_count(res):
    other = wfmc.run(draws=DRAWS, seed=11, threads=1, sobol_rows=0)
    assert other.bands.equals(res.bands)
    assert other.shortfall.equals(res.shortfall)
    assert other.summary == res.summary


def test_draws_are_the_runs_draws(res):
    d = wfmc.draws(DRAWS, ["gap/data_driven/total/2030", ("demand", "data_desert", "ict", 2025)], inputs=True, seed=11)
    gap = d["gap/data_driven/total/2030"]
    assert gap.shape == (DRAWS,) and gap.dtype == np.float64
    b = res.bands
    mean = b[
        (b.scenario == "data_driven") & (b.area == "total") & (b.year == 2030) & (b.metric == "gap") & (b.stat == "mean")
    ].value.iloc[0]
    # The same draws as the run: the means agree to summation order.
    assert gap.mean() == pytest.approx(mean, rel=1e-12)
    assert set(wfmc.Config.load().inputs()) <= set(d)
    # Thread count and a prefix do not change the values.
    again = wfmc.draws(4096 * 2 + 5, ["gap/data_driven/total/2030"], seed=11, threads=1)
    np.testing.assert_array_equal(again["gap/data_driven/total/2030"], gap[: 4096 * 2 + 5])
    frame = pd.DataFrame(d)
    assert frame.shape[0] == DRAWS


def test_draws_input_is_sampled_from_its_distribution():
    d = wfmc.draws(50_000, [], inputs=["salary_growth"], seed=3)
    g = d["salary_growth"]
    assert g.std() > 0
    with pytest.raises(ValueError, match="uncertain inputs"):
        wfmc.draws(10, [], inputs=["not_an_input"])


def test_sweep_target_tornado_sobol_frames():
    sw = wfmc.sweep({"salary_growth": [0.01, 0.04]}, draws=10_000, metric="cost_demand", area="total", year=2030)
    assert set(sw.salary_growth) == {0.01, 0.04}
    t = wfmc.target("ict", draws=20_000)
    assert list(t.area) == ["ict"] and t.extra_inflow.iloc[0] >= 0
    tor = wfmc.tornado()
    assert {"output", "swing", "rank"} <= set(tor.columns)
    sob = wfmc.sobol(n=1024, threads=2)
    assert len(sob) > 0
    with pytest.raises(ValueError):
        wfmc.sweep({})


def test_until_stops_at_a_stated_precision():
    res = wfmc.run(until={"percentile_se": 80, "mean_se": 2}, sobol_rows=0, seed=3)
    until = res.manifest["until"]
    assert until["met"] and until["targets"] == ["percentile_se=80", "mean_se=2"]
    assert res.draws % 16384 == 0 and res.draws < 10**6
    b = res.bands
    p5 = b[(b.scenario == "data_driven") & (b.area == "total") & (b.year == 2030) & (b.metric == "gap") & (b.stat == "p5")]
    assert p5.se.iloc[0] <= 80
    with pytest.raises(ValueError, match="until"):
        wfmc.run(until=["nope=1"])


def test_progress_callback_is_called():
    seen = []
    wfmc.run(draws=50_000, sobol_rows=0, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (50_000, 50_000)
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))


def test_help_and_docstrings():
    for f in (wfmc.run, wfmc.draws, wfmc.sweep, wfmc.merge, wfmc.run_shard, wfmc.Config.load, wfmc.Results.write):
        assert f.__doc__ and len(f.__doc__) > 40
