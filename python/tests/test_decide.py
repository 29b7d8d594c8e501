"""Scenario discovery and decisions from Python equal the CLI's files."""

import io

import pandas as pd

import wfmc

DRAWS = 8192


def test_discover_equals_the_cli_file(tmp_path, cli):
    cli("discover", "--outcome", "ict", "--draws", DRAWS, "--threads", 2, "--out", tmp_path / "d")
    df = wfmc.discover(area="ict", draws=DRAWS, threads=2)
    cli_df = pd.read_csv(tmp_path / "d" / "discovery.csv")
    assert list(df.columns) == list(cli_df.columns)
    assert len(df) == len(cli_df)
    pd.testing.assert_frame_equal(df.reset_index(drop=True), cli_df, check_dtype=False)
    assert "supply.ict.flow_rate" in df.attrs["box"]


def test_decide_equals_the_cli_files(tmp_path, cli):
    group = ["supply.ict.flow_rate", "demand.data_driven.ict.ratio"]
    cli(
        "decide", "--value", 60000, "--draws", DRAWS, "--threads", 2, "--out", tmp_path / "d",
        "--group", "ict=" + ",".join(group),
    )
    out = wfmc.decide(value=60000, draws=DRAWS, threads=2, groups={"ict": group})
    for name in ("value_of_information", "acceptability", "robustness"):
        cli_df = pd.read_csv(tmp_path / "d" / f"{name}.csv")
        pd.testing.assert_frame_equal(out[name].reset_index(drop=True), cli_df, check_dtype=False)
    acc = out["acceptability"]
    assert "clinical-informatics-training" in out["table"]
    assert len(acc) > 0
