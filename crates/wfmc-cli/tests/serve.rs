//! `wfmc serve`: the API gives the CLI's numbers and messages, refuses what it
//! should, and the page works in a real browser (the system Chromium, driven over
//! CDP by `headless_chrome`, which downloads nothing).
#![cfg(feature = "serve")]

mod common;

use common::{wfmc, wfmc_ok};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wfmc");

/// A `wfmc serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "wfmc serve: http://127.0.0.1:PORT/ (Ctrl-C to stop)"
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn http(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        http(&self.addr, method, path, body)
    }

    fn run(&self, body: &str) -> (u16, serde_json::Value) {
        let (status, text) = self.http("POST", "/api/run", body.as_bytes());
        (
            status,
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
        )
    }
}

/// One HTTP/1.1 request to `addr`; returns the status (0: no answer) and the body.
fn http(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            addr,
            body.len()
        )
        .unwrap();
    let _ = s.write_all(body);
    let mut raw = vec![];
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

/// `wfmc run --draws 20000 --seed 11 --sobol 0 ARGS --out DIR/NAME`; returns the
/// folder.
fn cli_run(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    let mut all = vec!["run", "--draws", "20000", "--seed", "11", "--sobol", "0"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.to_str().unwrap()]);
    wfmc_ok(&all);
    out
}

#[test]
fn the_api_gives_the_cli_s_numbers_for_the_same_overrides_seed_and_draws() {
    let server = Server::start(&["--threads", "2"]);
    let (status, doc) = server.run(
        r#"{"set": {"salary_growth": 0.04, "supply.ict.flow_rate": "normal(0.02, 0.01)"},
            "stress": ["supply-stall"], "draws": 20000, "seed": 11, "compare": true}"#,
    );
    assert_eq!(status, 200, "{doc}");
    let dir = tempfile::tempdir().unwrap();
    let out = cli_run(
        dir.path(),
        "r",
        &[
            "--threads",
            "1",
            "--stress",
            "supply-stall",
            "--set",
            "salary_growth=0.04",
            "--set",
            "supply.ict.flow_rate=normal(0.02, 0.01)",
        ],
    );
    let file = |n: &str| std::fs::read_to_string(out.join(n)).unwrap();
    assert_eq!(doc["bands_csv"].as_str().unwrap(), file("bands.csv"));
    assert_eq!(
        doc["shortfall_csv"].as_str().unwrap(),
        file("shortfall.csv")
    );
    let summary: serde_json::Value = serde_json::from_str(&file("summary.json")).unwrap();
    assert_eq!(doc["summary"], summary);
    // The command shown is the one just run (overrides in the order applied).
    assert_eq!(
        doc["command"],
        "wfmc run --draws 20000 --seed 11 --stress 'supply-stall' --set 'salary_growth=0.04' --set 'supply.ict.flow_rate=normal(0.02, 0.01)'"
    );
    assert!(
        doc["diff"]
            .as_str()
            .unwrap()
            .contains("+ salary_growth = 0.04")
    );
    // The comparison's baseline is the config's own run with the same seed and draws.
    let base = cli_run(dir.path(), "b", &[]);
    let html = doc["comparison_html"].as_str().unwrap();
    let p_base = std::fs::read_to_string(base.join("shortfall.csv"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("data_driven,clinical_coding,2030,"))
        .map(|l| l.split(',').nth(3).unwrap().parse::<f64>().unwrap())
        .unwrap();
    assert!(
        html.contains(&format!("<td>{p_base:.3}</td>")),
        "baseline P(shortfall) {p_base} not in {html}"
    );
    assert_eq!(doc["charts"].as_array().unwrap().len(), 20 + 2 + 24);
    // An intervention ticked on the page is `--intervention NAME`.
    let (status, doc) = server.run(
        r#"{"set": {"interventions.graduate-ddat.active": true}, "draws": 20000, "seed": 11}"#,
    );
    assert_eq!(status, 200, "{doc}");
    let iv = cli_run(dir.path(), "iv", &["--intervention", "graduate-ddat"]);
    assert_eq!(
        doc["shortfall_csv"].as_str().unwrap(),
        std::fs::read_to_string(iv.join("shortfall.csv")).unwrap()
    );
}

