//! The real binary: reproducibility of output files, sharding, errors, exit codes
//! and interruption.

mod common;
use common::{fails, wfmc, wfmc_ok, wfmc_ok as ok};
use std::path::Path;
use std::process::Command;

const FILES: [&str; 9] = [
    "bands.csv",
    "shortfall.csv",
    "summary.json",
    "correlation.csv",
    "tornado.csv",
    "assumptions.json",
    "report.html",
    "plots/fan-data_driven-total.svg",
    "plots/tornado-data_desert-gap-total-2030.svg",
];

fn same_files(a: &Path, b: &Path) {
    for f in FILES {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn same_bytes_for_1_2_and_8_threads() {
    let dir = tempfile::tempdir().unwrap();
    let d = |t: &str| dir.path().join(format!("t{t}"));
    for t in ["1", "2", "8"] {
        ok(&[
            "run",
            "--draws",
            "20000",
            "--seed",
            "11",
            "--threads",
            t,
            "--out",
            d(t).to_str().unwrap(),
        ]);
    }
    same_files(&d("1"), &d("2"));
    same_files(&d("1"), &d("8"));
    let head = std::fs::read_to_string(d("1").join("bands.csv")).unwrap();
    assert!(head.starts_with("scenario,area,year,metric,stat,value,se\n"));
    let sf = std::fs::read_to_string(d("1").join("shortfall.csv")).unwrap();
    assert!(sf.starts_with("scenario,area,year,p_shortfall,se,expected_shortfall"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d("8").join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 11);
    // Per-machine facts live beside the manifest, so the manifest is the same bytes.
    let machine: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d("8").join("machine.json")).unwrap()).unwrap();
    assert_eq!(machine["threads"], 8);
    assert!(manifest["config"]["hash"].is_string());
}

#[test]
fn shards_merge_to_the_same_bytes_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    ok(&[
        "run",
        "--draws",
        "30000",
        "--seed",
        "5",
        "--out",
        &p("whole"),
    ]);
    for i in 1..=3 {
        let shard = format!("{i}/3");
        ok(&[
            "run",
            "--draws",
            "30000",
            "--seed",
            "5",
            "--shard",
            &shard,
            "--out",
            &p(&format!("s{i}")),
        ]);
        assert!(dir.path().join(format!("s{i}/partial.wfmc")).exists());
    }
    // Order of the partials on the command line does not matter.
    ok(&["merge", &p("s3"), &p("s1"), &p("s2"), "--out", &p("merged")]);
    same_files(&dir.path().join("whole"), &dir.path().join("merged"));
    // A missing shard is an input error, not a silent partial result.
    let o = wfmc(&["merge", &p("s1"), &p("s3"), "--out", &p("bad")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing"));
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn bad_limits_are_usage_errors() {
    for args in [
        vec!["run", "--draws", "0"],
        vec!["run", "--draws", "1000000000001"],
        vec!["run", "--threads", "0"],
        vec!["run", "--shard", "3/2"],
        vec!["run", "--shard", "0/2"],
        vec!["run", "--bogus"],
    ] {
        let o = wfmc(&args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn broken_config_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    let text = wfmc::config::BUILTIN_TOML
        .replacen("workforce_2020 = 3560", "workforce_2020 = -3560", 1)
        .replacen(
            "salary_growth = { base = 0.027, dist = \"triangular(0.010, 0.027, 0.050)\" }",
            "salary_growth = \"triangular(0.05, 0.027, 0.01)\"",
            1,
        )
        .replacen("band = \"8a\"", "band = \"8z\"", 1);
    std::fs::write(&path, text).unwrap();
    let o = wfmc(&["check", "--config", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.toml:"), "{err}");
    assert!(
        err.contains("areas.clinical_coding.workforce_2020"),
        "{err}"
    );
    assert!(err.contains("salary_growth"), "{err}");
    assert!(err.contains("unknown band `8z`"), "{err}");
    assert!(err.contains("3 problems"), "{err}");
    let o = wfmc(&[
        "run",
        "--config",
        path.to_str().unwrap(),
        "--out",
        dir.path().join("r").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.path().join("r").exists());
}

#[test]
fn out_pointing_at_a_file_fails_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let o = wfmc(&["run", "--draws", "1000", "--out", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("exists and is not a folder"), "{e}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[cfg(unix)]
#[test]
fn sigint_leaves_no_partial_folder_and_keeps_earlier_results() {
    interrupted_run_leaves_no_trace("-INT");
}

#[cfg(unix)]
#[test]
fn sigterm_leaves_no_partial_folder_and_keeps_earlier_results() {
    interrupted_run_leaves_no_trace("-TERM");
}

#[cfg(unix)]
fn interrupted_run_leaves_no_trace(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    ok(&["run", "--draws", "5000", "--out", out.to_str().unwrap()]);
    let before = std::fs::read(out.join("bands.csv")).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_wfmc"))
        .args([
            "run",
            "--draws",
            "1000000000",
            "--out",
            out.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Let it start working, then interrupt it as Ctrl-C would.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let t0 = std::time::Instant::now();
    let o = child.wait_with_output().unwrap();
    assert!(t0.elapsed().as_secs() < 20, "did not stop promptly");
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read(out.join("bands.csv")).unwrap(),
        before,
        "earlier results damaged"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".wfmc-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn default_run_writes_results_folder_under_results() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::wfmc_in(dir.path(), &["run", "--draws", "8192"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("P(shortfall)") && text.contains("Gross shortfall"),
        "{text}"
    );
    for f in FILES.iter().chain(&["manifest.json"]) {
        assert!(dir.path().join("results/hee-2021").join(f).exists(), "{f}");
    }
}

#[test]
fn tornado_and_sobol_add_their_csv_beside_earlier_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    ok(&[
        "run",
        "--draws",
        "5000",
        "--sobol",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    let bands = std::fs::read(out.join("bands.csv")).unwrap();
    assert!(!out.join("sobol.csv").exists());
    let o = ok(&["tornado", "--top", "3", "--out", out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("gap/total/2030"), "{text}");
    assert!(text.contains('█'));
    let t = std::fs::read_to_string(out.join("tornado.csv")).unwrap();
    assert!(t.starts_with(
        "scenario,output,input,input_low,input_high,output_low,output_high,swing,rank\n"
    ));
    ok(&["sobol", "--n", "1024", "--out", out.to_str().unwrap()]);
    let s = std::fs::read_to_string(out.join("sobol.csv")).unwrap();
    assert!(s.starts_with("scenario,output,group,s1,s1_lo,s1_hi,st,st_lo,st_hi,n\n"));
    assert!(s.contains(",factors.forecasters,"));
    assert_eq!(std::fs::read(out.join("bands.csv")).unwrap(), bands);
    // The folder is still wfmc's, listing the new file, and nothing is left beside it.
    let marker = std::fs::read_to_string(out.join(".wfmc-results.json")).unwrap();
    assert!(marker.contains("\"sobol.csv\""), "{marker}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn until_writes_why_it_stopped_and_refuses_what_it_cannot_do() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("u");
    let o = wfmc_ok(&[
        "run",
        "--until",
        "percentile_se=200",
        "--sobol",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("until: 32768 draws: worst percentile_se"),
        "{err}"
    );
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["until"]["met"], true);
    assert_eq!(m["draws"], 32768);
    assert_eq!(m["sampling"], "rqmc");
    assert_eq!(m["block_draws"], 4096);
    assert_eq!(m["replicate_blocks"], 8);
    let bad = out.to_str().unwrap().replace("/u", "/v");
    fails(
        &wfmc(&[
            "run",
            "--until",
            "mean_se=1",
            "--shard",
            "1/2",
            "--out",
            &bad,
        ]),
        2,
        "cannot be split into shards",
    );
    fails(
        &wfmc(&["run", "--until", "nope=1", "--out", &bad]),
        2,
        "p_shortfall_se",
    );
    fails(
        &wfmc(&["run", "--sampling", "qmc", "--out", &bad]),
        2,
        "rqmc",
    );
}
