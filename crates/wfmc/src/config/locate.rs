//! Turning a key path into a file position, and rendering located problems.
//!
//! The reader works on plain TOML values and reports problems by key path
//! (`areas.ict.workforce_2020`); this module finds that key in the source text through
//! toml's span-preserving parser, so every message can name file, line and column.

use std::fmt::Write as _;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// Byte span of the value at `path` (or of the deepest prefix found); a segment
/// that is a number indexes a list (`dimensions.areas.3.key`).
pub fn span_of(source: &str, path: &[String]) -> Option<Range<usize>> {
    let root = DeTable::parse(source).ok()?;
    let mut table: &DeTable<'_> = root.get_ref();
    let mut list: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    let mut found = None;
    for seg in path {
        let value = if let Some(items) = list {
            match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(v) => {
                    found = Some(v.span());
                    v.get_ref()
                }
                None => break,
            }
        } else {
            // A key that is not there (a missing input) is located at its table.
            let Some((key, value)) = table
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == seg.as_str())
            else {
                break;
            };
            found = Some(match value.get_ref() {
                // A table's own span can be the whole section; the key reads better.
                DeValue::Table(_) => key.span(),
                _ => value.span(),
            });
            value.get_ref()
        };
        match value {
            DeValue::Table(t) => {
                table = t;
                list = None;
            }
            DeValue::Array(items) => list = Some(items),
            _ => break,
        }
    }
    found
}

/// 1-based line and column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(offset, |i| offset - i - 1) + 1;
    (line, col)
}

/// Renders one problem like a compiler diagnostic, with the offending line underlined.
pub fn render(
    origin: &str,
    source: &str,
    span: Option<Range<usize>>,
    headline: &str,
    detail: &str,
) -> String {
    let mut out = format!("error: {headline}\n");
    match span {
        Some(span) => {
            let (line, col) = line_col(source, span.start);
            let text = source.lines().nth(line - 1).unwrap_or("");
            let width = line.to_string().len();
            let len = span.end.saturating_sub(span.start).max(1);
            let len = len.min(text.chars().count().saturating_sub(col - 1).max(1));
            let _ = writeln!(out, "{:w$}--> {origin}:{line}:{col}", "", w = width);
            let _ = writeln!(out, "{:w$} |", "", w = width);
            let _ = writeln!(out, "{line} | {text}");
            let _ = writeln!(
                out,
                "{:w$} | {}{} {detail}",
                "",
                " ".repeat(col - 1),
                "^".repeat(len),
                w = width
            );
        }
        None => {
            let _ = writeln!(out, "  --> {origin}");
            let _ = writeln!(out, "   = {detail}");
        }
    }
    out
}

/// The candidate closest to `word` by edit distance, if it is plausibly a typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim(word, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Up to `n` candidates closest to `word`, nearest first (for "did you mean").
pub fn nearest_n<'a>(word: &str, candidates: &'a [String], n: usize) -> Vec<&'a str> {
    let mut d: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (strsim(word, c), c.as_str()))
        .collect();
    d.sort();
    d.into_iter().take(n).map(|(_, c)| c).collect()
}

/// Levenshtein distance; small inputs only (key names).
fn strsim(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys() {
        let src = "a = 1\n[areas.ict]\nworkforce_2020 = -5\n";
        let path: Vec<String> = ["areas", "ict", "workforce_2020"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let span = span_of(src, &path).unwrap();
        assert_eq!(line_col(src, span.start), (3, 18));
    }

    #[test]
    fn suggests_near_keys() {
        assert_eq!(
            nearest("workforce_202", ["band", "workforce_2020"]),
            Some("workforce_2020")
        );
        assert_eq!(nearest("zzz", ["band", "workforce_2020"]), None);
    }
}
