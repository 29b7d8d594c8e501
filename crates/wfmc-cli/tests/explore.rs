//! Overrides, stress profiles, sweeps and targets, through the real binary, checked
//! against the point model and known relations.

mod common;

use common::{stdout_of as ok, wfmc};
use std::path::{Path, PathBuf};

/// The built-in config without any uncertainty, written to `dir`.
fn plain_config(dir: &Path) -> PathBuf {
    let p = dir.join("plain.toml");
    std::fs::write(&p, common::plain_config_text()).unwrap();
    p
}

/// `value` of the tidy sweep CSV at (point, scenario, area, metric, stat).
fn sweep_value(
    csv: &str,
    point: &str,
    scenario: &str,
    area: &str,
    metric: &str,
    stat: &str,
) -> f64 {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[0] == *point
            && &rec[col("scenario")] == scenario
            && &rec[col("area")] == area
            && &rec[col("metric")] == metric
            && &rec[col("stat")] == stat
        {
            return rec[col("value")].parse().unwrap();
        }
    }
    panic!("no row {point} {scenario} {area} {metric} {stat}");
}

fn point_value(args: &[&str], key: &str) -> f64 {
    let mut a = vec!["point", "--format", "csv"];
    a.extend_from_slice(args);
    let out = ok(&a);
    let line = out
        .lines()
        .find(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("{key} in {out}"));
    line.rsplit(',').next().unwrap().parse().unwrap()
}

#[test]
fn sweep_over_fixed_salary_growth_matches_the_point_model() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = plain_config(dir.path());
    let cfg = cfg.to_str().unwrap();
    let csv = ok(&[
        "sweep",
        "--config",
        cfg,
        "--vary",
        "salary_growth=0.01:0.05:0.01",
        "--draws",
        "5000",
        "--metric",
        "cost_demand",
        "--area",
        "total",
    ]);
    assert!(csv.starts_with("point,salary_growth,scenario,area,year,metric,stat,value\n"));
    for (i, g) in ["0.01", "0.02", "0.03", "0.04", "0.05"].iter().enumerate() {
        let want = point_value(
            &[
                "--config",
                cfg,
                "--set",
                &format!("salary_growth=fixed({g})"),
            ],
            "data_driven,total,2030,cost_demand,",
        );
        let point = (i + 1).to_string();
        let got = sweep_value(&csv, &point, "data_driven", "total", "cost_demand", "mean");
        assert!(
            (got - want).abs() <= 1e-9 * want,
            "salary {g}: sweep {got} vs point {want}"
        );
        let sd = sweep_value(&csv, &point, "data_driven", "total", "cost_demand", "sd");
        assert_eq!(sd, 0.0);
    }
}

#[test]
fn sweep_uses_common_random_numbers() {
    // On-cost scales every cost by (1 + c) and nothing else; with the same draws at
    // both points the mean cost of demand scales exactly, not up to noise.
    let sweep = |threads: &str| {
        ok(&[
            "sweep",
            "--vary",
            "on_cost=0.3,0.4",
            "--draws",
            "8192",
            "--metric",
            "cost_demand",
            "--area",
            "total",
            "--threads",
            threads,
        ])
    };
    let csv = sweep("2");
    let a = sweep_value(&csv, "1", "data_driven", "total", "cost_demand", "mean");
    let b = sweep_value(&csv, "2", "data_driven", "total", "cost_demand", "mean");
    assert!((b / a - 1.4 / 1.3).abs() < 1e-12, "{}", b / a);
    // And the sweep is reproducible across thread counts.
    let csv1 = sweep("1");
    assert_eq!(csv, csv1);
}

#[test]
fn target_inflow_hits_its_probability_when_applied_with_set() {
    let draws = "50000";
    let out = ok(&[
        "target",
        "--area",
        "clinical_informatics",
        "--scenario",
        "data_desert",
        "--p-shortfall",
        "0.2",
        "--draws",
        draws,
    ]);
    let row = out
        .lines()
        .find(|l| l.starts_with("Clinical informatics"))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    // Clinical informatics | p0 ± se | inflow | lo – hi | p ± se
    let inflow: f64 = cells[5].parse().unwrap();
    assert!(inflow > 0.0, "{row}");
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("r");
    // The run `target`'s check line gives: the same draws, so plain Monte Carlo.
    ok(&[
        "run",
        "--draws",
        draws,
        "--sampling",
        "mc",
        // Target counts short draws: the indicator, on the same draws.
        "--shortfall",
        "indicator",
        "--set",
        &format!("supply.clinical_informatics.extra_inflow={inflow}"),
        "--out",
        res.to_str().unwrap(),
    ]);
    let sf = std::fs::read_to_string(res.join("shortfall.csv")).unwrap();
    let line = sf
        .lines()
        .find(|l| l.starts_with("data_desert,clinical_informatics,2030,"))
        .unwrap();
    let p: f64 = line.split(',').nth(3).unwrap().parse().unwrap();
    // Same draws (common random numbers): the run sees what target saw, so p is at
    // most the target and below it by less than the draws within 0.01 WTE a year.
    let se = (0.2f64 * 0.8 / 50000.0).sqrt();
    assert!(p <= 0.2 && p > 0.2 - se, "p = {p} at inflow {inflow}");
    let manifest = std::fs::read_to_string(res.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("supply.clinical_informatics.extra_inflow="),
        "{manifest}"
    );
}

