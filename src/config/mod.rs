//! Configs: the published inputs of the report and the distributions put on them.
//!
//! A config is TOML (the default, `configs/hee-2021.toml`, is compiled into the
//! binary). Reading goes in two steps: the text is parsed into a plain TOML tree, then
//! a [`Reader`] walks the tree, collecting *every* problem with its key path, so a user
//! fixes a file in one pass; [`locate`] turns each path into file, line and column.
//! The result is a [`Config`] whose inputs are resolved: every family default of the
//! `[uncertainty]` section has been applied to the inputs it covers.

pub mod locate;
pub mod overrides;
pub mod panel;
pub mod schema;

use crate::dims::{Area, Family, Level, N_AREAS, N_LEVELS, N_YEARS, Scenario};
use crate::distributions::{Call, Dist, DistError, SharesDist, check_probabilities};
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use toml::{Table, Value};

/// The default config, compiled in so `wfmc` runs without any file.
pub const BUILTIN_TOML: &str = include_str!("../../configs/hee-2021.toml");
/// How the built-in config is named in messages and manifests.
pub const BUILTIN_ORIGIN: &str = "<built-in configs/hee-2021.toml>";
/// Configs larger than this are refused before parsing.
pub const MAX_CONFIG_BYTES: usize = 10 * 1024 * 1024;

/// How a sampled value combines with an input's base value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    /// The sample is the value.
    Absolute,
    /// value = base + sample (e.g. a flow-rate shift).
    Add,
    /// value = base × sample (e.g. a forecaster multiplier).
    Multiply,
}

/// A link from an input to a shared factor (spec §4): its normal score is
/// `√rho · Z_factor + √(1 − rho) · Z_own`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactorLink {
    /// Index into [`Config::factors`].
    pub factor: usize,
    /// Share of the input's variance (on the normal-score scale) that the factor carries.
    pub rho: f64,
}

/// One scalar model input: its base value (what the report used) and its uncertainty.
#[derive(Debug, Clone)]
pub struct Input {
    /// The value of the point model.
    pub base: f64,
    /// The distribution of the sample.
    pub dist: Dist,
    /// How the sample combines with `base`.
    pub apply: Apply,
    /// Shared factor, if the input is correlated with others.
    pub factor: Option<FactorLink>,
}

impl Input {
    /// An input that never varies.
    pub fn fixed(x: f64) -> Input {
        Input {
            base: x,
            dist: Dist::fixed(x),
            apply: Apply::Absolute,
            factor: None,
        }
    }

    /// True when draws can differ from the base value.
    pub fn is_uncertain(&self) -> bool {
        !self.dist.is_fixed()
    }

    /// Combines a sample of `dist` with the base value.
    pub fn combine(&self, sample: f64) -> f64 {
        match self.apply {
            Apply::Absolute => sample,
            Apply::Add => self.base + sample,
            Apply::Multiply => self.base * sample,
        }
    }

    /// The input's value at normal score `z` (the Gaussian-copula path used for
    /// factor-linked inputs): [`Dist::at_score`].
    pub fn at_score(&self, z: f64) -> f64 {
        self.combine(self.dist.at_score(z))
    }

    /// The input's marginal quantile (P10, P90 for tornado analysis).
    pub fn quantile(&self, u: f64) -> f64 {
        self.combine(self.dist.quantile(u))
    }

    /// Text of the uncertainty, for reports and manifests.
    pub fn describe(&self, factors: &[Factor]) -> String {
        let mut s = match self.apply {
            Apply::Absolute => format!("{}", self.dist),
            Apply::Add => format!("base {} + {}", fmt_num(self.base), self.dist),
            Apply::Multiply => format!("base {} × {}", fmt_num(self.base), self.dist),
        };
        if let Some(f) = self.factor {
            s.push_str(&format!(
                ", factor {} (rho {})",
                factors[f.factor].name, f.rho
            ));
        }
        s
    }
}

fn fmt_num(x: f64) -> String {
    format!("{:.6}", x)
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// One Agenda for Change pay band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The band's name, e.g. `8a`.
    pub name: String,
    /// Bottom pay point, GBP a year.
    pub min: f64,
    /// Top pay point, GBP a year; the report costs at the top.
    pub top: f64,
}

/// The band of an area: its published value and the options a draw chooses among.
#[derive(Debug, Clone, PartialEq)]
pub struct BandInput {
    /// Index into [`Config::pay_scale`] of the published band.
    pub base: usize,
    /// Candidate band indices.
    pub choices: Vec<usize>,
    /// Their probabilities.
    pub p: Vec<f64>,
}

impl BandInput {
    /// True when a draw can pick another band than the base.
    pub fn is_uncertain(&self) -> bool {
        self.choices
            .iter()
            .zip(&self.p)
            .any(|(c, p)| *c != self.base && *p > 0.0)
    }
}

/// A shared source of correlation (spec §4).
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Its name in the config.
    pub name: String,
    /// One independent value per scenario instead of one per draw.
    pub per_scenario: bool,
    /// What it stands for.
    pub description: String,
}

/// Inputs of one area of work that do not depend on the scenario.
#[derive(Debug, Clone)]
pub struct AreaConfig {
    /// Which area.
    pub area: Area,
    /// 2020 workforce, WTE (Table 3.1).
    pub workforce: Input,
    /// Agenda for Change band (Table 3.3).
    pub band: BandInput,
    /// 2020 job-level shares (normalised from the level counts).
    pub shares_2020: [f64; N_LEVELS],
    /// Published 2030 supply, WTE (Table 3.2).
    pub supply_2030: f64,
    /// Net annual flow rate; base (supply_2030 / W)^(1/10) − 1.
    pub flow: Input,
    /// Additional inflow, WTE a year from 2021 on top of the flow (0 in the report).
    pub extra_inflow: f64,
    /// The typical trust's 2020 WTE by level (Table 5.3).
    pub typical_trust: Option<[f64; N_LEVELS]>,
}

/// Demand inputs of one scenario and area.
#[derive(Debug, Clone)]
pub struct DemandConfig {
    /// Published 2030 demand, WTE.
    pub demand_2030: f64,
    /// Demand ratio 2030 / 2020; base demand_2030 / W.
    pub ratio: Input,
    /// 2030 level counts as published (used only as shares).
    pub levels_2030: [f64; N_LEVELS],
    /// Distribution of the 2030 level shares.
    pub shares: SharesDist,
    /// Demand ratio 2025 / 2020 when known (forecaster returns with 2025 figures);
    /// `None`: a straight line from 2020 to 2030, as in the report.
    pub ratio_2025: Option<f64>,
}

