//! The README, the changelog and the user guide (`docs/src/`, an mdBook) link to each
//! other and to the repository's files. This test reads every one of them and fails on
//! a relative link whose file does not exist, on an `#anchor` that matches no heading
//! of its target (GitHub's and mdBook's slug rules: lowercase, spaces to `-`,
//! punctuation other than `-` and `_` dropped, repeats numbered `-1`, `-2`, …), and on
//! a page of `docs/src/` that `SUMMARY.md` does not list. Links to web addresses are
//! not followed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// Where the checker reads files: the work tree, or a planted set in the tests below.
trait Files {
    fn read(&self, path: &Path) -> Option<String>;
    fn exists(&self, path: &Path) -> bool;
}

struct Disk(PathBuf);

impl Files for Disk {
    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(self.0.join(path)).ok()
    }
    fn exists(&self, path: &Path) -> bool {
        self.0.join(path).exists()
    }
}

impl Files for BTreeMap<PathBuf, String> {
    fn read(&self, path: &Path) -> Option<String> {
        self.get(path).cloned()
    }
    fn exists(&self, path: &Path) -> bool {
        self.contains_key(path) || self.keys().any(|k| k.starts_with(path))
    }
}

/// `dir/rel` with `.` and `..` resolved, relative to the root; `None` above the root.
fn resolve(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in dir.join(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            _ => return None,
        }
    }
    Some(out)
}

/// The lines of a page outside fenced code blocks, with their line numbers, and
/// `{{#include F}}` lines (mdBook) replaced by F's lines, read relative to the page
/// (numbered as the include line).
fn prose_lines(files: &dyn Files, page: &Path, text: &str) -> Vec<(usize, String)> {
    let dir = page.parent().unwrap_or(Path::new(""));
    let mut out = vec![];
    let mut fence: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str()) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t[..3].to_string());
            continue;
        }
        if let Some(inc) = t
            .strip_prefix("{{#include ")
            .and_then(|r| r.strip_suffix("}}"))
        {
            let included = resolve(dir, inc.trim()).and_then(|p| Some((files.read(&p)?, p)));
            if let Some((body, p)) = included {
                let lines = prose_lines(files, &p, &body);
                out.extend(lines.into_iter().map(|(_, l)| (n, l)));
                continue;
            }
            out.push((n, format!("[included file]({})", inc.trim())));
            continue;
        }
        out.push((n, line.to_string()));
    }
    out
}