#[test]
fn bad_requests_get_400_with_the_cli_s_message() {
    let server = Server::start(&["--max-draws", "50000"]);
    let (status, doc) = server.run(r#"{"set": {"salary_growht": 0.04}, "draws": 1000}"#);
    assert_eq!(status, 400);
    let o = wfmc(&["check", "--set", "salary_growht=0.04"]);
    assert_eq!(o.status.code(), Some(2));
    // The CLI's message, worded with the API's own fields.
    let cli = String::from_utf8_lossy(&o.stderr)
        .trim_end()
        .replace("--set salary_growht=0.04", "set {\"salary_growht\": 0.04}")
        .replace(
            "`wfmc stress --paths` lists them all",
            "GET /api/paths lists them all",
        );
    assert_eq!(doc["error"].as_str().unwrap(), cli);
    let (status, doc) = server.run(r#"{"set": {"salary_growth": "normal(0.03"}, "draws": 1000}"#);
    assert_eq!(status, 400, "{doc}");
    assert!(doc["error"].as_str().unwrap().contains("salary_growth"));
    for (body, expect) in [
        (r#"{"draws": 50001}"#, "draws 50001: from 1 to 50000"),
        (r#"{"draws": 0}"#, "draws 0"),
        (r#"{"stress": ["nope"]}"#, "stress nope: no such profile"),
        (
            r#"{"set": {"forecasters.returns": "/etc/passwd"}}"#,
            "names a file",
        ),
        (r#"{"set": {"on_cost": null}}"#, "a value is a number"),
        (r#"{"sett": {}}"#, "unknown field `sett`"),
        (r#"{"draws": "#, "not valid"),
    ] {
        let (status, doc) = server.run(body);
        assert_eq!(status, 400, "{body}: {doc}");
        assert!(
            doc["error"].as_str().unwrap().contains(expect),
            "{body}: {doc}"
        );
    }
    let (status, text) = server.http("POST", "/api/run", &vec![b' '; 70_000]);
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("\"error\""));
    let (status, text) = server.http("GET", "/api/nothing", b"");
    assert_eq!(status, 404);
    assert!(text.contains("\"error\""));
    let (status, text) = server.http("GET", "/api/paths", b"");
    assert_eq!(status, 200);
    let paths: Vec<String> = serde_json::from_str(&text).unwrap();
    assert!(paths.iter().any(|p| p == "supply.ict.extra_inflow"));
    assert!(!paths.iter().any(|p| p.starts_with("forecasters")));
}

/// Ctrl-C (SIGINT) stops the server cleanly, even with a run going.
#[cfg(unix)]
#[test]
fn sigint_stops_the_server() {
    let mut server = Server::start(&[]);
    let addr = server.addr.clone();
    let long =
        std::thread::spawn(move || http(&addr, "POST", "/api/run", br#"{"draws": 2000000}"#));
    std::thread::sleep(Duration::from_millis(500));
    let _ = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status();
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "the server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let (code, _) = long.join().unwrap();
    // The run in flight was stopped, not finished.
    assert!(code == 409 || code == 0, "{code}");
}

/// The server's page in a headless Chromium: the browser, its tab and profile.
fn open(
    server: &Server,
) -> (
    headless_chrome::Browser,
    std::sync::Arc<headless_chrome::Tab>,
    tempfile::TempDir,
) {
    use headless_chrome::{Browser, LaunchOptions};
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chromium().into()))
            .sandbox(false)
            .window_size(Some((1400, 3000)))
            .user_data_dir(Some(profile.path().to_path_buf()))
            .idle_browser_timeout(Duration::from_secs(300))
            .build()
            .unwrap(),
    )
    .unwrap();
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(120));
    tab.navigate_to(&server.url())
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    (browser, tab, profile)
}

/// Waits until the page shows its first answer; panics on an error shown.
fn wait_ready(eval: &dyn Fn(&str) -> serde_json::Value) {
    let t0 = Instant::now();
    loop {
        let s = eval("document.body.dataset.state + ' ' + document.body.dataset.run");
        if s == "ready 1" {
            return;
        }
        assert!(
            !s.as_str().unwrap_or("").starts_with("error"),
            "the page shows an error: {}",
            eval("document.getElementById('error').textContent")
        );
        assert!(t0.elapsed() < Duration::from_secs(120), "no answer: {s}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// "Why short?": the API's scenario discovery is `wfmc discover`'s for the same
/// overrides, seed and draws, and the command it shows writes the same file.
#[test]
fn why_short_gives_the_cli_s_discovery_for_the_same_what_if() {
    let server = Server::start(&["--threads", "2"]);
    let (status, text) = server.http(
        "POST",
        "/api/discover",
        br#"{"area": "ict", "scenario": "data_driven", "set": {"supply.ict.extra_inflow": 200},
             "stress": ["supply-stall"], "draws": 6000, "seed": 11}"#,
    );
    assert_eq!(status, 200, "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let command = doc["command"].as_str().unwrap();
    assert_eq!(
        command,
        "wfmc discover --outcome 'ict' --scenario 'data_driven' --draws 6000 --seed 11 --stress 'supply-stall' --set 'supply.ict.extra_inflow=200'"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d");
    wfmc_ok(&[
        "discover",
        "--outcome",
        "ict",
        "--scenario",
        "data_driven",
        "--draws",
        "6000",
        "--seed",
        "11",
        "--threads",
        "1",
        "--stress",
        "supply-stall",
        "--set",
        "supply.ict.extra_inflow=200",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out.join("discovery.csv")).unwrap();
    assert_eq!(doc["discovery_csv"].as_str().unwrap(), csv);
    // The box in words and as limits; the page's chart.
    let sentences = doc["sentences"].as_str().unwrap();
    assert!(
        sentences.starts_with("ict falls short in 2030 (data_driven) in "),
        "{sentences}"
    );
    let restricted: Vec<&str> = doc["box"]["restrictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["input"].as_str().unwrap())
        .collect();
    assert!(
        restricted.contains(&"supply.ict.flow_rate"),
        "{restricted:?}"
    );
    for r in &restricted {
        assert!(sentences.contains(r), "{r} not in {sentences}");
    }
    assert!(doc["html"].as_str().unwrap().contains("<svg"));
    assert_eq!(doc["draws"], 6000);
    // An area short in every draw is explained above a threshold.
    let (status, text) = server.http(
        "POST",
        "/api/discover",
        br#"{"area": "clinical_informatics", "threshold": 10000, "draws": 4000}"#,
    );
    assert_eq!(status, 200, "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        doc["command"]
            .as_str()
            .unwrap()
            .starts_with("wfmc discover --outcome 'clinical_informatics>10000' --draws 4000"),
        "{}",
        doc["command"]
    );
    assert!(
        doc["outcome"]
            .as_str()
            .unwrap()
            .ends_with("short by more than 10000")
    );
    // Refused: an unknown area, an outcome with nothing to explain, too many draws,
    // an unknown field, a file path.
    for (body, says) in [
        (r#"{"area": "ictt"}"#, "the areas are clinical_coding"),
        (
            r#"{"area": "clinical_informatics", "draws": 4000}"#,
            "count only those above a threshold",
        ),
        (r#"{"area": "ict", "draws": 300000}"#, "from 1 to 200000"),
        (r#"{"area": "ict", "precision": 0.01}"#, "unknown field"),
        (
            r#"{"area": "ict", "set": {"forecasters.file": "x.csv"}}"#,
            "names a file",
        ),
    ] {
        let (status, text) = server.http("POST", "/api/discover", body.as_bytes());
        assert_eq!(status, 400, "{body}: {text}");
        assert!(text.contains(says), "{body}: {text}");
    }
}

/// The explorer on a config of its own dimensions: its scenarios, areas and years
/// in the controls, headings and charts, and the API's config says them.
/// A what-if with a precision target stops at its standard error, says what it
/// reached, is paired with the baseline's draws, and its command gives its bytes.
#[test]
fn a_precision_target_stops_early_and_its_command_gives_the_same_bytes() {
    let server = Server::start(&["--threads", "2"]);
    let (status, doc) = server.run(
        r#"{"set": {"salary_growth": 0.04}, "draws": 60000, "seed": 11, "precision": 0.001, "compare": true}"#,
    );
    assert_eq!(status, 200, "{doc}");
    let draws = doc["draws"].as_u64().unwrap();
    assert!(draws < 60000, "{doc}");
    let p = &doc["precision"];
    assert_eq!(p["met"], true, "{p}");
    assert!(p["se"].as_f64().unwrap() <= 0.001, "{p}");
    assert!(!doc["comparison_html"].as_str().unwrap().is_empty());
    let cmd = doc["command"].as_str().unwrap();
    assert_eq!(
        cmd,
        format!(
            "wfmc run --draws {draws} --seed 11 --set 'salary_growth=0.04' --until p_shortfall_se=1e-300"
        )
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    let draws = draws.to_string();
    wfmc_ok(&[
        "run",
        "--draws",
        &draws,
        "--seed",
        "11",
        "--sobol",
        "0",
        "--set",
        "salary_growth=0.04",
        "--until",
        "p_shortfall_se=1e-300",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        doc["shortfall_csv"].as_str().unwrap(),
        std::fs::read_to_string(out.join("shortfall.csv")).unwrap()
    );
    // The baseline is cached: the same question again reuses it.
    let (status, again) = server.run(
        r#"{"set": {"salary_growth": 0.04}, "draws": 60000, "seed": 11, "precision": 0.001, "compare": true}"#,
    );
    assert_eq!(status, 200);
    assert_eq!(again["shortfall_csv"], doc["shortfall_csv"]);
    let (status, bad) = server.run(r#"{"precision": 0}"#);
    assert_eq!(status, 400, "{bad}");
    assert!(
        bad["error"].as_str().unwrap().contains("precision 0"),
        "{bad}"
    );
}

#[test]
fn the_page_follows_a_config_of_its_own_dimensions() {
    let cfg = common::repo().join("configs/icb-2025.toml");
    let server = Server::start(&["--threads", "2", "--config", cfg.to_str().unwrap()]);
    let (status, text) = server.http("GET", "/api/config", b"");
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["scenarios"].as_array().unwrap().len(), 3);
    assert_eq!(doc["areas"].as_array().unwrap().len(), 6);
    assert_eq!(doc["years"][0], 2025);
    assert_eq!(doc["years"][12], 2037);
    assert!(doc["areas"][4]["ratio"]["constrained"].is_number());
    let (_browser, tab, _profile) = open(&server);
    let eval = |js: &str| -> serde_json::Value {
        tab.evaluate(js, false)
            .unwrap_or_else(|e| panic!("{js}: {e}"))
            .value
            .unwrap_or(serde_json::Value::Null)
    };
    wait_ready(&eval);
    let n = |sel: &str| eval(&format!("document.querySelectorAll('{sel}').length"));
    assert_eq!(n("#pick-scenario option"), serde_json::json!(3));
    assert_eq!(n("#area-table tbody tr"), serde_json::json!(6));
    // Area, flow rate, extra inflow, and a demand ratio per scenario.
    assert_eq!(n("#area-table thead th"), serde_json::json!(6));
    assert_eq!(
        n("[data-path=\"demand.accelerated.cyber_security.ratio\"]"),
        serde_json::json!(1)
    );
    assert_eq!(
        eval("document.getElementById('headline-year').textContent"),
        "Headline, 2037"
    );
    let title = eval("document.getElementById('title').textContent");
    assert!(title.as_str().unwrap().contains("2025–2037"), "{title}");
    let charts = eval(
        "[...document.querySelectorAll('figure svg')].filter(s => s.childElementCount > 2).length",
    );
    assert_eq!(charts, serde_json::json!(3));
    let why = eval("document.getElementById('why-button').textContent");
    assert!(why.as_str().unwrap().ends_with(", 2037)?"), "{why}");
    assert_eq!(eval("window.__errors.join(' | ')"), "");
}

fn chromium() -> &'static str {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("Chromium is needed for this test: apt-get install chromium (scripts/test does)")
}

/// The page in a real browser: it loads and shows the headline; ticking a stress
/// profile marks the view stale at once and then shows the new P(shortfall), which
/// is the API's for the same request; a newer change supersedes an older one
/// (never shown); no script errors; a screenshot.
#[test]
fn the_page_works_in_a_real_browser() {
    use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
    let server = Server::start(&["--threads", "2"]);
    let (_browser, tab, _profile) = open(&server);
    let eval = |js: &str| -> serde_json::Value {
        tab.evaluate(js, false)
            .unwrap_or_else(|e| panic!("{js}: {e}"))
            .value
            .unwrap_or(serde_json::Value::Null)
    };
    let wait_run = |n: u32| {
        let t0 = Instant::now();
        loop {
            let s = eval("document.body.dataset.state + ' ' + document.body.dataset.run");
            if s == format!("ready {n}") {
                return;
            }
            assert!(
                !s.as_str().unwrap_or("").starts_with("error"),
                "the page shows an error: {}",
                eval("document.getElementById('error').textContent")
            );
            assert!(
                t0.elapsed() < Duration::from_secs(120),
                "no update: {s} (errors: {})",
                eval("window.__errors.join(' | ')")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let p_total = r#"document.querySelector('#headline [data-p="data_driven/information_management"]').textContent"#;
    wait_run(1);
    let before = eval(p_total);
    // Tick a profile and change a field before the first answer: the view goes
    // stale at once; the first request is superseded and never shown.
    let stale = eval(
        "document.querySelector('[data-stress=\"supply-stall\"]').click();\
         document.getElementById('results').classList.contains('stale') && !document.getElementById('stale').hidden",
    );
    assert_eq!(stale, serde_json::Value::Bool(true));
    eval(
        "const i = document.querySelector('[data-path=\"supply.ict.extra_inflow\"]');\
         i.value = '500'; i.dispatchEvent(new Event('change', {bubbles: true})); 1",
    );
    wait_run(2);
    let after = eval(p_total);
    assert_ne!(before, after, "P(shortfall) did not change");
    let command = eval("document.getElementById('command').textContent");
    assert_eq!(
        command,
        // Compared with the baseline (the page's default): the baseline's draws.
        "wfmc run --draws 32768 --seed 20210301 --stress 'supply-stall' --set 'supply.ict.extra_inflow=500' --until p_shortfall_se=1e-300"
    );
    // The number shown is the API's for the same request.
    let (status, doc) = server.run(
        r#"{"set": {"supply.ict.extra_inflow": "500"}, "stress": ["supply-stall"], "draws": 100000, "precision": 0.001, "compare": true}"#,
    );
    assert_eq!(status, 200);
    let csv = doc["shortfall_csv"].as_str().unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with("data_driven,information_management,2030,"))
        .unwrap();
    let cols: Vec<f64> = row.split(',').skip(3).map(|x| x.parse().unwrap()).collect();
    assert_eq!(
        after.as_str().unwrap(),
        format!("{:.3} ± {:.3}", cols[0], cols[1])
    );
    // Charts are on the page, with content.
    let charts = eval(
        "[...document.querySelectorAll('figure svg')].filter(s => { const b = s.getBBox(); return b.width > 0 && b.height > 0 && s.childElementCount > 2; }).length",
    );
    assert_eq!(charts, serde_json::json!(3));
    // "Why short?" for the area picked, with the assumptions shown.
    eval(
        "const a = document.getElementById('pick-area'); a.value = 'health_records';\
         a.dispatchEvent(new Event('change', {bubbles: true}));\
         document.getElementById('why-button').click(); 1",
    );
    let t0 = Instant::now();
    while eval("document.body.dataset.why") != "ready" {
        assert_ne!(
            eval("document.body.dataset.why"),
            "error",
            "{}",
            eval("document.getElementById('why-status').textContent")
        );
        assert!(t0.elapsed() < Duration::from_secs(120), "no box");
        std::thread::sleep(Duration::from_millis(100));
    }
    let words = eval("document.getElementById('why-box').textContent");
    assert!(
        words
            .as_str()
            .unwrap()
            .contains("health_records falls short in 2030 (data_driven)"),
        "{words}"
    );
    assert_eq!(
        eval("document.getElementById('why-command').textContent"),
        "wfmc discover --outcome 'health_records' --scenario 'data_driven' --draws 20000 --seed 20210301 --stress 'supply-stall' --set 'supply.ict.extra_inflow=500'"
    );
    assert_eq!(eval("window.__errors.join(' | ')"), "");
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-test");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join("serve.png"), &png).unwrap();
    assert!(png.len() > 50_000, "screenshot too small: {}", png.len());
}