/// A fully read and resolved config.
#[derive(Debug, Clone)]
pub struct Config {
    /// Short name; results go to `results/<name>/`.
    pub name: String,
    /// Human title.
    pub title: String,
    /// Where it came from (a path or the built-in marker).
    pub origin: String,
    /// The exact text read, for hashing into manifests.
    pub source: String,
    /// The tree the config was resolved from; overrides edit it and re-resolve.
    pub tree: Table,
    /// Annual salary growth (for the years after `salary_path`).
    pub salary_growth: Input,
    /// Pay awards year by year from 2021 (e.g. the awards actually given); empty in
    /// the report, which assumes one rate throughout.
    pub salary_path: Vec<f64>,
    /// Named sets of overrides (`--stress NAME`).
    pub stress: Vec<StressProfile>,
    /// The overrides applied to the file, as `path=value`, in order.
    pub overrides: Vec<String>,
    /// Forecaster returns, when demand comes from the panel itself (`[forecasters]`).
    pub panel: Option<std::sync::Arc<panel::Panel>>,
    /// Employment on-cost rate.
    pub on_cost: Input,
    /// Pay bands, lowest first.
    pub pay_scale: Vec<Band>,
    /// Shared factors.
    pub factors: Vec<Factor>,
    /// Per-area inputs, in [`Area::ALL`] order.
    pub areas: Vec<AreaConfig>,
    /// Per-scenario, per-area demand inputs, `[scenario][area]`.
    pub demand: Vec<Vec<DemandConfig>>,
}

/// A named set of overrides in the config's `[stress.NAME]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct StressProfile {
    /// Its name.
    pub name: String,
    /// What it stands for.
    pub description: String,
    /// Path and value of each override, in file order.
    pub set: Vec<(String, Value)>,
}

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
    fn new(origin: &str, source: &str, problems: Vec<Problem>) -> ConfigError {
        ConfigError::new_in(&[(origin.to_string(), source.to_string())], problems)
    }

    /// Locates each problem in the first file of `chain` whose text sets its key
    /// (the config, then the files it extends); the count names the config.
    fn new_in(chain: &[(String, String)], problems: Vec<Problem>) -> ConfigError {
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
    fn syntax(origin: &str, text: &str, e: &toml::de::Error) -> ConfigError {
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
    fn rendered(
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
    fn from_overrides(origin: &str, problems: Vec<Problem>) -> ConfigError {
        let label = format!("{origin} with overrides");
        let whence = format!("with the overrides of {origin}");
        ConfigError::rendered(origin, problems, &whence, |p, detail| {
            locate::render(&label, "", None, &p.headline, detail)
        })
    }

    fn single(origin: &str, headline: &str, detail: String) -> ConfigError {
        let p = Problem {
            path: vec![],
            headline: headline.into(),
            detail,
        };
        ConfigError::new(origin, "", vec![p])
    }
}

/// Reads a text file of at most [`MAX_CONFIG_BYTES`]: a regular file only (a device
/// such as `/dev/zero` never ends), and the limit applies to the bytes actually
/// read, not to what the file's metadata claims.
pub fn read_limited(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("it is a folder, not a file".into());
    }
    if !meta.is_file() {
        return Err("not a regular file (a device, pipe or socket)".into());
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CONFIG_BYTES as u64 + 1).read_to_end(&mut buf))
        .map_err(|e| e.to_string())?;
    if buf.len() > MAX_CONFIG_BYTES {
        return Err(format!(
            "over {MAX_CONFIG_BYTES} bytes; the limit is {MAX_CONFIG_BYTES} bytes"
        ));
    }
    String::from_utf8(buf).map_err(|_| "not UTF-8 text".to_string())
}

impl Config {
    /// The built-in default config.
    pub fn builtin() -> Config {
        // The built-in text is tested to load, so failure here is a build defect.
        Config::from_str(BUILTIN_TOML, BUILTIN_ORIGIN).expect("built-in config is valid")
    }

    /// Reads a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with(path, &[])
    }

    /// Reads a config file with `preset` values put into its tree before it is
    /// resolved (for settings that decide whether the file reads at all, such as
    /// how to treat missing forecaster returns).
    pub fn load_with(path: &Path, preset: &[(&str, Value)]) -> Result<Config, ConfigError> {
        let origin = path.display().to_string();
        let text = read_limited(path).map_err(|e| {
            let headline = if e.starts_with("over ") {
                "config too large"
            } else {
                "cannot read config"
            };
            ConfigError::single(&origin, headline, e)
        })?;
        Config::from_str_with(&text, &origin, preset)
    }

    /// Reads the built-in config, or the file at `path` when given.
    pub fn load_or_builtin(path: Option<&Path>) -> Result<Config, ConfigError> {
        match path {
            Some(p) => Config::load(p),
            None => Ok(Config::builtin()),
        }
    }

    /// Parses and resolves config text; `origin` names it in messages.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, origin: &str) -> Result<Config, ConfigError> {
        Config::from_str_with(text, origin, &[])
    }

    /// [`Config::from_str`] with `preset` values (dotted paths) put into the tree first.
    pub fn from_str_with(
        text: &str,
        origin: &str,
        preset: &[(&str, Value)],
    ) -> Result<Config, ConfigError> {
        if text.len() > MAX_CONFIG_BYTES {
            return Err(ConfigError::single(
                origin,
                "config too large",
                format!(
                    "{} bytes; the limit is {MAX_CONFIG_BYTES} bytes",
                    text.len()
                ),
            ));
        }
        let tree = parse_toml(text, origin)?;
        let (mut tree, files) = resolve_extends(tree, origin, text, 0)?;
        let parents: String = files.iter().rev().map(|(_, t)| format!("{t}\0")).collect();
        let mut applied = vec![];
        for (path, v) in preset {
            // Only into sections the file has: a preset does not create them.
            let top = path.split('.').next().unwrap_or("");
            if tree.contains_key(top) {
                overrides::set(&mut tree, path, v.clone());
                applied.push(format!("{path}={v}"));
            }
        }
        let mut chain = vec![(origin.to_string(), text.to_string())];
        chain.extend(files);
        let mut c = Config::from_tree_in(tree, &chain)?;
        c.overrides = applied;
        // The hash must change when a file it extends does.
        c.source = format!("{parents}{}", c.source);
        Ok(c)
    }

    /// Resolves an already parsed tree (after overrides, for instance).
    pub fn from_tree(tree: Table, text: &str, origin: &str) -> Result<Config, ConfigError> {
        Config::from_tree_in(tree, &[(origin.to_string(), text.to_string())])
    }

    /// [`Config::from_tree`] for a tree merged from a chain of files (the config
    /// first, then each file it `extends`): a problem is located in the first file
    /// of the chain that sets its key.
    fn from_tree_in(tree: Table, chain: &[(String, String)]) -> Result<Config, ConfigError> {
        let (origin, text) = (&chain[0].0, &chain[0].1);
        let mut r = Reader::default();
        let cfg = r.config(&tree, text, origin);
        match cfg {
            Some(mut c) if r.problems.is_empty() && r.n_rendered == 0 => {
                c.source.push_str(&r.extra_source);
                Ok(c)
            }
            _ => {
                Err(ConfigError::new_in(chain, r.problems).with_rendered(&r.rendered, r.n_rendered))
            }
        }
    }

    /// The same config with every distribution collapsed to its base value.
    pub fn collapsed(&self) -> Config {
        let mut c = self.clone();
        let fix = |i: &mut Input| *i = Input::fixed(i.base);
        fix(&mut c.salary_growth);
        fix(&mut c.on_cost);
        for a in &mut c.areas {
            fix(&mut a.workforce);
            fix(&mut a.flow);
            a.band = BandInput {
                base: a.band.base,
                choices: vec![a.band.base],
                p: vec![1.0],
            };
        }
        for row in &mut c.demand {
            for d in row {
                fix(&mut d.ratio);
                d.shares = SharesDist::Fixed(normalise(&d.levels_2030));
            }
        }
        c
    }

    /// The area config of `a`.
    pub fn area(&self, a: Area) -> &AreaConfig {
        &self.areas[a.index()]
    }

    /// The demand config of scenario `s`, area `a`.
    pub fn demand_of(&self, s: Scenario, a: Area) -> &DemandConfig {
        &self.demand[s.index()][a.index()]
    }

    /// Top pay point of the band at `index`.
    pub fn pay_top(&self, index: usize) -> f64 {
        self.pay_scale[index].top
    }

    /// FNV-1a hash of the config text and overrides, for manifests and for checking
    /// that shards ran the same config (identifies, does not secure).
    pub fn hash(&self) -> String {
        let mut h: u64 = 0xcbf29ce484222325;
        let overrides = self.overrides.join("\n");
        let text = [self.source.as_bytes(), b"\0", overrides.as_bytes()];
        for b in text.iter().flat_map(|t| t.iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016x}")
    }
}