/// A line without its inline code spans.
fn without_code(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + run..];
        let close = "`".repeat(run);
        match after.find(&close) {
            Some(end) => rest = &after[end + run..],
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The targets of the inline links and images of a line (code spans left out).
fn links(line: &str) -> Vec<String> {
    let line = without_code(line);
    let mut out = vec![];
    let mut rest = line.as_str();
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let mut depth = 0;
        let mut end = after.len();
        for (j, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = j;
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        let target = after[..end].split_whitespace().next().unwrap_or("");
        let target = target.trim_start_matches('<').trim_end_matches('>');
        out.push(target.to_string());
        rest = &after[end.min(after.len())..];
    }
    out
}

/// A heading's anchor, as GitHub and mdBook make it.
fn slug(heading: &str) -> String {
    let text = heading.replace('`', "");
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Every anchor of a page: its headings' slugs, repeats numbered.
fn anchors(files: &dyn Files, page: &Path, text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(files, page, text) {
        let t = line.trim_start();
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !t[hashes..].starts_with(' ') {
            continue;
        }
        // The heading's text, links reduced to their text.
        let mut h = t[hashes..].trim().trim_end_matches('#').trim().to_string();
        while let (Some(a), Some(b)) = (h.find("]("), h.find(')')) {
            if b < a {
                break;
            }
            h.replace_range(a..=b, "");
        }
        let base = slug(&h.replace('[', ""));
        let n = seen.entry(base.clone()).or_insert(0);
        out.insert(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    out
}

/// Every broken link of `pages`, as `page: target (why)`, and every page of
/// `docs/src/` missing from its `SUMMARY.md`.
fn problems(files: &dyn Files, pages: &[PathBuf], book_pages: &[PathBuf]) -> Vec<String> {
    let mut out = vec![];
    for page in pages {
        let Some(text) = files.read(page) else {
            out.push(format!("{}: cannot be read", page.display()));
            continue;
        };
        let dir = page.parent().unwrap_or(Path::new(""));
        for (n, line) in prose_lines(files, page, &text) {
            for target in links(&line) {
                if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (file, anchor) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target.as_str(), None),
                };
                let path = if file.is_empty() {
                    Some(page.clone())
                } else {
                    resolve(dir, file)
                };
                let at = format!("{}:{n}", page.display());
                let Some(path) = path.filter(|p| files.exists(p)) else {
                    out.push(format!("{at}: `{target}`: no such file"));
                    continue;
                };
                if let Some(anchor) = anchor {
                    let body = files.read(&path).unwrap_or_default();
                    if !anchors(files, &path, &body).contains(anchor) {
                        out.push(format!(
                            "{at}: `{target}`: no heading of {} has the anchor `{anchor}`",
                            path.display()
                        ));
                    }
                }
            }
        }
    }
    let summary = Path::new("docs/src/SUMMARY.md");
    let listed: BTreeSet<PathBuf> = files
        .read(summary)
        .map(|s| {
            prose_lines(files, summary, &s)
                .iter()
                .flat_map(|(_, l)| links(l))
                .filter_map(|t| resolve(Path::new("docs/src"), t.split('#').next()?))
                .collect()
        })
        .unwrap_or_default();
    for p in book_pages {
        if p.as_path() != summary && !listed.contains(p) {
            out.push(format!(
                "{}: not listed in docs/src/SUMMARY.md",
                p.display()
            ));
        }
    }
    out
}

fn markdown_under(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for e in entries {
        let rel = dir.join(e.file_name().unwrap());
        if e.is_dir() {
            markdown_under(root, &rel, out);
        } else if rel.extension().is_some_and(|x| x == "md") {
            out.push(rel);
        }
    }
}

#[test]
fn every_link_of_the_readme_changelog_and_guide_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut book = vec![];
    markdown_under(&root, Path::new("docs/src"), &mut book);
    assert!(
        book.len() > 10,
        "the guide's pages were not found: {book:?}"
    );
    // docs/config.md: where the built-in config points, now a pointer into the guide.
    let mut pages = vec![
        PathBuf::from("README.md"),
        PathBuf::from("CHANGELOG.md"),
        PathBuf::from("docs/config.md"),
    ];
    pages.extend(book.iter().cloned());
    let found = problems(&Disk(root), &pages, &book);
    assert!(found.is_empty(), "broken links:\n{}", found.join("\n"));
}

fn planted(pages: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
    pages
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect()
}

#[test]
fn the_checker_catches_a_planted_broken_link_and_anchor() {
    let files = planted(&[
        (
            "README.md",
            "# wfmc\n[guide](docs/src/intro.md) [model](docs/src/model.md#supply-from-staff-flows)\n\
             [gone](docs/src/missing.md) [bad anchor](docs/src/model.md#no-such-heading)\n\
             [web](https://example.org/x.md) `[in code](nowhere.md)`\n\
             ```\n[in a fence](nowhere.md)\n```\n",
        ),
        (
            "docs/src/SUMMARY.md",
            "# Summary\n- [Intro](intro.md)\n- [Model](model.md)\n",
        ),
        (
            "docs/src/intro.md",
            "# Intro\n[up](../../README.md#wfmc) [self](#intro) [c](config.md#dimensions-dimensions)\n",
        ),
        (
            "docs/src/model.md",
            "# The model\n## Supply from staff flows\n## Notes\n## Notes\n[second](#notes-1)\n",
        ),
        (
            "docs/src/config.md",
            "# Config\n## Dimensions: `[dimensions]`\n",
        ),
    ]);
    let pages: Vec<PathBuf> = files.keys().cloned().collect();
    let book: Vec<PathBuf> = pages
        .iter()
        .filter(|p| p.starts_with("docs/src"))
        .cloned()
        .collect();
    let found = problems(&files, &pages, &book);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].contains("`docs/src/missing.md`: no such file"),
        "{found:#?}"
    );
    assert!(
        found[1].contains("no heading of docs/src/model.md has the anchor `no-such-heading`"),
        "{found:#?}"
    );
    assert!(
        found[2].contains("docs/src/config.md: not listed in docs/src/SUMMARY.md"),
        "{found:#?}"
    );
}

#[test]
fn slugs_follow_github_and_mdbook() {
    assert_eq!(slug("Dimensions: `[dimensions]`"), "dimensions-dimensions");
    assert_eq!(
        slug("Precision: sampling, standard errors and `--until`"),
        "precision-sampling-standard-errors-and---until"
    );
    assert_eq!(slug("Explorer: `wfmc serve`"), "explorer-wfmc-serve");
    assert_eq!(slug("Outputs of `wfmc run`"), "outputs-of-wfmc-run");
    assert_eq!(slug("Re-basing the projection"), "re-basing-the-projection");
    assert_eq!(slug("snake_case stays"), "snake_case-stays");
}
