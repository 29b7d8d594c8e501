//! Config problems: each located in the file (or override) it came from, all of
//! them rendered at once.

use super::*;

/// One problem found in a config, before it is located in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Key path, e.g. `["areas", "ict", "workforce_2020"]`.
    pub path: Vec<String>,
    /// What is wrong, in a few words.
    pub headline: String,
    /// What was found and what would be valid.
    pub detail: String,
}

/// Every problem of a config, located and ready to print.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// Where the config came from.
    pub origin: String,
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
    /// The rendered report.
    pub rendered: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub(super) fn new(origin: &str, source: &str, problems: Vec<Problem>) -> ConfigError {
        ConfigError::new_in(&[(origin.to_string(), source.to_string())], problems)
    }

    /// Locates each problem in the first file of `chain` whose text sets its key
    /// (the config, then the files it extends); the count names the config.
    pub(super) fn new_in(chain: &[(String, String)], problems: Vec<Problem>) -> ConfigError {
        let origin = &chain[0].0;
        ConfigError::rendered(origin, problems, &format!("in {origin}"), |p, detail| {
            let found = chain
                .iter()
                .find_map(|(o, t)| locate::span_of(t, &p.path).map(|s| (o, t, Some(s))));
            let (o, t, span) = found.unwrap_or((&chain[0].0, &chain[0].1, None));
            locate::render(o, t, span, &p.headline, detail)
        })
    }

    /// A TOML syntax error, located at the parser's own span.
    pub(super) fn syntax(origin: &str, text: &str, e: &toml::de::Error) -> ConfigError {
        let p = Problem {
            path: vec![],
            headline: "TOML syntax error".into(),
            detail: e.message().trim().to_string(),
        };
        let mut err = ConfigError::new(origin, text, vec![p.clone()]);
        if let Some(span) = e.span() {
            err.rendered = format!(
                "{}\n1 problem in {origin}",
                locate::render(origin, text, Some(span), &p.headline, &p.detail)
            );
        }
        err
    }

    /// Renders each problem with `render(problem, detail)` (the detail prefixed by
    /// its key path), then a count line "N problems {whence}".
    pub(super) fn rendered(
        origin: &str,
        problems: Vec<Problem>,
        whence: &str,
        render: impl Fn(&Problem, &str) -> String,
    ) -> ConfigError {
        let mut rendered = String::new();
        for p in &problems {
            let path = p.path.join(".");
            let detail = if path.is_empty() {
                p.detail.clone()
            } else {
                format!("{path}: {}", p.detail)
            };
            rendered.push_str(&render(p, &detail));
            rendered.push('\n');
        }
        let n = problems.len();
        rendered.push_str(&format!(
            "{n} problem{} {whence}",
            if n == 1 { "" } else { "s" }
        ));
        ConfigError {
            origin: origin.to_string(),
            problems,
            rendered,
        }
    }

    /// Adds problems already rendered against another file (forecaster returns).
    pub(crate) fn with_rendered(mut self, rendered: &str, n: usize) -> ConfigError {
        if n == 0 {
            return self;
        }
        let total = self.problems.len() + n;
        let body = self.rendered.rsplit_once('\n').map_or("", |(b, _)| b);
        self.rendered = format!(
            "{rendered}{}{}{total} problem{} in {} and its forecaster returns",
            body,
            if body.is_empty() { "" } else { "\n" },
            if total == 1 { "" } else { "s" },
            self.origin
        );
        self
    }

    /// Problems of overridden values: they are not in the file, so they are not
    /// located in it; each headline names the override.
    pub(super) fn from_overrides(origin: &str, problems: Vec<Problem>) -> ConfigError {
        let label = format!("{origin} with overrides");
        let whence = format!("with the overrides of {origin}");
        ConfigError::rendered(origin, problems, &whence, |p, detail| {
            locate::render(&label, "", None, &p.headline, detail)
        })
    }

    pub(super) fn single(origin: &str, headline: &str, detail: String) -> ConfigError {
        let p = Problem {
            path: vec![],
            headline: headline.into(),
            detail,
        };
        ConfigError::new(origin, "", vec![p])
    }
}
