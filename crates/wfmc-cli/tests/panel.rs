//! Forecaster returns: the panel reproduces the point model, its bootstrap is the
//! one computable by hand, and the example panel's means are the report's figures.

mod common;

use std::path::{Path, PathBuf};
use wfmc::Config;
use wfmc::dims::Dims;
use wfmc::engine::{self, RunSpec, Shard};
use wfmc::model::{Layout, Metric, Series, point};

fn repo(p: &str) -> PathBuf {
    // The example panel and its returns live in the repository.
    common::repo().join(p)
}

/// A config extending the built-in one without its uncertainty, with `returns`.
fn panel_config(dir: &Path, returns: &str, mode: &str) -> Config {
    std::fs::write(dir.join("returns.csv"), returns).unwrap();
    std::fs::write(dir.join("plain.toml"), common::plain_config_text()).unwrap();
    let text = format!(
        "extends = \"plain.toml\"\nname = \"t\"\n[forecasters]\nreturns = \"returns.csv\"\nmode = \"{mode}\"\n"
    );
    let path = dir.join("panel.toml");
    std::fs::write(&path, text).unwrap();
    Config::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Returns where each forecaster's 2030 levels are the published demand scaled to
/// the typical trust times `scale[f]`.
fn returns(scale: &[f64]) -> String {
    let cfg = Config::builtin();
    let dims = cfg.dims();
    let mut s = format!("{}\n", wfmc::config::panel::header(dims, 2025));
    for (f, k) in scale.iter().enumerate() {
        for sc in 0..dims.n_scenarios() {
            for a in 0..dims.n_areas() {
                let ac = cfg.area(a);
                let tt = ac.typical_trust.as_ref().unwrap();
                let d = cfg.demand_of(sc, a);
                let total = d.demand_last * tt.iter().sum::<f64>() / ac.workforce.base;
                let mix: f64 = d.levels_last.iter().sum();
                for (l, &lv) in d.levels_last.iter().enumerate() {
                    s.push_str(&format!(
                        "f{f},{},{},{},{},,{}\n",
                        dims.scenario_key(sc),
                        dims.area_key(a),
                        dims.level_key(l),
                        tt[l],
                        k * total * lv / mix
                    ));
                }
            }
        }
    }
    s
}

/// The storage index of a last-year demand series of the report's layout.
fn demand(scenario: &str, area: &str) -> usize {
    let dims = Dims::report();
    let layout = Layout::of(&dims);
    layout.index(&Series {
        scenario: dims.scenario(scenario).unwrap(),
        area: Some(dims.area(area).unwrap()),
        year: dims.last(),
        metric: Metric::Demand,
    })
}

fn spec(draws: u64) -> RunSpec {
    RunSpec {
        draws,
        seed: 5,
        threads: 2,
        shard: Shard::ALL,
        ..RunSpec::default()
    }
}

#[test]
fn equal_returns_collapse_to_the_point_model() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = panel_config(dir.path(), &returns(&[1.0, 1.0, 1.0]), "panel-mean");
    let want = point(&Config::builtin());
    let got = point(&cfg);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
    for (i, (a, b)) in want.iter().zip(&got).enumerate() {
        assert!(
            close(*a, *b),
            "{:?}: {a} vs {b}",
            Layout::of(&Dims::report()).series_at(i)
        );
    }
    // Every draw too: resampling equal returns changes nothing.
    let draws = engine::map_chunks(&cfg, &spec(4096), Vec::new, |v, _, row| {
        v.push(row[demand("data_driven", "ict")]);
    })
    .unwrap();
    let ict = want[demand("data_driven", "ict")];
    assert!(draws.iter().flatten().all(|d| close(*d, ict)));
}

