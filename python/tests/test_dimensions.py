"""A config of its own dimensions (configs/icb-2025.toml: 2025 to 2037, three
scenarios, six areas, three job levels) through the Python package: every table and
cube is shaped like it, and equals the CLI's files."""

from pathlib import Path

import numpy as np

import wfmc

from test_cli_identity import same_files

ICB = Path(__file__).resolve().parents[2] / "configs" / "icb-2025.toml"
SCENARIOS = ["steady", "accelerated", "constrained"]
AREAS = ["data_analytics", "records_coding", "clinical_safety", "epr_applications", "cyber_security", "service_desk"]


def test_config_says_its_dimensions():
    cfg = wfmc.Config.load(ICB)
    assert cfg.scenarios == SCENARIOS
    assert cfg.areas == AREAS + ["total"]
    assert cfg.years == list(range(2025, 2038))
    assert "areas.service_desk.workforce_2025" in cfg.paths()
    point = cfg.point()
    assert set(point.year) == set(range(2025, 2038))
    # The module constants stay the built-in config's.
    assert wfmc.SCENARIOS == ["data_driven", "data_desert"]


def test_run_cube_and_files_follow_the_config(tmp_path, cli):
    res = wfmc.run(ICB, draws=8192, seed=3, threads=2, sobol_rows=0)
    cube = res.cube("gap", "p50")
    assert cube.values.shape == (3, 7, 13)
    assert cube.scenarios == SCENARIOS and cube.areas == AREAS + ["total"]
    assert cube.years[0] == 2025 and cube.years[-1] == 2037
    levels = res.cube("demand_specialists", "mean")
    assert np.all(np.isfinite(levels.values))
    assert set(res.shortfall.scenario) == set(SCENARIOS)
    res.write(tmp_path / "py")
    cli("run", "--config", ICB, "--draws", 8192, "--seed", 3, "--threads", 2, "--sobol", 0, "--out", tmp_path / "cli")
    same_files(tmp_path / "cli", tmp_path / "py")


def test_commands_take_the_configs_names():
    t = wfmc.target("cyber_security", config=ICB, scenario="accelerated", draws=20_000)
    assert list(t.area) == ["cyber_security"] and list(t.year) == [2037]
    sw = wfmc.sweep({"on_cost": [0.3, 0.4]}, config=ICB, draws=4096, area="total")
    assert set(sw.scenario) == set(SCENARIOS) and set(sw.year) == {2037}
    cmp = wfmc.compare(ICB, interventions="analyst-apprentices", draws=8192)
    assert set(cmp.scenario) == set(SCENARIOS)
    tor = wfmc.tornado(ICB)
    assert "gap/total/2037" in set(tor.output)
    d = wfmc.draws(4096, ["gap/constrained/cyber_security/2037"], config=ICB, seed=3)
    assert d["gap/constrained/cyber_security/2037"].shape == (4096,)
