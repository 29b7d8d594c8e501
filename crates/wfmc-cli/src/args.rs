//! The command line: every flag is declared here once (flags shared by several
//! commands are `clap::Args` groups), and each command's arguments become the
//! library's typed requests.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use wfmc::engine;
use wfmc::explore;

const EXIT_CODES: &str =
    "Exit codes: 0 success, 1 runtime failure, 2 usage or input error, 130 interrupted.";

#[derive(Parser)]
#[command(name = "wfmc", version, about = "Monte Carlo uncertainty for the NHS digital workforce projection (HEE 2021)", after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// The report's deterministic projection: every input at its base value.
    Point {
        #[command(flatten)]
        config: ConfigArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Monte Carlo run: bands, shortfall probabilities and a summary in a results folder.
    Run {
        #[command(flatten)]
        config: ConfigArgs,
        /// Number of draws [default: 1000000; with --until, the most it may draw:
        /// 100000000].
        #[arg(long)]
        draws: Option<u64>,
        /// Draw until every named 2030 estimate has at most this standard error
        /// (repeatable): p_shortfall_se=SE (P(shortfall) of every area and the
        /// total), percentile_se=SE (P5 and P95 of the total gap, WTE), mean_se=SE
        /// (the mean total gap, WTE); both scenarios. Checked at whole replicate
        /// blocks, so the result is the same on any number of threads.
        #[arg(long, value_name = "NAME=SE")]
        until: Vec<engine::until::Target>,
        #[command(flatten)]
        streams: Streams,
        #[command(flatten)]
        sampling: SamplingArg,
        /// Results folder (default: results/<config name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard i of N (e.g. 2/8) and write a partial result for `wfmc merge`.
        #[arg(long)]
        shard: Option<engine::Shard>,
        #[command(flatten)]
        guard: Guard,
        #[command(flatten)]
        charts: Charts,
        /// Rows of the Sobol design computed with the run (sobol.csv); 0: none.
        #[arg(long, value_name = "ROWS", default_value_t = wfmc::sensitivity::sobol::DEFAULT_N)]
        sobol: usize,
    },
    /// Combine shards' partial results into the full results folder.
    Merge {
        /// Partial results: shard folders or their partial.wfmc files.
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// The config and overrides the shards ran.
        #[command(flatten)]
        config: ConfigArgs,
        /// Results folder to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        guard: Guard,
        #[command(flatten)]
        charts: Charts,
        /// Worker threads for the Sobol indices (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// One-at-a-time sensitivity: each input at its P10 and P90, all others at base.
    Tornado {
        #[command(flatten)]
        config: ConfigArgs,
        /// Folder for tornado.csv (default: results/<config name>/); other files in it are kept.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Inputs shown per output in the terminal.
        #[arg(long, default_value_t = 8)]
        top: usize,
    },
    /// Global sensitivity: first-order and total Sobol indices with bootstrap intervals.
    Sobol {
        #[command(flatten)]
        config: ConfigArgs,
        /// Rows of the Saltelli design; costs n × (groups + 2) model evaluations.
        #[arg(long, default_value_t = wfmc::sensitivity::sobol::DEFAULT_N)]
        n: usize,
        #[command(flatten)]
        streams: Streams,
        /// Folder for sobol.csv (default: results/<config name>/); other files in it are kept.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run the Monte Carlo model at every point of a grid of inputs; streams a tidy CSV.
    Sweep {
        #[command(flatten)]
        config: ConfigArgs,
        /// An input to vary: PATH=LO:HI:STEP or PATH=v1,v2,… (repeatable: full factorial).
        #[arg(long, required = true, value_name = "PATH=VALUES")]
        vary: Vec<explore::sweep::Vary>,
        /// Draws per point.
        #[arg(long, default_value_t = 100_000)]
        draws: u64,
        #[command(flatten)]
        streams: Streams,
        #[command(flatten)]
        sampling: SamplingArg,
        /// CSV file to write (default: standard output). Written whole or not at all;
        /// an existing file is replaced only if it is a sweep CSV of wfmc's.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file even if it is not a sweep CSV wfmc wrote.
        #[arg(long, requires = "out")]
        overwrite: bool,
        /// Run only shard i of N of the grid points (e.g. 2/8) and write a part for
        /// `wfmc merge-sweep`.
        #[arg(long)]
        shard: Option<engine::Shard>,
        /// Metrics to keep (repeatable; default gap and p_shortfall).
        #[arg(long)]
        metric: Vec<String>,
        /// Areas to keep, or `total` (repeatable; default all).
        #[arg(long)]
        area: Vec<String>,
        /// Years to keep (repeatable; default 2030).
        #[arg(long)]
        year: Vec<u32>,
        #[command(flatten)]
        guard: Guard,
    },
    /// Merge the parts of a sharded sweep into the CSV the unsharded sweep writes.
    MergeSweep {
        /// The parts (`wfmc sweep --shard i/N --out FILE`), in any order.
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// CSV file to write (default: standard output). Written whole or not at all.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file even if it is not a sweep CSV wfmc wrote.
        #[arg(long, requires = "out")]
        overwrite: bool,
    },
    /// The extra annual inflow that brings an area's probability of shortfall to a target.
    Target {
        #[command(flatten)]
        config: ConfigArgs,
        /// Area (e.g. clinical_informatics); or use --all.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        area: Option<String>,
        /// Every area short more often than the target.
        #[arg(long)]
        all: bool,
        /// Scenario: data_driven or data_desert.
        #[arg(long, default_value = "data_driven")]
        scenario: String,
        /// Target probability of shortfall.
        #[arg(long = "p-shortfall", default_value_t = 0.1)]
        p_shortfall: f64,
        /// Year the target applies to.
        #[arg(long, default_value_t = 2030)]
        year: u32,
        /// Draws.
        #[arg(long, default_value_t = 200_000)]
        draws: u64,
        #[command(flatten)]
        streams: Streams,
        /// mc (the default here: the target's interval and standard errors are
        /// those of independent draws) or rqmc.
        #[arg(long, default_value_t = engine::Sampling::Mc)]
        sampling: engine::Sampling,
    },
    /// List the config's stress profiles, or every path --set accepts.
    Stress {
        #[command(flatten)]
        config: ConfigArgs,
        /// List the stress profiles and what each sets.
        #[arg(long)]
        list: bool,
        /// List every path --set and --vary accept.
        #[arg(long)]
        paths: bool,
    },
    /// Rebuild plots/ and report.html of an existing results folder, without re-running.
    Report {
        /// The results folder (written by `wfmc run` or `wfmc merge`).
        dir: PathBuf,
        #[command(flatten)]
        charts: Charts,
    },
    /// Validate a config without running anything.
    Check {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Paired comparison: the baseline against interventions, portfolios, stress
    /// profiles or overrides on the same draws; compare.csv and a table.
    Compare {
        /// Config file (default: the built-in configs/hee-2021.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Stress profile applied to the baseline and every variant (repeatable).
        #[arg(long = "stress", value_name = "NAME")]
        stress: Vec<String>,
        /// Override applied to the baseline and every variant (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// A variant: one intervention of the config (repeatable; A+B: a portfolio).
        #[arg(long = "intervention", value_name = "NAME")]
        interventions: Vec<String>,
        /// A variant: several interventions together, A+B (repeatable).
        #[arg(long = "portfolio", value_name = "A+B")]
        portfolios: Vec<String>,
        /// A variant of stress profiles, interventions and overrides:
        /// 'NAME: --stress P --intervention I --set PATH=VALUE' (repeatable).
        #[arg(long = "variant", value_name = "'NAME: ARGS'")]
        variants: Vec<String>,
        /// Number of draws (the same draws for the baseline and every variant).
        #[arg(long, default_value_t = 200_000)]
        draws: u64,
        #[command(flatten)]
        streams: Streams,
        #[command(flatten)]
        sampling: SamplingArg,
        #[command(flatten)]
        guard: Guard,
        /// Year of the table (compare.csv has every year).
        #[arg(long, default_value_t = 2030)]
        year: u32,
        /// Results folder for compare.csv (default: results/<config name>/; a run's
        /// folder gets its report.html rebuilt with the comparison).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The what-if explorer: a local web page that reruns the model as you change
    /// its assumptions, and its JSON API (see the README's "Explorer").
    Serve {
        /// Config file (default: the built-in configs/hee-2021.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Port on 127.0.0.1 (0: any free port; the address is printed).
        #[arg(long, default_value_t = 8421)]
        port: u16,
        /// Listen on this address instead of 127.0.0.1 (anyone who can reach it
        /// can run the model).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
        /// Worker threads of a run (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// The most draws one request may ask for.
        #[arg(long, default_value_t = 2_000_000)]
        max_draws: u64,
    },
}

/// Seed and threads, shared by every command that draws.
#[derive(clap::Args, Clone, Copy)]
pub struct Streams {
    /// Seed of the random streams: the same seed gives the same results.
    #[arg(long, default_value_t = engine::DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// How the inputs are drawn, shared by the commands that run the Monte Carlo model.
#[derive(clap::Args, Clone, Copy)]
pub struct SamplingArg {
    /// rqmc: randomised quasi-Monte Carlo (scrambled Sobol' replicates; the same
    /// precision from fewer draws); mc: plain Monte Carlo.
    #[arg(long, default_value_t = engine::Sampling::Rqmc)]
    pub sampling: engine::Sampling,
}

/// The config and its overrides, shared by every command that reads one.
#[derive(clap::Args, Clone)]
pub struct ConfigArgs {
    /// Config file (default: the built-in configs/hee-2021.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Apply a stress profile of the config (repeatable, in order; `wfmc stress --list`).
    #[arg(long = "stress", value_name = "NAME")]
    pub stress: Vec<String>,
    /// Apply an intervention of the config (repeatable; A+B applies both; after
    /// --stress, before --set; `wfmc stress --list` lists them).
    #[arg(long = "intervention", value_name = "NAME")]
    pub interventions: Vec<String>,
    /// Override an input: PATH=VALUE, VALUE a number or a distribution such as
    /// normal(0.10, 0.02) (repeatable, applied after --stress).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Forecaster returns: how to treat a forecaster who left an area out
    /// (`skip`: average over those who answered). Without it, that is an error.
    #[arg(long = "allow-missing", value_name = "POLICY", value_parser = ["skip", "error"])]
    pub allow_missing: Option<String>,
}

impl ConfigArgs {
    /// The library's request for this config.
    pub fn load(&self) -> Result<wfmc::Config, wfmc::Error> {
        wfmc::jobs::ConfigRequest {
            path: self.config.clone(),
            stress: self.stress.clone(),
            interventions: self.interventions.clone(),
            set: self.set.clone(),
            allow_missing: self.allow_missing.clone(),
        }
        .load()
    }
}

/// The numerical guard's limit, shared by every command that runs draws.
#[derive(clap::Args, Clone, Copy)]
pub struct Guard {
    /// Fail, writing nothing, if the numerical guard rejects more than this share
    /// of the draws (non-finite outputs, negative demand or supply).
    #[arg(long, default_value_t = engine::guard::DEFAULT_MAX_REJECTED)]
    pub max_rejected: f64,
}

/// Chart formats, shared by every command that draws charts.
#[derive(clap::Args, Clone, Copy)]
pub struct Charts {
    /// Also write the charts as PNG (needs a build with `--features png`).
    #[arg(long)]
    pub png: bool,
}

impl Charts {
    /// `--png` in a build without PNG support fails before any work.
    pub fn check(self) -> Result<bool, wfmc::Error> {
        if self.png && !wfmc::report::charts::PNG_SUPPORTED {
            return Err(wfmc::Error::Input(
                "--png: this wfmc was built without PNG support; build it with `cargo build --release --features png`".into(),
            ));
        }
        Ok(self.png)
    }
}

impl Streams {
    /// The worker threads: the given number, or every core (at most the maximum).
    pub fn threads(self) -> usize {
        self.threads.unwrap_or_else(engine::default_threads)
    }
}

/// Output format of `wfmc point`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Tables 3.1–3.3 beside the report's figures.
    Table,
    /// One row per series.
    Csv,
    /// The point model as JSON.
    Json,
}

/// A run's specification from its flags.
pub fn spec(
    draws: u64,
    s: Streams,
    max_rejected: f64,
    shard: Option<engine::Shard>,
    sampling: SamplingArg,
) -> engine::RunSpec {
    engine::RunSpec {
        draws,
        seed: s.seed,
        threads: s.threads(),
        shard: shard.unwrap_or(engine::Shard::ALL),
        max_rejected,
        sampling: sampling.sampling,
        block_chunks: 0,
    }
}

pub fn parse_area(a: &str) -> Result<wfmc::dims::Area, wfmc::Error> {
    wfmc::dims::Area::from_key(a).ok_or_else(|| {
        wfmc::Error::Input(format!(
            "--area {a}: valid areas are {}",
            wfmc::dims::Area::keys().join(", ")
        ))
    })
}

/// The command as a user would type it again: `wfmc` and the arguments, quoted for
/// a POSIX shell where needed (however the binary was started, so that the manifest
/// is the same bytes for `wfmc run` and `cargo run -- run`).
pub fn command_line() -> String {
    let quote = |a: String| {
        let plain = !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
        if plain {
            a
        } else {
            wfmc::report::shell_quote(&a)
        }
    };
    std::iter::once("wfmc".to_string())
        .chain(std::env::args().skip(1).map(quote))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An error as the command line words it: a setting is named by its flag.
pub fn message(e: &wfmc::Error) -> String {
    use wfmc::error::Setting;
    match e {
        wfmc::Error::Setting {
            setting,
            value,
            valid,
        } => {
            let flag = match setting {
                Setting::Draws => "--draws",
                Setting::Threads => "--threads",
                Setting::MaxRejected => "--max-rejected",
                Setting::SobolRows => "--sobol",
                Setting::SobolN => "--n",
                Setting::PShortfall => "--p-shortfall",
                Setting::TargetYear | Setting::Year => "--year",
                Setting::AllowMissing => "--allow-missing",
                Setting::Metric => "--metric",
                Setting::Area => "--area",
            };
            format!("{flag} {value}: {valid}")
        }
        e => e.to_string(),
    }
}
