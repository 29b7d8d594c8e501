//! Config problems: each located in the file it came from (or blamed on the
//! override that caused it), kept structured and worded by the front end when shown.

use super::*;
use crate::wording::{Hint, OverrideSource, Words};
use std::fmt::Write as _;

/// One problem found in a config, before it is located in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Key path, e.g. `["areas", "ict", "workforce_2020"]`.
    pub path: Vec<String>,
    /// What is wrong, in a few words.
    pub headline: String,
    /// What was found and what would be valid.
    pub detail: String,
    /// What to do about it, worded by the front end.
    pub hint: Option<Hint>,
    /// The override that caused it, when one did.
    pub blame: Option<OverrideSource>,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(
        path: Vec<String>,
        headline: impl Into<String>,
        detail: impl Into<String>,
    ) -> Problem {
        Problem {
            path,
            headline: headline.into(),
            detail: detail.into(),
            hint: None,
            blame: None,
        }
    }

    /// The same problem with a hint.
    pub fn with_hint(mut self, hint: Hint) -> Problem {
        self.hint = Some(hint);
        self
    }
}

/// Where a problem is shown to be.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    /// At a line and column of a file, with that line and the span's width.
    At {
        origin: String,
        line: usize,
        col: usize,
        text: String,
        len: usize,
    },
    /// In a file, at no particular place.
    In(String),
    /// In the config with its overrides (a value no file holds).
    WithOverrides(String),
}

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    problem: Problem,
    place: Place,
}

impl Item {
    /// `p` located in `source` (named `origin`) at `span`, or in it at no place.
    fn located(
        origin: &str,
        source: &str,
        span: Option<std::ops::Range<usize>>,
        p: Problem,
    ) -> Item {
        let place = match span {
            Some(span) => {
                let (line, col) = locate::line_col(source, span.start);
                let text = source.lines().nth(line - 1).unwrap_or("").to_string();
                let len = span.end.saturating_sub(span.start).max(1);
                let len = len.min(text.chars().count().saturating_sub(col - 1).max(1));
                Place::At {
                    origin: origin.to_string(),
                    line,
                    col,
                    text,
                    len,
                }
            }
            None => Place::In(origin.to_string()),
        };
        Item { problem: p, place }
    }

    fn render(&self, w: &dyn Words, out: &mut String) {
        let p = &self.problem;
        let mut headline = p.headline.clone();
        if let Some(b) = &p.blame {
            let _ = write!(headline, " in {}", w.source(b));
        }
        let path = p.path.join(".");
        let mut detail = if path.is_empty() {
            p.detail.clone()
        } else {
            format!("{path}: {}", p.detail)
        };
        if let Some(h) = &p.hint {
            let _ = write!(detail, "; {}", w.hint(h));
        }
        let _ = writeln!(out, "error: {headline}");
        match &self.place {
            Place::At {
                origin,
                line,
                col,
                text,
                len,
            } => {
                let width = line.to_string().len();
                let _ = writeln!(out, "{:width$}--> {origin}:{line}:{col}", "");
                let _ = writeln!(out, "{:width$} |", "");
                let _ = writeln!(out, "{line} | {text}");
                let _ = writeln!(
                    out,
                    "{:width$} | {}{} {detail}",
                    "",
                    " ".repeat(col - 1),
                    "^".repeat(*len),
                );
            }
            Place::In(origin) => {
                let _ = writeln!(out, "  --> {origin}");
                let _ = writeln!(out, "   = {detail}");
            }
            Place::WithOverrides(origin) => {
                let _ = writeln!(out, "  --> {origin} with overrides");
                let _ = writeln!(out, "   = {detail}");
            }
        }
    }
}

/// Whose problems the count line counts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Whence {
    /// The config file.
    File,
    /// The config with its overrides.
    Overrides,
}

