//! A config of its own dimensions (configs/icb-2025.toml: 2025 to 2037, three
//! scenarios, six areas, three job levels that map pay bands) through every
//! command: results are shaped like its workforce, never like the report's.

mod common;

use common::{fails, ok, snapshot, stderr, wfmc};
use std::path::{Path, PathBuf};

fn icb() -> String {
    common::repo()
        .join("configs/icb-2025.toml")
        .to_str()
        .unwrap()
        .to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const SCENARIOS: [&str; 3] = ["steady", "accelerated", "constrained"];
const AREAS: [&str; 6] = [
    "data_analytics",
    "records_coding",
    "clinical_safety",
    "epr_applications",
    "cyber_security",
    "service_desk",
];

fn csv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// The distinct values of column `name`.
fn column(rows: &[Vec<String>], name: &str) -> std::collections::BTreeSet<String> {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

fn run(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let c = icb();
    let mut args = vec![
        "run",
        "--config",
        &c,
        "--draws",
        "8192",
        "--seed",
        "3",
        "--out",
        s(&out),
    ];
    args.extend_from_slice(extra);
    ok(wfmc(&args));
    out
}

#[test]
fn check_and_point_speak_of_the_configs_years_and_areas() {
    let o = ok(wfmc(&["check", "--config", &icb()]));
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &stderr(&o);
    assert!(text.contains("6 areas, 3 scenarios"), "{text}");
    let o = ok(wfmc(&["point", "--config", &icb()]));
    let t = String::from_utf8(o.stdout).unwrap();
    for want in [
        "Demand 2025 to 2037",
        "Accelerated digital",
        "Cyber security",
        "Gap 2037",
    ] {
        assert!(t.contains(want), "{want}: {t}");
    }
    assert!(!t.contains("2030") && !t.contains("Table 3."), "{t}");
    // The point model's numbers, by hand: data and analytics, steady adoption,
    // demand 210 against supply 175 in 2037.
    assert!(
        t.contains("Data and analytics                       175          210       -35"),
        "{t}"
    );
}

#[test]
fn a_run_and_its_report_are_shaped_like_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), "r", &[]);
    let bands = csv(&out.join("bands.csv"));
    assert_eq!(
        column(&bands, "scenario"),
        SCENARIOS.iter().map(|s| s.to_string()).collect()
    );
    let mut areas: std::collections::BTreeSet<String> =
        AREAS.iter().map(|s| s.to_string()).collect();
    areas.insert("total".into());
    assert_eq!(column(&bands, "area"), areas);
    let years: std::collections::BTreeSet<String> = (2025..=2037).map(|y| y.to_string()).collect();
    assert_eq!(column(&bands, "year"), years);
    let metrics = column(&bands, "metric");
    for m in [
        "demand_leaders",
        "demand_specialists",
        "demand_support",
        "cost_demand_by_level",
    ] {
        assert!(metrics.contains(m), "{m}: {metrics:?}");
    }
    assert!(!metrics.contains("demand_senior_leaders"), "{metrics:?}");
    let short = csv(&out.join("shortfall.csv"));
    assert_eq!(column(&short, "year"), years);
    // A chart per area that exists, and the report names the config's years.
    let plots: Vec<String> = std::fs::read_dir(out.join("plots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    for a in AREAS {
        assert!(
            plots.iter().any(|p| p == &format!("fan-steady-{a}.svg")),
            "{a}: {plots:?}"
        );
    }
    assert!(
        !plots
            .iter()
            .any(|p| p.contains("ict") || p.contains("data_driven"))
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("2025–2037") && html.contains("Headline, 2037"));
    // Outside the charts (whose year axes pass through 2030).
    let mut prose = String::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find("<svg") {
        prose.push_str(&rest[..i]);
        rest = rest[i..].split_once("</svg>").map_or("", |(_, r)| r);
    }
    prose.push_str(rest);
    assert!(!prose.contains("2030") && !prose.contains("nine areas"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(summary.to_string().contains("cyber_security"));
    // Rebuilding the report gives the same page.
    let before = snapshot(&out);
    ok(wfmc(&["report", s(&out)]));
    assert_eq!(before, snapshot(&out));
}

#[test]
fn sensitivity_sweep_target_and_compare_follow_the_dimensions() {
    let dir = tempfile::tempdir().unwrap();
    let c = icb();
    let t = dir.path().join("t");
    ok(wfmc(&["tornado", "--config", &c, "--out", s(&t)]));
    let rows = csv(&t.join("tornado.csv"));
    assert!(rows.iter().any(|r| {
        r.iter()
            .any(|x| x.contains("demand.accelerated.cyber_security.ratio"))
    }));
    assert!(column(&rows, "output").contains("gap/total/2037"));
    assert_eq!(column(&rows, "scenario").len(), 3);
    let so = dir.path().join("s");
    ok(wfmc(&[
        "sobol",
        "--config",
        &c,
        "--n",
        "512",
        "--out",
        s(&so),
    ]));
    let rows = csv(&so.join("sobol.csv"));
    assert_eq!(column(&rows, "scenario").len(), 3);
    assert!(column(&rows, "output").contains("gap/total/2037"));

    let sweep = dir.path().join("sweep.csv");
    ok(wfmc(&[
        "sweep",
        "--config",
        &c,
        "--vary",
        "supply.cyber_security.flow_rate=0,0.05",
        "--draws",
        "4096",
        "--area",
        "cyber_security",
        "--out",
        s(&sweep),
    ]));
    let rows = csv(&sweep);
    assert_eq!(column(&rows, "year"), ["2037".to_string()].into());
    assert_eq!(column(&rows, "scenario").len(), 3);

    let o = ok(wfmc(&[
        "target",
        "--config",
        &c,
        "--area",
        "cyber_security",
        "--scenario",
        "accelerated",
        "--draws",
        "20000",
    ]));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Cyber security") && text.contains("2037"),
        "{text}"
    );

    let cmp = dir.path().join("c");
    ok(wfmc(&[
        "compare",
        "--config",
        &c,
        "--intervention",
        "analyst-apprentices",
        "--draws",
        "8192",
        "--out",
        s(&cmp),
    ]));
    let rows = csv(&cmp.join("compare.csv"));
    assert_eq!(
        column(&rows, "scenario"),
        SCENARIOS.iter().map(|s| s.to_string()).collect()
    );
    let o = ok(wfmc(&["stress", "--paths", "--config", &c]));
    let paths = String::from_utf8_lossy(&o.stdout);
    assert!(paths.contains("areas.service_desk.workforce_2025"));
    assert!(paths.contains("supply.service_desk.flow_rate"));
    assert!(!paths.contains("workforce_2020"));
}

#[test]
fn shards_merge_and_refuse_shards_of_other_dimensions() {
    let dir = tempfile::tempdir().unwrap();
    let whole = run(dir.path(), "whole", &[]);
    for i in 1..=2 {
        run(
            dir.path(),
            &format!("p{i}"),
            &["--shard", &format!("{i}/2")],
        );
    }
    let merged = dir.path().join("merged");
    let c = icb();
    let (p1, p2) = (dir.path().join("p1"), dir.path().join("p2"));
    ok(wfmc(&[
        "merge",
        "--config",
        &c,
        s(&p1),
        s(&p2),
        "--out",
        s(&merged),
    ]));
    for f in ["bands.csv", "shortfall.csv", "summary.json"] {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
    // A shard of the report's config beside one of this config's.
    let hee = dir.path().join("hee");
    ok(wfmc(&[
        "run",
        "--draws",
        "8192",
        "--seed",
        "3",
        "--shard",
        "2/2",
        "--out",
        s(&hee),
    ]));
    let bad = dir.path().join("bad");
    let o = wfmc(&["merge", "--config", &c, s(&p1), s(&hee), "--out", s(&bad)]);
    fails(
        &o,
        2,
        "other dimensions: years differ (2020-2030 against 2025-2037)",
    );
    assert!(!bad.exists());
    // And sweep parts.
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let vary = ["--vary", "on_cost=0.3,0.4", "--draws", "4096"];
    ok(wfmc(
        &[
            &["sweep", "--config", &c, "--shard", "1/2", "--out", s(&a)][..],
            &vary,
        ]
        .concat(),
    ));
    ok(wfmc(
        &[&["sweep", "--shard", "2/2", "--out", s(&b)][..], &vary].concat(),
    ));
    let m = dir.path().join("m.csv");
    fails(
        &wfmc(&["merge-sweep", s(&a), s(&b), "--out", s(&m)]),
        2,
        "other dimensions: years differ",
    );
    assert!(!m.exists());
}

#[test]
fn inconsistent_dimensions_are_located_errors_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(icb()).unwrap();
    let cases = [
        // A scenario with no demand figures for an area.
        (
            "[demand.constrained.service_desk]\ndemand_2037 = 350\nlevels_2037 = [8, 90, 252]",
            "",
            "demand.constrained.service_desk",
        ),
        // An area missing from the flows.
        (
            "[supply.service_desk]\nsupply_2037 = 370",
            "",
            "supply.service_desk",
        ),
        // An intervention starting after the last year.
        (
            "start = 2027\nramp = 2",
            "start = 2040\nramp = 2",
            "2026 to 2037",
        ),
        // A year-named key of another horizon.
        (
            "supply_2037 = 370",
            "supply_2030 = 370",
            "did you mean `supply_2037`",
        ),
        // A level list of the report's length.
        (
            "levels_2025 = [8, 90, 232]",
            "levels_2025 = [8, 90, 232, 1]",
            "expected a list of 3",
        ),
        // A duplicated key and a horizon past 50 years.
        (
            "{ key = \"cyber_security\", label = \"Cyber security\"",
            "{ key = \"data_analytics\", label = \"Cyber security\"",
            "duplicated key `data_analytics`",
        ),
        ("last_year = 2037", "last_year = 2080", "1 to 50 years"),
    ];
    for (from, to, phrase) in cases {
        assert!(text.contains(from), "{from}");
        let cfg = dir.path().join("bad.toml");
        std::fs::write(&cfg, text.replacen(from, to, 1)).unwrap();
        let out = dir.path().join("out");
        let o = wfmc(&[
            "run",
            "--config",
            s(&cfg),
            "--draws",
            "4096",
            "--out",
            s(&out),
        ]);
        fails(&o, 2, phrase);
        assert!(stderr(&o).contains("bad.toml:"), "{}", stderr(&o));
        assert!(!out.exists(), "{phrase}: something was written");
    }
    // A misspelt area in --set names the nearest valid key.
    let o = wfmc(&[
        "run",
        "--config",
        &icb(),
        "--set",
        "supply.cyber_securty.flow_rate=0",
        "--draws",
        "4096",
        "--out",
        s(&dir.path().join("x")),
    ]);
    fails(&o, 2, "supply.cyber_security.flow_rate");
}
