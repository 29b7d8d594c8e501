//! The workspace's structure holds:
//! - the library's layer order, stated in `crates/wfmc/src/lib.rs`: no module uses a
//!   module of a higher layer, and modules of one layer do not use each other in a
//!   cycle;
//! - the front ends (the command line, its server, the Python extension) name
//!   nothing of the library but `wfmc::jobs`;
//! - no library string names a command-line flag: front ends word errors their own
//!   way (`wfmc::jobs::Words`), and the one module that writes a command for a reader
//!   to type, `report/command.rs`, is the exception.
//!
//! Sources are read as tokens: comments and string literals are not code, each
//! `#[cfg(test)]` item is cut out on its own (the code after it still counts), and
//! grouped imports (`use crate::{a::X, b::{c, d}}`) and re-exports are expanded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Layer of each top-level module, read from the numbered list in lib.rs's docs.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("//! ") else {
            continue;
        };
        let Some((num, text)) = rest.split_once(". ") else {
            continue;
        };
        let Ok(n) = num.parse::<usize>() else {
            continue;
        };
        let head = text.split(':').next().unwrap_or("");
        for name in head.split("[`").skip(1) {
            out.insert(name.split('`').next().unwrap().to_string(), n);
        }
    }
    out
}

/// `source` split into code (comments and string literals blanked, `#[cfg(test)]`
/// items cut) and the string literals of that code.
fn split(source: &str) -> (String, Vec<String>) {
    let b: Vec<char> = source.chars().collect();
    let mut code = String::new();
    // Each string literal with where its `""` stands in `code`.
    let mut strings: Vec<(usize, String)> = vec![];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        // Raw strings r"…", r#"…"#.
        if c == 'r' && matches!(next, Some('"' | '#')) && !ident_before(&b, i) {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) == Some(&'"') {
                let mut k = j + 1;
                while k < b.len()
                    && !(b[k] == '"' && (0..hashes).all(|h| b.get(k + 1 + h) == Some(&'#')))
                {
                    k += 1;
                }
                strings.push((code.len(), b[j + 1..k.min(b.len())].iter().collect()));
                code.push_str("\"\"");
                i = k + 1 + hashes;
                continue;
            }
        }
        if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    s.push(b[i]);
                    i += 1;
                }
                if i < b.len() {
                    s.push(b[i]);
                }
                i += 1;
            }
            i += 1;
            strings.push((code.len(), s));
            code.push_str("\"\"");
            continue;
        }
        // Character literals ('x', '\n'); a lifetime ('a) is left as it is.
        if c == '\'' {
            if b.get(i + 2) == Some(&'\'') {
                code.push_str("' '");
                i += 3;
                continue;
            }
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                code.push_str("' '");
                i = j + 1;
                continue;
            }
        }
        code.push(c);
        i += 1;
    }
    let cut = test_items(&code);
    let kept_code: String = code
        .char_indices()
        .filter(|(k, _)| !cut.iter().any(|r| r.contains(k)))
        .map(|(_, ch)| ch)
        .collect();
    let kept = strings
        .into_iter()
        .filter(|(at, _)| !cut.iter().any(|r| r.contains(at)))
        .map(|(_, s)| s)
        .collect();
    (kept_code, kept)
}

