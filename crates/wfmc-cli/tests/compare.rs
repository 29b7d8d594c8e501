//! Interventions and paired comparisons: the levers against the overrides they must
//! equal, the paired standard error against what the correlation implies, and the
//! cost arithmetic by hand.

mod common;

use wfmc::Config;
use wfmc::engine::{Control, RunSpec, Sampling};
use wfmc::explore::compare::{self, Measure, Variant};
use wfmc::jobs;

fn cfg(set: &[&str], interventions: &[&str]) -> Config {
    let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
    let iv: Vec<String> = interventions.iter().map(|s| s.to_string()).collect();
    let base = Config::builtin();
    jobs::apply(&base, &[], &iv, &set).unwrap()
}

fn bands(c: &Config, draws: u64) -> (String, String) {
    let spec = RunSpec {
        draws,
        seed: 77,
        threads: 2,
        ..RunSpec::default()
    };
    let s = wfmc::engine::run(c, &spec, &Control::default())
        .unwrap()
        .summary();
    (
        wfmc::results::bands::write(&s, &c.dims),
        wfmc::results::shortfall::write(&s, &c.dims),
    )
}

/// An intake of x a year from 2021, all completing and none leaving, is exactly
/// `supply.AREA.extra_inflow = x`: the same bytes of bands.csv and shortfall.csv
/// (the intervention's uncertain cost numbers are drawn from their own stream and
/// change no other input).
#[test]
fn an_intake_with_full_completion_and_no_attrition_is_extra_inflow() {
    let p = "interventions.clinical-informatics-training.intake";
    let with = cfg(
        &[
            &format!("{p}.per_year=150"),
            &format!("{p}.completion=1"),
            &format!("{p}.attrition=0"),
            &format!("{p}.ramp=0"),
            &format!("{p}.start=2021"),
        ],
        &["clinical-informatics-training"],
    );
    let plain = cfg(&["supply.clinical_informatics.extra_inflow=150"], &[]);
    for draws in [20_000, 8_192] {
        assert_eq!(bands(&with, draws), bands(&plain, draws));
    }
    // And the point model.
    assert_eq!(wfmc::model::point(&with), wfmc::model::point(&plain));
}

/// A retention lever of δ from 2021 is the flow rate + δ (with the same
/// uncertainty around it): the same means to rounding.
#[test]
fn a_retention_lever_is_the_flow_rate_plus_delta() {
    let base = Config::builtin();
    let ict = base.dims.area("ict").unwrap();
    let g = base.area(ict).flow.base;
    let with = cfg(
        &[
            "interventions.ict-retention.retention.delta=0.01",
            "interventions.ict-retention.retention.start=2021",
            "interventions.ict-retention.pay.uplift=0",
        ],
        &["ict-retention"],
    );
    let flow = format!(
        "supply.ict.flow_rate={{ base = {}, dist = \"normal(0, 0.015)\", apply = \"add\", factor = \"labour_market\", rho = 0.3 }}",
        g + 0.01
    );
    let plain = cfg(&[&flow], &[]);
    let (a, b) = (bands(&with, 16_384).0, bands(&plain, 16_384).0);
    let means = |t: &str| -> Vec<(String, f64)> {
        t.lines()
            .filter(|l| l.contains(",mean,"))
            .map(|l| {
                let c: Vec<&str> = l.split(',').collect();
                (c[..5].join(","), c[5].parse().unwrap())
            })
            .collect()
    };
    let (ma, mb) = (means(&a), means(&b));
    assert_eq!(ma.len(), mb.len());
    let mut moved = 0;
    for ((ka, x), (kb, y)) in ma.iter().zip(&mb) {
        assert_eq!(ka, kb);
        assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{ka}: {x} vs {y}");
        moved += usize::from(ka.contains(",ict,") && ka.contains(",supply,"));
    }
    assert!(moved > 0);
    // A start year later than 2021 leaves the earlier years alone.
    let later = cfg(
        &[
            "interventions.ict-retention.retention.delta=0.01",
            "interventions.ict-retention.retention.start=2025",
            "interventions.ict-retention.pay.uplift=0",
        ],
        &["ict-retention"],
    );
    let (p0, p1) = (wfmc::model::point(&base), wfmc::model::point(&later));
    let supply = |v: &[f64], year: u32| {
        let d = wfmc::dims::Dims::report();
        let s = d.series("supply", "data_driven", "ict", year).unwrap();
        v[wfmc::model::Layout::of(&d).index(&s)]
    };
    assert_eq!(supply(&p0, 2024), supply(&p1, 2024));
    let expect = supply(&p0, 2024) * (1.0 + g + 0.01);
    assert!((supply(&p1, 2025) - expect).abs() < 1e-9 * expect);
}

