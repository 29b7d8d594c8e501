//! wfmc never deletes or replaces what it did not write, verifies every partial it
//! merges, lets one writer at a time into a folder, leaves nothing behind, and
//! bounds what input can make it allocate. Each test is a row of the README's
//! bad-input table.

mod common;
use common::{fails, ok, snapshot, stderr, wfmc, wfmc_in};
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A quick run (4,097 draws, no Sobol) into `out`.
fn small_run(out: &Path) -> std::process::Output {
    wfmc(&["run", "--draws", "4097", "--sobol", "0", "--out", s(out)])
}

/// A folder of the user's: a note and a sub-folder.
fn users_folder(at: &Path) -> Vec<(String, Vec<u8>)> {
    std::fs::create_dir_all(at.join("src")).unwrap();
    std::fs::write(at.join("notes.txt"), "my notes").unwrap();
    std::fs::write(at.join("src/model.py"), "print(1)").unwrap();
    snapshot(at)
}

#[test]
fn out_never_replaces_a_folder_wfmc_did_not_write() {
    let d = tempfile::tempdir().unwrap();
    let mine = d.path().join("analysis");
    let before = users_folder(&mine);
    let o = mine.to_str().unwrap();
    for args in [
        vec!["run", "--draws", "4097", "--out", o],
        vec!["tornado", "--out", o],
        vec!["sobol", "--n", "512", "--out", o],
        vec!["report", o],
    ] {
        let r = wfmc(&args);
        fails(&r, 2, "not a results folder wfmc wrote");
        assert!(stderr(&r).contains("notes.txt"), "names what is there");
        assert_eq!(
            snapshot(&mine),
            before,
            "{args:?} touched the user's folder"
        );
    }
    // A results folder of wfmc's with a file of the user's added is refused too.
    let res = d.path().join("res");
    ok(small_run(&res));
    std::fs::write(res.join("plots/my-chart.svg"), "mine").unwrap();
    let before = snapshot(&res);
    fails(
        &wfmc(&["run", "--draws", "4097", "--out", s(&res)]),
        2,
        "plots/my-chart.svg",
    );
    fails(&wfmc(&["report", s(&res)]), 2, "plots/my-chart.svg");
    assert_eq!(snapshot(&res), before);
    // An empty folder of the user's may take results.
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    ok(small_run(&empty));
    assert!(empty.join("bands.csv").exists());
}

#[test]
fn out_is_never_the_current_folder_or_a_parent() {
    let d = tempfile::tempdir().unwrap();
    let work = d.path().join("work");
    let before = users_folder(&work);
    let abs = work.canonicalize().unwrap();
    for out in [".", abs.to_str().unwrap(), "..", "../.."] {
        let r = wfmc_in(&work, &["run", "--draws", "4097", "--out", out]);
        fails(&r, 2, "the current folder or one of its parents");
    }
    assert_eq!(snapshot(&work), before);
}

#[test]
fn merge_never_writes_over_or_around_its_inputs() {
    let d = tempfile::tempdir().unwrap();
    let parts = d.path().join("parts");
    two_shards(&parts);
    let before = snapshot(&parts);
    let (p1, p2) = (parts.join("1"), parts.join("2"));
    for (out, why) in [
        (parts.clone(), "contains an input"),
        (p1.clone(), "is an input"),
        (p1.join("x"), "lies inside an input"),
    ] {
        fails(&wfmc(&["merge", s(&p1), s(&p2), "--out", s(&out)]), 2, why);
    }
    assert_eq!(snapshot(&parts), before, "the shards are untouched");
    ok(wfmc(&[
        "merge",
        s(&p1),
        s(&p2),
        "--out",
        s(&d.path().join("m")),
    ]));
}

#[test]
fn a_folder_name_of_250_characters_works() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("r".repeat(250));
    ok(small_run(&out));
    ok(small_run(&out));
    assert!(out.join("bands.csv").exists());
}

