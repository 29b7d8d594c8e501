"""Results from Python equal the CLI's files for the same config, overrides, seed
and draws; shards merged in Python or by the CLI equal the single run."""

import json
import pickle

import pytest

import wfmc

DRAWS = 30_000
SEED = 7
SET = {"salary_growth": "normal(0.035, 0.01)", "supply.ict.flow_rate": 0.02}


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def same_files(a, b):
    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb)
    for name in fa:
        if name == "machine.json":
            continue
        if name == "manifest.json":
            ma, mb = json.loads(fa[name]), json.loads(fb[name])
            ma.pop("command"), mb.pop("command")
            assert ma == mb
            continue
        assert fa[name] == fb[name], name


def test_run_equals_cli_files(tmp_path, cli):
    sets = [a for k, v in SET.items() for a in ("--set", f"{k}={v}")]
    cli("run", "--draws", DRAWS, "--seed", SEED, "--threads", 2, "--sobol", 1024, *sets, "--out", tmp_path / "cli")
    res = wfmc.run(draws=DRAWS, seed=SEED, set=SET, sobol_rows=1024)
    res.write(tmp_path / "py")
    same_files(tmp_path / "cli", tmp_path / "py")
    assert res.bands.equals(wfmc._frame((tmp_path / "cli" / "bands.csv").read_text()))
    assert res.shortfall.equals(wfmc._frame((tmp_path / "cli" / "shortfall.csv").read_text()))
    # The tables computed on first use equal the CLI's too.
    assert res.sobol.equals(wfmc._frame((tmp_path / "cli" / "sobol.csv").read_text()))
    assert res.tornado.equals(wfmc._frame((tmp_path / "cli" / "tornado.csv").read_text()))


def test_mc_sampling_equals_cli(tmp_path, cli):
    cli("run", "--draws", 20000, "--seed", 4, "--sampling", "mc", "--sobol", 0, "--out", tmp_path / "cli")
    res = wfmc.run(draws=20000, seed=4, sampling="mc", sobol_rows=0)
    assert res.manifest["sampling"] == "mc"
    res.write(tmp_path / "py")
    same_files(tmp_path / "cli", tmp_path / "py")


def test_point_equals_cli(cli):
    cfg = wfmc.Config.load().with_overrides(set=SET)
    sets = [a for k, v in SET.items() for a in ("--set", f"{k}={v}")]
    assert cfg._inner.point_csv() == cli("point", "--format", "csv", *sets).stdout
    assert cfg.point().equals(wfmc._frame(cli("point", "--format", "csv", *sets).stdout))


def test_write_refuses_a_folder_it_did_not_write(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    res = wfmc.run(draws=5000, sobol_rows=0)
    with pytest.raises(wfmc.ConfigError):
        res.write(mine)
    assert (mine / "notes.txt").read_text() == "keep me"


def test_shards_merge_to_the_single_run(tmp_path, cli):
    parts = [wfmc.run_shard(i, 3, draws=DRAWS, seed=SEED, set=SET, sobol_rows=0) for i in (1, 2, 3)]
    parts = pickle.loads(pickle.dumps(parts))
    merged = wfmc.merge(parts[::-1])
    single = wfmc.run(draws=DRAWS, seed=SEED, set=SET, sobol_rows=0)
    for t in ("bands", "shortfall", "correlation"):
        assert getattr(merged, t).equals(getattr(single, t)), t
    assert merged.manifest["shards"] == "merged from 3"
    # The CLI merges partials saved from Python.
    saved = [p.save(tmp_path / f"part{p.index}.wfmc") for p in parts]
    sets = [a for k, v in SET.items() for a in ("--set", f"{k}={v}")]
    cli("merge", *saved, *sets, "--out", tmp_path / "merged")
    single.write(tmp_path / "single")
    cli_bands = (tmp_path / "merged" / "bands.csv").read_bytes()
    assert cli_bands == (tmp_path / "single" / "bands.csv").read_bytes()


def test_merge_verifies_partials():
    parts = [wfmc.run_shard(i, 3, draws=DRAWS, seed=SEED, sobol_rows=0) for i in (1, 2, 3)]
    with pytest.raises(wfmc.ConfigError, match="chunk"):
        wfmc.merge(parts[:2])
    damaged = bytearray(parts[0].data)
    damaged[len(damaged) // 2] ^= 0xFF
    with pytest.raises(wfmc.ConfigError, match="damaged|CRC|checksum"):
        wfmc.merge([bytes(damaged), parts[1], parts[2]])
    other = wfmc.Config.load().with_overrides(set={"salary_growth": 0.05})
    with pytest.raises(wfmc.ConfigError, match="config"):
        wfmc.merge(parts, config=other)


def test_compare_equals_cli(tmp_path, cli):
    cli(
        "compare", "--intervention", "graduate-ddat", "--variant", "pay: --stress realised-pay",
        "--draws", 20_000, "--seed", SEED, "--set", "salary_growth=0.03", "--out", tmp_path / "cli",
    )
    df = wfmc.compare(
        interventions="graduate-ddat", variants={"pay": "--stress realised-pay"},
        draws=20_000, seed=SEED, set={"salary_growth": 0.03},
    )
    want = wfmc._frame((tmp_path / "cli" / "compare.csv").read_text())
    pd_equal = df.equals(want)
    assert pd_equal, (df.head(), want.head())
    assert set(df["variant"]) == {"graduate-ddat", "pay"}
    row = df[(df.variant == "graduate-ddat") & (df.area == "total") & (df.year == 2030)
             & (df.measure == "gross_shortfall") & (df.scenario == "data_driven")].iloc[0]
    assert row.change < 0 and row.se < row.se_unpaired
    with pytest.raises(wfmc.ConfigError, match="did you mean `graduate-ddat`|interventions:"):
        wfmc.compare(interventions="graduate-dda", draws=1000)