fn normalise(v: &[f64; N_LEVELS]) -> Vec<f64> {
    let s: f64 = v.iter().sum();
    v.iter().map(|x| x / s).collect()
}

/// A family default from `[uncertainty]`.
#[derive(Debug, Clone, Default)]
struct Family_ {
    dist: Option<Dist>,
    apply: Option<Apply>,
    factor: Option<FactorLink>,
}

/// Walks a TOML tree, collecting problems by key path.
#[derive(Default)]
pub struct Reader {
    /// Problems found so far.
    pub problems: Vec<Problem>,
    /// Problems already rendered against another file (the forecaster returns).
    pub rendered: String,
    /// How many problems `rendered` holds.
    pub n_rendered: usize,
    /// Text of files read besides the config (hashed with it).
    pub extra_source: String,
}

/// Deepest chain of `extends` followed.
const MAX_EXTENDS: usize = 4;

fn parse_toml(text: &str, origin: &str) -> Result<Table, ConfigError> {
    text.parse::<Table>()
        .map_err(|e| ConfigError::syntax(origin, text, &e))
}

/// Follows `extends = "OTHER.toml"`: the other file's tree, with this one's keys
/// merged over it (tables merged key by key, other values replaced). Returns the
/// merged tree and the files extended, nearest first, as (origin, text). Problems
/// are located: in this file at its `extends` key, or in the extended file.
fn resolve_extends(
    mut tree: Table,
    origin: &str,
    text: &str,
    depth: usize,
) -> Result<(Table, Vec<(String, String)>), ConfigError> {
    let Some(v) = tree.remove("extends") else {
        return Ok((tree, vec![]));
    };
    let at_extends = |detail: String| {
        ConfigError::new(
            origin,
            text,
            vec![Problem {
                path: vec!["extends".into()],
                headline: "cannot read the config it extends".into(),
                detail,
            }],
        )
    };
    let Value::String(rel) = v else {
        return Err(at_extends(format!(
            "`extends` must be a path string, found {}",
            type_name(&v)
        )));
    };
    if depth >= MAX_EXTENDS {
        return Err(at_extends(format!(
            "more than {MAX_EXTENDS} levels of `extends` (a cycle?)"
        )));
    }
    let path = base_dir(origin).join(&rel);
    let shown = path.display().to_string();
    let parent_text = read_limited(&path).map_err(|e| at_extends(format!("{shown}: {e}")))?;
    let parent = parse_toml(&parent_text, &shown)?;
    let (mut parent, mut files) = resolve_extends(parent, &shown, &parent_text, depth + 1)?;
    merge_into(&mut parent, tree);
    files.insert(0, (shown, parent_text));
    Ok((parent, files))
}