#[test]
fn sweep_replaces_only_its_own_csv_unless_told() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("data.csv");
    std::fs::write(&file, "my,data\n1,2\n").unwrap();
    let sweep = |extra: &[&str]| {
        let mut a = vec![
            "sweep",
            "--vary",
            "salary_growth=0.02,0.03",
            "--draws",
            "4096",
            "--out",
            s(&file),
        ];
        a.extend_from_slice(extra);
        wfmc(&a)
    };
    fails(&sweep(&[]), 2, "--overwrite");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my,data\n1,2\n");
    ok(sweep(&["--overwrite"]));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("point,salary_growth,scenario"), "{text}");
    // Its own CSV it replaces without being told.
    ok(sweep(&[]));
}

/// Partials of a 2-shard run of 9,000 draws, in `dir/1` and `dir/2`.
fn two_shards(dir: &Path) -> (PathBuf, PathBuf) {
    for i in 1..=2 {
        ok(wfmc(&[
            "run",
            "--draws",
            "9000",
            "--sobol",
            "0",
            "--shard",
            &format!("{i}/2"),
            "--out",
            s(&dir.join(i.to_string())),
        ]));
    }
    (dir.join("1/partial.wfmc"), dir.join("2/partial.wfmc"))
}

#[test]
fn merge_refuses_any_flipped_bit_naming_the_file() {
    let d = tempfile::tempdir().unwrap();
    let (p1, p2) = two_shards(d.path());
    let good = std::fs::read(&p1).unwrap();
    let bad = d.path().join("bad.wfmc");
    // A few positions through the binary: header, body, checksum.
    for pos in [3, 9, 40, good.len() / 2, good.len() - 2] {
        let mut b = good.clone();
        b[pos] ^= 0x10;
        std::fs::write(&bad, &b).unwrap();
        let r = wfmc(&["merge", s(&bad), s(&p2), "--out", s(&d.path().join("m"))]);
        fails(&r, 2, "bad.wfmc");
        assert!(!d.path().join("m").exists());
    }
    // Truncated and extended files.
    std::fs::write(&bad, &good[..good.len() - 100]).unwrap();
    fails(
        &wfmc(&["merge", s(&bad), s(&p2), "--out", s(&d.path().join("m"))]),
        2,
        "damaged",
    );
}

#[test]
fn every_single_bit_flip_of_a_partial_is_caught() {
    let d = tempfile::tempdir().unwrap();
    let (p1, _) = two_shards(d.path());
    let good = std::fs::read(&p1).unwrap();
    let cfg = wfmc::Config::builtin();
    let expect = wfmc::results::partial::Expect::of(&cfg);
    assert!(wfmc::results::partial::decode(&good, &expect).is_ok());
    // Every bit of the first 4 KiB (magic, length, header, start of the body) and
    // 20,000 bits spread over the rest, the checksum included.
    let mut bits: Vec<usize> = (0..4096 * 8).collect();
    let step = (good.len() * 8 / 20_000).max(1);
    bits.extend((4096 * 8..good.len() * 8).step_by(step));
    bits.extend((good.len() - 4) * 8..good.len() * 8);
    let mut b = good.clone();
    for bit in bits {
        b[bit / 8] ^= 1 << (bit % 8);
        assert!(
            wfmc::results::partial::decode(&b, &expect).is_err(),
            "bit {bit} flipped went unnoticed"
        );
        b[bit / 8] ^= 1 << (bit % 8);
    }
}

