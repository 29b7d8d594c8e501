//! `results/hee-2021/` is exactly what the README's first command (`wfmc run` with no
//! arguments) writes, so running it in a fresh clone leaves `git status` clean. Only
//! `machine.json` (threads, time: per machine) is not committed.

mod common;
use common::{ok, snapshot, wfmc_in};

#[test]
fn the_committed_results_are_what_wfmc_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    ok(wfmc_in(dir.path(), &["run"]));
    let fresh = dir.path().join("results/hee-2021");
    let committed = common::repo().join("results/hee-2021");
    let keep = |v: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        v.into_iter().filter(|(f, _)| f != "machine.json").collect()
    };
    let (a, b) = (keep(snapshot(&fresh)), keep(snapshot(&committed)));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the same files");
    for ((f, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{f} differs from the committed copy: rebuild it with `cargo run --release -- run`"
        );
    }
}