fn merge_into(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge_into(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// The folder relative paths in a config are read from.
fn base_dir(origin: &str) -> std::path::PathBuf {
    if origin.starts_with('<') {
        return ".".into();
    }
    match Path::new(origin).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => ".".into(),
    }
}

type Path_ = Vec<String>;

fn join(path: &[String], key: &str) -> Path_ {
    let mut p = path.to_vec();
    p.push(key.to_string());
    p
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

impl Reader {
    fn problem(&mut self, path: Path_, headline: &str, detail: impl Into<String>) {
        self.problems.push(Problem {
            path,
            headline: headline.to_string(),
            detail: detail.into(),
        });
    }

    fn keys(&mut self, t: &Table, path: &[String], allowed: &[&str]) {
        for k in t.keys() {
            if !allowed.contains(&k.as_str()) {
                let hint = match locate::nearest(k, allowed.iter().copied()) {
                    Some(n) => format!(
                        "did you mean `{n}`? valid keys here: {}",
                        allowed.join(", ")
                    ),
                    None => format!("valid keys here: {}", allowed.join(", ")),
                };
                self.problem(join(path, k), &format!("unknown key `{k}`"), hint);
            }
        }
    }

    fn table<'t>(
        &mut self,
        t: &'t Table,
        path: &[String],
        key: &str,
        required: bool,
    ) -> Option<&'t Table> {
        match t.get(key) {
            Some(Value::Table(x)) => Some(x),
            Some(v) => {
                self.problem(
                    join(path, key),
                    "wrong type",
                    format!("found {}, expected a table", type_name(v)),
                );
                None
            }
            None => {
                if required {
                    self.problem(
                        join(path, key),
                        &format!("missing `{key}`"),
                        "this table is required".to_string(),
                    );
                }
                None
            }
        }
    }

    fn number(&mut self, t: &Table, path: &[String], key: &str, required: bool) -> Option<f64> {
        let p = join(path, key);
        match t.get(key) {
            Some(v) => self.num_value(v, p),
            None => {
                if required {
                    self.problem(p, &format!("missing `{key}`"), "a number is required here");
                }
                None
            }
        }
    }

    fn num_value(&mut self, v: &Value, p: Path_) -> Option<f64> {
        let x = match v {
            Value::Integer(i) => *i as f64,
            Value::Float(f) => *f,
            other => {
                self.problem(
                    p,
                    "wrong type",
                    format!("found {}, expected a number", type_name(other)),
                );
                return None;
            }
        };
        if !x.is_finite() {
            self.problem(
                p,
                "not a finite number",
                format!("found {x}; NaN and infinities are not allowed"),
            );
            return None;
        }
        Some(x)
    }

    fn nonneg(&mut self, x: Option<f64>, p: Path_, what: &str) -> Option<f64> {
        match x {
            Some(v) if v < 0.0 => {
                self.problem(
                    p,
                    &format!("negative {what}"),
                    format!("found {v}, expected a number ≥ 0"),
                );
                None
            }
            other => other,
        }
    }

    fn string(&mut self, t: &Table, path: &[String], key: &str, required: bool) -> Option<String> {
        let p = join(path, key);
        match t.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.problem(
                    p,
                    "wrong type",
                    format!("found {}, expected a string", type_name(v)),
                );
                None
            }
            None => {
                if required {
                    self.problem(p, &format!("missing `{key}`"), "a string is required here");
                }
                None
            }
        }
    }

    fn levels(
        &mut self,
        t: &Table,
        path: &[String],
        key: &str,
        required: bool,
    ) -> Option<[f64; N_LEVELS]> {
        let p = join(path, key);
        let expect = format!(
            "expected a list of {N_LEVELS} WTE counts ≥ 0 in the order {}",
            Level::keys().join(", ")
        );
        match t.get(key) {
            Some(Value::Array(items)) if items.len() == N_LEVELS => {
                let mut out = [0.0; N_LEVELS];
                for (i, v) in items.iter().enumerate() {
                    match self.num_value_quiet(v) {
                        Some(x) if x >= 0.0 => out[i] = x,
                        _ => {
                            let found = match v {
                                Value::Integer(_) | Value::Float(_) => format!("{v}"),
                                v => type_name(v).to_string(),
                            };
                            self.problem(
                                p,
                                "bad level count",
                                format!("item {} is {found}; {expect}", i + 1),
                            );
                            return None;
                        }
                    }
                }
                if out.iter().sum::<f64>() <= 0.0 {
                    self.problem(
                        p,
                        "level counts all zero",
                        format!("they are used as shares, so at least one must be > 0; {expect}"),
                    );
                    return None;
                }
                Some(out)
            }
            Some(v) => {
                let found = match v {
                    Value::Array(a) => format!("a list of {}", a.len()),
                    v => type_name(v).to_string(),
                };
                self.problem(p, "wrong level counts", format!("found {found}; {expect}"));
                None
            }
            None => {
                if required {
                    self.problem(p, &format!("missing `{key}`"), expect);
                }
                None
            }
        }
    }

    fn num_value_quiet(&self, v: &Value) -> Option<f64> {
        match v {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) if f.is_finite() => Some(*f),
            _ => None,
        }
    }

    fn dist(&mut self, text: &str, p: Path_) -> Option<Dist> {
        match Dist::parse(text) {
            Ok(d) => Some(d),
            Err(DistError(msg)) => {
                self.problem(p, "bad distribution", format!("`{text}`: {msg}"));
                None
            }
        }
    }

    fn factor_link(
        &mut self,
        t: &Table,
        path: &[String],
        factors: &[Factor],
    ) -> Option<Option<FactorLink>> {
        let name = self.string(t, path, "factor", false);
        let rho = self.number(t, path, "rho", false);
        match (name, rho) {
            (None, None) => Some(None),
            (Some(n), rho) => {
                let Some(i) = factors.iter().position(|f| f.name == n) else {
                    let names: Vec<&str> = factors.iter().map(|f| f.name.as_str()).collect();
                    let hint = locate::nearest(&n, names.iter().copied())
                        .map(|x| format!(" (did you mean `{x}`?)"))
                        .unwrap_or_default();
                    self.problem(
                        join(path, "factor"),
                        &format!("unknown factor `{n}`"),
                        format!("declared factors: {}{hint}", names.join(", ")),
                    );
                    return None;
                };
                let rho = rho.unwrap_or(0.5);
                if !(0.0..=1.0).contains(&rho) {
                    self.problem(
                        join(path, "rho"),
                        "correlation out of range",
                        format!("found {rho}; rho is a share of variance and must lie in [0, 1]"),
                    );
                    return None;
                }
                Some(Some(FactorLink { factor: i, rho }))
            }
            (None, Some(_)) => {
                self.problem(
                    join(path, "rho"),
                    "rho without a factor",
                    "add `factor = \"NAME\"` or remove `rho`",
                );
                None
            }
        }
    }

    fn apply(&mut self, t: &Table, path: &[String]) -> Option<Option<Apply>> {
        match self.string(t, path, "apply", false).as_deref() {
            None => Some(None),
            Some("absolute") => Some(Some(Apply::Absolute)),
            Some("add") => Some(Some(Apply::Add)),
            Some("multiply") => Some(Some(Apply::Multiply)),
            Some(other) => {
                self.problem(
                    join(path, "apply"),
                    &format!("unknown apply `{other}`"),
                    "valid: absolute, add, multiply",
                );
                None
            }
        }
    }

    fn family(&mut self, unc: Option<&Table>, key: &str, factors: &[Factor]) -> Family_ {
        let path = vec!["uncertainty".to_string(), key.to_string()];
        let Some(t) = unc.and_then(|u| self.table(u, &path[..1], key, false)) else {
            return Family_::default();
        };
        self.keys(t, &path, &schema::names(schema::FAMILY));
        let dist = self
            .string(t, &path, "dist", true)
            .and_then(|s| self.dist(&s, join(&path, "dist")));
        let apply = self.apply(t, &path).flatten();
        let factor = self.factor_link(t, &path, factors).flatten();
        Family_ {
            dist,
            apply,
            factor,
        }
    }

    /// An input: number (fixed), string (distribution, base = its mean), or
    /// table `{ base, dist, apply, factor, rho }`; falls back to the family default.
    fn input(
        &mut self,
        t: &Table,
        path: &[String],
        key: &str,
        base: Option<f64>,
        family: &Family_,
        factors: &[Factor],
    ) -> Option<Input> {
        let p = join(path, key);
        let from_family = |base: f64| -> Input {
            match &family.dist {
                Some(d) => Input {
                    base,
                    dist: d.clone(),
                    apply: family.apply.unwrap_or(Apply::Absolute),
                    factor: family.factor,
                },
                None => Input::fixed(base),
            }
        };
        match t.get(key) {
            None => match base {
                Some(b) => Some(from_family(b)),
                None => {
                    self.problem(
                        p,
                        &format!("missing `{key}`"),
                        "a number or a distribution is required here",
                    );
                    None
                }
            },
            Some(Value::String(s)) => {
                let d = self.dist(s, p)?;
                let base = d.fixed_value().unwrap_or_else(|| d.mean());
                Some(Input {
                    base,
                    dist: d,
                    apply: Apply::Absolute,
                    factor: None,
                })
            }
            Some(Value::Table(it)) => {
                self.keys(it, &p, &schema::names(schema::INPUT));
                let own_base = self.number(it, &p, "base", false);
                let dist = match self.string(it, &p, "dist", true) {
                    Some(s) => self.dist(&s, join(&p, "dist"))?,
                    None => return None,
                };
                let apply = self.apply(it, &p)?.unwrap_or(Apply::Absolute);
                let factor = self.factor_link(it, &p, factors)?;
                let base = own_base.or(match apply {
                    Apply::Absolute => None,
                    _ => base,
                });
                let base = base.unwrap_or_else(|| dist.mean());
                Some(Input {
                    base,
                    dist,
                    apply,
                    factor,
                })
            }
            Some(v) => {
                let x = self.num_value(v, p)?;
                Some(Input::fixed(x))
            }
        }
    }

    fn config(&mut self, root: &Table, _text: &str, origin: &str) -> Option<Config> {
        let top: Path_ = vec![];
        self.keys(root, &top, &schema::names(schema::TOP));
        let name = self.string(root, &top, "name", true);
        if let Some(n) = &name
            && (n.is_empty()
                || !n
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                || n.starts_with('.'))
        {
            self.problem(
                vec!["name".into()],
                "bad name",
                format!("`{n}` names the results folder: use letters, digits, `-`, `_` or `.`"),
            );
        }
        let title = self.string(root, &top, "title", false).unwrap_or_default();

        // Factors first: inputs refer to them.
        let mut factors = vec![];
        if let Some(ft) = self.table(root, &top, "factors", false) {
            for (fname, fv) in ft {
                let fp = vec!["factors".to_string(), fname.clone()];
                let Value::Table(f) = fv else {
                    self.problem(
                        fp,
                        "wrong type",
                        format!(
                            "found {}, expected a table like {{ per_scenario = true }}",
                            type_name(fv)
                        ),
                    );
                    continue;
                };
                self.keys(f, &fp, &schema::names(schema::FACTOR));
                let per_scenario = match f.get("per_scenario") {
                    None => false,
                    Some(Value::Boolean(b)) => *b,
                    Some(v) => {
                        self.problem(
                            join(&fp, "per_scenario"),
                            "wrong type",
                            format!("found {}, expected true or false", type_name(v)),
                        );
                        false
                    }
                };
                let description = self
                    .string(f, &fp, "description", false)
                    .unwrap_or_default();
                factors.push(Factor {
                    name: fname.clone(),
                    per_scenario,
                    description,
                });
            }
        }

        // Pay scale, lowest band first (file order is kept: the scale is ordered).
        let mut pay_scale = vec![];
        if let Some(pt) = self.table(root, &top, "pay_scale", true) {
            for (bname, bv) in pt {
                let bp = vec!["pay_scale".to_string(), bname.clone()];
                let Value::Table(b) = bv else {
                    self.problem(
                        bp,
                        "wrong type",
                        format!("found {}, expected {{ min = …, top = … }}", type_name(bv)),
                    );
                    continue;
                };
                self.keys(b, &bp, &schema::names(schema::PAY_BAND));
                let min = self.number(b, &bp, "min", true);
                let top_ = self.number(b, &bp, "top", true);
                let min = self.nonneg(min, join(&bp, "min"), "pay");
                let top_ = self.nonneg(top_, join(&bp, "top"), "pay");
                if let (Some(min), Some(t)) = (min, top_) {
                    if min > t {
                        self.problem(
                            join(&bp, "min"),
                            "min above top",
                            format!(
                                "min {min} > top {t}: the bottom of a band cannot exceed its top"
                            ),
                        );
                    }
                    pay_scale.push(Band {
                        name: bname.clone(),
                        min,
                        top: t,
                    });
                }
            }
            pay_scale.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.min.total_cmp(&b.min)));
            if pay_scale.is_empty() {
                self.problem(
                    vec!["pay_scale".into()],
                    "empty pay scale",
                    "give at least one band like \"5\" = { min = 24907, top = 30615 }",
                );
            }
        }

        let unc = self.table(root, &top, "uncertainty", false);
        if let Some(u) = unc {
            self.keys(
                u,
                &["uncertainty".to_string()],
                &schema::names(schema::UNCERTAINTY),
            );
        }
        let fam_ratio = self.family(unc, "demand_ratio", &factors);
        let fam_flow = self.family(unc, "flow_rate", &factors);
        let kappa = unc.and_then(|u| {
            let p = vec!["uncertainty".to_string()];
            let t = self.table(u, &p, "skill_mix", false)?;
            let p = join(&p, "skill_mix");
            self.keys(t, &p, &schema::names(schema::SKILL_MIX));
            let k = self.number(t, &p, "concentration", true)?;
            if k <= 0.0 {
                self.problem(
                    join(&p, "concentration"),
                    "Dirichlet concentration ≤ 0",
                    format!(
                        "found {k}; it must be > 0 (larger = tighter around the published mix)"
                    ),
                );
                return None;
            }
            Some(k)
        });
        let band_steps = unc.and_then(|u| {
            let p = vec!["uncertainty".to_string()];
            let t = self.table(u, &p, "band", false)?;
            let p = join(&p, "band");
            self.keys(t, &p, &schema::names(schema::BAND_UNCERTAINTY));
            let steps = self.num_list(t, &p, "steps")?;
            let probs = self.num_list(t, &p, "p")?;
            if steps.len() != probs.len() {
                self.problem(
                    join(&p, "p"),
                    "length mismatch",
                    format!("{} steps but {} probabilities", steps.len(), probs.len()),
                );
                return None;
            }
            if steps.iter().any(|s| s.fract() != 0.0) {
                self.problem(
                    join(&p, "steps"),
                    "steps must be whole numbers",
                    "e.g. [-1, 0, 1]: bands below and above the published one",
                );
                return None;
            }
            if let Err(e) = check_probabilities(&probs) {
                self.problem(join(&p, "p"), "bad probabilities", e.0);
                return None;
            }
            Some((steps.iter().map(|s| *s as i64).collect::<Vec<_>>(), probs))
        });

        let salary_growth = self.input(
            root,
            &top,
            "salary_growth",
            None,
            &Family_::default(),
            &factors,
        );
        let on_cost = self.input(root, &top, "on_cost", None, &Family_::default(), &factors);
        let salary_path = self.salary_path(root);
        let stress = self.stress(root, &factors, &pay_scale);

        // Areas.
        let areas_t = self.table(root, &top, "areas", true);
        let supply_t = self.table(root, &top, "supply", true);
        let demand_t = self.table(root, &top, "demand", true);
        let area_keys = Area::keys();
        for (t, name) in [(areas_t, "areas"), (supply_t, "supply")] {
            if let Some(t) = t {
                self.keys(t, &[name.to_string()], &area_keys);
            }
        }
        if let Some(d) = demand_t {
            self.keys(d, &["demand".to_string()], &Scenario::keys());
        }
        let mut areas = vec![];
        for &a in Area::ALL {
            let ap = vec!["areas".to_string(), a.key().to_string()];
            let at = areas_t.and_then(|t| self.table(t, &ap[..1], a.key(), true));
            let sp = vec!["supply".to_string(), a.key().to_string()];
            let st = supply_t.and_then(|t| self.table(t, &sp[..1], a.key(), true));
            let (Some(at), Some(st)) = (at, st) else {
                continue;
            };
            self.keys(at, &ap, &schema::names(schema::AREA));
            self.keys(st, &sp, &schema::names(schema::SUPPLY));
            let extra_inflow = self.number(st, &sp, "extra_inflow", false).unwrap_or(0.0);
            if let Some(f) = self.string(at, &ap, "family", false)
                && Family::from_key(&f) != Some(a.family())
            {
                self.problem(
                    join(&ap, "family"),
                    "wrong role family",
                    format!(
                        "found `{f}`; the report places {} in `{}`",
                        a.key(),
                        a.family().key()
                    ),
                );
            }
            let workforce = self.input(
                at,
                &ap,
                "workforce_2020",
                None,
                &Family_::default(),
                &factors,
            );
            if let Some(w) = &workforce
                && w.base <= 0.0
            {
                self.problem(
                    join(&ap, "workforce_2020"),
                    "negative workforce",
                    format!(
                        "found {}; the 2020 workforce must be > 0 (ratios divide by it)",
                        w.base
                    ),
                );
            }
            let band = self.band(at, &ap, &pay_scale, band_steps.as_ref());
            let shares_2020 = self.levels(at, &ap, "levels_2020", true).map(|l| {
                let s = normalise(&l);
                [s[0], s[1], s[2], s[3]]
            });
            let typical_trust = self.levels(at, &ap, "typical_trust", false);
            let supply_2030 = self.number(st, &sp, "supply_2030", true);
            let supply_2030 = self.nonneg(supply_2030, join(&sp, "supply_2030"), "supply");
            let (Some(workforce), Some(band), Some(shares_2020), Some(supply_2030)) =
                (workforce, band, shares_2020, supply_2030)
            else {
                continue;
            };
            let w0 = workforce.base.max(f64::MIN_POSITIVE);
            let flow_base = (supply_2030 / w0).powf(0.1) - 1.0;
            let Some(flow) = self.input(st, &sp, "flow_rate", Some(flow_base), &fam_flow, &factors)
            else {
                continue;
            };
            areas.push(AreaConfig {
                area: a,
                workforce,
                band,
                shares_2020,
                supply_2030,
                flow,
                extra_inflow,
                typical_trust,
            });
        }

        let mut demand = vec![];
        for &s in Scenario::ALL {
            let dp = vec!["demand".to_string(), s.key().to_string()];
            let Some(dt) = demand_t.and_then(|t| self.table(t, &dp[..1], s.key(), true)) else {
                continue;
            };
            self.keys(dt, &dp, &area_keys);
            let mut row = vec![];
            for &a in Area::ALL {
                let p = join(&dp, a.key());
                let Some(t) = self.table(dt, &dp, a.key(), true) else {
                    continue;
                };
                self.keys(t, &p, &schema::names(schema::DEMAND));
                let d2030 = self.number(t, &p, "demand_2030", true);
                let d2030 = self.nonneg(d2030, join(&p, "demand_2030"), "demand");
                let levels = self.levels(t, &p, "levels_2030", true);
                let w = areas.iter().find(|x| x.area == a).map(|x| x.workforce.base);
                let (Some(d2030), Some(levels), Some(w)) = (d2030, levels, w) else {
                    continue;
                };
                let Some(ratio) = self.input(t, &p, "ratio", Some(d2030 / w), &fam_ratio, &factors)
                else {
                    continue;
                };
                let k = match self.number(t, &p, "concentration", false) {
                    Some(k) if k <= 0.0 => {
                        self.problem(
                            join(&p, "concentration"),
                            "Dirichlet concentration ≤ 0",
                            format!("found {k}; it must be > 0"),
                        );
                        None
                    }
                    Some(k) => Some(k),
                    None => kappa,
                };
                let base = normalise(&levels);
                let shares = match k {
                    Some(k) => match SharesDist::dirichlet(base.iter().map(|q| q * k).collect()) {
                        Ok(d) => d,
                        Err(e) => {
                            self.problem(join(&p, "levels_2030"), "bad skill mix", e.0);
                            continue;
                        }
                    },
                    None => SharesDist::Fixed(base),
                };
                row.push(DemandConfig {
                    demand_2030: d2030,
                    ratio,
                    levels_2030: levels,
                    shares,
                    ratio_2025: None,
                });
            }
            demand.push(row);
        }

        if !self.problems.is_empty()
            || areas.len() != N_AREAS
            || demand.iter().any(|r| r.len() != N_AREAS)
        {
            return None;
        }
        let panel = self.panel(root, &areas, origin)?;
        if let Some(p) = &panel {
            // The panel replaces the demand ratios and 2030 level shares entirely.
            for (s, row) in demand.iter_mut().enumerate() {
                for (a, d) in row.iter_mut().enumerate() {
                    let (r25, r30, q) = p.mean(s, a)?;
                    d.ratio = Input::fixed(r30);
                    d.ratio_2025 = Some(r25);
                    d.shares = SharesDist::Fixed(q.to_vec());
                }
            }
        }
        Some(Config {
            name: name?,
            title,
            origin: origin.to_string(),
            source: _text.to_string(),
            tree: root.clone(),
            salary_growth: salary_growth?,
            salary_path: salary_path?,
            stress,
            overrides: vec![],
            panel,
            on_cost: on_cost?,
            pay_scale,
            factors,
            areas,
            demand,
        })
    }

    /// `[forecasters]`: returns = "FILE.csv" (relative to the config), mode, missing,
    /// weights. Problems in the CSV are rendered against the CSV into
    /// [`Reader::rendered`].
    fn panel(
        &mut self,
        root: &Table,
        areas: &[AreaConfig],
        origin: &str,
    ) -> Option<Option<std::sync::Arc<panel::Panel>>> {
        let top = vec!["forecasters".to_string()];
        let Some(t) = self.table(root, &[], "forecasters", false) else {
            return Some(None);
        };
        self.keys(t, &top, &schema::names(schema::FORECASTERS));
        let mode = match self.string(t, &top, "mode", false).as_deref() {
            None | Some("panel-mean") => panel::Mode::PanelMean,
            Some("forecaster") => panel::Mode::Forecaster,
            Some(m) => {
                self.problem(join(&top, "mode"), &format!("unknown mode `{m}`"), "valid: panel-mean (bootstrap of the panel's mean), forecaster (one forecaster per draw)");
                return None;
            }
        };
        let missing = match self.string(t, &top, "missing", false).as_deref() {
            None | Some("error") => panel::Missing::Error,
            Some("skip") => panel::Missing::Skip,
            Some(m) => {
                self.problem(
                    join(&top, "missing"),
                    &format!("unknown missing policy `{m}`"),
                    "valid: error (refuse), skip (average over those who answered)",
                );
                return None;
            }
        };
        let mut weights = std::collections::BTreeMap::new();
        if let Some(w) = self.table(t, &top, "weights", false) {
            for (k, v) in w {
                let x = self.num_value(v, join(&join(&top, "weights"), k))?;
                weights.insert(k.clone(), x);
            }
        }
        let file = self.string(t, &top, "returns", true)?;
        let mut trust = [[0.0; N_LEVELS]; N_AREAS];
        for (a, ac) in areas.iter().enumerate() {
            match ac.typical_trust {
                Some(tt) if tt.iter().sum::<f64>() > 0.0 => trust[a] = tt,
                _ => {
                    self.problem(
                        vec!["areas".into(), ac.area.key().into(), "typical_trust".into()],
                        "typical trust needed",
                        "forecaster returns are ratios to the typical trust's 2020 WTE (Table 5.3): give `typical_trust = [senior_leaders, managers, professionals, support]`",
                    );
                    return None;
                }
            }
        }
        let path = base_dir(origin).join(&file);
        let shown = path.display().to_string();
        let text = read_limited(&path);
        let text = match text {
            Ok(x) => x,
            Err(e) => {
                self.problem(
                    join(&top, "returns"),
                    "cannot read the returns file",
                    format!("{shown}: {e}"),
                );
                return None;
            }
        };
        match panel::Panel::parse(&text, &trust, mode, missing, &weights) {
            Ok(p) => {
                self.extra_source.push_str(&text);
                Some(Some(std::sync::Arc::new(p)))
            }
            Err(ps) => {
                for p in ps {
                    self.rendered.push_str(&locate::render(
                        &shown,
                        &text,
                        p.span,
                        &p.headline,
                        &p.detail,
                    ));
                    self.rendered.push('\n');
                    self.n_rendered += 1;
                }
                None
            }
        }
    }

    /// `salary_path = [0.03, 0.04, …]`: awards for 2021, 2022, … (at most ten).
    fn salary_path(&mut self, root: &Table) -> Option<Vec<f64>> {
        if !root.contains_key("salary_path") {
            return Some(vec![]);
        }
        let list = self.num_list(root, &[], "salary_path")?;
        let p = vec!["salary_path".to_string()];
        if list.len() > N_YEARS - 1 {
            self.problem(
                p,
                "salary path too long",
                format!(
                    "found {} awards; give at most {} (one per year 2021–2030)",
                    list.len(),
                    N_YEARS - 1
                ),
            );
            return None;
        }
        if let Some(x) = list.iter().find(|x| !(-0.5..=0.5).contains(*x)) {
            self.problem(
                p,
                "pay award out of range",
                format!("found {x}; awards are yearly rates such as 0.03 for 3 %, within ±0.5"),
            );
            return None;
        }
        Some(list)
    }

    /// `[stress.NAME]` sections: `description` and a `set` table of path = value.
    fn stress(&mut self, root: &Table, factors: &[Factor], scale: &[Band]) -> Vec<StressProfile> {
        let mut out = vec![];
        let top = vec!["stress".to_string()];
        let Some(t) = self.table(root, &[], "stress", false) else {
            return out;
        };
        let valid = overrides::settable_paths(factors, scale);
        for (name, v) in t {
            let p = join(&top, name);
            let Value::Table(pt) = v else {
                self.problem(
                    p,
                    "wrong type",
                    format!(
                        "found {}, expected a table with `description` and `set`",
                        type_name(v)
                    ),
                );
                continue;
            };
            self.keys(pt, &p, &["description", "set"]);
            let description = self
                .string(pt, &p, "description", false)
                .unwrap_or_default();
            let Some(set) = self.table(pt, &p, "set", true) else {
                continue;
            };
            let mut sets = vec![];
            for (path, value) in set {
                if let Err(hint) = overrides::check_path(path, &valid) {
                    self.problem(
                        join(&join(&p, "set"), path),
                        &format!("unknown input `{path}`"),
                        hint,
                    );
                } else {
                    sets.push((path.clone(), value.clone()));
                }
            }
            out.push(StressProfile {
                name: name.clone(),
                description,
                set: sets,
            });
        }
        out
    }

    fn num_list(&mut self, t: &Table, path: &[String], key: &str) -> Option<Vec<f64>> {
        let p = join(path, key);
        match t.get(key) {
            Some(Value::Array(items)) => {
                let mut out = vec![];
                for v in items {
                    out.push(self.num_value(v, p.clone())?);
                }
                Some(out)
            }
            Some(v) => {
                self.problem(
                    p,
                    "wrong type",
                    format!("found {}, expected a list of numbers", type_name(v)),
                );
                None
            }
            None => {
                self.problem(
                    p,
                    &format!("missing `{key}`"),
                    "a list of numbers is required here",
                );
                None
            }
        }
    }

    fn band_index(&mut self, name: &str, p: Path_, scale: &[Band]) -> Option<usize> {
        match scale.iter().position(|b| b.name == name) {
            Some(i) => Some(i),
            None => {
                let names: Vec<&str> = scale.iter().map(|b| b.name.as_str()).collect();
                self.problem(
                    p,
                    &format!("unknown band `{name}`"),
                    format!("bands of the pay scale: {}", names.join(", ")),
                );
                None
            }
        }
    }

    /// `band = "8a"` (family default applies) or `{ base = "8a", dist = "categorical(7=0.2, 8a=0.6, 8b=0.2)" }`.
    fn band(
        &mut self,
        t: &Table,
        path: &[String],
        scale: &[Band],
        steps: Option<&(Vec<i64>, Vec<f64>)>,
    ) -> Option<BandInput> {
        let p = join(path, "band");
        match t.get("band") {
            Some(Value::String(name)) => {
                let base = self.band_index(name, p, scale)?;
                let Some((steps, probs)) = steps else {
                    return Some(BandInput {
                        base,
                        choices: vec![base],
                        p: vec![1.0],
                    });
                };
                // Steps that fall off the scale are dropped and the rest renormalised.
                let mut choices = vec![];
                let mut ps = vec![];
                for (s, q) in steps.iter().zip(probs) {
                    let i = base as i64 + s;
                    if (0..scale.len() as i64).contains(&i) {
                        choices.push(i as usize);
                        ps.push(*q);
                    }
                }
                let total: f64 = ps.iter().sum();
                if total <= 0.0 {
                    return Some(BandInput {
                        base,
                        choices: vec![base],
                        p: vec![1.0],
                    });
                }
                Some(BandInput {
                    base,
                    choices,
                    p: ps.iter().map(|q| q / total).collect(),
                })
            }
            Some(Value::Table(bt)) => {
                self.keys(bt, &p, &["base", "dist", "note"]);
                let base_name = self.string(bt, &p, "base", true)?;
                let base = self.band_index(&base_name, join(&p, "base"), scale)?;
                let text = self.string(bt, &p, "dist", true)?;
                let dp = join(&p, "dist");
                let usage = "categorical(7=0.2, 8a=0.6, 8b=0.2)";
                let call = match Call::parse(&text) {
                    Ok(c)
                        if c.name == "categorical"
                            && c.positional.is_empty()
                            && !c.named.is_empty() =>
                    {
                        c
                    }
                    Ok(_) => {
                        self.problem(
                            dp,
                            "bad band distribution",
                            format!("`{text}`: write {usage}"),
                        );
                        return None;
                    }
                    Err(e) => {
                        self.problem(
                            dp,
                            "bad band distribution",
                            format!("`{text}`: {}; write {usage}", e.0),
                        );
                        return None;
                    }
                };
                let mut choices = vec![];
                let mut ps = vec![];
                for (name, arg) in &call.named {
                    let crate::distributions::Arg::Num(q) = arg else {
                        self.problem(
                            dp.clone(),
                            "bad band distribution",
                            format!("probability of `{name}` must be a number"),
                        );
                        return None;
                    };
                    choices.push(self.band_index(name, dp.clone(), scale)?);
                    ps.push(*q);
                }
                if let Err(e) = check_probabilities(&ps) {
                    self.problem(dp, "bad probabilities", e.0);
                    return None;
                }
                let distinct: BTreeSet<_> = choices.iter().collect();
                if distinct.len() != choices.len() {
                    self.problem(
                        dp,
                        "band listed twice",
                        format!("`{text}` names a band more than once"),
                    );
                    return None;
                }
                Some(BandInput {
                    base,
                    choices,
                    p: ps,
                })
            }
            Some(v) => {
                self.problem(
                    p,
                    "wrong type",
                    format!(
                        "found {}, expected a band name like \"8a\" or a table",
                        type_name(v)
                    ),
                );
                None
            }
            None => {
                self.problem(
                    p,
                    "missing `band`",
                    "the Agenda for Change band, e.g. band = \"5\"",
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads() {
        let c = Config::builtin();
        assert_eq!(c.name, "hee-2021");
        assert_eq!(c.areas.len(), 9);
        assert_eq!(c.pay_scale.len(), 12);
        assert_eq!(
            c.pay_scale[c.area(Area::ClinicalInformatics).band.base].name,
            "8a"
        );
    }

    fn broken(edit: impl Fn(&str) -> String) -> ConfigError {
        Config::from_str(&edit(BUILTIN_TOML), "test.toml").expect_err("should fail")
    }

    #[test]
    fn reports_several_located_problems() {
        let e = broken(|s| {
            s.replacen("workforce_2020 = 3560", "workforce_2020 = -3560", 1)
                .replacen("supply_2030 = 5169", "supply_207 = 5169", 1)
        });
        assert!(e.problems.len() >= 2, "{e}");
        assert!(e.rendered.contains("test.toml:"), "{e}");
        assert!(e.rendered.contains("did you mean `supply_2030`"), "{e}");
        assert!(e.rendered.contains("negative workforce"), "{e}");
    }

    #[test]
    fn documented_override_forms_load() {
        let text = BUILTIN_TOML
            .replace("band = \"8a\"", "band = { base = \"8a\", dist = \"categorical(7=0.2, 8a=0.6, 8b=0.2)\" }")
            .replace(
                "[supply.ict]\n",
                "[supply.ict]\nflow_rate = \"normal(0.06, 0.01)\"\n",
            )
            .replace(
                "[demand.data_driven.ict]\n",
                "[demand.data_driven.ict]\nratio = { dist = \"lognormal(mean=1, sigma=0.4)\", apply = \"multiply\" }\n",
            );
        let c = Config::from_str(&text, "t").unwrap_or_else(|e| panic!("{e}"));
        let ci = c.area(Area::ClinicalInformatics);
        assert_eq!(ci.band.choices.len(), 3);
        assert_eq!(c.pay_scale[ci.band.base].name, "8a");
        assert_eq!(c.area(Area::Ict).flow.base, 0.06);
        let r = &c.demand_of(Scenario::DataDriven, Area::Ict).ratio;
        assert_eq!(r.base, 21963.0 / 16407.0);
        assert_eq!(r.apply, Apply::Multiply);
        assert!(r.factor.is_none());
    }
}