#[test]
fn a_crafted_partial_cannot_make_merge_allocate() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m");
    // A valid frame (length and checksum right) around bodies that claim huge sizes.
    let frame = |body: &[u8]| {
        let mut f = b"WFMCPRT7".to_vec();
        f.extend_from_slice(&(body.len() as u64).to_le_bytes());
        f.extend_from_slice(body);
        let crc = crc32fast::hash(&f);
        f.extend_from_slice(&crc.to_le_bytes());
        f
    };
    let cfg = wfmc::Config::builtin();
    let expect = wfmc::results::partial::Expect::of(&cfg);
    let header = format!(
        r#"{{"version":"0.1.0","config_name":"hee-2021","config_origin":"x","config_hash":"x","dimensions":"{}","seed":1,"draws":4096,"shard":"1/1","chunk_start":0,"chunk_end":1,"sobol_rows":0,"sampling":"rqmc","shortfall":"conditional","block_chunks":1}}"#,
        cfg.dims.signature()
    );
    let header = header.as_bytes();
    let mut body = vec![header.len() as u8, 1];
    body.truncate(0);
    body.push((header.len() & 0x7f) as u8 | 0x80);
    body.push((header.len() >> 7) as u8);
    body.extend_from_slice(header);
    body.extend_from_slice(&[0x80, 0x20, 0]); // 4096 draws, 0 rejected
    body.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]); // a huge series count
    let e = wfmc::results::partial::decode(&frame(&body), &expect).unwrap_err();
    assert!(e.contains("series"), "{e}");
    let f = d.path().join("crafted.wfmc");
    std::fs::write(&f, frame(&body)).unwrap();
    fails(
        &wfmc(&["merge", s(&f), "--out", s(&out)]),
        2,
        "crafted.wfmc",
    );
    // The 229-byte file of the issue's report: a bare magic and huge lengths.
    let mut raw = b"WFMCPRT7".to_vec();
    raw.extend_from_slice(&[0xff; 221]);
    std::fs::write(&f, &raw).unwrap();
    fails(&wfmc(&["merge", s(&f), "--out", s(&out)]), 2, "damaged");
    // Not a regular file.
    fails(
        &wfmc(&["merge", "/dev/zero", "--out", s(&out)]),
        2,
        "not a regular file",
    );
    assert!(!out.exists());
}

#[test]
fn a_second_writer_is_refused_while_a_run_holds_the_folder() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("rr");
    ok(wfmc(&[
        "run",
        "--draws",
        "4097",
        "--sobol",
        "0",
        "--seed",
        "1",
        "--out",
        s(&out),
    ]));
    let before = snapshot(&out);
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_wfmc"))
        .args([
            "run",
            "--draws",
            "1000000000",
            "--seed",
            "2",
            "--out",
            s(&out),
        ])
        .stderr(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    let r = wfmc(&["report", s(&out)]);
    let r2 = wfmc(&["run", "--draws", "4097", "--out", s(&out)]);
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait_with_output().unwrap().status;
    fails(&r, 1, "another wfmc");
    fails(&r2, 1, "another wfmc");
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        snapshot(&out),
        before,
        "the folder still says seed 1 throughout"
    );
    let beside: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(beside, ["rr"], "no lock or temporary file is left");
}

#[cfg(unix)]
#[test]
fn a_killed_runs_leftovers_are_removed_by_the_next_command() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("res");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wfmc"))
        .args(["run", "--draws", "1000000000", "--out", s(&out)])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    child.kill().unwrap(); // SIGKILL: no handler runs
    child.wait().unwrap();
    let left = |p: &Path| -> Vec<String> {
        std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".wfmc-"))
            .collect()
    };
    assert!(
        !left(d.path()).is_empty(),
        "kill -9 leaves its temporary folder"
    );
    ok(small_run(&d.path().join("other")));
    assert!(left(d.path()).is_empty(), "left: {:?}", left(d.path()));
}

#[cfg(unix)]
#[test]
fn an_interrupted_merge_leaves_nothing_half_written() {
    let d = tempfile::tempdir().unwrap();
    let (p1, p2) = two_shards(d.path());
    for delay in [5, 40, 120, 300] {
        let out = d.path().join(format!("m{delay}"));
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_wfmc"))
            .args(["merge", s(&p1), s(&p2), "--out", s(&out)])
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let code = child.wait_with_output().unwrap().status.code();
        // Either it finished first (whole folder) or it stopped (no folder at all).
        match code {
            Some(0) => assert!(out.join("report.html").exists()),
            Some(130) => assert!(!out.exists()),
            // Interrupted before its handler was installed (a loaded machine starts
            // it slowly): the signal's default action, before anything was written.
            None => assert!(!out.exists()),
            c => panic!("merge ended with {c:?}"),
        }
        let left: Vec<String> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".wfmc-"))
            .collect();
        assert!(left.is_empty(), "after {delay} ms: {left:?}");
    }
}

