//! The layer order stated in `src/lib.rs` holds: no module uses a module of a higher
//! layer. Comments and `#[cfg(test)]` code (at the end of a file) are not counted.

use std::collections::BTreeMap;
use std::path::Path;

/// Layer of each top-level module, read from the numbered list in lib.rs's docs.
fn layers() -> BTreeMap<String, usize> {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
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

/// Upward `crate::` paths in `source`, a file of module `module`.
fn violations(module: &str, source: &str, layers: &BTreeMap<String, usize>) -> Vec<String> {
    let own = layers[module];
    let code = source.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = vec![];
    for (i, line) in code.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for part in line.split("crate::").skip(1) {
            let used: String = part
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if let Some(&l) = layers.get(&used)
                && l > own
            {
                out.push(format!(
                    "{module} (layer {own}) line {}: uses {used} (layer {l})",
                    i + 1
                ));
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_uses_a_higher_layer() {
    let layers = layers();
    assert!(layers.len() >= 13, "lib.rs lists the layers: {layers:?}");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let library: Vec<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect();
    for m in &library {
        assert!(layers.contains_key(m), "lib.rs gives {m} no layer");
    }
    let mut bad = vec![];
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs").to_string();
        // The binary (main.rs and the modules it declares) sits on top of every layer.
        if module == "lib" || !library.contains(&module) {
            continue;
        }
        assert!(
            layers.contains_key(&module),
            "{module} has no layer in lib.rs"
        );
        bad.extend(violations(
            &module,
            &std::fs::read_to_string(&f).unwrap(),
            &layers,
        ));
    }
    assert!(
        bad.is_empty(),
        "imports that go up the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn a_planted_upward_import_is_caught() {
    let layers = layers();
    let planted =
        "use crate::dims::Area;\nuse crate::engine::run;\n// crate::report in a comment\n";
    let v = violations("stats", planted, &layers);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("uses engine"), "{v:?}");
    assert!(violations("engine", planted, &layers).is_empty());
}