/// The paired standard error is what the correlation of the baseline's and the
/// variant's draws implies: se² ≈ se_base² + se_with² − 2ρ·se_base·se_with
/// (plain Monte Carlo, 64 blocks, so each SE² is known to about ±18 %), and far
/// below the unpaired one where ρ is high.
#[test]
fn paired_standard_errors_are_what_the_correlation_implies() {
    let base = Config::builtin();
    let variants = jobs::variants(
        &base,
        &[
            jobs::VariantSpec::intervention("ict-retention"),
            jobs::VariantSpec::intervention("clinical-informatics-training"),
        ],
    )
    .unwrap();
    let spec = RunSpec {
        draws: 64 * 4096,
        seed: 3,
        threads: 2,
        sampling: Sampling::Mc,
        block_chunks: 1,
        ..RunSpec::default()
    };
    let c = compare::run(&base, &variants, &spec, &Control::default()).unwrap();
    assert_eq!(c.blocks, 64);
    let (mut ratios, mut gains) = (vec![], 0);
    for r in &c.rows {
        if r.measure == Measure::CostPerWteYearAvoided || !r.correlation.is_finite() {
            continue;
        }
        let implied = r.se_base * r.se_base + r.se_with * r.se_with
            - 2.0 * r.correlation * r.se_base * r.se_with;
        // Only estimates the variant moves with some noise left.
        if r.change == 0.0 || implied <= 1e-6 * r.se_unpaired().powi(2) || r.se_base == 0.0 {
            continue;
        }
        let q = r.se * r.se / implied;
        assert!(
            (0.3..3.0).contains(&q),
            "{r:?}: se² {} vs implied {implied}",
            r.se * r.se
        );
        ratios.push(q);
        if r.correlation > 0.9 {
            assert!(r.se < 0.5 * r.se_unpaired(), "{r:?}");
            gains += 1;
        }
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    eprintln!(
        "paired SE: mean se²/implied {mean:.3} over {} estimates, {gains} with ρ > 0.9",
        ratios.len()
    );
    assert!(ratios.len() > 50, "{}", ratios.len());
    assert!(gains > 20, "{gains}");
    assert!(
        (0.85..1.18).contains(&mean),
        "mean ratio {mean} over {}",
        ratios.len()
    );
}

/// The cost arithmetic of one area, by hand, with every input fixed.
#[test]
fn cost_arithmetic_by_hand() {
    let p = "interventions.clinical-informatics-training";
    let base = Config::builtin().collapsed();
    let set: Vec<String> = [
        "intake.per_year=100",
        "intake.start=2022",
        "intake.ramp=2",
        "intake.completion=0.8",
        "intake.attrition=0.1",
        "cost.per_entrant=10000",
        "cost.per_year=1000000",
        "cost.start=2022",
    ]
    .iter()
    .map(|s| format!("{p}.{s}"))
    .collect();
    let v = jobs::VariantSpec {
        name: "ci".into(),
        interventions: vec!["clinical-informatics-training".into()],
        set,
        ..Default::default()
    };
    // Overrides re-read the config, so the variant is collapsed after them.
    let mut variants: Vec<Variant> = jobs::variants(&base, &[v]).unwrap();
    variants[0].cfg = variants[0].cfg.collapsed();
    let spec = RunSpec {
        draws: 8192,
        seed: 1,
        threads: 1,
        ..RunSpec::default()
    };
    let c = compare::run(&base, &variants, &spec, &Control::default()).unwrap();
    let d = wfmc::dims::Dims::report();
    let ci = d.area("clinical_informatics");
    let k = d.year_index(2025).unwrap();
    let row = |m| c.get(0, 0, ci, k, m).unwrap();
    // Cohorts: 2022 half size (ramp 2), then 100 a year; 80 % join, 10 % a year
    // leave: in post in 2025: 0.8 × (50·0.9³ + 100·0.9² + 100·0.9 + 100) = 245.96.
    let in_post = 0.8 * (50.0 * 0.9f64.powi(3) + 100.0 * 0.81 + 100.0 * 0.9 + 100.0);
    assert!((in_post - 245.96).abs() < 1e-9);
    // Each is paid the top of band 8a (£51,668 in 2020/21), grown 2.7 % a year for
    // five years, plus 34.9 % on-costs.
    let wage = 1.027f64.powi(5);
    let unit = 51_668.0 * wage * 1.349;
    // The programme: 100 entrants × £10,000 plus £1m a year, in 2020 pounds grown
    // like pay.
    let programme = (100.0 * 10_000.0 + 1_000_000.0) * wage;
    let expect = in_post * unit + programme;
    let cost = row(Measure::Cost);
    assert!(
        (cost.change - expect).abs() < 1e-6 * expect,
        "{} vs {expect}",
        cost.change
    );
    assert_eq!(cost.se, 0.0);
    // Fixed inputs: the shortfall falls by exactly the staff in post.
    let es = row(Measure::ExpectedShortfall);
    assert!((es.change + in_post).abs() < 1e-6, "{}", es.change);
    // The cost per WTE-year avoided 2021–2030 is the cost change over those years
    // over the shortfall avoided over them.
    let (mut dc, mut ds) = (0.0, 0.0);
    for k in 1..11 {
        let r = |m| c.get(0, 0, ci, k, m).unwrap().change;
        dc += r(Measure::Cost);
        ds -= r(Measure::ExpectedShortfall);
    }
    let ratio = c.get(0, 0, ci, 10, Measure::CostPerWteYearAvoided).unwrap();
    assert!(
        (ratio.change - dc / ds).abs() < 1e-9 * ratio.change,
        "{ratio:?}"
    );
}

/// `wfmc compare` writes compare.csv into a run's folder and rebuilds its report
/// with the comparison; results do not depend on the thread count.
#[test]
fn compare_writes_its_file_and_report_section_the_same_on_any_threads() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_wfmc");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(bin).args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let out = dir.path().join("r");
    let o = out.to_str().unwrap();
    run(&["run", "--draws", "20000", "--sobol", "0", "--out", o]);
    let compare = |threads: &str| {
        run(&[
            "compare",
            "--intervention",
            "graduate-ddat",
            "--variant",
            "pay: --stress realised-pay",
            "--draws",
            "20000",
            "--threads",
            threads,
            "--out",
            o,
        ])
    };
    let table = compare("1");
    assert!(
        table.contains("graduate-ddat") && table.contains("£ per WTE-year avoided"),
        "{table}"
    );
    let one = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Interventions and comparisons"));
    assert!(
        out.join("plots/compare-graduate-ddat-data_driven.svg")
            .exists()
    );
    compare("3");
    assert_eq!(
        one,
        std::fs::read_to_string(out.join("compare.csv")).unwrap()
    );
    // Adding to a folder twice lists each file once in its marker.
    let marker: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join(".wfmc-results.json")).unwrap())
            .unwrap();
    let files: Vec<&str> = marker["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let mut unique = files.clone();
    unique.dedup();
    assert_eq!(files, unique);
    assert!(files.contains(&"compare.csv"));
    // A run's folder of another baseline is refused, and left as it was.
    let before = common::snapshot(&out);
    let e = common::wfmc(&[
        "compare",
        "--intervention",
        "graduate-ddat",
        "--stress",
        "realised-pay",
        "--draws",
        "8192",
        "--out",
        o,
    ]);
    common::fails(&e, 2, "holds a run of another config or other overrides");
    assert_eq!(before, common::snapshot(&out));
    // Unknown names are located errors, with the valid ones.
    let e = std::process::Command::new(bin)
        .args(["compare", "--intervention", "graduate-dda", "--out", o])
        .output()
        .unwrap();
    assert_eq!(e.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&e.stderr);
    assert!(msg.contains("did you mean `graduate-ddat`"), "{msg}");
}