#[test]
fn resources_are_bounded() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("r");
    fails(
        &wfmc(&[
            "run",
            "--threads",
            "1000",
            "--draws",
            "5000",
            "--out",
            s(&out),
        ]),
        2,
        "--threads 1000: must be between 1 and 256",
    );
    // Many threads on a small run start no more workers than it has chunks.
    ok(wfmc(&[
        "run",
        "--threads",
        "256",
        "--draws",
        "5000",
        "--sobol",
        "0",
        "--out",
        s(&out),
    ]));
    fails(
        &wfmc(&["sweep", "--vary", "salary_growth=0:1:1e-300"]),
        2,
        "at most 100000",
    );
    fails(
        &wfmc(&["check", "--config", "/dev/zero"]),
        2,
        "not a regular file",
    );
    let child = d.path().join("child.toml");
    std::fs::write(&child, "extends = \"/dev/zero\"\n").unwrap();
    fails(
        &wfmc(&["check", "--config", s(&child)]),
        2,
        "not a regular file",
    );
}

#[test]
fn a_sweep_builds_its_points_as_it_goes() {
    // 1,000 points: each config is checked up front and built again when run, so
    // nothing holds all of them. A bad value at the last point fails before any run.
    let r = wfmc(&[
        "sweep",
        "--vary",
        "salary_growth=0.001:0.999:0.001",
        "--vary",
        "supply.ict.flow_rate=0.01,normal(0.01, -1)",
        "--draws",
        "1",
    ]);
    fails(&r, 2, "sd must be > 0");
    assert!(r.stdout.is_empty(), "no row before every point is checked");
}

#[test]
fn no_silent_nonsense_from_values() {
    let r = wfmc(&[
        "point",
        "--set",
        "demand.data_driven.ict.ratio=lognormal(mean=1.1, sigma=50)",
    ]);
    fails(&r, 2, "demand.data_driven.ict.ratio");
    assert!(stderr(&r).contains("too wide to sample"), "{}", stderr(&r));
    for (set, phrase) in [
        (
            "salary_growth=lognormal(median=1, sigma=40)",
            "bad distribution",
        ),
        ("salary_growth=normal(0, 1e308)", "overflow"),
        ("salary_growth=0.03\n[stress.y]", "control character"),
        ("salary_growth=0.03 \"x\" = 1", "salary_growth"),
    ] {
        fails(&wfmc(&["point", "--set", set]), 2, phrase);
    }
}

#[test]
fn errors_inside_an_extended_file_are_located_there() {
    let d = tempfile::tempdir().unwrap();
    let parent = d.path().join("parent.toml");
    let child = d.path().join("child.toml");
    std::fs::write(&child, "extends = \"parent.toml\"\nname = \"c\"\n").unwrap();
    // A syntax error in the parent.
    std::fs::write(&parent, "name = \"p\"\n\n[areas.ict\nworkforce_2020 = 1\n").unwrap();
    let r = wfmc(&["check", "--config", s(&child)]);
    fails(&r, 2, "TOML syntax error");
    assert!(stderr(&r).contains("parent.toml:3:"), "{}", stderr(&r));
    // A bad value in the parent (the built-in config with one value broken).
    let text = wfmc::config::BUILTIN_TOML.replacen("workforce_2020 = ", "workforce_2020 = -", 1);
    let line = text
        .lines()
        .position(|l| l.contains("workforce_2020 = -"))
        .expect("the built-in config sets workforce_2020")
        + 1;
    std::fs::write(&parent, &text).unwrap();
    let r = wfmc(&["check", "--config", s(&child)]);
    fails(&r, 2, &format!("parent.toml:{line}:"));
    // A broken `extends` is located at the child's key.
    std::fs::write(&child, "name = \"c\"\nextends = \"missing.toml\"\n").unwrap();
    fails(&wfmc(&["check", "--config", s(&child)]), 2, "child.toml:2:");
}