#[test]
fn stress_profiles_are_listed_and_change_what_they_say() {
    let list = ok(&["stress", "--list"]);
    for p in ["realised-pay", "supply-stall", "wide-forecasters"] {
        assert!(list.contains(p), "{list}");
    }
    let key = "data_driven,total,2030,cost_demand,";
    let base = point_value(&[], key);
    let real = point_value(&["--stress", "realised-pay"], key);
    // 2.7 % a year to 2030 vs the awards to 2025/26 then 2.7 %.
    let want = base * (1.03 * 1.04 * 1.05 * 1.055 * 1.036) * 1.027f64.powi(5) / 1.027f64.powi(10);
    assert!((real - want).abs() < 1e-6 * want, "{real} vs {want}");
    // Supply stall: clinical informatics supply stays at its 2020 size.
    let s = point_value(
        &["--stress", "supply-stall"],
        "data_driven,clinical_informatics,2030,supply,",
    );
    assert_eq!(s, 1778.0);
}

#[test]
fn bad_overrides_are_clear_errors() {
    let o = wfmc(&["point", "--set", "supply.clinical_informatic.flow_rate=0"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("supply.clinical_informatics.flow_rate"), "{e}");
    let o = wfmc(&[
        "run",
        "--draws",
        "10",
        "--set",
        "salary_growth=triangular(0.05, 0.01, 0.02)",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("--set salary_growth="), "{e}");
    let o = wfmc(&["point", "--stress", "no-such"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("realised-pay"));
    let o = wfmc(&["sweep", "--vary", "salary_growth=0.05:0.01:0.01"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn sweep_to_a_file_is_whole_or_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out/sweep.csv");
    let stdout = ok(&[
        "sweep",
        "--vary",
        "on_cost=0.3,0.4",
        "--draws",
        "4096",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(stdout.is_empty());
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("point,on_cost,scenario,area,year,metric,stat,value\n"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    let o = wfmc(&[
        "sweep",
        "--vary",
        "on_cost=0.3",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a folder"));
}

#[test]
fn sharded_sweeps_merge_to_the_unsharded_bytes_and_bad_merges_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = |n: &str| d.path().join(n).to_str().unwrap().to_string();
    let sweep = |extra: &[&str]| {
        let mut a = vec![
            "sweep",
            "--vary",
            "salary_growth=0.01:0.05:0.01",
            "--vary",
            "supply.ict.flow_rate=0.01,0.03",
            "--draws",
            "4096",
        ];
        a.extend_from_slice(extra);
        let o = common::wfmc(&a);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    sweep(&["--out", &p("full.csv")]);
    for i in 1..=3 {
        sweep(&[
            "--shard",
            &format!("{i}/3"),
            "--out",
            &p(&format!("part{i}.csv")),
        ]);
    }
    let merge = |parts: &[String]| {
        let mut a = vec!["merge-sweep"];
        a.extend(parts.iter().map(|s| s.as_str()));
        common::wfmc(&a)
    };
    // Any order of the parts gives the unsharded bytes.
    let o = merge(&[p("part3.csv"), p("part1.csv"), p("part2.csv")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, std::fs::read(p("full.csv")).unwrap());
    let refused = |parts: &[String], phrase: &str| {
        let o = merge(parts);
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{e}");
        assert!(e.contains(phrase), "expected `{phrase}`: {e}");
    };
    refused(&[p("part1.csv"), p("part2.csv")], "shard 3/3 is missing");
    refused(
        &[
            p("part1.csv"),
            p("part2.csv"),
            p("part2.csv"),
            p("part3.csv"),
        ],
        "given twice",
    );
    sweep(&["--seed", "5", "--shard", "3/3", "--out", &p("other3.csv")]);
    refused(
        &[p("part1.csv"), p("part2.csv"), p("other3.csv")],
        "parts of different sweeps",
    );
    let text = std::fs::read_to_string(p("part2.csv")).unwrap();
    std::fs::write(
        p("bad2.csv"),
        text.replacen(",data_driven,", ",data_desert,", 1),
    )
    .unwrap();
    refused(&[p("part1.csv"), p("bad2.csv"), p("part3.csv")], "damaged");
    std::fs::write(p("cut2.csv"), &text[..text.len() / 2]).unwrap();
    refused(
        &[p("part1.csv"), p("cut2.csv"), p("part3.csv")],
        "truncated",
    );
    refused(&[p("full.csv")], "not a part of a sharded sweep");
}