/// Bad intervention settings are located errors, like the rest of the config.
#[test]
fn bad_intervention_settings_are_located_errors() {
    let base = Config::builtin();
    for (set, expect) in [
        (
            "interventions.graduate-ddat.intake.completion=1.5",
            "out of range",
        ),
        (
            "interventions.graduate-ddat.intake.areas=[\"ictt\"]",
            "did you mean `ict`",
        ),
        (
            "interventions.graduate-ddat.intake.start=2019",
            "year out of range",
        ),
        (
            "interventions.graduate-ddat.intake.ramp=1.5",
            "whole number",
        ),
        (
            "interventions.graduate-ddat.active=1",
            "expected true or false",
        ),
        (
            "interventions.graduate-ddat.intake.per_year=normal(50",
            "bad distribution",
        ),
        (
            "interventions.graduate-ddat.retention.delta=0.01",
            "missing or wrong `areas`",
        ),
    ] {
        let e = base.with_set(&[set]).expect_err(set).to_string();
        assert!(e.contains(expect), "{set}: {e}");
        // Located at the override, or (a key the lever now lacks) at its path.
        assert!(
            e.contains("in set ") || e.contains("interventions.graduate-ddat.retention.areas"),
            "{set}: not located: {e}"
        );
    }
    let e = jobs::apply(&base, &[], &["nope".into()], &[]).unwrap_err();
    assert!(
        e.to_string()
            .contains("interventions: clinical-informatics-training, graduate-ddat, ict-retention"),
        "{e}"
    );
}

/// A run with an intervention lists its numbers among the assumptions, flagged as
/// departing from the report (which has none).
#[test]
fn an_active_intervention_is_in_the_assumptions() {
    let c = cfg(&[], &["graduate-ddat"]);
    let list = wfmc::results::assumptions::list(&c);
    let row = list
        .iter()
        .find(|a| a.input == "interventions.graduate-ddat.intake.per_year")
        .expect("listed");
    assert!(row.base_departs && row.uncertain, "{row:?}");
    assert_eq!(row.uncertainty, "triangular(30, 50, 80)");
    let none = wfmc::results::assumptions::list(&Config::builtin());
    assert!(!none.iter().any(|a| a.input.starts_with("interventions.")));
}