#[test]
fn two_forecaster_bootstrap_takes_three_values_with_known_probabilities() {
    // Forecasters at 0.5× and 1.5× the published demand: a resample of two is
    // {x,x}, {x,y} or {y,y} with probabilities 1/4, 1/2, 1/4, so the mean ratio is
    // 0.5, 1 or 1.5 times the published.
    let dir = tempfile::tempdir().unwrap();
    let cfg = panel_config(dir.path(), &returns(&[0.5, 1.5]), "panel-mean");
    let i = demand("data_desert", "clinical_informatics");
    let dims = Dims::report();
    let published = Config::builtin()
        .demand_of(
            dims.scenario("data_desert").unwrap(),
            dims.area("clinical_informatics").unwrap(),
        )
        .demand_last;
    let n = 40_000;
    let parts = engine::map_chunks(
        &cfg,
        &spec(n),
        || [0u64; 3],
        |c, _, row| {
            let k = row[i] / published;
            let slot = [0.5, 1.0, 1.5]
                .iter()
                .position(|m| (k - m).abs() < 1e-9)
                .expect("one of three values");
            c[slot] += 1;
        },
    )
    .unwrap();
    let mut c = [0u64; 3];
    for p in parts {
        for k in 0..3 {
            c[k] += p[k];
        }
    }
    for (k, p) in [0.25, 0.5, 0.25].iter().enumerate() {
        let f = c[k] as f64 / n as f64;
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!((f - p).abs() < 4.0 * se, "value {k}: {f} vs {p}");
    }
    // Forecaster mode: each draw is one of them, half and half.
    let cfg = panel_config(dir.path(), &returns(&[0.5, 1.5]), "forecaster");
    let parts = engine::map_chunks(
        &cfg,
        &spec(n),
        || 0u64,
        |c, _, row| {
            *c += u64::from(row[i] < published);
        },
    )
    .unwrap();
    let f = parts.iter().sum::<u64>() as f64 / n as f64;
    assert!((f - 0.5).abs() < 4.0 * (0.25 / n as f64).sqrt(), "{f}");
}

#[test]
fn example_panel_means_are_the_reports_figures() {
    let cfg = Config::load(&repo("configs/examples/panel.toml")).unwrap_or_else(|e| panic!("{e}"));
    let p = cfg.panel.as_ref().unwrap();
    assert!(p.names.iter().any(|n| n == "figure-5.1"));
    assert_eq!(
        p.names
            .iter()
            .filter(|n| n.starts_with("synthetic-"))
            .count(),
        7
    );
    let out = point(&cfg);
    let dims = Dims::report();
    for s in 0..dims.n_scenarios() {
        for a in 0..dims.n_areas() {
            let want = Config::builtin().demand_of(s, a).demand_last;
            let got = out[demand(dims.scenario_key(s), dims.area_key(a))];
            assert!(
                (got - want).abs() < 0.5,
                "{s:?} {a:?}: {got} vs published {want}"
            );
            let (m, _, n) = p.mean_sd(s, a);
            assert!(n >= 7);
            assert!((m * cfg.area(a).workforce.base - want).abs() < 0.5);
        }
    }
}

#[test]
fn bad_returns_are_located_and_missing_areas_need_allow_missing() {
    let dir = tempfile::tempdir().unwrap();
    let _ = panel_config(dir.path(), &returns(&[1.0]), "panel-mean");
    let bin = env!("CARGO_BIN_EXE_wfmc");
    let cfg = dir.path().join("panel.toml");
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--config", cfg.to_str().unwrap()];
        args.extend_from_slice(extra);
        std::process::Command::new(bin)
            .args(&args)
            .output()
            .unwrap()
    };
    // A typo in a level: reported with line, column and the nearest level.
    let good = returns(&[1.0, 2.0]);
    let bad = good.replacen(
        "f1,data_driven,ict,managers",
        "f1,data_driven,ict,manager",
        1,
    );
    std::fs::write(dir.path().join("returns.csv"), &bad).unwrap();
    let o = check(&[]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("returns.csv:") && e.contains("unknown level `manager`"),
        "{e}"
    );
    assert!(e.contains("did you mean `managers`"), "{e}");
    // f1 leaves every clinical coding row out: an error, unless skipped.
    let partial: String = good
        .lines()
        .filter(|l| !(l.starts_with("f1,") && l.contains(",clinical_coding,")))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("returns.csv"), &partial).unwrap();
    let o = check(&[]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("f1 left it out") && e.contains("--allow-missing"),
        "{e}"
    );
    let o = check(&["--allow-missing", "skip"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
