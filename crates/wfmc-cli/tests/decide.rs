//! Decisions under uncertainty end to end: `wfmc discover` and `wfmc decide` write
//! their files into a run's folder and its report, the same bytes on any number of
//! threads, acceptability sums to one at every value, and bad settings and
//! `[decision]` tables are refused with the place named.

mod common;

use common::{fails, ok, wfmc};

fn read(p: &std::path::Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn discover_and_decide_write_their_files_and_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("r");
    let ds = d.to_str().unwrap();
    ok(wfmc(&["run", "--draws", "8192", "--out", ds]));
    let o = ok(wfmc(&[
        "discover",
        "--outcome",
        "ict",
        "--draws",
        "8192",
        "--threads",
        "2",
        "--out",
        ds,
    ]));
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(text.contains("ict falls short in 2030"), "{text}");
    assert!(text.contains("supply.ict.flow_rate"), "{text}");
    let disc = read(&d.join("discovery.csv"));
    assert!(disc.starts_with("outcome,method,step,phase,chosen,coverage"));
    assert!(disc.contains(",cart,"));
    let o = ok(wfmc(&[
        "decide",
        "--value",
        "60000",
        "--draws",
        "8192",
        "--threads",
        "2",
        "--out",
        ds,
        "--group",
        "ict=supply.ict.flow_rate,demand.data_driven.ict.ratio",
    ]));
    let table = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(table.contains("clinical-informatics-training"), "{table}");
    for f in [
        "value_of_information.csv",
        "acceptability.csv",
        "robustness.csv",
    ] {
        assert!(d.join(f).exists(), "{f}");
    }
    // Acceptability: the options' probabilities sum to 1 at every value.
    let acc = read(&d.join("acceptability.csv"));
    let mut sums: std::collections::BTreeMap<String, f64> = Default::default();
    for line in acc.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        *sums.entry(f[0].to_string()).or_default() += f[2].parse::<f64>().unwrap();
    }
    assert_eq!(sums.len(), 41);
    for (v, s) in &sums {
        assert!((s - 1.0).abs() < 1e-9, "{v}: {s}");
    }
    // EVPPI of a group lies within [0, EVPI] up to its error, and the EVPI row leads.
    let voi = read(&d.join("value_of_information.csv"));
    let rows: Vec<Vec<&str>> = voi
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows[0][1], "evpi");
    let evpi: f64 = rows[0][5].parse().unwrap();
    for r in &rows[1..] {
        let (v, se): (f64, f64) = (r[5].parse().unwrap(), r[6].parse().unwrap());
        assert!(
            v >= -3.0 * se - 1e-6 && v <= evpi + 3.0 * se + 1e-6,
            "{r:?} vs {evpi}"
        );
    }
    let page = read(&d.join("report.html"));
    for id in [
        "id=discovery",
        "id=voi",
        "id=acceptability",
        "id=robustness",
    ] {
        assert!(page.contains(id), "{id} missing from the report");
    }
}

#[test]
fn the_same_bytes_on_any_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let mut got = vec![];
    for t in ["1", "2"] {
        let d = tmp.path().join(t);
        let ds = d.to_str().unwrap();
        ok(wfmc(&[
            "discover",
            "--outcome",
            "total",
            "--draws",
            "6000",
            "--threads",
            t,
            "--out",
            ds,
        ]));
        ok(wfmc(&[
            "decide",
            "--value",
            "50000",
            "--draws",
            "6000",
            "--threads",
            t,
            "--out",
            ds,
        ]));
        got.push(
            [
                "discovery.csv",
                "value_of_information.csv",
                "acceptability.csv",
                "robustness.csv",
            ]
            .map(|f| read(&d.join(f))),
        );
    }
    assert_eq!(got[0], got[1]);
}

#[test]
fn bad_settings_name_their_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("x");
    let ds = ds.to_str().unwrap();
    fails(
        &wfmc(&["decide", "--draws", "4096", "--out", ds]),
        2,
        "--value",
    );
    fails(
        &wfmc(&["discover", "--outcome", "nowhere", "--out", ds]),
        2,
        "--outcome",
    );
    fails(
        &wfmc(&[
            "discover",
            "--outcome",
            "ict",
            "--draws",
            "300000",
            "--out",
            ds,
        ]),
        2,
        "--draws",
    );
    fails(
        &wfmc(&[
            "decide",
            "--value",
            "1",
            "--group",
            "g=nothing.here",
            "--out",
            ds,
        ]),
        2,
        "--group",
    );
}

#[test]
fn decision_tables_are_read_and_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let good = format!(
        "{}\n[decision]\nvalue_per_wte_year = 60000\nvalues = [0, 200000]\npoints = 5\nportfolios = [\"graduate-ddat+ict-retention\"]\n[decision.groups]\nflows = [\"supply.ict.flow_rate\", \"supply.clinical_informatics.flow_rate\"]\n",
        wfmc::config::BUILTIN_TOML
    );
    let p = tmp.path().join("good.toml");
    std::fs::write(&p, &good).unwrap();
    let d = tmp.path().join("out");
    let o = ok(wfmc(&[
        "decide",
        "--config",
        p.to_str().unwrap(),
        "--draws",
        "4096",
        "--out",
        d.to_str().unwrap(),
    ]));
    let table = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(table.contains("graduate-ddat+ict-retention"), "{table}");
    let voi = read(&d.join("value_of_information.csv"));
    assert!(voi.contains("group,flows,"), "{voi}");
    assert_eq!(
        read(&d.join("acceptability.csv")).lines().count(),
        1 + 5 * 5
    );
    let bad = format!(
        "{}\n[decision]\nvalue_per_wte_year = -1\nvalues = [5, 1]\nportfolios = [\"graduate-ddat+nope\"]\nextra = 1\n",
        wfmc::config::BUILTIN_TOML
    );
    let p = tmp.path().join("bad.toml");
    std::fs::write(&p, &bad).unwrap();
    let o = wfmc(&["check", "--config", p.to_str().unwrap()]);
    for phrase in [
        "decision.value_per_wte_year",
        "decision.values",
        "decision.portfolios",
        "nope",
        "unknown key `extra`",
    ] {
        fails(&o, 2, phrase);
    }
}