fn ident_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// The byte ranges of `code`'s `#[cfg(test)]` items: each attribute and the item
/// after it, up to its `;` or the end of its balanced `{ … }` (strings and comments
/// are already blanked, so their braces do not count).
fn test_items(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = vec![];
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(rel) = code[from..].find("#[cfg(test)]") {
        let at = from + rel;
        let item = at + "#[cfg(test)]".len();
        let stop = code[item..]
            .find(['{', ';'])
            .map_or(code.len(), |s| item + s);
        let mut end = code.len();
        if bytes.get(stop) == Some(&b';') {
            end = stop + 1;
        } else {
            let mut depth = 0usize;
            for (k, &ch) in bytes.iter().enumerate().skip(stop) {
                match ch {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        out.push(at..end);
        from = end;
    }
    out
}

/// Every path that `code` names after `prefix` (`crate`, `wfmc`), with grouped
/// imports expanded: `prefix::a::b`, `prefix::{a, b::c}` give `a::b`, `a`, `b::c`.
fn paths(code: &str, prefix: &str) -> Vec<String> {
    let mut out = vec![];
    let needle = format!("{prefix}::");
    let mut at = 0;
    while let Some(rel) = code[at..].find(&needle) {
        let start = at + rel;
        at = start + needle.len();
        if start > 0 {
            let before = code[..start].chars().last().unwrap();
            if before.is_alphanumeric() || before == '_' {
                continue;
            }
        }
        expand(&code[at..], "", &mut out);
    }
    out
}

/// Expands one path (possibly a `{…}` group) at the start of `rest` under `base`.
fn expand(rest: &str, base: &str, out: &mut Vec<String>) {
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('{') {
        let mut depth = 1;
        let mut item = String::new();
        for ch in inner.chars() {
            match ch {
                '{' => {
                    depth += 1;
                    item.push(ch);
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        if !item.trim().is_empty() {
                            expand(&item, base, out);
                        }
                        return;
                    }
                    item.push(ch);
                }
                ',' if depth == 1 => {
                    expand(&item, base, out);
                    item.clear();
                }
                _ => item.push(ch),
            }
        }
        return;
    }
    let seg: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let after = &rest[seg.len()..];
    let seg = seg.trim_end_matches(':');
    let full = if base.is_empty() {
        seg.to_string()
    } else if seg.is_empty() {
        base.to_string()
    } else {
        format!("{base}::{seg}")
    };
    if after.trim_start().starts_with('{') && rest[..rest.len() - after.len()].ends_with("::") {
        expand(after, &full, out);
    } else if !full.is_empty() {
        out.push(full);
    }
}

/// Upward uses and the same-layer edges of one library file.
fn uses(
    module: &str,
    code: &str,
    layers: &BTreeMap<String, usize>,
) -> (Vec<String>, BTreeSet<(String, String)>) {
    let own = layers[module];
    let (mut up, mut same) = (vec![], BTreeSet::new());
    for p in paths(code, "crate") {
        let used = p.split("::").next().unwrap_or("").to_string();
        let Some(&l) = layers.get(&used) else {
            continue;
        };
        if l > own {
            up.push(format!(
                "{module} (layer {own}) uses {used} (layer {l}): crate::{p}"
            ));
        } else if l == own && used != module {
            same.insert((module.to_string(), used));
        }
    }
    (up, same)
}

/// A cycle among `edges`, if any (as the modules on it).
fn cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    for start in nodes {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((n, path)) = stack.pop() {
            for (a, b) in edges.iter().filter(|(a, _)| *a == n) {
                let _ = a;
                if b == start {
                    let mut p = path.clone();
                    p.push(b.clone());
                    return Some(p);
                }
                if !path.contains(b) {
                    let mut p = path.clone();
                    p.push(b.clone());
                    stack.push((b.clone(), p));
                }
            }
        }
    }
    None
}

/// Uses of the library other than `wfmc::jobs` in a front end's file.
fn front_end_violations(name: &str, code: &str) -> Vec<String> {
    paths(code, "wfmc")
        .into_iter()
        .filter(|p| p != "jobs" && !p.starts_with("jobs::"))
        .map(|p| format!("{name}: wfmc::{p} (front ends use wfmc::jobs only)"))
        .collect()
}

/// Strings of library code that name a command-line flag.
fn flag_strings(name: &str, strings: &[String]) -> Vec<String> {
    let mut out = vec![];
    for s in strings {
        let b = s.as_bytes();
        for i in 0..b.len().saturating_sub(2) {
            let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-');
            if before_ok && b[i] == b'-' && b[i + 1] == b'-' && b[i + 2].is_ascii_lowercase() {
                out.push(format!("{name}: \"{s}\""));
                break;
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn the_library_keeps_its_layers() {
    let src = root().join("crates/wfmc/src");
    let lib = read(&src.join("lib.rs"));
    let layers = layers(&lib);
    assert!(layers.len() >= 14, "lib.rs lists the layers: {layers:?}");
    let library: Vec<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect();
    for m in &library {
        assert!(layers.contains_key(m), "lib.rs gives {m} no layer");
    }
    let mut files = vec![];
    sources(&src, &mut files);
    let (mut bad, mut edges) = (vec![], BTreeSet::new());
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        assert!(
            layers.contains_key(&module),
            "{module} has no layer in lib.rs"
        );
        let (code, _) = split(&read(&f));
        let (up, same) = uses(&module, &code, &layers);
        bad.extend(up.into_iter().map(|u| format!("{}: {u}", rel.display())));
        edges.extend(same);
    }
    assert!(
        bad.is_empty(),
        "imports that go up the layers:\n{}",
        bad.join("\n")
    );
    assert_eq!(
        cycle(&edges),
        None,
        "modules of one layer use each other in a cycle"
    );
}

#[test]
fn front_ends_use_jobs_only() {
    let mut files = vec![];
    sources(&root().join("crates/wfmc-cli/src"), &mut files);
    sources(&root().join("python/src"), &mut files);
    assert!(files.len() >= 3, "{files:?}");
    let mut bad = vec![];
    for f in &files {
        let (code, _) = split(&read(f));
        bad.extend(front_end_violations(&f.display().to_string(), &code));
    }
    assert!(
        bad.is_empty(),
        "front ends reaching below jobs:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_library_string_names_a_flag() {
    let src = root().join("crates/wfmc/src");
    let mut files = vec![];
    sources(&src, &mut files);
    let mut bad = vec![];
    for f in files {
        if f.ends_with("report/command.rs") {
            continue;
        }
        let (_, strings) = split(&read(&f));
        bad.extend(flag_strings(&f.display().to_string(), &strings));
    }
    assert!(
        bad.is_empty(),
        "library strings naming a flag:\n{}",
        bad.join("\n")
    );
}

#[test]
fn planted_violations_of_each_kind_are_caught() {
    let layers = layers(&read(&root().join("crates/wfmc/src/lib.rs")));
    // An upward use in a group, in a re-export, after a test module, and one in a
    // comment, a string and a test module (which do not count).
    let planted = r#"
use crate::dims::Area;
use crate::{config::Config, engine::{run, Runner}};
// crate::report in a comment
const S: &str = "crate::report in a string";
#[cfg(test)]
mod tests {
    use crate::jobs::run;
}
pub use crate::results::Folder;
fn f() { crate::report::thousands(1.0); }
"#;
    let (code, _) = split(planted);
    let (up, _) = uses("stats", &code, &layers);
    let used: Vec<&str> = up
        .iter()
        .map(|u| u.split(" uses ").nth(1).unwrap().split(' ').next().unwrap())
        .collect();
    assert_eq!(used, ["engine", "engine", "results", "report"], "{up:?}");
    // Same-layer uses both ways are a cycle; one way is not.
    let mut edges = BTreeSet::new();
    let (_, e1) = uses("explore", "use crate::sensitivity::tornado;", &layers);
    edges.extend(e1);
    assert_eq!(cycle(&edges), None);
    let (_, e2) = uses(
        "sensitivity",
        "fn g() { crate::explore::sweep::f(); }",
        &layers,
    );
    edges.extend(e2);
    assert!(cycle(&edges).is_some());
    // A front end reaching below jobs, in a group and in a path.
    let fe = "use wfmc::jobs::{self, Config};\nuse wfmc::{jobs::Run, engine::Control};\nfn h() { wfmc::report::thousands(1.0); }";
    let (code, _) = split(fe);
    let v = front_end_violations("cli", &code);
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(
        v[0].contains("wfmc::engine::Control") && v[1].contains("wfmc::report"),
        "{v:?}"
    );
    // A flag in a library string, not in a comment or a test.
    let lib = "// --set in a comment\nfn m() -> String { format!(\"--set {x}: bad\") }\n#[cfg(test)]\nmod t { const X: &str = \"--draws\"; }\nconst Y: &str = \"a-b --x\";";
    let (_, strings) = split(lib);
    let f = flag_strings("lib", &strings);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f[0].contains("--set") && f[1].contains("--x"), "{f:?}");
}
