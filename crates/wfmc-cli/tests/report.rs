//! The report and its charts: well-formed SVGs with the expected titles, a
//! self-contained page, a real browser rendering it, and `wfmc report` rebuilding it.

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run_into(dir: &Path) -> PathBuf {
    let out = dir.join("r");
    let o = common::wfmc(&[
        "run",
        "--draws",
        "20000",
        "--sobol",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

#[test]
fn svgs_are_well_formed_with_titles_axes_and_legends() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_into(dir.path());
    let mut titles = vec![];
    let mut n = 0;
    for e in std::fs::read_dir(out.join("plots")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{}: not well-formed XML: {e}", p.display()));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let title = root
            .children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_else(|| panic!("{}: no <title>", p.display()));
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|d| d.has_tag_name("text"))
            .filter_map(|d| d.text())
            .map(str::trim)
            .collect();
        // The title is drawn, axes are labelled with units, and there is a legend.
        assert!(texts.contains(&title), "{}: title not drawn", p.display());
        let has = |s: &str| texts.iter().any(|t| t.contains(s));
        assert!(
            has("WTE") || has("£ million") || has("Area of work"),
            "{}: no unit",
            p.display()
        );
        assert!(texts.len() > 12, "{}: almost no text", p.display());
        titles.push(title.to_string());
        n += 1;
    }
    // 20 fan charts, 2 cost, 2 heat maps, 24 tornadoes, 18 composition charts.
    assert_eq!(n, 66, "{titles:#?}");
    for want in [
        "All areas (net total): demand and supply, Data Driven Future (A)",
        "Clinical informatics: demand and supply, Data Desert Future (B)",
        "Probability of shortfall (demand > supply), Data Driven Future (A)",
        "Total salary and on-costs, Data Driven Future (A)",
        "What moves 2030 net gap, all areas (Data Driven Future (A)): top 12 inputs",
        "Information and communications technology: demand by job level, Data Driven Future (A)",
    ] {
        assert!(titles.iter().any(|t| t == want), "missing chart `{want}`");
    }
}

#[test]
fn report_is_self_contained_and_rebuilds_identically() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_into(dir.path());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for fetch in ["src=\"http", "href=\"http", "<link ", "@import", "url(http"] {
        assert!(
            !html.contains(fetch),
            "report.html fetches something: {fetch}"
        );
    }
    assert_eq!(html.matches("<svg ").count(), 66);
    for section in [
        "Headline, 2030",
        "Assumptions",
        "Monte Carlo accuracy",
        "Our point model beside the report",
        "Reproduce",
        "£5,220m",
    ] {
        assert!(html.contains(section), "no `{section}` in report.html");
    }
    assert!(html.contains("wfmc run --draws 20000 --seed 20210301 --sobol 0"));
    // `wfmc report` rebuilds the same bytes from the folder's files.
    let before = std::fs::read(out.join("report.html")).unwrap();
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    let o = common::wfmc(&["report", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(out.join("report.html")).unwrap(), before);
    assert_eq!(std::fs::read_dir(out.join("plots")).unwrap().count(), 66);
    // After `wfmc sobol` into the folder, the rebuilt report shows the variance shares.
    assert!(
        !String::from_utf8(before)
            .unwrap()
            .contains("<h3>Variance shares")
    );
    for args in [
        vec!["sobol", "--n", "1024", "--out", out.to_str().unwrap()],
        vec!["report", out.to_str().unwrap()],
    ] {
        let o = common::wfmc(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h3>Variance shares (Sobol indices)</h3>"));
    assert!(html.contains("<td>factors.forecasters</td>"));
}

/// Opens report.html from a file:// URL in headless Chromium (installed by
/// `.ci/run`): the page's own script checks that every chart has a non-empty
/// rendered box and that no script error happened; the test reads that from the
/// DOM and saves a screenshot to `target/browser-test/report.png`.
#[test]
fn report_renders_in_a_real_browser() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("Chromium is needed for this test: apt-get install chromium (.ci/run does)");
    let dir = tempfile::tempdir().unwrap();
    let out = run_into(dir.path());
    let url = format!("file://{}", out.join("report.html").display());
    let profile = dir.path().join("profile");
    let base = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=10000",
    ];
    let o = Command::new(chromium)
        .args(base)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&o.stdout);
    assert!(
        dom.contains("data-checked=\"yes\""),
        "the page's check did not run: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        dom.contains("data-charts=\"66\""),
        "not every chart is in the page"
    );
    assert!(
        dom.contains("data-empty=\"\""),
        "empty charts: {}",
        dom.split("data-empty=\"")
            .nth(1)
            .unwrap_or("")
            .split('"')
            .next()
            .unwrap_or("")
    );
    assert!(
        dom.contains("data-errors=\"\""),
        "script errors: {}",
        dom.split("data-errors=\"")
            .nth(1)
            .unwrap_or("")
            .split('"')
            .next()
            .unwrap_or("")
    );
    let shots = common::repo().join("target/browser-test");
    std::fs::create_dir_all(&shots).unwrap();
    let png = shots.join("report.png");
    let _ = std::fs::remove_file(&png);
    let o = Command::new(chromium)
        .args(base)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args([
            "--window-size=1100,2400",
            &format!("--screenshot={}", png.display()),
            &url,
        ])
        .output()
        .unwrap();
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 20_000,
        "screenshot missing or blank ({size} bytes): {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `--png` writes a PNG beside every SVG (with the `png` feature; CI builds it).
#[cfg(feature = "png")]
#[test]
fn png_charts_beside_the_svgs() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_into(dir.path());
    let o = common::wfmc(&["report", "--png", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pngs: Vec<_> = std::fs::read_dir(out.join("plots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    assert_eq!(pngs.len(), 66);
    for p in pngs {
        let b = std::fs::read(&p).unwrap();
        assert!(
            b.starts_with(b"\x89PNG\r\n\x1a\n") && b.len() > 10_000,
            "{}",
            p.display()
        );
    }
}

/// Without the `png` feature, `--png` is refused before any work.
#[cfg(not(feature = "png"))]
#[test]
fn png_without_the_feature_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let o = common::wfmc(&["run", "--png", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("--png") && e.contains("cargo feature `png`"),
        "{e}"
    );
    assert!(!out.exists());
}