/// Every problem of a config, located; [`ConfigError::render`] words them.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// Where the config came from.
    pub origin: String,
    /// Problems in the config (or its overrides), in the order found.
    items: Vec<Item>,
    /// Problems in the forecaster returns it reads, located in that file.
    returns: Vec<Item>,
    whence: Whence,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&crate::wording::Plain))
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// Every problem, the returns' first, as rendered in order.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.returns.iter().chain(&self.items).map(|i| &i.problem)
    }

    /// The problems as a front end words them, each like a compiler diagnostic with
    /// the offending line underlined, then a count line.
    pub fn render(&self, w: &dyn Words) -> String {
        let mut out = String::new();
        for i in self.returns.iter().chain(&self.items) {
            i.render(w, &mut out);
            out.push('\n');
        }
        let n = self.items.len() + self.returns.len();
        let s = if n == 1 { "" } else { "s" };
        let origin = &self.origin;
        let _ = match (self.returns.is_empty(), self.whence) {
            (false, _) => write!(out, "{n} problem{s} in {origin} and its forecaster returns"),
            (true, Whence::File) => write!(out, "{n} problem{s} in {origin}"),
            (true, Whence::Overrides) => {
                write!(out, "{n} problem{s} with the overrides of {origin}")
            }
        };
        out
    }

    pub(super) fn new(origin: &str, source: &str, problems: Vec<Problem>) -> ConfigError {
        ConfigError::new_in(&[(origin.to_string(), source.to_string())], problems)
    }

    /// Locates each problem in the first file of `chain` whose text sets its key
    /// (the config, then the files it extends); the count names the config.
    pub(super) fn new_in(chain: &[(String, String)], problems: Vec<Problem>) -> ConfigError {
        let items = problems
            .into_iter()
            .map(|p| {
                let found = chain
                    .iter()
                    .find_map(|(o, t)| locate::span_of(t, &p.path).map(|s| (o, t, Some(s))));
                let (o, t, span) = found.unwrap_or((&chain[0].0, &chain[0].1, None));
                Item::located(o, t, span, p)
            })
            .collect();
        ConfigError {
            origin: chain[0].0.clone(),
            items,
            returns: vec![],
            whence: Whence::File,
        }
    }

    /// A TOML syntax error, located at the parser's own span.
    pub(super) fn syntax(origin: &str, text: &str, e: &toml::de::Error) -> ConfigError {
        let p = Problem::new(vec![], "TOML syntax error", e.message().trim());
        ConfigError {
            origin: origin.to_string(),
            items: vec![Item::located(origin, text, e.span(), p)],
            returns: vec![],
            whence: Whence::File,
        }
    }

    /// Adds the problems of the forecaster returns.
    pub(crate) fn with_returns(mut self, returns: Vec<Returned>) -> ConfigError {
        self.returns = returns.into_iter().map(|r| r.0).collect();
        self
    }

    /// Problems of overridden values: they are not in the file, so they are not
    /// located in it; each headline names the override.
    pub(super) fn from_overrides(origin: &str, problems: Vec<Problem>) -> ConfigError {
        let items = problems
            .into_iter()
            .map(|p| Item {
                problem: p,
                place: Place::WithOverrides(origin.to_string()),
            })
            .collect();
        ConfigError {
            origin: origin.to_string(),
            items,
            returns: vec![],
            whence: Whence::Overrides,
        }
    }

    /// One problem of the config as a whole (it cannot be read, it is too large).
    pub(super) fn single(origin: &str, headline: &str, detail: String) -> ConfigError {
        ConfigError::new(origin, "", vec![Problem::new(vec![], headline, detail)])
    }
}

/// A problem located in a file the config reads (the forecaster returns).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Returned(Item);

impl Returned {
    /// `p` at `span` of `source`, the file `origin`.
    pub(crate) fn new(
        origin: &str,
        source: &str,
        span: Option<std::ops::Range<usize>>,
        p: Problem,
    ) -> Returned {
        Returned(Item::located(origin, source, span, p))
    }
}
