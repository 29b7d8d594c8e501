//! The command line that reproduces a run, as `report.html` and the explorer show
//! it: the one place in the library that spells the command line's flags, because
//! what it writes is a command for a reader to type.

use super::shell_quote;

/// The `wfmc run` command line that reproduces a run: the config (`origin`, left
/// out for the built-in one), draws, seed, the Sobol rows when not the default,
/// the stress profiles and the overrides, in the order they apply.
pub fn run_command(
    origin: &str,
    draws: u64,
    seed: u64,
    sobol_rows: Option<u64>,
    stress: &[String],
    set: &[String],
) -> String {
    use std::fmt::Write as _;
    let mut cmd = String::from("wfmc run");
    if !origin.starts_with('<') {
        let _ = write!(cmd, " --config {}", shell_quote(origin));
    }
    let _ = write!(cmd, " --draws {draws} --seed {seed}");
    if let Some(n) = sobol_rows.filter(|&n| n != crate::sensitivity::sobol::DEFAULT_N as u64) {
        let _ = write!(cmd, " --sobol {n}");
    }
    with_changes(cmd, stress, set)
}

/// The `wfmc discover` command line of a scenario discovery of `outcome` (an area
/// or `total`) in `scenario` (`None`: the first), with the run's changes.
pub fn discover_command(
    origin: &str,
    outcome: &str,
    scenario: Option<&str>,
    draws: u64,
    seed: u64,
    stress: &[String],
    set: &[String],
) -> String {
    use std::fmt::Write as _;
    let mut cmd = String::from("wfmc discover");
    if !origin.starts_with('<') {
        let _ = write!(cmd, " --config {}", shell_quote(origin));
    }
    let _ = write!(cmd, " --outcome {}", shell_quote(outcome));
    if let Some(s) = scenario {
        let _ = write!(cmd, " --scenario {}", shell_quote(s));
    }
    let _ = write!(cmd, " --draws {draws} --seed {seed}");
    with_changes(cmd, stress, set)
}

/// `cmd` with the stress profiles and overrides, in the order they apply.
fn with_changes(mut cmd: String, stress: &[String], set: &[String]) -> String {
    use std::fmt::Write as _;
    for s in stress {
        let _ = write!(cmd, " --stress {}", shell_quote(s));
    }
    for o in set {
        let _ = write!(cmd, " --set {}", shell_quote(o));
    }
    cmd
}

/// `cmd` with a precision target `NAME=SE` appended (a name and a number: nothing
/// to quote).
pub fn with_until(mut cmd: String, target: &str) -> String {
    cmd.push_str(" --until ");
    cmd.push_str(target);
    cmd
}

/// What a reader runs to add Sobol indices to the results folder of a report.
pub const ADD_SOBOL: &str =
    "run <code>wfmc sobol --out DIR</code>, then <code>wfmc report DIR</code>, to add them here";
