//! Helpers shared by the integration tests.

/// The built-in config's text without any uncertainty: the `[uncertainty]` families
/// dropped and salary growth fixed at the report's 2.7 %.
#[allow(dead_code)]
pub fn plain_config_text() -> String {
    let mut text = String::new();
    let mut skip = false;
    for line in wfmc::config::BUILTIN_TOML.lines() {
        if line.starts_with('[') {
            skip = line.starts_with("[uncertainty");
        }
        if !skip {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.replace(
        "salary_growth = { base = 0.027, dist = \"triangular(0.010, 0.027, 0.050)\" }",
        "salary_growth = 0.027",
    )
}

/// Runs the `wfmc` binary with `args` in the current folder.
#[allow(dead_code)]
pub fn wfmc(args: &[&str]) -> std::process::Output {
    wfmc_in(std::path::Path::new("."), args)
}

/// Runs the `wfmc` binary with `args` in the folder `dir`.
#[allow(dead_code)]
pub fn wfmc_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_wfmc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run wfmc")
}

/// Runs `wfmc` with `args` and asserts it succeeded (showing its standard error if not).
#[allow(dead_code)]
pub fn wfmc_ok(args: &[&str]) -> std::process::Output {
    let o = wfmc(args);
    assert!(o.status.success(), "wfmc {args:?}: {}", stderr(&o));
    o
}

/// Standard output of a successful `wfmc` as text.
#[allow(dead_code)]
pub fn stdout_of(args: &[&str]) -> String {
    String::from_utf8(wfmc_ok(args).stdout).expect("UTF-8")
}

/// Standard error as text.
#[allow(dead_code)]
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Asserts a command succeeded, showing its standard error if not.
#[allow(dead_code)]
pub fn ok(o: std::process::Output) -> std::process::Output {
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Asserts a command failed with `code` and said `phrase`.
#[allow(dead_code)]
pub fn fails(o: &std::process::Output, code: i32, phrase: &str) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{e}");
    assert!(e.contains(phrase), "expected `{phrase}` in: {e}");
}

/// Every file under `dir` with its bytes (relative paths), for before/after checks.
#[allow(dead_code)]
pub fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    fn go(root: &std::path::Path, d: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().to_string();
            if p.is_dir() {
                out.push((format!("{rel}/"), vec![]));
                go(root, &p, out);
            } else {
                out.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    let mut out = vec![];
    go(dir, dir, &mut out);
    out.sort();
    out
}

/// The workspace root (where `configs/`, `results/` and `target/` are).
#[allow(dead_code)]
pub fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
